//! Supervision notices (督办单): numbered per region and year, versioned, with the unit's
//! append-only written response (at most one per notice: a further demand is a new notice).

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::{NoticeId, RegionId};
use luoshi_domain::supervision::notice::Response;
use luoshi_domain::supervision::{Notice, NoticeFields, NoticeStatus, NoticeSubject};
use serde_json::{Value, json};
use uuid::Uuid;

/// Take the next notice number of the region's `year` (1, 2, …), inside the caller's
/// transaction, so two notices never share a number.
pub async fn next_notice_sequence(
    tx: &mut Tx,
    region: RegionId,
    year: i32,
) -> Result<u32, StoreError> {
    tx.execute(
        "INSERT INTO notice_sequences (region_id, year, last_sequence) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
        args![region, year],
    )
    .await?;
    let n = tx
        .fetch_optional(
            "UPDATE notice_sequences SET last_sequence = last_sequence + 1 WHERE region_id = $1 AND year = $2 \
             RETURNING last_sequence",
            args![region, year],
            |r| r.i32("last_sequence"),
        )
        .await?
        .ok_or(StoreError::NotFound {
            entity: "notice sequence",
        })?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("notice sequence {n}")))
}

fn notice_json(n: &Notice) -> Value {
    let f = &n.fields;
    json!({
        "number": n.number,
        "task_id": match f.subject { NoticeSubject::Task(t) => Some(t.to_string()), NoticeSubject::Unit => None },
        "unit_id": f.unit.to_string(), "requirement": f.requirement,
        "issued_on": f.issued_on.to_string(), "respond_by": f.respond_by.to_string(),
        "follows_id": f.follows.map(|x| x.to_string()), "status": n.status.as_str(),
        "decided_on": n.decided_on.map(|d| d.to_string()),
    })
}

pub async fn insert_notice(tx: &mut Tx, ctx: &AuditCtx, n: &Notice) -> Result<(), StoreError> {
    let f = &n.fields;
    let task = match f.subject {
        NoticeSubject::Task(t) => Some(t),
        NoticeSubject::Unit => None,
    };
    tx.execute(
        "INSERT INTO notices (region_id, id, year, sequence, number, task_id, unit_id, requirement, issued_on, respond_by, \
         follows_id, status, decided_on, version, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        args![
            n.region, n.id, n.year, i32::try_from(n.sequence).unwrap_or(i32::MAX), n.number.clone(), task, f.unit,
            f.requirement.clone(), f.issued_on, f.respond_by, f.follows, n.status.as_str(),
            n.decided_on, n.version, ctx.at, ctx.actor
        ],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "issue",
        "notice",
        &n.id.to_string(),
        None,
        Some(notice_json(n)),
    )
    .await
}

/// Store `after` (status, decision day) if the stored version is still `before.version`;
/// bumps the version. `action` names the change in the audit log.
pub async fn update_notice(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: &str,
    before: &Notice,
    after: &Notice,
) -> Result<Notice, StoreError> {
    let n = tx
        .execute(
            "UPDATE notices SET status = $3, decided_on = $4, version = version + 1 \
             WHERE region_id = $1 AND id = $2 AND version = $5",
            args![
                ctx.region,
                before.id,
                after.status.as_str(),
                after.decided_on,
                before.version
            ],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "notice",
        "notices",
        ctx.region,
        before.id.as_uuid(),
        before.version,
    )
    .await?;
    audit::record(
        tx,
        ctx,
        action,
        "notice",
        &before.id.to_string(),
        Some(notice_json(before)),
        Some(notice_json(after)),
    )
    .await?;
    let mut stored = after.clone();
    stored.version = before.version + 1;
    Ok(stored)
}

/// Append the unit's written response (the caller also moves the notice to responded).
pub async fn insert_response(
    tx: &mut Tx,
    ctx: &AuditCtx,
    notice: NoticeId,
    r: &Response,
) -> Result<(), StoreError> {
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO notice_responses (region_id, id, notice_id, text, responded_on, responded_at, responded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![ctx.region, id, notice, r.text.clone(), r.responded_on, ctx.at, ctx.actor],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "respond",
        "notice_response",
        &id.to_string(),
        None,
        Some(json!({ "notice_id": notice.to_string(), "text": r.text, "responded_on": r.responded_on.to_string() })),
    )
    .await
}

const SELECT: &str = "SELECT n.id, n.region_id, n.year, n.sequence, n.number, n.task_id, n.unit_id, n.requirement, n.issued_on, \
    n.respond_by, n.follows_id, n.status, n.decided_on, n.version, r.text AS response_text, r.responded_on \
    FROM notices n LEFT JOIN notice_responses r ON r.region_id = n.region_id AND r.notice_id = n.id";

fn from_row(r: &dyn Get) -> Result<Notice, StoreError> {
    let status = r.text("status")?;
    let response = match r.date_opt("responded_on")? {
        Some(responded_on) => Some(Response {
            text: r.text("response_text")?,
            responded_on,
        }),
        None => None,
    };
    Ok(Notice {
        id: r.id("id")?,
        region: r.id("region_id")?,
        year: r.i32("year")?,
        sequence: u32::try_from(r.i32("sequence")?)
            .map_err(|_| StoreError::Corrupt("notice sequence".into()))?,
        number: r.text("number")?,
        fields: NoticeFields {
            subject: match r.uuid_opt("task_id")? {
                Some(t) => NoticeSubject::Task(t.into()),
                None => NoticeSubject::Unit,
            },
            unit: r.id("unit_id")?,
            requirement: r.text("requirement")?,
            issued_on: r.date("issued_on")?,
            respond_by: r.date("respond_by")?,
            follows: r.uuid_opt("follows_id")?.map(NoticeId::from),
        },
        status: NoticeStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown notice status {status}")))?,
        response,
        decided_on: r.date_opt("decided_on")?,
        version: r.i64("version")?,
    })
}

pub async fn get_notice(db: &Db, region: RegionId, id: NoticeId) -> Result<Notice, StoreError> {
    db.fetch_optional(
        &format!("{SELECT} WHERE n.region_id = $1 AND n.id = $2"),
        args![region, id],
        from_row,
    )
    .await?
    .ok_or(StoreError::NotFound { entity: "notice" })
}

/// The region's notices, newest number first; only those with `status` when given.
pub async fn list_notices(
    db: &Db,
    region: RegionId,
    status: Option<NoticeStatus>,
) -> Result<Vec<Notice>, StoreError> {
    match status {
        Some(s) => {
            db.fetch(
                &format!("{SELECT} WHERE n.region_id = $1 AND n.status = $2 ORDER BY n.year DESC, n.sequence DESC"),
                args![region, s.as_str()],
                from_row,
            )
            .await
        }
        None => {
            db.fetch(
                &format!("{SELECT} WHERE n.region_id = $1 ORDER BY n.year DESC, n.sequence DESC"),
                args![region],
                from_row,
            )
            .await
        }
    }
}

/// Notices still awaiting a response (what the sweep reminds about).
pub async fn open_notices(db: &Db, region: RegionId) -> Result<Vec<Notice>, StoreError> {
    list_notices(db, region, Some(NoticeStatus::Issued)).await
}
