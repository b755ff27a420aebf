//! Indicators, their decomposition to units, and their append-only period values.

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{IndicatorId, PlanId, RegionId, SectionId, UnitId, UserId, ValueId};
use luoshi_domain::indicator::{
    Accumulation, Cadence, DataStatus, Direction, Indicator, IndicatorFields, IndicatorValue,
    PriceBasis,
};
use luoshi_domain::measure::{Decimal, MeasureUnit};
use serde_json::{Value, json};
use time::OffsetDateTime;

const COLS: &str = "id, region_id, plan_id, name, unit, price_basis, direction, accumulation, cadence, baseline, \
                    baseline_growth_pct, target_value, target_growth_pct, section_id, lead_unit_id, note, position, version";

fn corrupt(e: luoshi_domain::ValidationError) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn from_row(r: &dyn Get) -> Result<(Indicator, i64), StoreError> {
    let fields = IndicatorFields {
        name: r.text("name")?,
        unit: MeasureUnit::parse("unit", &r.text("unit")?).map_err(corrupt)?,
        price_basis: r
            .text_opt("price_basis")?
            .map(|p| PriceBasis::parse("price_basis", &p))
            .transpose()
            .map_err(corrupt)?,
        direction: Direction::parse("direction", &r.text("direction")?).map_err(corrupt)?,
        accumulation: Accumulation::parse("accumulation", &r.text("accumulation")?)
            .map_err(corrupt)?,
        cadence: Cadence::parse("cadence", &r.text("cadence")?).map_err(corrupt)?,
        baseline: r.dec_opt("baseline")?,
        baseline_growth_pct: r.dec_opt("baseline_growth_pct")?,
        target_value: r.dec_opt("target_value")?,
        target_growth_pct: r.dec_opt("target_growth_pct")?,
        section: r.uuid_opt("section_id")?.map(SectionId::from),
        lead_unit: r.uuid_opt("lead_unit_id")?.map(UnitId::from),
        note: r.text("note")?,
    };
    Ok((
        Indicator {
            id: r.id("id")?,
            region: r.id("region_id")?,
            plan: r.id("plan_id")?,
            fields,
        },
        r.i64("version")?,
    ))
}

fn to_json(f: &IndicatorFields) -> Value {
    let d = |v: Option<Decimal>| v.map(|x| x.normalize().to_string());
    json!({
        "name": f.name, "unit": f.unit.as_str(), "price_basis": f.price_basis.map(|p| p.as_str()),
        "direction": f.direction.as_str(), "accumulation": f.accumulation.as_str(), "cadence": f.cadence.as_str(),
        "baseline": d(f.baseline), "baseline_growth_pct": d(f.baseline_growth_pct),
        "target_value": d(f.target_value), "target_growth_pct": d(f.target_growth_pct),
        "section_id": f.section.map(|s| s.to_string()), "lead_unit_id": f.lead_unit.map(|s| s.to_string()), "note": f.note,
    })
}

pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    i: &Indicator,
    position: i32,
) -> Result<(), StoreError> {
    let f = &i.fields;
    tx.execute(
        "INSERT INTO indicators (region_id, id, plan_id, name, unit, price_basis, direction, accumulation, cadence, baseline, \
         baseline_growth_pct, target_value, target_growth_pct, section_id, lead_unit_id, note, position, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1)",
        args![
            i.region, i.id, i.plan, f.name.clone(), f.unit.as_str(), f.price_basis.map(|p| p.as_str().to_owned()),
            f.direction.as_str(), f.accumulation.as_str(), f.cadence.as_str(), f.baseline, f.baseline_growth_pct,
            f.target_value, f.target_growth_pct, f.section, f.lead_unit, f.note.clone(), position
        ],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "indicator",
        &i.id.to_string(),
        None,
        Some(to_json(f)),
    )
    .await
}

pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: IndicatorId,
    f: &IndicatorFields,
    expected: i64,
) -> Result<(Indicator, i64), StoreError> {
    let sql = format!("SELECT {COLS} FROM indicators WHERE region_id = $1 AND id = $2");
    let (before, _) = tx
        .fetch_optional(&sql, args![ctx.region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "indicator",
        })?;
    let n = tx
        .execute(
            "UPDATE indicators SET name = $3, unit = $4, price_basis = $5, direction = $6, accumulation = $7, cadence = $8, \
             baseline = $9, baseline_growth_pct = $10, target_value = $11, target_growth_pct = $12, section_id = $13, \
             lead_unit_id = $14, note = $15, version = version + 1 WHERE region_id = $1 AND id = $2 AND version = $16",
            args![
                ctx.region, id, f.name.clone(), f.unit.as_str(), f.price_basis.map(|p| p.as_str().to_owned()),
                f.direction.as_str(), f.accumulation.as_str(), f.cadence.as_str(), f.baseline, f.baseline_growth_pct,
                f.target_value, f.target_growth_pct, f.section, f.lead_unit, f.note.clone(), expected
            ],
        )
        .await?;
    check_versioned_update(
        tx,
        n,
        "indicator",
        "indicators",
        ctx.region,
        id.as_uuid(),
        expected,
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "update",
        "indicator",
        &id.to_string(),
        Some(to_json(&before.fields)),
        Some(to_json(f)),
    )
    .await?;
    Ok((
        Indicator {
            fields: f.clone(),
            ..before
        },
        expected + 1,
    ))
}

