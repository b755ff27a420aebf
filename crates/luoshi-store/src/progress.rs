//! Append-only progress reports.

use crate::{AuditCtx, Db, StoreError, Tx, args, audit, tasks};
use luoshi_domain::ids::{RegionId, ReportId, TaskId, UserId};
use luoshi_domain::task::ProgressReport;
use serde_json::json;
use time::{OffsetDateTime, UtcOffset};

#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub id: ReportId,
    pub task: TaskId,
    pub reported_at: OffsetDateTime,
    pub reporter: Option<UserId>,
    pub reporter_name: Option<String>,
    pub report: ProgressReport,
}

/// Append a report and refresh the task's cached latest progress, in the caller's transaction.
pub async fn append(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: ReportId,
    task: TaskId,
    r: &ProgressReport,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO progress_reports (region_id, id, task_id, reported_at, reporter_id, percent, quantity_done, summary, problems, next_steps) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![ctx.region, id, task, ctx.at, ctx.actor, r.percent, r.quantity_done, r.summary.clone(), r.problems.clone(), r.next_steps.clone()],
    )
    .await?;
    tasks::cache_progress(
        tx,
        ctx.region,
        task,
        r.percent,
        r.quantity_done,
        ctx.at.date(),
        ctx.at.to_offset(UtcOffset::UTC).date(),
    )
    .await?;
    let after = json!({
        "task_id": task.to_string(), "percent": r.percent.normalize().to_string(),
        "quantity_done": r.quantity_done.map(|q| q.normalize().to_string()),
        "summary": r.summary, "problems": r.problems, "next_steps": r.next_steps,
    });
    audit::record(
        tx,
        ctx,
        "append",
        "progress_report",
        &id.to_string(),
        None,
        Some(after),
    )
    .await
}

/// A task's reports, oldest first.
pub async fn for_task(
    db: &Db,
    region: RegionId,
    task: TaskId,
) -> Result<Vec<StoredReport>, StoreError> {
    db.fetch(
        "SELECT p.id, p.task_id, p.reported_at, p.reporter_id, u.display_name, p.percent, p.quantity_done, p.summary, p.problems, p.next_steps \
         FROM progress_reports p LEFT JOIN users u ON u.region_id = p.region_id AND u.id = p.reporter_id \
         WHERE p.region_id = $1 AND p.task_id = $2 ORDER BY p.reported_at, p.id",
        args![region, task],
        |r| {
            Ok(StoredReport {
                id: r.id("id")?,
                task: r.id("task_id")?,
                reported_at: r.ts("reported_at")?,
                reporter: r.uuid_opt("reporter_id")?.map(UserId::from),
                reporter_name: r.text_opt("display_name")?,
                report: ProgressReport {
                    percent: r.dec("percent")?,
                    quantity_done: r.dec_opt("quantity_done")?,
                    summary: r.text("summary")?,
                    problems: r.text("problems")?,
                    next_steps: r.text("next_steps")?,
                },
            })
        },
    )
    .await
}

/// Every report's time and percent in the region, by task and time: what the bulletin reads to
/// know each task's progress as of a past day.
pub async fn percent_history(
    db: &Db,
    region: RegionId,
) -> Result<Vec<(TaskId, OffsetDateTime, rust_decimal::Decimal)>, StoreError> {
    db.fetch(
        "SELECT task_id, reported_at, percent FROM progress_reports WHERE region_id = $1 ORDER BY task_id, reported_at, id",
        args![region],
        |r| {
            let pct = r
                .dec_opt("percent")?
                .ok_or_else(|| StoreError::Corrupt("percent is null".into()))?;
            Ok((r.id("task_id")?, r.ts("reported_at")?, pct))
        },
    )
    .await
}
