//! Regions (districts; cities and provinces in multi-region deployments).

use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::RegionId;
use luoshi_domain::region::{Region, RegionCode};
use serde_json::json;

fn from_row(r: &dyn Get) -> Result<Region, StoreError> {
    let code = r.text("code")?;
    Ok(Region {
        id: r.id("id")?,
        code: RegionCode::parse("code", &code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        name: r.text("name")?,
        parent: r.uuid_opt("parent_id")?.map(RegionId::from),
    })
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, region: &Region) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO regions (id, code, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        args![
            region.id,
            region.code.as_str(),
            region.name.clone(),
            region.parent,
            ctx.at
        ],
    )
    .await?;
    tx.execute(
        "INSERT INTO region_state (region_id, data_version) VALUES ($1, 0)",
        args![region.id],
    )
    .await?;
    let after = json!({"code": region.code.as_str(), "name": region.name});
    audit::record(
        tx,
        ctx,
        "create",
        "region",
        &region.id.to_string(),
        None,
        Some(after),
    )
    .await
}

pub async fn get(db: &Db, id: RegionId) -> Result<Region, StoreError> {
    db.fetch_optional(
        "SELECT id, code, name, parent_id FROM regions WHERE id = $1",
        args![id],
        from_row,
    )
    .await?
    .ok_or(StoreError::NotFound { entity: "region" })
}

pub async fn list(db: &Db) -> Result<Vec<Region>, StoreError> {
    db.fetch(
        "SELECT id, code, name, parent_id FROM regions ORDER BY code",
        vec![],
        from_row,
    )
    .await
}
