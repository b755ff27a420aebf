//! Assessment pages (绩效考核): the ranking of every category computed live as of a date, one
//! unit's score sheet with the facts behind each point, publishing and correcting the result
//! (the supervision office), the award list and the ranking as XLSX; a published result as
//! frozen (`published`) and the scheme books with their versions and editor (`schemes`).
//!
//! Leaders and the office see every unit; a unit's own users see only their unit's row and
//! sheet (the app's `assess` already narrows the result sets; another unit's sheet is a 403).

mod entry;
pub(super) mod published;
pub(super) mod schemes;
mod views;

use super::pages::unit_names;
use super::views::{Chrome, ErrorPage};
use super::{PageError, Session, render};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
pub use entry::enter;
use luoshi_app::AppError;
use luoshi_domain::authz::{self, Actor, Permission};
use luoshi_domain::calendar::parse_date;
use luoshi_domain::ids::UnitId;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;
use views::{AssessmentPage, UnitSheetPage};

#[derive(Deserialize, Default)]
pub struct AsOfQuery {
    #[serde(default)]
    as_of: Option<String>,
}

/// The date asked for, or today; a malformed date names the `as_of` field.
fn as_of(s: &AppState, asked: Option<&str>) -> Result<Date, AppError> {
    match asked.map(str::trim) {
        None | Some("") => Ok(s.app.today()),
        Some(text) => Ok(parse_date("as_of", text)?),
    }
}

/// An error page whose message names the field at fault.
fn fail(session: &Session, e: AppError) -> Response {
    let api = crate::error::ApiError::from(e);
    let page = ErrorPage {
        tr: session.tr(),
        message: api.with_field(),
    };
    (
        api.status,
        render(&page).unwrap_or_else(|_| Html(String::new())),
    )
        .into_response()
}

fn sees_all(actor: &Actor) -> bool {
    authz::allowed(actor, Permission::ReadAssessment { unit: None })
}

async fn ranking_page(
    s: &AppState,
    session: &Session,
    date: Date,
    error: Option<String>,
) -> Result<AssessmentPage, AppError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let sets = s.app.assess(&actor, date).await?;
    let all = sees_all(&actor);
    let (published, names) = if all {
        (
            s.app.published_assessments(&actor).await?,
            s.app.assessment_publishers(&actor).await?,
        )
    } else {
        (Vec::new(), Default::default())
    };
    let units = unit_names(&s.app, &actor, tr)
        .await
        .map_err(|_| AppError::Internal("unit names".into()))?;
    Ok(AssessmentPage {
        tr,
        chrome: Chrome::new(session, &units, "assessment"),
        as_of: date.to_string(),
        categories: sets.iter().map(|rs| views::category(rs, tr)).collect(),
        all,
        manage: authz::allowed(&actor, Permission::ManageAssessment),
        published: views::published_rows(&published, &names),
        error,
    })
}

