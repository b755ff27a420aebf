//! The supervision office's pages: the inbox (every user) and the workbench of red, yellow and
//! overdue open work grouped by lead unit and by lead official.

use super::fmt::{LampView, lamp};
use super::i18n::Tr;
use super::pages::{names_of, snapshot};
use super::task_page::local_time;
use super::views::{Chrome, TaskRow};
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use luoshi_app::{AppError, Page, TaskQuery, TaskView};
use luoshi_domain::authz::{self, Actor, Permission};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::task::TaskStatus;
use serde::Deserialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Messages shown on one inbox page.
const INBOX_PAGE: i64 = 50;

/// One inbox message, formatted.
pub struct MessageRow {
    pub id: String,
    pub title: String,
    pub body: String,
    pub at: String,
    pub unread: bool,
    /// Where the message points (a notice), if anywhere.
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub unread: i64,
    pub messages: Vec<MessageRow>,
    pub page: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Deserialize)]
pub struct InboxQuery {
    page: Option<i64>,
}

pub async fn inbox(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<InboxQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let page = q.page.unwrap_or(1).max(1);
    let inbox = s
        .app
        .inbox(
            &actor,
            Page {
                limit: INBOX_PAGE + 1,
                offset: (page - 1) * INBOX_PAGE,
            },
        )
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let more = inbox.messages.len() as i64 > INBOX_PAGE;
    let messages = inbox
        .messages
        .iter()
        .take(INBOX_PAGE as usize)
        .map(|m| MessageRow {
            id: m.id.to_string(),
            title: m.title.clone(),
            body: m.body.clone(),
            at: local_time(m.created_at),
            unread: m.read_at.is_none(),
            href: m.notice.map(|n| format!("/notices/{n}")),
        })
        .collect();
    let p = InboxPage {
        tr,
        chrome: Chrome::new(&session, names_of(&snap), "inbox"),
        unread: inbox.unread,
        messages,
        page,
        prev: (page > 1).then(|| format!("/inbox?page={}", page - 1)),
        next: more.then(|| format!("/inbox?page={}", page + 1)),
    };
    Ok(render(&p)?.into_response())
}

