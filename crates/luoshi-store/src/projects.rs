//! Key projects (重点项目): the project row, its coordination issues, and its append-only monthly
//! cumulative investment values (a revision is a new row, as for indicator values).
//!
//! A project and its issues are one versioned aggregate: updating the project, adding an issue
//! and resolving one each check the expected version and bump it. Investment values are
//! append-only and carry no version.

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{PlanId, ProjectId, ProjectIssueId, RegionId, UnitId, UserId, ValueId};
use luoshi_domain::measure::MeasureUnit;
use luoshi_domain::project::{InvestmentValue, Project, ProjectFields, ProjectIssue, ProjectStage};
use serde_json::{Value, json};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// A project as stored: the domain value, the plan it belongs to (if any) and the id of each of
/// its issues (parallel to `project.fields.issues`, in the same order).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProject {
    pub project: Project,
    pub plan: Option<PlanId>,
    pub issue_ids: Vec<ProjectIssueId>,
}

/// Which projects to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub plan: Option<PlanId>,
    pub responsible_unit: Option<UnitId>,
}

const COLS: &str = "id, region_id, plan_id, name, park, investment_unit, total_investment, year, annual_investment, \
                    planned_start_year, planned_start_month, planned_completion, planned_production, stage, started_on, \
                    completed_on, in_production_on, leader_id, responsible_unit_id, version";

const ISSUE_COLS: &str =
    "id, project_id, position, text, owner_unit_id, raised_on, due, resolved_on";

fn corrupt(e: luoshi_domain::ValidationError) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn period(year: i32, month: i32) -> Result<Period, StoreError> {
    let m = u8::try_from(month).map_err(|_| StoreError::Corrupt(format!("month {month}")))?;
    Period::new("period", year, m).map_err(corrupt)
}

/// A project row without its issues (filled in by the caller).
fn from_row(r: &dyn Get) -> Result<(StoredProject, i64), StoreError> {
    let fields = ProjectFields {
        name: r.text("name")?,
        park: r.text("park")?,
        investment_unit: MeasureUnit::parse("investment_unit", &r.text("investment_unit")?)
            .map_err(corrupt)?,
        total_investment: r.dec("total_investment")?,
        year: r.i32("year")?,
        annual_investment: r.dec("annual_investment")?,
        planned_start: period(r.i32("planned_start_year")?, r.i32("planned_start_month")?)?,
        planned_completion: r.date_opt("planned_completion")?,
        planned_production: r.date_opt("planned_production")?,
        stage: ProjectStage::parse("stage", &r.text("stage")?).map_err(corrupt)?,
        started_on: r.date_opt("started_on")?,
        completed_on: r.date_opt("completed_on")?,
        in_production_on: r.date_opt("in_production_on")?,
        leader: r.uuid_opt("leader_id")?.map(Into::into),
        responsible_unit: r.id("responsible_unit_id")?,
        issues: vec![],
    };
    let version = r.i64("version")?;
    Ok((
        StoredProject {
            project: Project {
                id: r.id("id")?,
                region: r.id("region_id")?,
                fields,
                version,
            },
            plan: r.uuid_opt("plan_id")?.map(PlanId::from),
            issue_ids: vec![],
        },
        version,
    ))
}

fn issue_row(r: &dyn Get) -> Result<(ProjectId, ProjectIssueId, ProjectIssue), StoreError> {
    Ok((
        r.id("project_id")?,
        r.id("id")?,
        ProjectIssue {
            text: r.text("text")?,
            owner: r.id("owner_unit_id")?,
            raised_on: r.date("raised_on")?,
            due: r.date("due")?,
            resolved_on: r.date_opt("resolved_on")?,
        },
    ))
}

/// The audit shape of a project's own fields (issues are audited one by one).
fn to_json(f: &ProjectFields, plan: Option<PlanId>) -> Value {
    let d = |x: Option<Date>| x.map(|d| d.to_string());
    json!({
        "plan_id": plan.map(|p| p.to_string()), "name": f.name, "park": f.park,
        "investment_unit": f.investment_unit.as_str(),
        "total_investment": f.total_investment.normalize().to_string(), "year": f.year,
        "annual_investment": f.annual_investment.normalize().to_string(),
        "planned_start": f.planned_start.to_string(), "planned_completion": d(f.planned_completion),
        "planned_production": d(f.planned_production), "stage": f.stage.as_str(),
        "started_on": d(f.started_on), "completed_on": d(f.completed_on),
        "in_production_on": d(f.in_production_on), "leader_id": f.leader.map(|p| p.to_string()),
        "responsible_unit_id": f.responsible_unit.to_string(),
    })
}

