//! Supervision notice pages (督办单): the list, the form that issues one on a task, and the
//! notice itself with the unit's response form, the office's accept / follow-up buttons and an
//! official print layout.

use super::i18n::Tr;
use super::pages::{names_of, snapshot};
use super::views::{Choice, Chrome};
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, NoticeInput};
use luoshi_domain::authz::{self, Permission};
use luoshi_domain::calendar::parse_date;
use luoshi_domain::ids::{NoticeId, TaskId};
use luoshi_domain::supervision::notice::issue_permission;
use luoshi_domain::supervision::{Notice, NoticeAction, NoticeStatus, NoticeSubject};
use serde::Deserialize;
use uuid::Uuid;

/// One notice in the list.
pub struct NoticeRow {
    pub id: String,
    pub number: String,
    pub unit: String,
    pub requirement: String,
    pub issued_on: String,
    pub respond_by: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "notices.html")]
pub struct NoticesPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub statuses: Vec<Choice>,
    pub rows: Vec<NoticeRow>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

fn status_label(tr: Tr, s: NoticeStatus) -> &'static str {
    tr.t(&format!("notice.status.{}", s.as_str()))
}

pub async fn list(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap);
    let status = NoticeStatus::parse(&q.status);
    let notices = s
        .app
        .notices(&actor, status)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let mut statuses = vec![Choice {
        value: String::new(),
        label: tr.t("notice.all").to_owned(),
        selected: status.is_none(),
    }];
    statuses.extend(NoticeStatus::ALL.into_iter().map(|x| Choice {
        value: x.as_str().to_owned(),
        label: status_label(tr, x).to_owned(),
        selected: status == Some(x),
    }));
    let rows = notices
        .iter()
        .map(|n| NoticeRow {
            id: n.id.to_string(),
            number: n.number.clone(),
            unit: units
                .get(&n.fields.unit.to_string())
                .cloned()
                .unwrap_or_default(),
            requirement: n.fields.requirement.clone(),
            issued_on: n.fields.issued_on.to_string(),
            respond_by: n.fields.respond_by.to_string(),
            status: status_label(tr, n.status),
        })
        .collect();
    let page = NoticesPage {
        tr,
        chrome: Chrome::new(&session, units, "notices"),
        statuses,
        rows,
    };
    Ok(render(&page)?.into_response())
}

/// `GET /notices.xlsx`: the notices the user may read, as a workbook.
pub async fn list_xlsx(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap);
    let notices = s
        .app
        .notices(&actor, None)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let bytes = super::export::notices_workbook(&notices, units, |x| status_label(tr, x), tr)
        .map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            PageError::Render
        })?;
    Ok((
        StatusCode::OK,
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"notices.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "notice_new.html")]
pub struct NewNoticePage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub task: String,
    pub task_title: String,
    pub unit: String,
    pub requirement: String,
    pub respond_by: String,
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub struct NewQuery {
    task: Uuid,
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    requirement: String,
    #[serde(default)]
    respond_by: String,
}

async fn new_page(
    s: &AppState,
    session: &Session,
    form: NewForm,
    error: Option<String>,
) -> Result<NewNoticePage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    if !authz::allowed(&actor, issue_permission()) {
        return Err(app_err(AppError::Forbidden));
    }
    let snap = snapshot(&s.app, &actor, tr).await?;
    let id: TaskId = form
        .task
        .parse()
        .map_err(|_| app_err(AppError::invalid("task", "invalid", "not a task id")))?;
    let d = s.app.get_task(&actor, id).await.map_err(app_err)?;
    let f = &d.view.task.fields;
    Ok(NewNoticePage {
        tr,
        chrome: Chrome::new(session, names_of(&snap), "supervision"),
        task: id.to_string(),
        task_title: f.title.clone(),
        unit: snap.unit_name(f.lead_unit).unwrap_or_default().to_owned(),
        requirement: form.requirement,
        respond_by: form.respond_by,
        error,
    })
}

pub async fn new_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let form = NewForm {
        csrf: String::new(),
        task: q.task.to_string(),
        requirement: String::new(),
        respond_by: String::new(),
    };
    Ok(render(&new_page(&s, &session, form, None).await?)?.into_response())
}

async fn issue(s: &AppState, session: &Session, f: &NewForm) -> Result<Notice, AppError> {
    let task: TaskId = f
        .task
        .parse()
        .map_err(|_| AppError::invalid("task", "invalid", "not a task id"))?;
    let input = NoticeInput {
        task: Some(task),
        unit: None,
        requirement: f.requirement.clone(),
        respond_by: parse_date("respond_by", &f.respond_by)?,
    };
    s.app.issue_notice(&session.user.actor(), &input).await
}

