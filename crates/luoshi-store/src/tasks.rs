//! Tasks: responsibility, schedule, lifecycle events, and listings with filters.

use crate::audit::check_versioned_update;
use crate::{Arg, AuditCtx, Db, Get, Page, StoreError, Tx, args, audit};
use luoshi_domain::ids::{PersonId, PlanId, RegionId, SectionId, TaskId, UnitId, UserId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::{Milestone, QuantityTarget, Task, TaskFields, TaskSource, TaskStatus};
use serde_json::{Value, json};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const COLS: &str = "t.id, t.region_id, t.plan_id, t.section_id, t.external_id, t.title, t.description, t.source, t.lead_unit_id, \
    t.lead_official_id, t.responsible_person_id, t.liaison_id, t.start_date, t.deadline, t.quantity_min, t.quantity_max, \
    t.quantity_unit, t.weight, t.status, t.requested_deadline, t.progress_pct, t.quantity_done, t.last_report_on, \
    t.done_reported_on, t.closed_on, t.has_milestones, t.version";

fn from_row(r: &dyn Get) -> Result<(Task, bool), StoreError> {
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
    let before = get_tx(tx, ctx.region, id).await?;
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

async fn get_tx(tx: &mut Tx, region: RegionId, id: TaskId) -> Result<Task, StoreError> {
    let sql = format!("SELECT {COLS} FROM tasks t WHERE t.region_id = $1 AND t.id = $2");
    let (mut t, has_ms) = tx
        .fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "task" })?;
    t.fields.co_units = tx
        .fetch("SELECT unit_id FROM task_co_units WHERE region_id = $1 AND task_id = $2 ORDER BY unit_id", args![region, id], |r| r.id("unit_id"))
        .await?;
    if has_ms {
        t.fields.milestones = tx
            .fetch(
                "SELECT title, due, target_pct FROM task_milestones WHERE region_id = $1 AND task_id = $2 ORDER BY position",
                args![region, id],
                milestone_row,
            )
            .await?;
    }
    Ok(t)
}

/// Load a task inside a write transaction (to check and change it).
pub async fn get_for_update(tx: &mut Tx, region: RegionId, id: TaskId) -> Result<Task, StoreError> {
    get_tx(tx, region, id).await
}

fn milestone_row(r: &dyn Get) -> Result<Milestone, StoreError> {
    Ok(Milestone {
        title: r.text("title")?,
        due: r.date("due")?,
        target_pct: r.dec("target_pct")?,
    })
}

pub async fn get(db: &Db, region: RegionId, id: TaskId) -> Result<Task, StoreError> {
    let sql = format!("SELECT {COLS} FROM tasks t WHERE t.region_id = $1 AND t.id = $2");
    let row = db
        .fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "task" })?;
    let mut tasks = attach_children(db, region, vec![row]).await?;
    tasks.pop().ok_or(StoreError::NotFound { entity: "task" })
}

/// Fill in cooperating units and milestones for a batch of tasks (two queries).
async fn attach_children(
    db: &Db,
    region: RegionId,
    rows: Vec<(Task, bool)>,
) -> Result<Vec<Task>, StoreError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let in_list = |ids: &mut dyn Iterator<Item = TaskId>, a: &mut Vec<Arg>| {
        let mut s = String::new();
        for id in ids {
            a.push(id.into());
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(&format!("${}", a.len()));
        }
        s
    };
    let mut a = args![region];
    let list = in_list(&mut rows.iter().map(|(t, _)| t.id), &mut a);
    let co = db
        .fetch(
            &format!("SELECT task_id, unit_id FROM task_co_units WHERE region_id = $1 AND task_id IN ({list}) ORDER BY unit_id"),
            a,
            |r| Ok((r.id::<TaskId>("task_id")?, r.id::<UnitId>("unit_id")?)),
        )
        .await?;
    let mut co_by: HashMap<TaskId, Vec<UnitId>> = HashMap::new();
    for (t, u) in co {
        co_by.entry(t).or_default().push(u);
    }
    let mut ms_by: HashMap<TaskId, Vec<Milestone>> = HashMap::new();
    if rows.iter().any(|(_, has)| *has) {
        let mut a = args![region];
        let list = in_list(
            &mut rows.iter().filter(|(_, has)| *has).map(|(t, _)| t.id),
            &mut a,
        );
        let ms = db
            .fetch(
                &format!("SELECT task_id, title, due, target_pct FROM task_milestones WHERE region_id = $1 AND task_id IN ({list}) ORDER BY task_id, position"),
                a,
                |r| Ok((r.id::<TaskId>("task_id")?, milestone_row(r)?)),
            )
            .await?;
        for (t, m) in ms {
            ms_by.entry(t).or_default().push(m);
        }
    }
    Ok(rows
        .into_iter()
        .map(|(mut t, _)| {
            t.fields.co_units = co_by.remove(&t.id).unwrap_or_default();
            t.fields.milestones = ms_by.remove(&t.id).unwrap_or_default();
            t
        })
        .collect())
}

/// Listing filters. All are optional and combine with AND.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub plan: Option<PlanId>,
    pub lead_unit: Option<UnitId>,
    pub section: Option<SectionId>,
    pub statuses: Vec<TaskStatus>,
    pub lead_official: Option<PersonId>,
    pub deadline_from: Option<Date>,
    pub deadline_to: Option<Date>,
    /// Only open tasks whose deadline is before this day.
    pub overdue_on: Option<Date>,
    /// Restrict to tasks these units lead or cooperate on (a unit-scoped reader's view).
    pub visible_to_units: Option<Vec<UnitId>>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskSort {
    #[default]
    Deadline,
    DeadlineDesc,
    Title,
    Progress,
    ProgressDesc,
}