/// `GET /assessment?as_of=DATE`: every category's ranking as of the date (default today).
pub async fn ranking(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, PageError> {
    let page = match as_of(&s, q.as_of.as_deref()) {
        Ok(date) => ranking_page(&s, &session, date, None).await,
        Err(e) => Err(e),
    };
    match page {
        Ok(p) => Ok(render(&p)?.into_response()),
        Err(e) => Ok(fail(&session, e)),
    }
}

/// One unit's sheet as of `date`, with the entry forms the viewer may use and `error`.
pub(super) async fn sheet_page(
    s: &AppState,
    session: &Session,
    unit: UnitId,
    date: Date,
    error: Option<String>,
) -> Result<UnitSheetPage, AppError> {
    use luoshi_domain::assess::ItemKind;
    let tr = session.tr();
    let actor = session.user.actor();
    if !authz::allowed(&actor, Permission::ReadAssessment { unit: Some(unit) }) {
        return Err(AppError::Forbidden);
    }
    let sets = s.app.assess(&actor, date).await?;
    let (rs, sheet) = sets
        .iter()
        .find_map(|rs| rs.sheet(unit).map(|sheet| (rs, sheet)))
        .ok_or(AppError::NotFound { entity: "sheet" })?;
    let units = unit_names(&s.app, &actor, tr)
        .await
        .map_err(|_| AppError::Internal("unit names".into()))?;
    let mut page = UnitSheetPage::new(
        tr,
        Chrome::new(session, &units, "assessment"),
        rs,
        sheet,
        sees_all(&actor),
    );
    let evaluate = authz::allowed(&actor, Permission::EvaluateAssessment);
    let manage = authz::allowed(&actor, Permission::ManageAssessment);
    if evaluate || manage {
        let schemes = s.app.schemes(&actor).await?;
        if let Some(scheme) = schemes.iter().find(|x| x.category == rs.category) {
            for line in &mut page.lines {
                line.entry = match scheme.item(&line.key).map(|i| &i.kind) {
                    Some(ItemKind::Manual) if evaluate => Some("manual"),
                    Some(ItemKind::Bonus { .. }) if manage => Some("bonus"),
                    Some(ItemKind::Veto { .. }) if manage => Some("veto"),
                    _ => None,
                };
            }
        }
    }
    page.error = error;
    Ok(page)
}

/// `GET /assessment/units/{unit_id}?as_of=DATE`: one unit's score sheet.
pub async fn unit_sheet(
    State(s): State<AppState>,
    session: Session,
    Path(unit): Path<Uuid>,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, PageError> {
    let page = match as_of(&s, q.as_of.as_deref()) {
        Ok(date) => sheet_page(&s, &session, UnitId::from(unit), date, None).await,
        Err(e) => Err(e),
    };
    match page {
        Ok(p) => Ok(render(&p)?.into_response()),
        Err(e) => Ok(fail(&session, e)),
    }
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    as_of: String,
}

/// `POST /assessment/publish`: freeze every category's result as of the date (the office).
pub async fn publish(
    State(s): State<AppState>,
    session: Session,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let actor = session.user.actor();
    let date = match as_of(&s, Some(&f.as_of)) {
        Ok(d) => d,
        Err(e) => return Ok(fail(&session, e)),
    };
    match s.app.publish_assessment(&actor, date).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessment?as_of={date}#published")).into_response()),
        Err(e) => rerender(&s, &session, date, e).await,
    }
}

#[derive(Deserialize)]
pub struct CorrectForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// `POST /assessment/results/{id}/correct`: publish a corrected version with a reason (the
/// office). The old version stays listed.
pub async fn correct(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<CorrectForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let actor = session.user.actor();
    match s.app.correct_assessment(&actor, id, &f.reason).await {
        Ok(p) => {
            Ok(Redirect::to(&format!("/assessment?as_of={}#published", p.as_of)).into_response())
        }
        Err(e) => {
            // Show the page of the date the result was published for, where the form was.
            let date = s
                .app
                .published_assessments(&actor)
                .await
                .ok()
                .and_then(|list| list.into_iter().find(|p| p.id == id))
                .map_or_else(|| s.app.today(), |p| p.as_of);
            rerender(&s, &session, date, e).await
        }
    }
}

/// The ranking page again with the error, naming the field; a refusal is a 403 page.
async fn rerender(
    s: &AppState,
    session: &Session,
    date: Date,
    e: AppError,
) -> Result<Response, PageError> {
    if matches!(e, AppError::Forbidden | AppError::NotFound { .. }) {
        return Ok(fail(session, e));
    }
    let api = crate::error::ApiError::from(e);
    let status = api.status;
    match ranking_page(s, session, date, Some(api.with_field())).await {
        Ok(p) => Ok((status, render(&p)?).into_response()),
        Err(e) => Ok(fail(session, e)),
    }
}

/// `GET /assessment.xlsx?as_of=DATE`: the rankings as a workbook, one sheet per category.
pub async fn ranking_xlsx(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let date = match as_of(&s, q.as_of.as_deref()) {
        Ok(d) => d,
        Err(e) => return Ok(fail(&session, e)),
    };
    let sets = match s.app.assess(&actor, date).await {
        Ok(sets) => sets,
        Err(e) => return Ok(fail(&session, e)),
    };
    let bytes = super::export::ranking_workbook(&sets, tr).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        PageError::Render
    })?;
    let disposition = format!(
        "attachment; filename=\"assessment-{date}.xlsx\"; filename*=UTF-8''%E7%BB%A9%E6%95%88%E8%80%83%E6%A0%B8-{date}.xlsx"
    );
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
