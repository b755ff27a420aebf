//! Units (townships, streets, departments) and people.

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ids::{PersonId, RegionId, UnitId};
use luoshi_domain::org::{Person, PersonFields, Unit, UnitCode, UnitFields, UnitKind};
use serde_json::{Value, json};

const UNIT_COLS: &str = "id, region_id, code, name, kind, category, version";

fn corrupt(e: luoshi_domain::ValidationError) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn unit_from_row(r: &dyn Get) -> Result<(Unit, i64), StoreError> {
    Ok((
        Unit {
            id: r.id("id")?,
            region: r.id("region_id")?,
            code: UnitCode::parse("code", &r.text("code")?).map_err(corrupt)?,
            name: r.text("name")?,
            kind: UnitKind::parse("kind", &r.text("kind")?).map_err(corrupt)?,
            category: r.text("category")?,
        },
        r.i64("version")?,
    ))
}

fn unit_json(u: &Unit) -> Value {
    json!({"code": u.code.as_str(), "name": u.name, "kind": u.kind.as_str(), "category": u.category})
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, u: &Unit) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO units (region_id, id, code, name, kind, category, version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
        args![u.region, u.id, u.code.as_str(), u.name.clone(), u.kind.as_str(), u.category.clone()],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "unit",
        &u.id.to_string(),
        None,
        Some(unit_json(u)),
    )
    .await
}

pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: UnitId,
    f: &UnitFields,
    expected: i64,
) -> Result<(Unit, i64), StoreError> {
    let (before, _) = get_tx(tx, ctx.region, id).await?;
    let n = tx
        .execute(
            "UPDATE units SET code = $3, name = $4, kind = $5, category = $6, version = version + 1 \
             WHERE region_id = $1 AND id = $2 AND version = $7",
            args![ctx.region, id, f.code.as_str(), f.name.clone(), f.kind.as_str(), f.category.clone(), expected],
        )
        .await?;
    check_versioned_update(tx, n, "unit", "units", ctx.region, id.as_uuid(), expected).await?;
    let after = Unit {
        id,
        region: ctx.region,
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind,
        category: f.category.clone(),
    };
    audit::record(
        tx,
        ctx,
        "update",
        "unit",
        &id.to_string(),
        Some(unit_json(&before)),
        Some(unit_json(&after)),
    )
    .await?;
    Ok((after, expected + 1))
}

async fn get_tx(tx: &mut Tx, region: RegionId, id: UnitId) -> Result<(Unit, i64), StoreError> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE region_id = $1 AND id = $2");
    tx.fetch_optional(&sql, args![region, id], unit_from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "unit" })
}

pub async fn get(db: &Db, region: RegionId, id: UnitId) -> Result<(Unit, i64), StoreError> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE region_id = $1 AND id = $2");
    db.fetch_optional(&sql, args![region, id], unit_from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "unit" })
}

/// Every unit of the region: townships, then streets, then departments, each by code (in byte
/// order on both databases).
pub async fn list(db: &Db, region: RegionId) -> Result<Vec<(Unit, i64)>, StoreError> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE region_id = $1");
    let cols = (
        &["id", "region_id"][..],
        &["code", "name", "kind", "category", "version"][..],
    );
    let mut units = db
        .fetch_bulk(&sql, args![region], cols, unit_from_row)
        .await?;
    units.sort_by(|(a, _), (b, _)| {
        (b.kind.as_str(), a.code.as_str()).cmp(&(a.kind.as_str(), b.code.as_str()))
    });
    Ok(units)
}

pub async fn find_by_code(
    db: &Db,
    region: RegionId,
    code: &str,
) -> Result<Option<Unit>, StoreError> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE region_id = $1 AND code = $2");
    Ok(db
        .fetch_optional(&sql, args![region, code], unit_from_row)
        .await?
        .map(|(u, _)| u))
}

const PERSON_COLS: &str = "id, region_id, name, post, unit_id, phone, version";

fn person_from_row(r: &dyn Get) -> Result<(Person, i64), StoreError> {
    Ok((
        Person {
            id: r.id("id")?,
            region: r.id("region_id")?,
            name: r.text("name")?,
            post: r.text("post")?,
            unit: r.uuid_opt("unit_id")?.map(UnitId::from),
            phone: r.text("phone")?,
        },
        r.i64("version")?,
    ))
}

fn person_json(p: &Person) -> Value {
    json!({"name": p.name, "post": p.post, "unit_id": p.unit.map(|u| u.to_string()), "phone": p.phone})
}

pub async fn insert_person(tx: &mut Tx, ctx: &AuditCtx, p: &Person) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO people (region_id, id, name, post, unit_id, phone, version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
        args![p.region, p.id, p.name.clone(), p.post.clone(), p.unit, p.phone.clone()],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "person",
        &p.id.to_string(),
        None,
        Some(person_json(p)),
    )
    .await
}

pub async fn update_person(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: PersonId,
    f: &PersonFields,
    expected: i64,
) -> Result<(Person, i64), StoreError> {
    let sql = format!("SELECT {PERSON_COLS} FROM people WHERE region_id = $1 AND id = $2");
    let (before, _) = tx
        .fetch_optional(&sql, args![ctx.region, id], person_from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "person" })?;
    let n = tx
        .execute(
            "UPDATE people SET name = $3, post = $4, unit_id = $5, phone = $6, version = version + 1 \
             WHERE region_id = $1 AND id = $2 AND version = $7",
            args![ctx.region, id, f.name.clone(), f.post.clone(), f.unit, f.phone.clone(), expected],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "person",
        "people",
        ctx.region,
        id.as_uuid(),
        expected,
    )
    .await?;
    let after = Person {
        id,
        region: ctx.region,
        name: f.name.clone(),
        post: f.post.clone(),
        unit: f.unit,
        phone: f.phone.clone(),
    };
    audit::record(
        tx,
        ctx,
        "update",
        "person",
        &id.to_string(),
        Some(person_json(&before)),
        Some(person_json(&after)),
    )
    .await?;
    Ok((after, expected + 1))
}

pub async fn get_person(
    db: &Db,
    region: RegionId,
    id: PersonId,
) -> Result<(Person, i64), StoreError> {
    let sql = format!("SELECT {PERSON_COLS} FROM people WHERE region_id = $1 AND id = $2");
    db.fetch_optional(&sql, args![region, id], person_from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "person" })
}

pub async fn list_people(
    db: &Db,
    region: RegionId,
    unit: Option<UnitId>,
) -> Result<Vec<(Person, i64)>, StoreError> {
    match unit {
        Some(u) => {
            let sql = format!(
                "SELECT {PERSON_COLS} FROM people WHERE region_id = $1 AND unit_id = $2 ORDER BY name"
            );
            db.fetch(&sql, args![region, u], person_from_row).await
        }
        None => {
            let sql =
                format!("SELECT {PERSON_COLS} FROM people WHERE region_id = $1 ORDER BY name");
            db.fetch(&sql, args![region], person_from_row).await
        }
    }
}
