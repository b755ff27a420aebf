//! Tasks: responsibility, schedule, lifecycle events (writes here; reads in `read`).

mod read;

pub use read::{
    TaskFilter, TaskSort, all, all_complete, all_with_report_days, get, get_for_update, get_many,
    list, returned, with_external_ids_for_update,
};

use crate::audit::check_versioned_update;
use crate::{Arg, AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::{PersonId, RegionId, SectionId, TaskId, UserId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::{QuantityTarget, Task, TaskFields, TaskSource, TaskStatus};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const COLS: &str = "t.id, t.region_id, t.plan_id, t.section_id, t.external_id, t.title, t.description, t.source, t.lead_unit_id, \
    t.lead_official_id, t.responsible_person_id, t.liaison_id, t.start_date, t.deadline, t.quantity_min, t.quantity_max, \
    t.quantity_unit, t.weight, t.status, t.requested_deadline, t.progress_pct, t.quantity_done, t.last_report_on, \
    t.done_reported_on, t.closed_on, t.has_milestones, t.version";

pub(super) fn from_row(r: &dyn Get) -> Result<(Task, bool), StoreError> {
    let status = r.text("status")?;
    let quantity = match r.dec_opt("quantity_min")? {
        Some(min) => Some(QuantityTarget {
            min,
            max: r.dec_opt("quantity_max")?,
            unit: r.text("quantity_unit")?,
        }),
        None => None,
    };
    let fields = TaskFields {
        section: r.uuid_opt("section_id")?.map(SectionId::from),
        external_id: r.text_opt("external_id")?,
        title: r.text("title")?,
        description: r.text("description")?,
        source: TaskSource::parse("source", &r.text("source")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        lead_unit: r.id("lead_unit_id")?,
        co_units: vec![],
        lead_official: r.uuid_opt("lead_official_id")?.map(PersonId::from),
        responsible_person: r.uuid_opt("responsible_person_id")?.map(PersonId::from),
        liaison: r.uuid_opt("liaison_id")?.map(PersonId::from),
        start: r.date("start_date")?,
        deadline: r.date("deadline")?,
        milestones: vec![],
        quantity,
        weight: r.dec("weight")?,
    };
    let task = Task {
        id: r.id("id")?,
        region: r.id("region_id")?,
        plan: r.id("plan_id")?,
        fields,
        status: TaskStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown status {status}")))?,
        requested_deadline: r.date_opt("requested_deadline")?,
        progress_pct: r.dec("progress_pct")?,
        quantity_done: r.dec_opt("quantity_done")?,
        last_report_on: r.date_opt("last_report_on")?,
        done_reported_on: r.date_opt("done_reported_on")?,
        closed_on: r.date_opt("closed_on")?,
        version: r.i64("version")?,
    };
    Ok((task, r.bool("has_milestones")?))
}

pub(crate) fn task_json(t: &Task) -> Value {
    let f = &t.fields;
    let id = |x: Option<PersonId>| x.map(|p| p.to_string());
    json!({
        "plan_id": t.plan.to_string(), "section_id": f.section.map(|s| s.to_string()), "external_id": f.external_id,
        "title": f.title, "description": f.description, "source": f.source.as_str(),
        "lead_unit_id": f.lead_unit.to_string(), "co_unit_ids": f.co_units.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
        "lead_official_id": id(f.lead_official), "responsible_person_id": id(f.responsible_person), "liaison_id": id(f.liaison),
        "start": f.start.to_string(), "deadline": f.deadline.to_string(),
        "milestones": f.milestones.iter().map(|m| json!({"title": m.title, "due": m.due.to_string(), "target_pct": m.target_pct.to_string()})).collect::<Vec<_>>(),
        "quantity": f.quantity.as_ref().map(|q| json!({"min": q.min.to_string(), "max": q.max.map(|m| m.to_string()), "unit": q.unit})),
        "weight": f.weight.normalize().to_string(), "status": t.status.as_str(),
        "requested_deadline": t.requested_deadline.map(|d| d.to_string()),
    })
}

async fn write_children(
    tx: &mut Tx,
    region: RegionId,
    id: TaskId,
    f: &TaskFields,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM task_co_units WHERE region_id = $1 AND task_id = $2",
        args![region, id],
    )
    .await?;
    tx.execute(
        "DELETE FROM task_milestones WHERE region_id = $1 AND task_id = $2",
        args![region, id],
    )
    .await?;
    for u in &f.co_units {
        tx.execute(
            "INSERT INTO task_co_units (region_id, task_id, unit_id) VALUES ($1, $2, $3)",
            args![region, id, *u],
        )
        .await?;
    }
    for (i, m) in f.milestones.iter().enumerate() {
        tx.execute(
            "INSERT INTO task_milestones (region_id, task_id, position, title, due, target_pct) VALUES ($1, $2, $3, $4, $5, $6)",
            args![region, id, i as i32, m.title.clone(), m.due, m.target_pct],
        )
        .await?;
    }
    Ok(())
}

fn field_args(f: &TaskFields) -> Vec<Arg> {
    let q = f.quantity.as_ref();
    args![
        f.section,
        f.external_id.clone(),
        f.title.clone(),
        f.description.clone(),
        f.source.as_str(),
        f.lead_unit,
        f.lead_official,
        f.responsible_person,
        f.liaison,
        f.start,
        f.deadline,
        q.map(|q| q.min),
        q.and_then(|q| q.max),
        q.map(|q| q.unit.clone()),
        f.weight,
        !f.milestones.is_empty()
    ]
}

/// Insert a new task with its cooperating units and milestones.
pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, t: &Task) -> Result<(), StoreError> {
    let mut a = args![t.region, t.id, t.plan];
    a.extend(field_args(&t.fields));
    a.extend(args![t.status.as_str(), t.progress_pct, ctx.at]);
    tx.execute(
        "INSERT INTO tasks (region_id, id, plan_id, section_id, external_id, title, description, source, lead_unit_id, \
         lead_official_id, responsible_person_id, liaison_id, start_date, deadline, quantity_min, quantity_max, quantity_unit, \
         weight, has_milestones, status, progress_pct, created_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, 1)",
        a,
    )
    .await?;
    write_children(tx, t.region, t.id, &t.fields).await?;
    audit::record(
        tx,
        ctx,
        "create",
        "task",
        &t.id.to_string(),
        None,
        Some(task_json(t)),
    )
    .await
}

/// Replace a task's editable fields (not its status or progress), checking its version.
pub async fn update_fields(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: TaskId,
    f: &TaskFields,
    expected: i64,
) -> Result<Task, StoreError> {
    let before = get_for_update(tx, ctx.region, id).await?;
    let mut a = args![ctx.region, id];
    a.extend(field_args(f));
    a.push(expected.into());
    let n = tx
        .execute(
            "UPDATE tasks SET section_id = $3, external_id = $4, title = $5, description = $6, source = $7, lead_unit_id = $8, \
             lead_official_id = $9, responsible_person_id = $10, liaison_id = $11, start_date = $12, deadline = $13, \
             quantity_min = $14, quantity_max = $15, quantity_unit = $16, weight = $17, has_milestones = $18, \
             version = version + 1 WHERE region_id = $1 AND id = $2 AND version = $19",
            a,
        )
        .await?;
    check_versioned_update(tx, n, "task", "tasks", ctx.region, id.as_uuid(), expected).await?;
    write_children(tx, ctx.region, id, f).await?;
    let after = Task {
        fields: f.clone(),
        version: expected + 1,
        ..before.clone()
    };
    audit::record(
        tx,
        ctx,
        "update",
        "task",
        &id.to_string(),
        Some(task_json(&before)),
        Some(task_json(&after)),
    )
    .await?;
    Ok(after)
}

/// A recorded lifecycle transition.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskEvent {
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
    pub actor_name: Option<String>,
    pub action: String,
    pub from: TaskStatus,
    pub to: TaskStatus,
    pub reason: String,
    pub deadline_after: Date,
}