fn issue_json(project: ProjectId, i: &ProjectIssue) -> Value {
    json!({
        "project_id": project.to_string(), "text": i.text, "owner_unit_id": i.owner.to_string(),
        "raised_on": i.raised_on.to_string(), "due": i.due.to_string(),
        "resolved_on": i.resolved_on.map(|d| d.to_string()),
    })
}

async fn insert_issue(
    tx: &mut Tx,
    ctx: &AuditCtx,
    project: ProjectId,
    id: ProjectIssueId,
    position: i32,
    i: &ProjectIssue,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO project_issues (region_id, id, project_id, position, text, owner_unit_id, raised_on, due, resolved_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        args![ctx.region, id, project, position, i.text.clone(), i.owner, i.raised_on, i.due, i.resolved_on],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "project_issue",
        &id.to_string(),
        None,
        Some(issue_json(project, i)),
    )
    .await
}

/// Insert a project (version 1) with its issues. `s.issue_ids` must name every issue.
pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, s: &StoredProject) -> Result<(), StoreError> {
    let (p, f) = (&s.project, &s.project.fields);
    if s.issue_ids.len() != f.issues.len() {
        return Err(StoreError::Corrupt(
            "every project issue needs an id".to_owned(),
        ));
    }
    tx.execute(
        "INSERT INTO projects (region_id, id, plan_id, name, park, investment_unit, total_investment, year, annual_investment, \
         planned_start_year, planned_start_month, planned_completion, planned_production, stage, started_on, completed_on, \
         in_production_on, leader_id, responsible_unit_id, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1)",
        args![
            ctx.region, p.id, s.plan, f.name.clone(), f.park.clone(), f.investment_unit.as_str(), f.total_investment,
            f.year, f.annual_investment, f.planned_start.year(), i32::from(f.planned_start.month()),
            f.planned_completion, f.planned_production, f.stage.as_str(), f.started_on, f.completed_on,
            f.in_production_on, f.leader, f.responsible_unit
        ],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "project",
        &p.id.to_string(),
        None,
        Some(to_json(f, s.plan)),
    )
    .await?;
    for (n, (id, issue)) in s.issue_ids.iter().zip(&f.issues).enumerate() {
        let position = i32::try_from(n).unwrap_or(i32::MAX);
        insert_issue(tx, ctx, p.id, *id, position, issue).await?;
    }
    Ok(())
}

/// Bump the project's version from `expected`, or fail with NotFound / Conflict.
async fn bump(tx: &mut Tx, ctx: &AuditCtx, id: ProjectId, expected: i64) -> Result<(), StoreError> {
    let n = tx
        .execute(
            "UPDATE projects SET version = version + 1 WHERE region_id = $1 AND id = $2 AND version = $3",
            args![ctx.region, id, expected],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "project",
        "projects",
        ctx.region,
        id.as_uuid(),
        expected,
    )
    .await
}

/// Change a project's own fields and plan. Its issues are kept as stored (`f.issues` is
/// ignored): they change through [`add_issue`] and [`resolve_issue`].
pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: ProjectId,
    plan: Option<PlanId>,
    f: &ProjectFields,
    expected: i64,
) -> Result<StoredProject, StoreError> {
    let before = get_tx(tx, ctx.region, id).await?;
    let n = tx
        .execute(
            "UPDATE projects SET plan_id = $3, name = $4, park = $5, investment_unit = $6, total_investment = $7, year = $8, \
             annual_investment = $9, planned_start_year = $10, planned_start_month = $11, planned_completion = $12, \
             planned_production = $13, stage = $14, started_on = $15, completed_on = $16, in_production_on = $17, \
             leader_id = $18, responsible_unit_id = $19, version = version + 1 \
             WHERE region_id = $1 AND id = $2 AND version = $20",
            args![
                ctx.region, id, plan, f.name.clone(), f.park.clone(), f.investment_unit.as_str(), f.total_investment,
                f.year, f.annual_investment, f.planned_start.year(), i32::from(f.planned_start.month()),
                f.planned_completion, f.planned_production, f.stage.as_str(), f.started_on, f.completed_on,
                f.in_production_on, f.leader, f.responsible_unit, expected
            ],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "project",
        "projects",
        ctx.region,
        id.as_uuid(),
        expected,
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "update",
        "project",
        &id.to_string(),
        Some(to_json(&before.project.fields, before.plan)),
        Some(to_json(f, plan)),
    )
    .await?;
    let mut fields = f.clone();
    fields.issues = before.project.fields.issues;
    Ok(StoredProject {
        project: Project {
            fields,
            version: expected + 1,
            ..before.project
        },
        plan,
        issue_ids: before.issue_ids,
    })
}

