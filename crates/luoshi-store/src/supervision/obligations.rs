//! What the sweep needs to know about indicator reporting: which indicators a region's plans of a
//! year carry (with the unit that reports the region-wide figure and the cadence), which units were
//! given a share to report (splits), and when the first value of each period arrived.

use crate::{Db, StoreError, args};
use luoshi_domain::ids::{IndicatorId, RegionId, UnitId};
use luoshi_domain::indicator::Cadence;
use std::collections::HashMap;
use time::{Date, UtcOffset};

/// An indicator of a plan of the year, with who reports it and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorDuty {
    pub indicator: IndicatorId,
    pub name: String,
    /// The unit reporting the region-wide figure, if one is named.
    pub lead_unit: Option<UnitId>,
    pub cadence: Cadence,
    /// Units with a share (split) of the target, each reporting its own figure.
    pub split_units: Vec<UnitId>,
}

/// The day (China Standard Time) each period's first value arrived, keyed by indicator, the
/// reporting unit (`None` for the region-wide figure), year and month.
pub type FirstReports = HashMap<(IndicatorId, Option<UnitId>, i32, u8), Date>;

fn cst() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The indicators of the region's plans for `year`, by position.
pub async fn indicator_duties(
    db: &Db,
    region: RegionId,
    year: i32,
) -> Result<Vec<IndicatorDuty>, StoreError> {
    let rows = db
        .fetch(
            "SELECT i.id, i.name, i.lead_unit_id, i.cadence FROM indicators i JOIN plans p ON p.region_id = i.region_id AND p.id = i.plan_id \
             WHERE i.region_id = $1 AND p.year = $2 ORDER BY i.plan_id, i.position",
            args![region, year],
            |r| {
                let cadence = Cadence::parse("cadence", &r.text("cadence")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(IndicatorDuty {
                    indicator: r.id::<IndicatorId>("id")?,
                    name: r.text("name")?,
                    lead_unit: r.uuid_opt("lead_unit_id")?.map(UnitId::from),
                    cadence,
                    split_units: vec![],
                })
            },
        )
        .await?;
    let splits = db
        .fetch(
            "SELECT s.indicator_id, s.unit_id FROM indicator_splits s JOIN indicators i ON i.region_id = s.region_id AND i.id = s.indicator_id \
             JOIN plans p ON p.region_id = i.region_id AND p.id = i.plan_id WHERE s.region_id = $1 AND p.year = $2 ORDER BY s.unit_id",
            args![region, year],
            |r| Ok((r.id::<IndicatorId>("indicator_id")?, r.id::<UnitId>("unit_id")?)),
        )
        .await?;
    let mut by_indicator: HashMap<IndicatorId, Vec<UnitId>> = HashMap::new();
    for (i, u) in splits {
        by_indicator.entry(i).or_default().push(u);
    }
    Ok(rows
        .into_iter()
        .map(|mut d| {
            d.split_units = by_indicator.remove(&d.indicator).unwrap_or_default();
            d
        })
        .collect())
}

/// The first arrival of every value of `year` whose month is `from_month` or later.
pub async fn first_reports(
    db: &Db,
    region: RegionId,
    year: i32,
    from_month: u8,
) -> Result<FirstReports, StoreError> {
    let rows = db
        .fetch(
            "SELECT indicator_id, unit_id, month, MIN(recorded_at) AS first_at FROM indicator_values \
             WHERE region_id = $1 AND year = $2 AND month >= $3 GROUP BY indicator_id, unit_id, month",
            args![region, year, i32::from(from_month)],
            |r| {
                Ok((
                    r.id::<IndicatorId>("indicator_id")?,
                    r.uuid_opt("unit_id")?.map(UnitId::from),
                    r.i32("month")?,
                    r.ts("first_at")?,
                ))
            },
        )
        .await?;
    let mut out = FirstReports::new();
    for (i, u, m, at) in rows {
        let month = u8::try_from(m).map_err(|_| StoreError::Corrupt(format!("month {m}")))?;
        out.insert((i, u, year, month), at.to_offset(cst()).date());
    }
    Ok(out)
}