pub async fn get(
    db: &Db,
    region: RegionId,
    id: IndicatorId,
) -> Result<(Indicator, i64), StoreError> {
    let sql = format!("SELECT {COLS} FROM indicators WHERE region_id = $1 AND id = $2");
    db.fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "indicator",
        })
}

pub async fn list(
    db: &Db,
    region: RegionId,
    plan: PlanId,
) -> Result<Vec<(Indicator, i64)>, StoreError> {
    let sql = format!(
        "SELECT {COLS} FROM indicators WHERE region_id = $1 AND plan_id = $2 ORDER BY position, name"
    );
    db.fetch(&sql, args![region, plan], from_row).await
}

pub async fn next_position(tx: &mut Tx, region: RegionId, plan: PlanId) -> Result<i32, StoreError> {
    let n = tx
        .fetch_optional(
            "SELECT COUNT(*) AS n FROM indicators WHERE region_id = $1 AND plan_id = $2",
            args![region, plan],
            |r| r.i64("n"),
        )
        .await?
        .unwrap_or(0);
    Ok(n as i32)
}

/// A unit's share of an indicator target.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub unit: UnitId,
    pub target_value: Decimal,
    pub version: i64,
}

/// Set (insert or replace) a unit's share of a target.
pub async fn put_split(
    tx: &mut Tx,
    ctx: &AuditCtx,
    indicator: IndicatorId,
    unit: UnitId,
    target: Decimal,
    expected: Option<i64>,
) -> Result<i64, StoreError> {
    let before = tx
        .fetch_optional(
            "SELECT target_value, version FROM indicator_splits WHERE region_id = $1 AND indicator_id = $2 AND unit_id = $3",
            args![ctx.region, indicator, unit],
            |r| Ok((r.dec("target_value")?, r.i64("version")?)),
        )
        .await?;
    let entity_id = format!("{indicator}/{unit}");
    let version = match (before, expected) {
        (None, _) => {
            tx.execute(
                "INSERT INTO indicator_splits (region_id, indicator_id, unit_id, target_value, version) VALUES ($1, $2, $3, $4, 1)",
                args![ctx.region, indicator, unit, target],
            )
            .await?;
            audit::record(
                tx,
                ctx,
                "create",
                "indicator_split",
                &entity_id,
                None,
                Some(json!({"target_value": target.to_string()})),
            )
            .await?;
            1
        }
        (Some((_, current)), Some(v)) if v != current => {
            return Err(StoreError::Conflict {
                entity: "indicator_split",
                expected: v,
                current,
            });
        }
        (Some((_, current)), None) => {
            return Err(StoreError::Conflict {
                entity: "indicator_split",
                expected: 0,
                current,
            });
        }
        (Some((old, current)), Some(_)) => {
            tx.execute(
                "UPDATE indicator_splits SET target_value = $4, version = version + 1 WHERE region_id = $1 AND indicator_id = $2 AND unit_id = $3",
                args![ctx.region, indicator, unit, target],
            )
            .await?;
            let (b, a) = (
                json!({"target_value": old.to_string()}),
                json!({"target_value": target.to_string()}),
            );
            audit::record(
                tx,
                ctx,
                "update",
                "indicator_split",
                &entity_id,
                Some(b),
                Some(a),
            )
            .await?;
            current + 1
        }
    };
    Ok(version)
}

pub async fn splits(
    db: &Db,
    region: RegionId,
    indicator: IndicatorId,
) -> Result<Vec<Split>, StoreError> {
    db.fetch(
        "SELECT unit_id, target_value, version FROM indicator_splits WHERE region_id = $1 AND indicator_id = $2 ORDER BY unit_id",
        args![region, indicator],
        |r| Ok(Split { unit: r.id("unit_id")?, target_value: r.dec("target_value")?, version: r.i64("version")? }),
    )
    .await
}

