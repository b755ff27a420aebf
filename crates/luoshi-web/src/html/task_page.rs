//! The task page: responsibility, milestones, the timeline of reports and events, and the
//! actions the user's role allows in the task's status.

use super::fmt::{lamp, num, pp};
use super::pages::unit_names;
use super::views::*;
use super::{PageError, Session, render};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::AppError;
use luoshi_domain::authz::{self, Permission};
use luoshi_domain::ids::TaskId;
use luoshi_domain::measure::parse_decimal;
use luoshi_domain::task::{self, ProgressInput, TaskAction};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let page = build(&s, &session, TaskId::from(id), None, q.saved.is_some()).await?;
    Ok(render(&page)?.into_response())
}

/// The transitions offered as buttons: (action, needs a reason).
const ACTIONS: [(&str, bool); 7] = [
    ("acknowledge", false),
    ("report_done", false),
    ("approve_extension", false),
    ("reject_extension", true),
    ("close", false),
    ("return", true),
    ("cancel", true),
];

async fn build(
    s: &AppState,
    session: &Session,
    id: TaskId,
    error: Option<String>,
    saved: bool,
) -> Result<TaskPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    let d = s.app.get_task(&actor, id).await.map_err(app_err)?;
    let units = unit_names(&s.app, &actor, tr).await?;
    let people = s.app.list_people(&actor, None).await.map_err(app_err)?;
    let person = |p: Option<luoshi_domain::ids::PersonId>| {
        p.and_then(|p| people.iter().find(|(x, _)| x.id == p))
            .map_or_else(|| "—".to_owned(), |(x, _)| format!("{} {}", x.name, x.post))
    };
    let sections = s
        .app
        .list_sections(&actor, d.view.task.plan)
        .await
        .map_err(app_err)?;
    let t = &d.view.task;
    let f = &t.fields;
    let unit =
        |u: &luoshi_domain::ids::UnitId| units.get(&u.to_string()).cloned().unwrap_or_default();
    let mut lines = vec![
        Line {
            label: tr.t("task.lead_unit"),
            value: unit(&f.lead_unit),
        },
        Line {
            label: tr.t("task.co_units"),
            value: f.co_units.iter().map(unit).collect::<Vec<_>>().join("、"),
        },
        Line {
            label: tr.t("task.lead_official"),
            value: person(f.lead_official),
        },
        Line {
            label: tr.t("task.responsible"),
            value: person(f.responsible_person),
        },
        Line {
            label: tr.t("task.section"),
            value: f
                .section
                .and_then(|x| sections.iter().find(|(y, _)| y.id == x))
                .map_or_else(String::new, |(y, _)| format!("{} {}", y.number, y.title)),
        },
        Line {
            label: tr.t("task.start"),
            value: f.start.to_string(),
        },
        Line {
            label: tr.t("task.deadline"),
            value: f.deadline.to_string(),
        },
        Line {
            label: tr.t("task.days_left"),
            value: format!("{} {}", d.view.standing.days_left, tr.t("unit.days")),
        },
        Line {
            label: tr.t("task.weight"),
            value: num(f.weight, 2),
        },
    ];
    if let Some(q) = &f.quantity {
        let range = match q.max {
            Some(m) => format!("{}–{} {}", num(q.min, 2), num(m, 2), q.unit),
            None => format!("{} {}", num(q.min, 2), q.unit),
        };
        lines.push(Line {
            label: tr.t("task.quantity"),
            value: range,
        });
    }
    if let Some(r) = t.requested_deadline {
        lines.push(Line {
            label: tr.t("task.requested"),
            value: r.to_string(),
        });
    }
    let lead = f.lead_unit;
    let mut actions = Vec::new();
    for (name, needs_reason) in ACTIONS {
        let Ok(a) = TaskAction::parse(name, "x".into(), None) else {
            continue;
        };
        if authz::allowed(&actor, authz::action_permission(&a, lead))
            && task::apply(t.status, f.deadline, &a).is_ok()
        {
            actions.push((name, tr.t(&format!("action.{name}")), needs_reason));
        }
    }
    let probe = TaskAction::RequestExtension {
        new_deadline: f.deadline.next_day().unwrap_or(f.deadline),
        reason: "x".into(),
    };
    let can_extend = authz::allowed(&actor, authz::action_permission(&probe, lead))
        && task::apply(t.status, f.deadline, &probe).is_ok();
    let can_progress =
        authz::allowed(&actor, Permission::ReportProgress { lead }) && t.progress_allowed().is_ok();
    Ok(TaskPage {
        tr,
        chrome: Chrome::new(session, &units, "tasks"),
        id: t.id.to_string(),
        title: f.title.clone(),
        version: t.version,
        lamp: lamp(d.view.standing.lamp, tr),
        status: tr.t(&format!("status.{}", t.status.as_str())),
        progress: format!("{}%", num(t.progress_pct, 2)),
        expected: format!("{}%", num(d.view.standing.expected_pct, 2)),
        gap: pp(Some(d.view.standing.gap_pp), tr),
        lines,
        milestones: f
            .milestones
            .iter()
            .map(|m| Line {
                label: "",
                value: format!("{} · {} · {}%", m.due, m.title, num(m.target_pct, 2)),
            })
            .collect(),
        reports: d
            .reports
            .iter()
            .rev()
            .map(|r| ReportLine {
                at: local_time(r.reported_at),
                who: r.reporter_name.clone().unwrap_or_default(),
                percent: format!("{}%", num(r.report.percent, 2)),
                summary: r.report.summary.clone(),
                problems: r.report.problems.clone(),
                next_steps: r.report.next_steps.clone(),
                files: d
                    .attachments
                    .iter()
                    .filter(|a| a.report == r.id)
                    .map(|a| {
                        (
                            a.id.to_string(),
                            a.filename.clone(),
                            format!("{:.1} KB", a.size as f64 / 1024.0),
                        )
                    })
                    .collect(),
            })
            .collect(),
        events: d
            .events
            .iter()
            .rev()
            .map(|e| EventLine {
                at: local_time(e.at),
                who: e.actor_name.clone().unwrap_or_default(),
                action: tr.t(&format!("action.{}", e.action)),
                reason: e.reason.clone(),
            })
            .collect(),
        has_quantity: f.quantity.is_some(),
        can_progress,
        actions,
        can_extend,
        error,
        saved,
    })
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    action: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    quantity_done: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    next_steps: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    new_deadline: String,
}