/// Write a task's new lifecycle state (status, deadlines and dates) and its event.
pub async fn transition(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: &Task,
    after: &Task,
    action: &str,
    reason: &str,
) -> Result<Task, StoreError> {
    let n = tx
        .execute(
            "UPDATE tasks SET status = $3, requested_deadline = $4, deadline = $5, done_reported_on = $6, closed_on = $7, \
             version = version + 1 WHERE region_id = $1 AND id = $2 AND version = $8",
            args![
                ctx.region, before.id, after.status.as_str(), after.requested_deadline, after.fields.deadline,
                after.done_reported_on, after.closed_on, before.version
            ],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "task",
        "tasks",
        ctx.region,
        before.id.as_uuid(),
        before.version,
    )
    .await?;
    tx.execute(
        "INSERT INTO task_events (region_id, id, task_id, at, actor_id, action, from_status, to_status, reason, deadline_after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![
            ctx.region, Uuid::now_v7(), before.id, ctx.at, ctx.actor, action, before.status.as_str(), after.status.as_str(),
            reason, after.fields.deadline
        ],
    )
    .await?;
    let after = Task {
        version: before.version + 1,
        ..after.clone()
    };
    audit::record(
        tx,
        ctx,
        action,
        "task",
        &before.id.to_string(),
        Some(task_json(before)),
        Some(task_json(&after)),
    )
    .await?;
    Ok(after)
}

