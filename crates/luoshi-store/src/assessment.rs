//! Performance assessment records: versioned scheme books (their text; the app reads the format),
//! entered facts (manual scores, bonuses, vetoes: append-only and dated) and published result
//! sets, which are immutable. There is no update or delete path here, and the database's
//! triggers refuse one made by hand; a correction is a new result that supersedes the old one.

use crate::{Arg, AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::{RegionId, TaskId, UnitId, UserId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::TaskStatus;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A stored version of a scheme book.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScheme {
    pub id: Uuid,
    /// The scheme's own identifier, e.g. `2026-townships`.
    pub key: String,
    pub category: String,
    pub version: i32,
    /// The scheme file's text.
    pub body: String,
    pub created_at: OffsetDateTime,
    pub created_by: Option<UserId>,
}

/// Store a scheme version. A second row with the same key and version is refused (`Duplicate`):
/// a changed book is a new version.
pub async fn insert_scheme(
    tx: &mut Tx,
    ctx: &AuditCtx,
    key: &str,
    category: &str,
    version: i32,
    body: &str,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO assessment_schemes (region_id, id, scheme_key, category, version, body, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![ctx.region, id, key, category, version, body, ctx.at, ctx.actor],
    )
    .await?;
    let after = json!({ "scheme": key, "category": category, "version": version, "body": body });
    audit::record(
        tx,
        ctx,
        "create",
        "assessment_scheme",
        &id.to_string(),
        None,
        Some(after),
    )
    .await?;
    Ok(id)
}

/// Every stored scheme version of the region, by category, key and version.
pub async fn schemes(db: &Db, region: RegionId) -> Result<Vec<StoredScheme>, StoreError> {
    db.fetch(
        "SELECT id, scheme_key, category, version, body, created_at, created_by FROM assessment_schemes \
         WHERE region_id = $1 ORDER BY category, scheme_key, version",
        args![region],
        |r| {
            Ok(StoredScheme {
                id: r.uuid("id")?,
                key: r.text("scheme_key")?,
                category: r.text("category")?,
                version: r.i32("version")?,
                body: r.text("body")?,
                created_at: r.ts("created_at")?,
                created_by: r.uuid_opt("created_by")?.map(UserId::from),
            })
        },
    )
    .await
}

/// Which table of entered facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    Manual,
    Bonus,
    Veto,
}

impl FactKind {
    fn table(self) -> &'static str {
        match self {
            Self::Manual => "manual_scores",
            Self::Bonus => "bonus_facts",
            Self::Veto => "veto_facts",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Self::Manual => "manual_score",
            Self::Bonus => "bonus_fact",
            Self::Veto => "veto_fact",
        }
    }
}

/// A manual score, bonus or veto as entered: `points` is the score or bonus (none for a veto),
/// `text` the note or evidence, `on` the date it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct EnteredFact {
    pub id: Uuid,
    pub unit: UnitId,
    pub item: String,
    pub points: Option<Decimal>,
    pub text: String,
    pub on: Date,
    pub entered_at: OffsetDateTime,
    pub entered_by: Option<UserId>,
    /// The username of who entered it (stable, unlike display names), when known.
    pub entered_by_name: Option<String>,
}

/// A manual score, bonus or veto to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFact {
    pub kind: FactKind,
    pub unit: UnitId,
    pub item: String,
    /// The score or bonus; `None` for a veto.
    pub points: Option<Decimal>,
    /// The note or the evidence.
    pub text: String,
    /// The date it concerns.
    pub on: Date,
}

/// Append an entered fact. Manual scores and bonuses need `points`; a veto has none.
pub async fn append_fact(tx: &mut Tx, ctx: &AuditCtx, f: &NewFact) -> Result<Uuid, StoreError> {
    let NewFact {
        kind,
        unit,
        item,
        points,
        text,
        on,
    } = f.clone();
    let id = Uuid::now_v7();
    let item = item.as_str();
    let text = text.as_str();
    let (sql, a) = match kind {
        FactKind::Manual | FactKind::Bonus => {
            let text_col = if kind == FactKind::Manual {
                "note"
            } else {
                "evidence"
            };
            let points = points.ok_or_else(|| {
                StoreError::Corrupt(format!("a {} needs points", kind.entity()))
            })?;
            (
                format!(
                    "INSERT INTO {} (region_id, id, unit_id, item, points, {text_col}, on_date, entered_at, entered_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    kind.table()
                ),
                args![ctx.region, id, unit, item, points, text, on, ctx.at, ctx.actor],
            )
        }
        FactKind::Veto => (
            "INSERT INTO veto_facts (region_id, id, unit_id, item, evidence, on_date, entered_at, entered_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                .to_owned(),
            args![ctx.region, id, unit, item, text, on, ctx.at, ctx.actor],
        ),
    };
    tx.execute(&sql, a).await?;
    let after = json!({
        "unit_id": unit.to_string(), "item": item, "points": points.map(|p| p.normalize().to_string()),
        "text": text, "on": on.to_string(),
    });
    audit::record(
        tx,
        ctx,
        "append",
        kind.entity(),
        &id.to_string(),
        None,
        Some(after),
    )
    .await?;
    Ok(id)
}