/// Append an issue to a project (checking and bumping its version); returns the new version.
pub async fn add_issue(
    tx: &mut Tx,
    ctx: &AuditCtx,
    project: ProjectId,
    id: ProjectIssueId,
    issue: &ProjectIssue,
    expected: i64,
) -> Result<i64, StoreError> {
    bump(tx, ctx, project, expected).await?;
    let position = tx
        .fetch_optional(
            "SELECT COUNT(*) AS n FROM project_issues WHERE region_id = $1 AND project_id = $2",
            args![ctx.region, project],
            |r| r.i64("n"),
        )
        .await?
        .unwrap_or(0);
    let position = i32::try_from(position).unwrap_or(i32::MAX);
    insert_issue(tx, ctx, project, id, position, issue).await?;
    Ok(expected + 1)
}

/// Mark an issue resolved on `on` (checking and bumping the project's version); returns the new
/// version. An issue of another project is NotFound.
pub async fn resolve_issue(
    tx: &mut Tx,
    ctx: &AuditCtx,
    project: ProjectId,
    id: ProjectIssueId,
    on: Date,
    expected: i64,
) -> Result<i64, StoreError> {
    let sql = format!(
        "SELECT {ISSUE_COLS} FROM project_issues WHERE region_id = $1 AND project_id = $2 AND id = $3"
    );
    let (_, _, before) = tx
        .fetch_optional(&sql, args![ctx.region, project, id], issue_row)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "project_issue",
        })?;
    bump(tx, ctx, project, expected).await?;
    tx.execute(
        "UPDATE project_issues SET resolved_on = $3 WHERE region_id = $1 AND id = $2",
        args![ctx.region, id, on],
    )
    .await?;
    let after = ProjectIssue {
        resolved_on: Some(on),
        ..before.clone()
    };
    audit::record(
        tx,
        ctx,
        "resolve",
        "project_issue",
        &id.to_string(),
        Some(issue_json(project, &before)),
        Some(issue_json(project, &after)),
    )
    .await?;
    Ok(expected + 1)
}

/// Attach the issues read by `issues_sql` to their projects.
fn attach(projects: &mut [StoredProject], issues: Vec<(ProjectId, ProjectIssueId, ProjectIssue)>) {
    let index: HashMap<ProjectId, usize> = projects
        .iter()
        .enumerate()
        .map(|(n, s)| (s.project.id, n))
        .collect();
    for (project, id, issue) in issues {
        if let Some(s) = index.get(&project).and_then(|n| projects.get_mut(*n)) {
            s.issue_ids.push(id);
            s.project.fields.issues.push(issue);
        }
    }
}

async fn get_tx(tx: &mut Tx, region: RegionId, id: ProjectId) -> Result<StoredProject, StoreError> {
    let sql = format!("SELECT {COLS} FROM projects WHERE region_id = $1 AND id = $2");
    let (s, _) = tx
        .fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "project" })?;
    let sql = format!(
        "SELECT {ISSUE_COLS} FROM project_issues WHERE region_id = $1 AND project_id = $2 ORDER BY position"
    );
    let issues = tx.fetch(&sql, args![region, id], issue_row).await?;
    let mut out = [s];
    attach(&mut out, issues);
    let [s] = out;
    Ok(s)
}

/// One project with its issues.
pub async fn get(db: &Db, region: RegionId, id: ProjectId) -> Result<StoredProject, StoreError> {
    let sql = format!("SELECT {COLS} FROM projects WHERE region_id = $1 AND id = $2");
    let (s, _) = db
        .fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "project" })?;
    let sql = format!(
        "SELECT {ISSUE_COLS} FROM project_issues WHERE region_id = $1 AND project_id = $2 ORDER BY position"
    );
    let issues = db.fetch(&sql, args![region, id], issue_row).await?;
    let mut out = [s];
    attach(&mut out, issues);
    let [s] = out;
    Ok(s)
}

