//! Published bulletins (通报): numbered per region and year, immutable once stored (database
//! triggers refuse UPDATE and DELETE), corrected by a new version of the same period that
//! supersedes the latest one. The body is stored as the exact canonical JSON text whose SHA-256
//! is the digest, so anyone can re-check a stored bulletin against its audit row.

use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::{RegionId, UserId};
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One stored version of a bulletin.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBulletin {
    pub id: Uuid,
    /// The period's label: `2026-09` or `2026-Q3`.
    pub period: String,
    /// 1 for the first publication, 2 for its first correction, …
    pub version: i32,
    /// The number's year and sequence (a correction keeps its bulletin's number).
    pub year: i32,
    pub sequence: i32,
    /// The formatted number, e.g. 通报〔2026〕3号.
    pub number: String,
    /// The day the figures were taken (the period's last day).
    pub as_of: Date,
    pub published_at: OffsetDateTime,
    /// `None` when the server's scheduler published it.
    pub published_by: Option<UserId>,
    /// Hex SHA-256 of `body`.
    pub digest: String,
    /// Canonical JSON text.
    pub body: String,
    pub supersedes: Option<Uuid>,
    /// Why a correction was made (empty for version 1).
    pub reason: String,
}

/// Take the next bulletin number of the region's `year` (1, 2, …) in the caller's transaction.
pub async fn next_sequence(tx: &mut Tx, region: RegionId, year: i32) -> Result<i32, StoreError> {
    tx.execute(
        "INSERT INTO bulletin_sequences (region_id, year, last_sequence) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
        args![region, year],
    )
    .await?;
    tx.fetch_optional(
        "UPDATE bulletin_sequences SET last_sequence = last_sequence + 1 WHERE region_id = $1 AND year = $2 \
         RETURNING last_sequence",
        args![region, year],
        |r| r.i32("last_sequence"),
    )
    .await?
    .ok_or(StoreError::NotFound {
        entity: "bulletin sequence",
    })
}

/// Store a bulletin version and its audit row (with the digest). A second version 1 of a
/// period, or a second correction of the same version, is refused (`Duplicate`).
pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, b: &StoredBulletin) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO bulletins (region_id, id, period, version, year, sequence, number, as_of, published_at, \
         published_by, digest, body, supersedes_id, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        args![
            ctx.region,
            b.id,
            b.period.clone(),
            b.version,
            b.year,
            b.sequence,
            b.number.clone(),
            b.as_of,
            b.published_at,
            b.published_by,
            b.digest.clone(),
            b.body.clone(),
            b.supersedes,
            b.reason.clone()
        ],
    )
    .await?;
    let after = json!({
        "period": b.period, "version": b.version, "number": b.number,
        "as_of": b.as_of.to_string(), "digest": b.digest,
        "supersedes_id": b.supersedes.map(|s| s.to_string()), "reason": b.reason,
    });
    let action = if b.supersedes.is_some() {
        "correct"
    } else {
        "publish"
    };
    audit::record(
        tx,
        ctx,
        action,
        "bulletin",
        &b.id.to_string(),
        None,
        Some(after),
    )
    .await
}

const COLS: &str = "id, period, version, year, sequence, number, as_of, published_at, published_by, \
                    digest, body, supersedes_id, reason";

fn row(r: &dyn Get) -> Result<StoredBulletin, StoreError> {
    Ok(StoredBulletin {
        id: r.uuid("id")?,
        period: r.text("period")?,
        version: r.i32("version")?,
        year: r.i32("year")?,
        sequence: r.i32("sequence")?,
        number: r.text("number")?,
        as_of: r.date("as_of")?,
        published_at: r.ts("published_at")?,
        published_by: r.uuid_opt("published_by")?.map(UserId::from),
        digest: r.text("digest")?,
        body: r.text("body")?,
        supersedes: r.uuid_opt("supersedes_id")?,
        reason: r.text("reason")?,
    })
}

/// One stored bulletin version.
pub async fn get(db: &Db, region: RegionId, id: Uuid) -> Result<StoredBulletin, StoreError> {
    db.fetch_optional(
        &format!("SELECT {COLS} FROM bulletins WHERE region_id = $1 AND id = $2"),
        args![region, id],
        row,
    )
    .await?
    .ok_or(StoreError::NotFound { entity: "bulletin" })
}

/// Every version of one period, oldest first.
pub async fn versions(
    db: &Db,
    region: RegionId,
    period: &str,
) -> Result<Vec<StoredBulletin>, StoreError> {
    db.fetch(
        &format!(
            "SELECT {COLS} FROM bulletins WHERE region_id = $1 AND period = $2 ORDER BY version"
        ),
        args![region, period.to_owned()],
        row,
    )
    .await
}

/// Every stored version of the region, newest publication first (corrections and the versions
/// they supersede alike).
pub async fn list(db: &Db, region: RegionId) -> Result<Vec<StoredBulletin>, StoreError> {
    db.fetch(
        &format!(
            "SELECT {COLS} FROM bulletins WHERE region_id = $1 ORDER BY published_at DESC, id DESC"
        ),
        args![region],
        row,
    )
    .await
}