/// A stored period value with when and by whom it was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue {
    pub id: ValueId,
    pub value: IndicatorValue,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: Option<UserId>,
}

const VALUE_COLS: &str = "id, indicator_id, unit_id, year, month, revision, value, growth_pct, status, source, recorded_at, recorded_by";

fn value_row(r: &dyn Get) -> Result<StoredValue, StoreError> {
    let period = Period::new("period", r.i32("year")?, r.i32("month")? as u8).map_err(corrupt)?;
    Ok(StoredValue {
        id: r.id("id")?,
        value: IndicatorValue {
            indicator: r.id("indicator_id")?,
            unit: r.uuid_opt("unit_id")?.map(UnitId::from),
            period,
            value: r.dec("value")?,
            growth_pct: r.dec_opt("growth_pct")?,
            status: DataStatus::parse("status", &r.text("status")?).map_err(corrupt)?,
            source: r.text("source")?,
            revision: r.i32("revision")?,
        },
        recorded_at: r.ts("recorded_at")?,
        recorded_by: r.uuid_opt("recorded_by")?.map(UserId::from),
    })
}

/// Append a value; its revision is one more than the latest for the same indicator, unit and
/// period (the first is revision 1). Returns the revision written.
pub async fn append_value(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: ValueId,
    v: &IndicatorValue,
) -> Result<i32, StoreError> {
    let latest = match v.unit {
        Some(u) => tx
            .fetch_optional(
                "SELECT MAX(revision) AS rev FROM indicator_values WHERE region_id = $1 AND indicator_id = $2 AND unit_id = $3 AND year = $4 AND month = $5",
                args![ctx.region, v.indicator, u, v.period.year(), v.period.month() as i32],
                |r| r.i32_opt("rev"),
            )
            .await?,
        None => tx
            .fetch_optional(
                "SELECT MAX(revision) AS rev FROM indicator_values WHERE region_id = $1 AND indicator_id = $2 AND unit_id IS NULL AND year = $3 AND month = $4",
                args![ctx.region, v.indicator, v.period.year(), v.period.month() as i32],
                |r| r.i32_opt("rev"),
            )
            .await?,
    };
    let revision = latest.flatten().unwrap_or(0) + 1;
    tx.execute(
        "INSERT INTO indicator_values (region_id, id, indicator_id, unit_id, year, month, revision, value, growth_pct, status, source, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        args![
            ctx.region, id, v.indicator, v.unit, v.period.year(), v.period.month() as i32, revision, v.value, v.growth_pct,
            v.status.as_str(), v.source.clone(), ctx.at, ctx.actor
        ],
    )
    .await?;
    let after = json!({
        "indicator_id": v.indicator.to_string(), "unit_id": v.unit.map(|u| u.to_string()), "period": v.period.to_string(),
        "revision": revision, "value": v.value.normalize().to_string(), "growth_pct": v.growth_pct.map(|g| g.normalize().to_string()),
        "status": v.status.as_str(), "source": v.source,
    });
    audit::record(
        tx,
        ctx,
        "append",
        "indicator_value",
        &id.to_string(),
        None,
        Some(after),
    )
    .await?;
    Ok(revision)
}

/// Every version of every value of the given indicators, oldest first. Callers pick the current
/// (or as-of) revision per period with `current_values`.
pub async fn values(
    db: &Db,
    region: RegionId,
    indicators: &[IndicatorId],
) -> Result<Vec<StoredValue>, StoreError> {
    if indicators.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = format!(
        "SELECT {VALUE_COLS} FROM indicator_values WHERE region_id = $1 AND indicator_id IN ("
    );
    let mut a = args![region];
    for (i, id) in indicators.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        a.push((*id).into());
        sql.push_str(&format!("${}", a.len()));
    }
    sql.push_str(") ORDER BY indicator_id, unit_id, year, month, revision");
    db.fetch(&sql, a, value_row).await
}

/// The latest revision per (indicator, unit, period) recorded at or before `as_of` (all when `None`).
pub fn current_values(all: &[StoredValue], as_of: Option<OffsetDateTime>) -> Vec<&StoredValue> {
    let mut out: Vec<&StoredValue> = Vec::new();
    for v in all
        .iter()
        .filter(|v| as_of.is_none_or(|t| v.recorded_at <= t))
    {
        match out.last_mut() {
            Some(last)
                if last.value.indicator == v.value.indicator
                    && last.value.unit == v.value.unit
                    && last.value.period == v.value.period =>
            {
                if v.value.revision > last.value.revision {
                    *last = v;
                }
            }
            _ => out.push(v),
        }
    }
    out
}