/// Every entered fact of one kind in the region, oldest entry first.
pub async fn facts(
    db: &Db,
    region: RegionId,
    kind: FactKind,
) -> Result<Vec<EnteredFact>, StoreError> {
    let (points, text) = match kind {
        FactKind::Manual => ("f.points", "f.note"),
        FactKind::Bonus => ("f.points", "f.evidence"),
        FactKind::Veto => ("NULL", "f.evidence"),
    };
    let sql = format!(
        "SELECT f.id, f.unit_id, f.item, {points} AS points, {text} AS text, f.on_date, f.entered_at, f.entered_by, \
         u.username FROM {} f LEFT JOIN users u ON u.region_id = f.region_id AND u.id = f.entered_by \
         WHERE f.region_id = $1",
        kind.table()
    );
    let cols = (
        &["id", "unit_id", "entered_by"][..],
        &[
            "item",
            "points",
            "text",
            "on_date",
            "entered_at",
            "username",
        ][..],
    );
    let mut facts = db
        .fetch_bulk(&sql, args![region], cols, |r| {
            Ok(EnteredFact {
                id: r.uuid("id")?,
                unit: r.id("unit_id")?,
                item: r.text("item")?,
                points: r.dec_opt("points")?,
                text: r.text("text")?,
                on: r.date("on_date")?,
                entered_at: r.ts("entered_at")?,
                entered_by: r.uuid_opt("entered_by")?.map(UserId::from),
                entered_by_name: r.text_opt("username")?,
            })
        })
        .await?;
    facts.sort_by_key(|f| (f.entered_at, f.id));
    Ok(facts)
}

/// A published assessment: every category's result set as of one date, frozen.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub id: Uuid,
    /// The scheme versions it used, e.g. `2026-townships@1,2026-departments@1`.
    pub schemes: String,
    pub as_of: Date,
    pub published_at: OffsetDateTime,
    pub published_by: Option<UserId>,
    /// Hex SHA-256 of the canonical text.
    pub digest: String,
    pub body: Value,
    /// The result this one corrects, with the reason (empty for a first publication).
    pub supersedes: Option<Uuid>,
    pub reason: String,
}

/// Publish a result set; the digest is also written to the audit log. A result can be superseded
/// once (`Duplicate` otherwise): corrections form a chain.
pub async fn publish(tx: &mut Tx, ctx: &AuditCtx, p: &Published) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO assessment_results (region_id, id, schemes, as_of, published_at, published_by, digest, body, supersedes_id, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        vec![
            ctx.region.into(),
            p.id.into(),
            p.schemes.clone().into(),
            p.as_of.into(),
            p.published_at.into(),
            p.published_by.into(),
            p.digest.clone().into(),
            Arg::Json(Some(p.body.clone())),
            p.supersedes.into(),
            p.reason.clone().into(),
        ],
    )
    .await?;
    let after = json!({
        "schemes": p.schemes, "as_of": p.as_of.to_string(), "digest": p.digest,
        "supersedes_id": p.supersedes.map(|s| s.to_string()), "reason": p.reason,
    });
    let action = if p.supersedes.is_some() {
        "correct"
    } else {
        "publish"
    };
    audit::record(
        tx,
        ctx,
        action,
        "assessment_result",
        &p.id.to_string(),
        None,
        Some(after),
    )
    .await
}

const RESULT_COLS: &str =
    "id, schemes, as_of, published_at, published_by, digest, body, supersedes_id, reason";

fn result_row(r: &dyn Get) -> Result<Published, StoreError> {
    Ok(Published {
        id: r.uuid("id")?,
        schemes: r.text("schemes")?,
        as_of: r.date("as_of")?,
        published_at: r.ts("published_at")?,
        published_by: r.uuid_opt("published_by")?.map(UserId::from),
        digest: r.text("digest")?,
        body: r.json("body")?.unwrap_or(Value::Null),
        supersedes: r.uuid_opt("supersedes_id")?,
        reason: r.text("reason")?,
    })
}