/// The unread count as a small badge for the navigation (loaded by htmx after the page).
pub async fn badge(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let inbox = s
        .app
        .inbox(
            &session.user.actor(),
            Page {
                limit: 1,
                offset: 0,
            },
        )
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let html = if inbox.unread > 0 {
        format!(
            "<span class=\"badge\" id=\"unread-badge\" title=\"{}\">{}</span>",
            tr.t("inbox.unread"),
            inbox.unread
        )
    } else {
        String::new()
    };
    Ok(Html(html).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn mark_read(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    s.app
        .mark_read(&session.user.actor(), id)
        .await
        .map_err(|e| PageError::App(session.tr(), e))?;
    Ok(Redirect::to("/inbox").into_response())
}

/// Who may open the workbench: the supervision office, and leaders (read-only).
pub(super) fn may_watch(actor: &Actor) -> bool {
    authz::allowed(actor, Permission::ReviewTask) || authz::allowed(actor, Permission::ReadAudit)
}

/// A group of lagging tasks under one lead unit or one lead official.
pub struct Group {
    pub name: String,
    pub red: usize,
    pub yellow: usize,
    pub overdue: usize,
    pub rows: Vec<TaskRow>,
}

#[derive(Template)]
#[template(path = "supervision.html")]
pub struct WorkbenchPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub plan_title: String,
    pub as_of: String,
    pub total: usize,
    pub can_issue: bool,
    pub red: LampView,
    pub yellow: LampView,
    pub by_unit: Vec<Group>,
    pub by_official: Vec<Group>,
    /// How many reminders the last one-click reminder sent (shown once after the redirect).
    pub reminded: Option<usize>,
}

#[derive(Deserialize)]
pub struct WorkbenchQuery {
    reminded: Option<usize>,
}

/// `POST /supervision/remind/{task}`: the one-click reminder (the office). Sends once per task
/// and day, however often it is clicked.
pub async fn remind(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let tr = session.tr();
    let actor = session.user.actor();
    let sent = s
        .app
        .remind_task(&actor, luoshi_domain::ids::TaskId::from_uuid(id))
        .await
        .map_err(|e| PageError::App(tr, e))?;
    Ok(Redirect::to(&format!("/supervision?reminded={sent}")).into_response())
}

/// Group tasks by a key (sorted by name; tasks without a key go last under `none`).
fn group(
    items: &[&TaskView],
    key: impl Fn(&TaskView) -> Option<String>,
    none: &str,
    make: impl Fn(&TaskView) -> TaskRow,
) -> Vec<Group> {
    let mut groups: BTreeMap<(bool, String), Vec<&TaskView>> = BTreeMap::new();
    for v in items {
        let k = key(v);
        groups
            .entry((k.is_none(), k.unwrap_or_else(|| none.to_owned())))
            .or_default()
            .push(v);
    }
    groups
        .into_iter()
        .map(|((_, name), vs)| Group {
            name,
            red: vs
                .iter()
                .filter(|v| v.standing.lamp == Some(Lamp::Red))
                .count(),
            yellow: vs
                .iter()
                .filter(|v| v.standing.lamp == Some(Lamp::Yellow))
                .count(),
            overdue: vs.iter().filter(|v| v.standing.overdue).count(),
            rows: vs.into_iter().map(&make).collect(),
        })
        .collect()
}

pub async fn workbench(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<WorkbenchQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    if !may_watch(&actor) {
        return Err(PageError::App(tr, AppError::Forbidden));
    }
    let app_err = |e| PageError::App(tr, e);
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap);
    let plan = snap.plans.first().map(|(p, _)| p);
    let mut items: Vec<TaskView> = Vec::new();
    if let Some(plan) = plan {
        let open = vec![
            TaskStatus::Assigned,
            TaskStatus::InProgress,
            TaskStatus::ExtensionRequested,
        ];
        let base = TaskQuery {
            plan: Some(plan.id),
            statuses: open,
            limit: 500,
            ..TaskQuery::default()
        };
        let lagging = TaskQuery {
            lamps: vec![Lamp::Red, Lamp::Yellow],
            ..base.clone()
        };
        let overdue = TaskQuery {
            overdue: true,
            ..base
        };
        for q in [lagging, overdue] {
            let l = s
                .app
                .list_tasks_in(&actor, &snap, &q)
                .await
                .map_err(app_err)?;
            for v in &l.items {
                if !items.iter().any(|x| x.task.id == v.task.id) {
                    items.push(v.clone());
                }
            }
        }
    }
    // Worst first within each group: overdue, then red, then the deadline.
    items.sort_by_key(|v| {
        (
            !v.standing.overdue,
            v.standing.lamp != Some(Lamp::Red),
            v.task.fields.deadline,
        )
    });
    let refs: Vec<&TaskView> = items.iter().collect();
    let make = |v: &TaskView| TaskRow::new(v, units, tr);
    let by_unit = group(
        &refs,
        |v| units.get(&v.task.fields.lead_unit.to_string()).cloned(),
        tr.t("sup.no_unit"),
        make,
    );
    let by_official = group(
        &refs,
        |v| {
            v.task.fields.lead_official.and_then(|p| {
                snap.officials
                    .iter()
                    .find(|(id, _)| *id == p)
                    .map(|(_, n)| n.clone())
            })
        },
        tr.t("sup.no_official"),
        make,
    );
    let page = WorkbenchPage {
        tr,
        chrome: Chrome::new(&session, units, "supervision"),
        plan_title: plan.map_or_else(|| tr.t("dash.no_plan").to_owned(), |p| p.title.clone()),
        as_of: snap.today.to_string(),
        total: items.len(),
        can_issue: authz::allowed(
            &actor,
            luoshi_domain::supervision::notice::issue_permission(),
        ),
        red: lamp(Some(Lamp::Red), tr),
        yellow: lamp(Some(Lamp::Yellow), tr),
        by_unit,
        by_official,
        reminded: q.reminded,
    };
    Ok(render(&page)?.into_response())
}
