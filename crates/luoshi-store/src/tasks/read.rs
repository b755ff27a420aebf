//! Reading tasks: one query per page, with each task's cooperating units and milestones carried
//! as JSON columns, so a listing costs a count and a select whatever its length.

use super::{COLS, from_row};
use crate::row::placeholders;
use crate::{Arg, Backend, Db, Get, Page, StoreError, Tx, args};
use luoshi_domain::ids::{PersonId, PlanId, RegionId, SectionId, TaskId, UnitId};
use luoshi_domain::task::{Milestone, Task, TaskStatus};
use std::collections::HashMap;
use std::str::FromStr;
use time::Date;
use uuid::Uuid;

/// The select list: the task's columns, its cooperating units (when asked) and its milestones,
/// aggregated as JSON text by the database.
fn select(backend: Backend, with_co_units: bool) -> String {
    select_with(backend, with_co_units, true)
}

/// [`select`], optionally without the milestones (`NULL`; the caller reads them apart).
fn select_with(backend: Backend, with_co_units: bool, with_milestones: bool) -> String {
    let (co, ms) = match backend {
        Backend::Sqlite => (
            "(SELECT json_group_array(lower(hex(c.unit_id))) FROM task_co_units c \
             WHERE c.region_id = t.region_id AND c.task_id = t.id)",
            "(SELECT json_group_array(json_array(m.position, m.title, m.due, m.target_pct)) FROM task_milestones m \
             WHERE m.region_id = t.region_id AND m.task_id = t.id)",
        ),
        Backend::Postgres => (
            "(SELECT json_agg(c.unit_id)::text FROM task_co_units c WHERE c.region_id = t.region_id AND c.task_id = t.id)",
            "(SELECT json_agg(json_build_array(m.position, m.title, m.due, m.target_pct))::text FROM task_milestones m \
             WHERE m.region_id = t.region_id AND m.task_id = t.id)",
        ),
    };
    let co = if with_co_units { co } else { "NULL" };
    let ms = if with_milestones {
        format!("CASE WHEN t.has_milestones THEN {ms} END")
    } else {
        "NULL".to_owned()
    };
    format!("SELECT {COLS}, {co} AS co_units_json, {ms} AS milestones_json")
}

/// The id columns among the task columns.
const ID_COLS: [&str; 8] = [
    "id",
    "region_id",
    "plan_id",
    "section_id",
    "lead_unit_id",
    "lead_official_id",
    "responsible_person_id",
    "liaison_id",
];

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("malformed {what} aggregate"))
}