fn opt_dec(field: &str, s: &str) -> Result<Option<luoshi_domain::measure::Decimal>, AppError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_decimal(field, s).map(Some).map_err(AppError::from)
    }
}

async fn perform(s: &AppState, session: &Session, id: TaskId, f: ActForm) -> Result<(), AppError> {
    let actor = session.user.actor();
    if f.action == "progress" {
        let input = ProgressInput {
            percent: opt_dec("percent", &f.percent)?,
            quantity_done: opt_dec("quantity_done", &f.quantity_done)?,
            summary: f.summary,
            problems: f.problems,
            next_steps: f.next_steps,
        };
        s.app.report_progress(&actor, id, input).await?;
        return Ok(());
    }
    let new_deadline = if f.new_deadline.trim().is_empty() {
        None
    } else {
        Some(luoshi_domain::calendar::parse_date(
            "new_deadline",
            &f.new_deadline,
        )?)
    };
    let action = TaskAction::parse(&f.action, f.reason, new_deadline)?;
    s.app.transition_task(&actor, id, action, f.version).await?;
    Ok(())
}

pub async fn act(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = TaskId::from(id);
    match perform(&s, &session, id, f).await {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}?saved=1")).into_response()),
        Err(e) => error_page(&s, &session, id, e).await,
    }
}

/// The task page again, showing why the action was refused (403 shows the error page).
pub(super) async fn error_page(
    s: &AppState,
    session: &Session,
    id: TaskId,
    e: AppError,
) -> Result<Response, PageError> {
    if matches!(e, AppError::Forbidden) {
        return Err(PageError::App(session.tr(), e));
    }
    let api = crate::error::ApiError::from(e);
    let msg = api.with_field();
    let page = build(s, session, id, Some(msg), false).await?;
    Ok((api.status, render(&page)?).into_response())
}

/// A moment as people in the district read it: China Standard Time (UTC+8), to the minute.
pub(super) fn local_time(t: time::OffsetDateTime) -> String {
    let cst = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = t.to_offset(cst);
    format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
}
