use super::{created, need_version, with_etag};
use crate::convert;
use crate::dto::{ids, opt_date_in};
use crate::dto_work::{
    ProgressIn, ProgressOut, TaskDetailOut, TaskIn, TaskOut, TaskPage, TransitionIn,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use luoshi_app::{NewTask, TaskQuery, TaskSort};
use luoshi_domain::calendar::parse_date;
use luoshi_domain::ids::{PersonId, PlanId, SectionId, TaskId, UnitId};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::{
    Milestone, ProgressInput, QuantityTarget, TaskAction, TaskFields, TaskSource, TaskStatus,
};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

fn fields(b: TaskIn, default_start: Date) -> ApiResult<TaskFields> {
    let milestones = b
        .milestones
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            Ok(Milestone {
                title: m.title,
                due: parse_date(&format!("milestones[{i}].due"), &m.due)?,
                target_pct: m.target_pct.0,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(TaskFields {
        section: b.section_id.map(SectionId::from),
        external_id: b.external_id,
        title: b.title,
        description: b.description,
        source: TaskSource::parse("source", b.source.as_deref().unwrap_or("plan"))?,
        lead_unit: UnitId::from(b.lead_unit_id),
        co_units: ids(&b.co_unit_ids),
        lead_official: b.lead_official_id.map(PersonId::from),
        responsible_person: b.responsible_person_id.map(PersonId::from),
        liaison: b.liaison_id.map(PersonId::from),
        start: opt_date_in("start", &b.start)?.unwrap_or(default_start),
        deadline: parse_date("deadline", &b.deadline)?,
        milestones,
        quantity: b.quantity.map(|q| QuantityTarget {
            min: q.min.0,
            max: q.max.map(|m| m.0),
            unit: q.unit,
        }),
        weight: b.weight.map_or(Decimal::ONE, |w| w.0),
    })
}

fn year_start(year: i32) -> Date {
    luoshi_domain::calendar::month_start(year, 1)
}

/// Create a task and (by default) assign it to its lead unit.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = TaskIn, responses((status = 201, body = TaskOut)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<TaskIn>,
) -> ApiResult<Response> {
    let actor = auth.actor();
    let plan_id = b.plan_id.ok_or_else(|| {
        ApiError::field(
            axum::http::StatusCode::BAD_REQUEST,
            "required",
            "plan_id",
            "plan_id is required",
        )
    })?;
    let (plan, _) = s.app.get_plan(&actor, PlanId::from(plan_id)).await?;
    let assign = b.assign.unwrap_or(true);
    let f = fields(b, year_start(plan.year))?;
    let v = s
        .app
        .create_task(&actor, plan.id, NewTask { fields: f, assign })
        .await?;
    Ok(created(v.task.version, convert::task(&v)))
}

/// A task with its lamp, progress history and lifecycle events.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", responses((status = 200, body = TaskDetailOut)))]
pub async fn get_one(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let d = s.app.get_task(&auth.actor(), TaskId::from(id)).await?;
    let body = TaskDetailOut {
        task: convert::task(&d.view),
        reports: d.reports.iter().map(convert::report).collect(),
        events: d.events.iter().map(convert::event).collect(),
    };
    Ok(with_etag(d.view.task.version, body))
}

/// Edit a task's fields (supervision office); needs the version you read.
#[utoipa::path(put, path = "/api/v1/tasks/{id}", tag = "tasks", request_body = TaskIn, responses((status = 200, body = TaskOut), (status = 409)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<TaskIn>,
) -> ApiResult<Response> {
    let actor = auth.actor();
    let version = need_version(b.version)?;
    let current = s.app.get_task(&actor, TaskId::from(id)).await?;
    let f = fields(b, current.view.task.fields.start)?;
    let v = s
        .app
        .update_task(&actor, TaskId::from(id), f, version)
        .await?;
    Ok(with_etag(v.task.version, convert::task(&v)))
}

/// Move a task through its lifecycle.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/transitions", tag = "tasks", request_body = TransitionIn, responses((status = 200, body = TaskOut), (status = 409)))]
pub async fn transition(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<TransitionIn>,
) -> ApiResult<Response> {
    let new_deadline = opt_date_in("new_deadline", &b.new_deadline)?;
    let action = TaskAction::parse(&b.action, b.reason, new_deadline)?;
    let v = s
        .app
        .transition_task(&auth.actor(), TaskId::from(id), action, b.version)
        .await?;
    Ok(with_etag(v.task.version, convert::task(&v)))
}

/// Report cumulative progress (the lead unit's reporters and managers).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/progress", tag = "tasks", request_body = ProgressIn, responses((status = 201, body = ProgressOut), (status = 403)))]
pub async fn progress(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ProgressIn>,
) -> ApiResult<Response> {
    let input = ProgressInput {
        percent: b.percent.map(|d| d.0),
        quantity_done: b.quantity_done.map(|d| d.0),
        summary: b.summary,
        problems: b.problems,
        next_steps: b.next_steps,
    };
    let (rid, v) = s
        .app
        .report_progress(&auth.actor(), TaskId::from(id), input)
        .await?;
    Ok(created(
        v.task.version,
        ProgressOut {
            report_id: rid.as_uuid(),
            task: convert::task(&v),
        },
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub plan_id: Option<Uuid>,
    /// Lead unit.
    pub unit_id: Option<Uuid>,
    pub section_id: Option<Uuid>,
    /// Comma-separated statuses.
    pub status: Option<String>,
    /// Comma-separated lamps: green, blue, yellow, red.
    pub lamp: Option<String>,
    /// Only open tasks past their deadline.
    pub overdue: Option<bool>,
    pub deadline_from: Option<String>,
    pub deadline_to: Option<String>,
    pub lead_official_id: Option<Uuid>,
    /// deadline (default), -deadline, title, progress, -progress
    pub sort: Option<String>,
    pub page: Option<i64>,
    /// At most 500; default 50.
    pub per_page: Option<i64>,
}

fn csv<T>(field: &str, s: &Option<String>, parse: impl Fn(&str) -> Option<T>) -> ApiResult<Vec<T>> {
    s.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| parse(x).ok_or_else(|| ApiError::bad(field, format!("unknown value {x:?}"))))
        .collect()
}

/// Tasks you may see, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(ListQuery), responses((status = 200, body = TaskPage)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<TaskPage>> {
    let per_page = q.per_page.unwrap_or(50);
    if !(1..=500).contains(&per_page) {
        return Err(ApiError::bad(
            "per_page",
            "per_page must be between 1 and 500",
        ));
    }
    let page = q.page.unwrap_or(1);
    if page < 1 {
        return Err(ApiError::bad("page", "page starts at 1"));
    }
    let sort = match q.sort.as_deref().unwrap_or("deadline") {
        "deadline" => TaskSort::Deadline,
        "-deadline" => TaskSort::DeadlineDesc,
        "title" => TaskSort::Title,
        "progress" => TaskSort::Progress,
        "-progress" => TaskSort::ProgressDesc,
        _ => {
            return Err(ApiError::bad(
                "sort",
                "sort by deadline, -deadline, title, progress or -progress",
            ));
        }
    };
    let query = TaskQuery {
        plan: q.plan_id.map(PlanId::from),
        lead_unit: q.unit_id.map(UnitId::from),
        section: q.section_id.map(SectionId::from),
        statuses: csv("status", &q.status, TaskStatus::parse)?,
        lamps: csv("lamp", &q.lamp, Lamp::parse)?,
        overdue: q.overdue.unwrap_or(false),
        deadline_from: opt_date_in("deadline_from", &q.deadline_from)?,
        deadline_to: opt_date_in("deadline_to", &q.deadline_to)?,
        lead_official: q.lead_official_id.map(PersonId::from),
        sort,
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let listing = s.app.list_tasks(&auth.actor(), &query).await?;
    Ok(Json(TaskPage {
        items: listing.items.iter().map(convert::task).collect(),
        total: listing.total,
        page,
        per_page,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_the_field() {
        assert_eq!(
            csv("lamp", &Some("red, yellow".into()), Lamp::parse).unwrap(),
            vec![Lamp::Red, Lamp::Yellow]
        );
        assert_eq!(
            csv("lamp", &Some("pink".into()), Lamp::parse)
                .unwrap_err()
                .field
                .as_deref(),
            Some("lamp")
        );
        assert!(csv("lamp", &None, Lamp::parse).unwrap().is_empty());
    }
}