pub async fn create(
    State(s): State<AppState>,
    session: Session,
    Form(f): Form<NewForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    match issue(&s, &session, &f).await {
        Ok(n) => Ok(Redirect::to(&format!("/notices/{}", n.id)).into_response()),
        Err(AppError::Forbidden) => Err(PageError::App(session.tr(), AppError::Forbidden)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let page = new_page(&s, &session, f, Some(api.with_field())).await?;
            Ok((api.status, render(&page)?).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub number: String,
    pub version: i64,
    pub status: &'static str,
    pub unit: String,
    pub issuer: &'static str,
    pub issued_on: String,
    pub respond_by: String,
    pub requirement: String,
    /// (task id, title) when the notice is about a task.
    pub task: Option<(String, String)>,
    pub follows: Option<String>,
    pub response: Option<(String, String)>,
    pub decided_on: Option<String>,
    pub can_respond: bool,
    pub can_accept: bool,
    pub can_follow_up: bool,
    pub error: Option<String>,
}

async fn notice_page(
    s: &AppState,
    session: &Session,
    id: NoticeId,
    error: Option<String>,
) -> Result<NoticePage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    let snap = snapshot(&s.app, &actor, tr).await?;
    let n = s.app.notice(&actor, id).await.map_err(app_err)?;
    let task = match n.fields.subject {
        NoticeSubject::Task(t) => s
            .app
            .get_task(&actor, t)
            .await
            .ok()
            .map(|d| (t.to_string(), d.view.task.fields.title.clone())),
        NoticeSubject::Unit => None,
    };
    let today = snap.today;
    let offered = |a: &NoticeAction| {
        authz::allowed(&actor, a.permission(n.fields.unit)) && n.after(a, today).is_ok()
    };
    Ok(NoticePage {
        tr,
        chrome: Chrome::new(session, names_of(&snap), "notices"),
        id: n.id.to_string(),
        number: n.number.clone(),
        version: n.version,
        status: status_label(tr, n.status),
        unit: snap.unit_name(n.fields.unit).unwrap_or_default().to_owned(),
        issuer: tr.t("notice.issuer"),
        issued_on: n.fields.issued_on.to_string(),
        respond_by: n.fields.respond_by.to_string(),
        requirement: n.fields.requirement.clone(),
        task,
        follows: n.fields.follows.map(|f| f.to_string()),
        response: n
            .response
            .as_ref()
            .map(|r| (r.responded_on.to_string(), r.text.clone())),
        decided_on: n.decided_on.map(|d| d.to_string()),
        // The office's own grants would allow answering too; the form is for the unit's people.
        can_respond: offered(&NoticeAction::Respond { text: "x".into() })
            && actor.grants.iter().any(|g| g.unit == Some(n.fields.unit)),
        can_accept: offered(&NoticeAction::Accept),
        can_follow_up: offered(&NoticeAction::FollowUp { reason: "x".into() })
            && authz::allowed(&actor, Permission::ReviewTask),
        error,
    })
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let page = notice_page(&s, &session, NoticeId::from(id), None).await?;
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    action: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    text: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    requirement: String,
    #[serde(default)]
    respond_by: String,
}

/// Perform the action; returns the notice to show next.
async fn perform(
    s: &AppState,
    session: &Session,
    id: NoticeId,
    f: &ActForm,
) -> Result<NoticeId, AppError> {
    let actor = session.user.actor();
    match f.action.as_str() {
        "respond" => {
            s.app
                .respond_to_notice(&actor, id, f.version, &f.text)
                .await?;
            Ok(id)
        }
        "accept" => {
            s.app.accept_notice(&actor, id, f.version).await?;
            Ok(id)
        }
        "follow_up" => {
            let by = parse_date("respond_by", &f.respond_by)?;
            let (_, new) = s
                .app
                .follow_up_notice(&actor, id, f.version, &f.reason, &f.requirement, by)
                .await?;
            Ok(new.id)
        }
        _ => Err(AppError::invalid("action", "unknown", "no such action")),
    }
}

pub async fn act(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = NoticeId::from(id);
    match perform(&s, &session, id, &f).await {
        Ok(next) => Ok(Redirect::to(&format!("/notices/{next}")).into_response()),
        Err(AppError::Forbidden) => Err(PageError::App(session.tr(), AppError::Forbidden)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let status: StatusCode = api.status;
            let page = notice_page(&s, &session, id, Some(api.with_field())).await?;
            Ok((status, render(&page)?).into_response())
        }
    }
}