/// One published result.
pub async fn result(db: &Db, region: RegionId, id: Uuid) -> Result<Published, StoreError> {
    db.fetch_optional(
        &format!("SELECT {RESULT_COLS} FROM assessment_results WHERE region_id = $1 AND id = $2"),
        args![region, id],
        result_row,
    )
    .await?
    .ok_or(StoreError::NotFound {
        entity: "assessment result",
    })
}

/// Every published result of the region, newest first (corrections and the results they
/// supersede alike).
pub async fn results(db: &Db, region: RegionId) -> Result<Vec<Published>, StoreError> {
    db.fetch(
        &format!(
            "SELECT {RESULT_COLS} FROM assessment_results WHERE region_id = $1 ORDER BY published_at DESC, id DESC"
        ),
        args![region],
        result_row,
    )
    .await
}

/// One lifecycle event of a task, as the assessment reads history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub task: TaskId,
    pub at: OffsetDateTime,
    pub from: TaskStatus,
    pub to: TaskStatus,
    pub deadline_after: Date,
}

/// Every task event of the region, by task and time (one query, for recomputing a whole region).
pub async fn task_history(db: &Db, region: RegionId) -> Result<Vec<HistoryEvent>, StoreError> {
    let mut rows = db
        .fetch_bulk(
            "SELECT id, task_id, at, from_status, to_status, deadline_after FROM task_events \
             WHERE region_id = $1",
            args![region],
            (
                &["id", "task_id"],
                &["at", "from_status", "to_status", "deadline_after"],
            ),
            |r| {
                let st = |c: &str| -> Result<TaskStatus, StoreError> {
                    let s = r.text(c)?;
                    TaskStatus::parse(&s)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown status {s}")))
                };
                Ok((
                    r.uuid("id")?,
                    HistoryEvent {
                        task: r.id("task_id")?,
                        at: r.ts("at")?,
                        from: st("from_status")?,
                        to: st("to_status")?,
                        deadline_after: r.date("deadline_after")?,
                    },
                ))
            },
        )
        .await?;
    rows.sort_by_key(|(id, e)| (e.task, e.at, *id));
    Ok(rows.into_iter().map(|(_, e)| e).collect())
}

/// What scoring a task needs of it: its lead unit, title, weight, status and dates, and when it
/// was stored (a task created already assigned has no event for its assignment).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskOutline {
    pub id: TaskId,
    pub lead_unit: UnitId,
    pub title: String,
    pub weight: Decimal,
    pub status: TaskStatus,
    pub deadline: Date,
    pub closed_on: Option<Date>,
    pub created_at: OffsetDateTime,
    /// The first UTC day of each month on which it reported progress, earliest first (kept with
    /// the reports: a month's report is on time when its first one is).
    pub first_report_days: Vec<Date>,
}

/// Every task of the region in outline, by deadline then id: one lean read for recomputing a
/// whole region (a full task row carries descriptions, people and milestones it does not use).
pub async fn task_outlines(db: &Db, region: RegionId) -> Result<Vec<TaskOutline>, StoreError> {
    let mut rows = db
        .fetch_bulk(
            "SELECT id, lead_unit_id, title, weight, status, deadline, closed_on, created_at, \
             report_months FROM tasks WHERE region_id = $1",
            args![region],
            (
                &["id", "lead_unit_id"],
                &[
                    "title",
                    "weight",
                    "status",
                    "deadline",
                    "closed_on",
                    "created_at",
                    "report_months",
                ],
            ),
            |r| {
                let status = r.text("status")?;
                Ok(TaskOutline {
                    id: r.id("id")?,
                    lead_unit: r.id("lead_unit_id")?,
                    title: r.text("title")?,
                    weight: r.dec("weight")?,
                    status: TaskStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown status {status}")))?,
                    deadline: r.date("deadline")?,
                    closed_on: r.date_opt("closed_on")?,
                    created_at: r.ts("created_at")?,
                    first_report_days: crate::tasks::parse_report_months(
                        &r.text("report_months")?,
                    )?,
                })
            },
        )
        .await?;
    rows.sort_by_key(|t| (t.deadline, t.id));
    Ok(rows)
}

/// When each task of the region was created (a task created already assigned has no event for
/// its assignment).
pub async fn task_created_times(
    db: &Db,
    region: RegionId,
) -> Result<Vec<(TaskId, OffsetDateTime)>, StoreError> {
    db.fetch_bulk(
        "SELECT id, created_at FROM tasks WHERE region_id = $1",
        args![region],
        (&["id"], &["created_at"]),
        |r| Ok((r.id("id")?, r.ts("created_at")?)),
    )
    .await
}