fn where_clause(region: RegionId, f: &TaskFilter) -> (String, Vec<Arg>) {
    let mut sql = String::from(" WHERE t.region_id = $1");
    let mut a = args![region];
    let mut cond = |c: &str, v: Arg, a: &mut Vec<Arg>| {
        a.push(v);
        sql.push_str(&format!(" AND {c} ${}", a.len()));
    };
    if let Some(p) = f.plan {
        cond("t.plan_id =", p.into(), &mut a);
    }
    if let Some(u) = f.lead_unit {
        cond("t.lead_unit_id =", u.into(), &mut a);
    }
    if let Some(s) = f.section {
        cond("t.section_id =", s.into(), &mut a);
    }
    if let Some(p) = f.lead_official {
        cond("t.lead_official_id =", p.into(), &mut a);
    }
    if let Some(d) = f.deadline_from {
        cond("t.deadline >=", d.into(), &mut a);
    }
    if let Some(d) = f.deadline_to {
        cond("t.deadline <=", d.into(), &mut a);
    }
    if let Some(x) = &f.external_id {
        cond("t.external_id =", x.clone().into(), &mut a);
    }
    let in_list = |values: Vec<Arg>, a: &mut Vec<Arg>| -> String {
        let mut s = String::new();
        for v in values {
            a.push(v);
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(&format!("${}", a.len()));
        }
        s
    };
    let mut extra = String::new();
    if let Some(d) = f.overdue_on {
        a.push(d.into());
        let n = a.len();
        let open: Vec<Arg> = TaskStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str().into())
            .collect();
        let list = in_list(open, &mut a);
        extra.push_str(&format!(" AND t.deadline < ${n} AND t.status IN ({list})"));
    }
    if !f.statuses.is_empty() {
        let list = in_list(
            f.statuses.iter().map(|s| s.as_str().into()).collect(),
            &mut a,
        );
        extra.push_str(&format!(" AND t.status IN ({list})"));
    }
    if let Some(units) = &f.visible_to_units {
        if units.is_empty() {
            extra.push_str(" AND 1 = 0");
        } else {
            let l1 = in_list(units.iter().map(|u| (*u).into()).collect(), &mut a);
            let l2 = in_list(units.iter().map(|u| (*u).into()).collect(), &mut a);
            extra.push_str(&format!(
                " AND (t.lead_unit_id IN ({l1}) OR EXISTS (SELECT 1 FROM task_co_units c WHERE c.region_id = t.region_id \
                 AND c.task_id = t.id AND c.unit_id IN ({l2})))"
            ));
        }
    }
    sql.push_str(&extra);
    (sql, a)
}

/// One page of tasks matching `filter`, and the total number of matches.
pub async fn list(
    db: &Db,
    region: RegionId,
    filter: &TaskFilter,
    sort: TaskSort,
    page: Page,
) -> Result<(Vec<Task>, i64), StoreError> {
    let (wh, a) = where_clause(region, filter);
    let total = db
        .fetch_optional(
            &format!("SELECT COUNT(*) AS n FROM tasks t{wh}"),
            a.clone(),
            |r| r.i64("n"),
        )
        .await?
        .unwrap_or(0);
    let order = match sort {
        TaskSort::Deadline => "t.deadline, t.id",
        TaskSort::DeadlineDesc => "t.deadline DESC, t.id",
        TaskSort::Title => "t.title, t.id",
        // Progress is canonical decimal text; order numerically on both backends.
        TaskSort::Progress => "CAST(t.progress_pct AS NUMERIC), t.id",
        TaskSort::ProgressDesc => "CAST(t.progress_pct AS NUMERIC) DESC, t.id",
    };
    let mut a = a;
    a.push(page.limit.into());
    a.push(page.offset.into());
    let sql = format!(
        "SELECT {COLS} FROM tasks t{wh} ORDER BY {order} LIMIT ${} OFFSET ${}",
        a.len() - 1,
        a.len()
    );
    let rows = db.fetch(&sql, a, from_row).await?;
    Ok((attach_children(db, region, rows).await?, total))
}

/// Every task matching `filter`, without paging (for derived views such as lamps and summaries).
pub async fn all(db: &Db, region: RegionId, filter: &TaskFilter) -> Result<Vec<Task>, StoreError> {
    let (wh, a) = where_clause(region, filter);
    let sql = format!("SELECT {COLS} FROM tasks t{wh} ORDER BY t.deadline, t.id");
    let rows = db.fetch(&sql, a, from_row).await?;
    // Cooperating units are not needed for schedules; milestones are.
    let with_ms: Vec<(Task, bool)> = rows.iter().filter(|(_, h)| *h).cloned().collect();
    let mut ms = HashMap::new();
    for t in attach_children(db, region, with_ms).await? {
        ms.insert(t.id, t.fields.milestones);
    }
    Ok(rows
        .into_iter()
        .map(|(mut t, _)| {
            t.fields.milestones = ms.remove(&t.id).unwrap_or_default();
            t
        })
        .collect())
}

/// Record the latest progress in the task's cached columns (not a field edit: no version bump).
pub(crate) async fn cache_progress(
    tx: &mut Tx,
    region: RegionId,
    id: TaskId,
    percent: Decimal,
    quantity_done: Option<Decimal>,
    on: Date,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE tasks SET progress_pct = $3, quantity_done = $4, last_report_on = $5 WHERE region_id = $1 AND id = $2",
        args![region, id, percent, quantity_done, on],
    )
    .await?;
    Ok(())
}
