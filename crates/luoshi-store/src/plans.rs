//! Plans and their section trees.

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::{PlanId, RegionId, SectionId};
use luoshi_domain::plan::{Plan, PlanFields, Section, SectionFields};
use serde_json::{Value, json};

fn plan_row(r: &dyn Get) -> Result<(Plan, i64), StoreError> {
    Ok((
        Plan {
            id: r.id("id")?,
            region: r.id("region_id")?,
            year: r.i32("year")?,
            title: r.text("title")?,
            source: r.text("source")?,
        },
        r.i64("version")?,
    ))
}

fn plan_json(p: &Plan) -> Value {
    json!({"year": p.year, "title": p.title, "source": p.source})
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, p: &Plan) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO plans (region_id, id, year, title, source, version) VALUES ($1, $2, $3, $4, $5, 1)",
        args![p.region, p.id, p.year, p.title.clone(), p.source.clone()],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "plan",
        &p.id.to_string(),
        None,
        Some(plan_json(p)),
    )
    .await
}

pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: PlanId,
    f: &PlanFields,
    expected: i64,
) -> Result<(Plan, i64), StoreError> {
    let (before, _) = get_tx(tx, ctx.region, id).await?;
    let n = tx
        .execute(
            "UPDATE plans SET year = $3, title = $4, source = $5, version = version + 1 WHERE region_id = $1 AND id = $2 AND version = $6",
            args![ctx.region, id, f.year, f.title.clone(), f.source.clone(), expected],
        )
        .await?;
    check_versioned_update(tx, n, "plan", "plans", ctx.region, id.as_uuid(), expected).await?;
    let after = Plan {
        id,
        region: ctx.region,
        year: f.year,
        title: f.title.clone(),
        source: f.source.clone(),
    };
    audit::record(
        tx,
        ctx,
        "update",
        "plan",
        &id.to_string(),
        Some(plan_json(&before)),
        Some(plan_json(&after)),
    )
    .await?;
    Ok((after, expected + 1))
}

async fn get_tx(tx: &mut Tx, region: RegionId, id: PlanId) -> Result<(Plan, i64), StoreError> {
    tx.fetch_optional("SELECT id, region_id, year, title, source, version FROM plans WHERE region_id = $1 AND id = $2", args![region, id], plan_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "plan" })
}

pub async fn get(db: &Db, region: RegionId, id: PlanId) -> Result<(Plan, i64), StoreError> {
    db.fetch_optional("SELECT id, region_id, year, title, source, version FROM plans WHERE region_id = $1 AND id = $2", args![region, id], plan_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "plan" })
}

pub async fn list(db: &Db, region: RegionId) -> Result<Vec<(Plan, i64)>, StoreError> {
    db.fetch("SELECT id, region_id, year, title, source, version FROM plans WHERE region_id = $1 ORDER BY year DESC, title", args![region], plan_row)
        .await
}

fn section_row(r: &dyn Get) -> Result<(Section, i64), StoreError> {
    Ok((
        Section {
            id: r.id("id")?,
            plan: r.id("plan_id")?,
            parent: r.uuid_opt("parent_id")?.map(SectionId::from),
            number: r.text("number")?,
            title: r.text("title")?,
            position: r.i32("position")?,
        },
        r.i64("version")?,
    ))
}

fn section_json(s: &Section) -> Value {
    json!({"plan_id": s.plan.to_string(), "parent_id": s.parent.map(|p| p.to_string()), "number": s.number, "title": s.title, "position": s.position})
}

const SECTION_COLS: &str = "id, plan_id, parent_id, number, title, position, version";

pub async fn insert_section(tx: &mut Tx, ctx: &AuditCtx, s: &Section) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO sections (region_id, id, plan_id, parent_id, number, title, position, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
        args![ctx.region, s.id, s.plan, s.parent, s.number.clone(), s.title.clone(), s.position],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "section",
        &s.id.to_string(),
        None,
        Some(section_json(s)),
    )
    .await
}

pub async fn update_section(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: SectionId,
    f: &SectionFields,
    expected: i64,
) -> Result<(Section, i64), StoreError> {
    let sql = format!("SELECT {SECTION_COLS} FROM sections WHERE region_id = $1 AND id = $2");
    let (before, _) = tx
        .fetch_optional(&sql, args![ctx.region, id], section_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "section" })?;
    let n = tx
        .execute(
            "UPDATE sections SET parent_id = $3, number = $4, title = $5, position = $6, version = version + 1 \
             WHERE region_id = $1 AND id = $2 AND version = $7",
            args![ctx.region, id, f.parent, f.number.clone(), f.title.clone(), f.position, expected],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "section",
        "sections",
        ctx.region,
        id.as_uuid(),
        expected,
    )
    .await?;
    let after = Section {
        id,
        plan: before.plan,
        parent: f.parent,
        number: f.number.clone(),
        title: f.title.clone(),
        position: f.position,
    };
    audit::record(
        tx,
        ctx,
        "update",
        "section",
        &id.to_string(),
        Some(section_json(&before)),
        Some(section_json(&after)),
    )
    .await?;
    Ok((after, expected + 1))
}

pub async fn sections(
    db: &Db,
    region: RegionId,
    plan: PlanId,
) -> Result<Vec<(Section, i64)>, StoreError> {
    let sql = format!(
        "SELECT {SECTION_COLS} FROM sections WHERE region_id = $1 AND plan_id = $2 ORDER BY position, number"
    );
    db.fetch(&sql, args![region, plan], section_row).await
}

pub async fn get_section(
    db: &Db,
    region: RegionId,
    id: SectionId,
) -> Result<(Section, i64), StoreError> {
    let sql = format!("SELECT {SECTION_COLS} FROM sections WHERE region_id = $1 AND id = $2");
    db.fetch_optional(&sql, args![region, id], section_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "section" })
}
