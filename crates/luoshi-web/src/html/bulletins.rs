//! Bulletin pages (通报): the list of published versions with the office's preview form, a
//! draft preview with the publish button, a published version in print layout (title, number,
//! date, issuing office, tables) with its other versions and the correction form, and the XLSX.
//!
//! Everyone in the region reads published bulletins; only the supervision office (those who may
//! review tasks) previews, publishes and corrects. Forms carry the session's CSRF token.

mod views;
mod xlsx;

use super::pages::unit_names;
use super::views::{Chrome, ErrorPage};
use super::{PageError, Session, render};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use luoshi_app::{AppError, Bulletin, StoredBulletin};
use luoshi_domain::authz::{self, Actor, Permission};
use luoshi_domain::supervision::BulletinPeriod;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;
use views::{BulletinPage, BulletinsPage, DocView, VersionRow};

fn office(actor: &Actor) -> bool {
    authz::allowed(actor, Permission::ReviewTask)
}

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

/// Who published each version: a user's display name, or the scheduler.
async fn publishers(s: &AppState, session: &Session) -> HashMap<String, String> {
    let actor = session.user.actor();
    s.app
        .assessment_publishers(&actor)
        .await
        .map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        .unwrap_or_default()
}

fn by_name(session: &Session, names: &HashMap<String, String>, b: &StoredBulletin) -> String {
    match b.published_by {
        None => session.tr().t("bul.scheduler").to_owned(),
        Some(u) => names.get(&u.to_string()).cloned().unwrap_or_default(),
    }
}

async fn list_page(
    s: &AppState,
    session: &Session,
    error: Option<String>,
) -> Result<BulletinsPage, AppError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let list = s.app.bulletins(&actor).await?;
    let names = publishers(s, session).await;
    let units = unit_names(&s.app, &actor, tr)
        .await
        .map_err(|_| AppError::Internal("unit names".into()))?;
    let period = BulletinPeriod::month_before(s.app.today())
        .map(|p| p.label())
        .unwrap_or_default();
    Ok(BulletinsPage {
        tr,
        chrome: Chrome::new(session, &units, "bulletins"),
        office: office(&actor),
        period,
        rows: list
            .iter()
            .map(|b| VersionRow::new(b, by_name(session, &names, b), false))
            .collect(),
        error,
    })
}

/// `GET /bulletins`.
pub async fn list(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    match list_page(&s, &session, None).await {
        Ok(p) => Ok(render(&p)?.into_response()),
        Err(e) => Ok(fail(&session, e)),
    }
}

/// The list again with an error naming the field, answering with the error's status.
async fn list_with_error(s: &AppState, session: &Session, e: AppError) -> Response {
    if matches!(e, AppError::Forbidden | AppError::NotFound { .. }) {
        return fail(session, e);
    }
    let api = crate::error::ApiError::from(e);
    let status = api.status;
    match list_page(s, session, Some(api.with_field())).await {
        Ok(p) => match render(&p) {
            Ok(h) => (status, h).into_response(),
            Err(e) => e.into_response(),
        },
        Err(e) => fail(session, e),
    }
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    standings: Option<String>,
}

fn doc_page(
    session: &Session,
    units: &HashMap<String, String>,
    doc: &Bulletin,
    dated: String,
    standings: bool,
) -> BulletinPage {
    let tr = session.tr();
    BulletinPage {
        tr,
        chrome: Chrome::new(session, units, "bulletins"),
        id: None,
        number: String::new(),
        dated,
        version: 0,
        digest: String::new(),
        reason: String::new(),
        doc: DocView::new(doc, tr),
        versions: vec![],
        office: office(&session.user.actor()),
        standings,
        error: None,
    }
}

/// `GET /bulletins/preview?period=2026-09&standings=1`: a draft, computed now, not stored.
pub async fn preview(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<PreviewQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let standings = q.standings.is_some();
    let period = match BulletinPeriod::parse("period", &q.period) {
        Ok(p) => p,
        Err(e) => return Ok(list_with_error(&s, &session, e.into()).await),
    };
    let doc = match s.app.bulletin_draft(&actor, period, standings).await {
        Ok(d) => d,
        Err(e) => return Ok(list_with_error(&s, &session, e).await),
    };
    let units = unit_names(&s.app, &actor, tr).await?;
    let page = doc_page(&session, &units, &doc, s.app.today().to_string(), standings);
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    standings: Option<String>,
}

/// `POST /bulletins/publish`: publish version 1 of a period (the office).
pub async fn publish(
    State(s): State<AppState>,
    session: Session,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let actor = session.user.actor();
    let period = match BulletinPeriod::parse("period", &f.period) {
        Ok(p) => p,
        Err(e) => return Ok(list_with_error(&s, &session, e.into()).await),
    };
    match s
        .app
        .publish_bulletin(&actor, period, f.standings.is_some())
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/bulletins/{}", p.stored.id)).into_response()),
        Err(e) => Ok(list_with_error(&s, &session, e).await),
    }
}

/// `GET /bulletins/{id}` (print layout) and `GET /bulletins/{id}.xlsx`.
pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let (text, as_xlsx) = match raw.strip_suffix(".xlsx") {
        Some(t) => (t, true),
        None => (raw.as_str(), false),
    };
    let Ok(id) = Uuid::parse_str(text) else {
        return Ok(fail(&session, AppError::NotFound { entity: "bulletin" }));
    };
    let (published, versions) = match s.app.bulletin(&actor, id).await {
        Ok(x) => x,
        Err(e) => return Ok(fail(&session, e)),
    };
    let st = &published.stored;
    if as_xlsx {
        let bytes = xlsx::workbook(&published, tr).map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            PageError::Render
        })?;
        let disposition = format!(
            "attachment; filename=\"bulletin-{}-v{}.xlsx\"",
            st.period, st.version
        );
        return Ok((
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
            .into_response());
    }
    let names = publishers(&s, &session).await;
    let units = unit_names(&s.app, &actor, tr).await?;
    let dated = super::task_page::local_time(st.published_at)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut page = doc_page(&session, &units, &published.doc, dated, true);
    page.id = Some(st.id.to_string());
    page.number = st.number.clone();
    page.version = st.version;
    page.digest = st.digest.clone();
    page.reason = st.reason.clone();
    page.standings = !published.doc.standings.is_empty();
    page.versions = versions
        .iter()
        .map(|b| VersionRow::new(b, by_name(&session, &names, b), b.id == st.id))
        .collect();
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct CorrectForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    standings: Option<String>,
}

/// `POST /bulletins/{id}/correct`: a new version of the period with a reason (the office).
pub async fn correct(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<CorrectForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let actor = session.user.actor();
    match s
        .app
        .correct_bulletin(&actor, id, &f.reason, f.standings.is_some())
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/bulletins/{}", p.stored.id)).into_response()),
        Err(e) => Ok(list_with_error(&s, &session, e).await),
    }
}