pub async fn events(db: &Db, region: RegionId, task: TaskId) -> Result<Vec<TaskEvent>, StoreError> {
    db.fetch(
        "SELECT e.at, e.actor_id, u.display_name, e.action, e.from_status, e.to_status, e.reason, e.deadline_after \
         FROM task_events e LEFT JOIN users u ON u.region_id = e.region_id AND u.id = e.actor_id \
         WHERE e.region_id = $1 AND e.task_id = $2 ORDER BY e.at, e.id",
        args![region, task],
        |r| {
            let st = |c: &str| -> Result<TaskStatus, StoreError> {
                let s = r.text(c)?;
                TaskStatus::parse(&s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s}")))
            };
            Ok(TaskEvent {
                at: r.ts("at")?,
                actor: r.uuid_opt("actor_id")?.map(UserId::from),
                actor_name: r.text_opt("display_name")?,
                action: r.text("action")?,
                from: st("from_status")?,
                to: st("to_status")?,
                reason: r.text("reason")?,
                deadline_after: r.date("deadline_after")?,
            })
        },
    )
    .await
}

/// Record the latest progress in the task's cached columns (not a field edit: no version bump).
pub(crate) async fn cache_progress(
    tx: &mut Tx,
    region: RegionId,
    id: TaskId,
    percent: Decimal,
    quantity_done: Option<Decimal>,
    on: Date,
    utc_day: Date,
) -> Result<(), StoreError> {
    let lock = if tx.backend() == crate::Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT report_months FROM tasks WHERE region_id = $1 AND id = $2{lock}");
    let months = tx
        .fetch_optional(&sql, args![region, id], |r| r.text("report_months"))
        .await?
        .ok_or(StoreError::NotFound { entity: "task" })?;
    let months = print_report_months(&with_report_day(parse_report_months(&months)?, utc_day));
    tx.execute(
        "UPDATE tasks SET progress_pct = $3, quantity_done = $4, last_report_on = $5, report_months = $6 \
         WHERE region_id = $1 AND id = $2",
        args![region, id, percent, quantity_done, on, months],
    )
    .await?;
    Ok(())
}

/// `tasks.report_months`: the first UTC day of each month on which the task reported, sorted,
/// as `YYYY-MM-DD` joined by commas (empty when it never reported).
pub(crate) fn parse_report_months(s: &str) -> Result<Vec<Date>, StoreError> {
    s.split(',')
        .filter(|d| !d.is_empty())
        .map(|d| {
            crate::row::parse_ymd(d)
                .ok_or_else(|| StoreError::Corrupt(format!("report_months has {d:?}")))
        })
        .collect()
}

pub(crate) fn print_report_months(days: &[Date]) -> String {
    days.iter()
        .map(Date::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The first report days with a report on `day` added: the earlier day stays for its month.
pub(crate) fn with_report_day(mut days: Vec<Date>, day: Date) -> Vec<Date> {
    let month = |d: &Date| (d.year(), d.month());
    match days.iter_mut().find(|d| month(d) == month(&day)) {
        Some(d) => *d = (*d).min(day),
        None => days.push(day),
    }
    days.sort_unstable();
    days
}