fn full_row(r: &dyn Get) -> Result<Task, StoreError> {
    let (mut t, _) = from_row(r)?;
    if let Some(json) = r.text_opt("co_units_json")? {
        let ids: Vec<String> = serde_json::from_str(&json).map_err(|_| corrupt("co-unit"))?;
        let mut units = ids
            .iter()
            .map(|s| {
                Uuid::parse_str(s)
                    .map(UnitId::from)
                    .map_err(|_| corrupt("co-unit"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        units.sort();
        t.fields.co_units = units;
    }
    if let Some(json) = r.text_opt("milestones_json")? {
        let rows: Vec<(i64, String, String, serde_json::Value)> =
            serde_json::from_str(&json).map_err(|_| corrupt("milestone"))?;
        let mut ms = Vec::with_capacity(rows.len());
        for (pos, title, due, pct) in rows {
            let due = luoshi_domain::calendar::parse_date("due", &due)
                .map_err(|_| corrupt("milestone"))?;
            let pct = match pct {
                serde_json::Value::String(s) => {
                    rust_decimal::Decimal::from_str(&s).map_err(|_| corrupt("milestone"))?
                }
                other => rust_decimal::Decimal::from_str(&other.to_string())
                    .map_err(|_| corrupt("milestone"))?,
            };
            ms.push((
                pos,
                Milestone {
                    title,
                    due,
                    target_pct: pct,
                },
            ));
        }
        ms.sort_by_key(|(p, _)| *p);
        t.fields.milestones = ms.into_iter().map(|(_, m)| m).collect();
    }
    Ok(t)
}

/// Load a task inside a write transaction (to check and change it).
pub async fn get_for_update(tx: &mut Tx, region: RegionId, id: TaskId) -> Result<Task, StoreError> {
    let sql = format!(
        "{} FROM tasks t WHERE t.region_id = $1 AND t.id = $2",
        select(tx.backend(), true)
    );
    tx.fetch_optional(&sql, args![region, id], full_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "task" })
}

pub async fn get(db: &Db, region: RegionId, id: TaskId) -> Result<Task, StoreError> {
    let sql = format!(
        "{} FROM tasks t WHERE t.region_id = $1 AND t.id = $2",
        select(db.backend(), true)
    );
    db.fetch_optional(&sql, args![region, id], full_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "task" })
}

/// Listing filters. All are optional and combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
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
    let mut extra = String::new();
    if let Some(d) = f.overdue_on {
        a.push(d.into());
        let n = a.len();
        let open: Vec<Arg> = TaskStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str().into())
            .collect();
        let list = placeholders(open, &mut a);
        extra.push_str(&format!(" AND t.deadline < ${n} AND t.status IN ({list})"));
    }
    if !f.statuses.is_empty() {
        let list = placeholders(
            f.statuses.iter().map(|s| s.as_str().into()).collect(),
            &mut a,
        );
        extra.push_str(&format!(" AND t.status IN ({list})"));
    }
    if let Some(units) = &f.visible_to_units {
        if units.is_empty() {
            extra.push_str(" AND 1 = 0");
        } else {
            let l1 = placeholders(units.iter().map(|u| (*u).into()).collect(), &mut a);
            let l2 = placeholders(units.iter().map(|u| (*u).into()).collect(), &mut a);
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
    if total == 0 || page.offset >= total {
        return Ok((vec![], total));
    }
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
    // The page's ids are chosen first, so the aggregated columns (co-units, milestones) are
    // computed for the page's rows only, not for every row sorted or skipped before it.
    let sql = format!(
        "{} FROM (SELECT t.id AS page_id FROM tasks t{wh} ORDER BY {order} LIMIT ${} OFFSET ${}) p \
         JOIN tasks t ON t.region_id = $1 AND t.id = p.page_id ORDER BY {order}",
        select(db.backend(), true),
        a.len() - 1,
        a.len()
    );
    Ok((db.fetch(&sql, a, full_row).await?, total))
}

/// Every task matching `filter`, without paging (for derived views such as lamps and summaries).
/// Cooperating units are left empty; milestones are included.
pub async fn all(db: &Db, region: RegionId, filter: &TaskFilter) -> Result<Vec<Task>, StoreError> {
    let rows = all_with(db, region, filter, false, false).await?;
    Ok(rows.into_iter().map(|(t, _)| t).collect())
}

/// Every task of the region, as [`all`] reads them, each with the first UTC day of each month
/// on which it reported, earliest first (empty when it never did), in the same read: the
/// sweep's. Whether a month's report was made by a day is decided by its first report, so this
/// one small column per task stands in for the region's every report.
pub async fn all_with_report_days(
    db: &Db,
    region: RegionId,
) -> Result<Vec<(Task, Vec<Date>)>, StoreError> {
    all_with(db, region, &TaskFilter::default(), false, true).await
}

/// Every task matching `filter`, complete with cooperating units (exports).
pub async fn all_complete(
    db: &Db,
    region: RegionId,
    filter: &TaskFilter,
) -> Result<Vec<Task>, StoreError> {
    let rows = all_with(db, region, filter, true, false).await?;
    Ok(rows.into_iter().map(|(t, _)| t).collect())
}

async fn all_with(
    db: &Db,
    region: RegionId,
    filter: &TaskFilter,
    co_units: bool,
    report_days: bool,
) -> Result<Vec<(Task, Vec<Date>)>, StoreError> {
    let (wh, a) = where_clause(region, filter);
    // Milestones come in a second region-wide read: a correlated aggregate per task took longer
    // than the tasks themselves (17 ms against 10 ms for a province district's 1,988 tasks).
    let months = if report_days { "t.report_months" } else { "''" };
    let sql = format!(
        "{}, {months} AS report_months FROM tasks t{wh}",
        select_with(db.backend(), co_units, false)
    );
    // A region's tasks are thousands of wide rows: read them folded (see `Db::fetch_bulk`).
    let (ids, values): (Vec<&str>, Vec<&str>) = COLS
        .split(',')
        .map(|c| c.trim().trim_start_matches("t."))
        .chain(["co_units_json", "milestones_json", "report_months"])
        .partition(|c| ID_COLS.contains(c));
    let mut tasks = db
        .fetch_bulk(&sql, a.clone(), (&ids, &values), |r| {
            let months = super::parse_report_months(&r.text("report_months")?)?;
            Ok((full_row(r)?, months))
        })
        .await?;
    // All of a region's tasks (the sweep's read) need no list of ids: a third of the time.
    let of_tasks = if wh == " WHERE t.region_id = $1" {
        String::new()
    } else {
        format!(" AND m.task_id IN (SELECT t.id FROM tasks t{wh})")
    };
    let ms_sql = format!(
        "SELECT m.task_id, m.position, m.title, m.due, m.target_pct FROM task_milestones m \
         WHERE m.region_id = $1{of_tasks}"
    );
    let rows = db
        .fetch_bulk(
            &ms_sql,
            a,
            (&["task_id"], &["position", "title", "due", "target_pct"]),
            |r| {
                Ok((
                    r.id::<TaskId>("task_id")?,
                    r.i32("position")?,
                    Milestone {
                        title: r.text("title")?,
                        due: r.date("due")?,
                        target_pct: r.dec("target_pct")?,
                    },
                ))
            },
        )
        .await?;
    let mut milestones: HashMap<TaskId, Vec<(i32, Milestone)>> = HashMap::new();
    for (task, pos, m) in rows {
        milestones.entry(task).or_default().push((pos, m));
    }
    for (t, _) in &mut tasks {
        if let Some(mut ms) = milestones.remove(&t.id) {
            ms.sort_by_key(|(p, _)| *p);
            t.fields.milestones = ms.into_iter().map(|(_, m)| m).collect();
        }
    }
    tasks.sort_by_key(|(t, _)| (t.fields.deadline, t.id));
    Ok(tasks)
}

/// Tasks whose latest lifecycle event is a return for rework.
pub async fn returned(
    db: &Db,
    region: RegionId,
) -> Result<std::collections::HashSet<TaskId>, StoreError> {
    let rows = db
        .fetch(
            "SELECT e.task_id FROM task_events e WHERE e.region_id = $1 AND e.action = 'return' AND NOT EXISTS \
             (SELECT 1 FROM task_events f WHERE f.region_id = e.region_id AND f.task_id = e.task_id AND f.at > e.at)",
            args![region],
            |r| r.id::<TaskId>("task_id"),
        )
        .await?;
    Ok(rows.into_iter().collect())
}

/// Several tasks by id, complete, in one query (the order of `ids` is kept).
pub async fn get_many(db: &Db, region: RegionId, ids: &[TaskId]) -> Result<Vec<Task>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut a = args![region];
    let list = placeholders(ids.iter().map(|i| (*i).into()).collect(), &mut a);
    let sql = format!(
        "{} FROM tasks t WHERE t.region_id = $1 AND t.id IN ({list})",
        select(db.backend(), true)
    );
    let mut rows = db.fetch(&sql, a, full_row).await?;
    rows.sort_by_key(|t| ids.iter().position(|i| *i == t.id));
    Ok(rows)
}

/// A plan's tasks that carry an external id, complete, inside a write transaction (an import
/// matches its rows against them).
pub async fn with_external_ids_for_update(
    tx: &mut Tx,
    region: RegionId,
    plan: PlanId,
) -> Result<Vec<Task>, StoreError> {
    let sql = format!(
        "{} FROM tasks t WHERE t.region_id = $1 AND t.plan_id = $2 AND t.external_id IS NOT NULL",
        select(tx.backend(), true)
    );
    tx.fetch(&sql, args![region, plan], full_row).await
}