/// The region's projects matching `filter`, by name, with their issues (two queries).
pub async fn list(
    db: &Db,
    region: RegionId,
    filter: ProjectFilter,
) -> Result<Vec<StoredProject>, StoreError> {
    let mut cond = String::from("region_id = $1");
    let mut a = args![region];
    if let Some(p) = filter.plan {
        a.push(p.into());
        cond.push_str(&format!(" AND plan_id = ${}", a.len()));
    }
    if let Some(u) = filter.responsible_unit {
        a.push(u.into());
        cond.push_str(&format!(" AND responsible_unit_id = ${}", a.len()));
    }
    let sql = format!("SELECT {COLS} FROM projects WHERE {cond} ORDER BY name, id");
    let mut out: Vec<StoredProject> = db
        .fetch(&sql, a.clone(), from_row)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let sql = format!(
        "SELECT {ISSUE_COLS} FROM project_issues WHERE region_id = $1 AND project_id IN \
         (SELECT id FROM projects WHERE {cond}) ORDER BY project_id, position"
    );
    let issues = db.fetch(&sql, a, issue_row).await?;
    attach(&mut out, issues);
    Ok(out)
}

/// A stored investment value with when and by whom it was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredInvestment {
    pub id: ValueId,
    pub value: InvestmentValue,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: Option<UserId>,
}

const INVESTMENT_COLS: &str =
    "id, project_id, year, month, revision, value, source, recorded_at, recorded_by";

fn investment_row(r: &dyn Get) -> Result<StoredInvestment, StoreError> {
    Ok(StoredInvestment {
        id: r.id("id")?,
        value: InvestmentValue {
            project: r.id("project_id")?,
            period: period(r.i32("year")?, r.i32("month")?)?,
            value: r.dec("value")?,
            source: r.text("source")?,
            revision: r.i32("revision")?,
        },
        recorded_at: r.ts("recorded_at")?,
        recorded_by: r.uuid_opt("recorded_by")?.map(UserId::from),
    })
}

/// Append a cumulative investment value; its revision is one more than the latest for the same
/// project and month (the first is 1; `v.revision` is ignored). Returns the revision written.
pub async fn append_investment(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: ValueId,
    v: &InvestmentValue,
) -> Result<i32, StoreError> {
    let (year, month) = (v.period.year(), i32::from(v.period.month()));
    let latest = tx
        .fetch_optional(
            "SELECT MAX(revision) AS rev FROM project_investments WHERE region_id = $1 AND project_id = $2 AND year = $3 AND month = $4",
            args![ctx.region, v.project, year, month],
            |r| r.i32_opt("rev"),
        )
        .await?;
    let revision = latest.flatten().unwrap_or(0) + 1;
    tx.execute(
        "INSERT INTO project_investments (region_id, id, project_id, year, month, revision, value, source, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![ctx.region, id, v.project, year, month, revision, v.value, v.source.clone(), ctx.at, ctx.actor],
    )
    .await?;
    let after = json!({
        "project_id": v.project.to_string(), "period": v.period.to_string(), "revision": revision,
        "value": v.value.normalize().to_string(), "source": v.source,
    });
    audit::record(
        tx,
        ctx,
        "append",
        "project_investment",
        &id.to_string(),
        None,
        Some(after),
    )
    .await?;
    Ok(revision)
}

/// Every revision of every investment value of `projects` (all of the region's when `None`),
/// oldest first; pick the current one per month with `luoshi_domain::project::current_values`.
pub async fn investments(
    db: &Db,
    region: RegionId,
    projects: Option<&[ProjectId]>,
) -> Result<Vec<StoredInvestment>, StoreError> {
    let mut sql = format!("SELECT {INVESTMENT_COLS} FROM project_investments WHERE region_id = $1");
    let mut a = args![region];
    if let Some(ids) = projects {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        sql.push_str(" AND project_id IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            a.push((*id).into());
            sql.push_str(&format!("${}", a.len()));
        }
        sql.push(')');
    }
    sql.push_str(" ORDER BY project_id, year, month, revision");
    db.fetch(&sql, a, investment_row).await
}
