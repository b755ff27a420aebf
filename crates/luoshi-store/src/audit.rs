//! The audit log: every change, who made it, when, and the record before and after.

use crate::{Arg, Db, Page, StoreError, Tx, args};
use luoshi_domain::ids::{RegionId, UserId};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who is changing what, and when. Passed to every write.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    pub region: RegionId,
    pub actor: Option<UserId>,
    pub at: OffsetDateTime,
}

/// Append an audit row and bump the region's data version, inside the caller's transaction.
pub async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), StoreError> {
    record_event(tx, ctx, action, entity, entity_id, before, after).await?;
    tx.execute(
        "UPDATE region_state SET data_version = data_version + 1 WHERE region_id = $1",
        args![ctx.region],
    )
    .await?;
    Ok(())
}

/// Append an audit row for an event that changes no plan data (a login): caches stay valid.
pub async fn record_event(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit_log (region_id, id, at, actor_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            ctx.region.into(),
            Uuid::now_v7().into(),
            ctx.at.into(),
            ctx.actor.into(),
            action.into(),
            entity.into(),
            entity_id.into(),
            Arg::Json(before),
            Arg::Json(after),
        ],
    )
    .await?;
    Ok(())
}

/// The region's data version: it changes whenever anything in the region changes.
pub async fn data_version(db: &Db, region: RegionId) -> Result<i64, StoreError> {
    db.fetch_optional(
        "SELECT data_version FROM region_state WHERE region_id = $1",
        args![region],
        |r| r.i64("data_version"),
    )
    .await
    .map(|v| v.unwrap_or(0))
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<UserId>,
    pub action: Option<String>,
}

pub async fn list(
    db: &Db,
    region: RegionId,
    filter: &AuditFilter,
    page: Page,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = String::from(
        "SELECT a.at, a.actor_id, u.display_name, a.action, a.entity, a.entity_id, a.before_json, a.after_json \
         FROM audit_log a LEFT JOIN users u ON u.region_id = a.region_id AND u.id = a.actor_id WHERE a.region_id = $1",
    );
    let mut args = args![region];
    let mut push = |cond: &str, arg: Arg, args: &mut Vec<Arg>| {
        args.push(arg);
        sql.push_str(&format!(" AND {cond} ${}", args.len()));
    };
    if let Some(e) = &filter.entity {
        push("a.entity =", e.clone().into(), &mut args);
    }
    if let Some(e) = &filter.entity_id {
        push("a.entity_id =", e.clone().into(), &mut args);
    }
    if let Some(a) = filter.actor {
        push("a.actor_id =", a.into(), &mut args);
    }
    if let Some(a) = &filter.action {
        push("a.action =", a.clone().into(), &mut args);
    }
    args.push(page.limit.into());
    args.push(page.offset.into());
    sql.push_str(&format!(
        " ORDER BY a.at DESC, a.id DESC LIMIT ${} OFFSET ${}",
        args.len() - 1,
        args.len()
    ));
    db.fetch(&sql, args, |r| {
        Ok(AuditEntry {
            at: r.ts("at")?,
            actor: r.uuid_opt("actor_id")?.map(UserId::from),
            actor_name: r.text_opt("display_name")?,
            action: r.text("action")?,
            entity: r.text("entity")?,
            entity_id: r.text("entity_id")?,
            before: r.json("before_json")?,
            after: r.json("after_json")?,
        })
    })
    .await
}

/// After an `UPDATE … WHERE version = $n`, turn "no row changed" into NotFound or Conflict.
pub(crate) async fn check_versioned_update(
    tx: &mut Tx,
    affected: u64,
    entity: &'static str,
    table: &str,
    region: RegionId,
    id: Uuid,
    expected: i64,
) -> Result<(), StoreError> {
    if affected > 0 {
        return Ok(());
    }
    let sql = format!("SELECT version FROM {table} WHERE region_id = $1 AND id = $2");
    match tx
        .fetch_optional(&sql, args![region, id], |r| r.i64("version"))
        .await?
    {
        Some(current) => Err(StoreError::Conflict {
            entity,
            expected,
            current,
        }),
        None => Err(StoreError::NotFound { entity }),
    }
}
