//! The bulletin document and its canonical JSON (the stored, digested form). The JSON is built
//! field by field (the app has no serde derive); decimals travel as normalised strings, so the
//! same figures always give the same text and digest.

use crate::AppError;
use luoshi_domain::ids::UnitId;
use luoshi_domain::measure::Decimal;
use luoshi_domain::supervision::{BulletinPeriod, BulletinRow};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use time::Date;
use uuid::Uuid;

/// A unit's line: the domain's counts and rank, with the unit's name.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitLine {
    pub row: BulletinRow,
    pub name: String,
}

/// One indicator as of the bulletin's day (region-wide figures).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorLine {
    pub name: String,
    /// The unit of measure as written, e.g. 亿元 or %.
    pub measure: String,
    pub target: Option<Decimal>,
    /// The latest month with a figure by the bulletin's day, e.g. `2026-09`.
    pub period: Option<String>,
    pub value: Option<Decimal>,
    pub growth_pct: Option<Decimal>,
    pub attainment_pct: Option<Decimal>,
    pub expected_pct: Option<Decimal>,
    /// Attainment − expected, in percentage points (个百分点).
    pub gap_pp: Option<Decimal>,
    /// `green`, `blue`, `yellow`, `red`.
    pub lamp: Option<String>,
}

/// The best units of one assessment category as of the bulletin's day.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryStanding {
    pub category: String,
    pub top: Vec<StandingLine>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StandingLine {
    pub rank: u32,
    pub unit: String,
    pub total: Decimal,
    pub grade: String,
}

/// A bulletin (通报) of a month or quarter, computed from the record as of `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulletin {
    pub period: BulletinPeriod,
    /// The period's last day: every figure is as it stood at the end of it.
    pub as_of: Date,
    pub region: String,
    /// Ranked, best first (the domain's rule).
    pub units: Vec<UnitLine>,
    pub indicators: Vec<IndicatorLine>,
    /// Empty when not asked for or when no assessment scheme is stored.
    pub standings: Vec<CategoryStanding>,
}

fn d(x: Decimal) -> Value {
    Value::String(x.normalize().to_string())
}

fn od(x: Option<Decimal>) -> Value {
    x.map_or(Value::Null, d)
}

impl Bulletin {
    /// The canonical JSON value.
    pub fn to_json(&self) -> Value {
        let units: Vec<Value> = self
            .units
            .iter()
            .map(|l| {
                let r = &l.row;
                json!({
                    "unit_id": r.unit.to_string(), "code": r.unit_code, "name": l.name,
                    "rank": r.rank, "tasks": r.tasks, "completed": r.completed,
                    "lagging": r.lagging, "red": r.red, "overdue": r.overdue,
                    "reports_due": r.reports_due, "reports_on_time": r.reports_on_time,
                    "on_time_rate": od(r.on_time_rate),
                    "notices_due": r.notices_due, "notices_on_time": r.notices_on_time,
                })
            })
            .collect();
        let indicators: Vec<Value> = self
            .indicators
            .iter()
            .map(|i| {
                json!({
                    "name": i.name, "measure": i.measure, "target": od(i.target),
                    "period": i.period, "value": od(i.value), "growth_pct": od(i.growth_pct),
                    "attainment_pct": od(i.attainment_pct), "expected_pct": od(i.expected_pct),
                    "gap_pp": od(i.gap_pp), "lamp": i.lamp,
                })
            })
            .collect();
        let standings: Vec<Value> = self
            .standings
            .iter()
            .map(|c| {
                let top: Vec<Value> = c
                    .top
                    .iter()
                    .map(|s| json!({"rank": s.rank, "unit": s.unit, "total": d(s.total), "grade": s.grade}))
                    .collect();
                json!({"category": c.category, "top": top})
            })
            .collect();
        json!({
            "period": self.period.label(),
            "as_of": self.as_of.to_string(),
            "region": self.region,
            "units": units,
            "indicators": indicators,
            "standings": standings,
        })
    }

    /// The canonical text (compact JSON, keys sorted) and its hex SHA-256.
    pub fn canonical(&self) -> (String, String) {
        let text = canonical_text(&self.to_json());
        let digest = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        (text, digest)
    }

    /// Read a stored body back.
    pub fn from_json(v: &Value) -> Result<Self, AppError> {
        let period = BulletinPeriod::parse("period", text(v, "period")?.as_str())?;
        let as_of = luoshi_domain::calendar::parse_date("as_of", &text(v, "as_of")?)?;
        let units = list(v, "units")?
            .iter()
            .map(|u| {
                let row = BulletinRow {
                    unit: UnitId::from_uuid(
                        Uuid::parse_str(&text(u, "unit_id")?).map_err(|_| corrupt("unit_id"))?,
                    ),
                    unit_code: text(u, "code")?,
                    rank: num(u, "rank")?,
                    tasks: num(u, "tasks")?,
                    completed: num(u, "completed")?,
                    lagging: num(u, "lagging")?,
                    red: num(u, "red")?,
                    overdue: num(u, "overdue")?,
                    reports_due: num(u, "reports_due")?,
                    reports_on_time: num(u, "reports_on_time")?,
                    on_time_rate: opt_dec(u, "on_time_rate")?,
                    notices_due: num(u, "notices_due")?,
                    notices_on_time: num(u, "notices_on_time")?,
                };
                Ok(UnitLine {
                    row,
                    name: text(u, "name")?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let indicators = list(v, "indicators")?
            .iter()
            .map(|i| {
                Ok(IndicatorLine {
                    name: text(i, "name")?,
                    measure: text(i, "measure")?,
                    target: opt_dec(i, "target")?,
                    period: opt_text(i, "period"),
                    value: opt_dec(i, "value")?,
                    growth_pct: opt_dec(i, "growth_pct")?,
                    attainment_pct: opt_dec(i, "attainment_pct")?,
                    expected_pct: opt_dec(i, "expected_pct")?,
                    gap_pp: opt_dec(i, "gap_pp")?,
                    lamp: opt_text(i, "lamp"),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let standings = list(v, "standings")?
            .iter()
            .map(|c| {
                let top = list(c, "top")?
                    .iter()
                    .map(|s| {
                        Ok(StandingLine {
                            rank: num(s, "rank")?,
                            unit: text(s, "unit")?,
                            total: opt_dec(s, "total")?.ok_or_else(|| corrupt("total"))?,
                            grade: text(s, "grade")?,
                        })
                    })
                    .collect::<Result<Vec<_>, AppError>>()?;
                Ok(CategoryStanding {
                    category: text(c, "category")?,
                    top,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(Self {
            period,
            as_of,
            region: text(v, "region")?,
            units,
            indicators,
            standings,
        })
    }
}

/// Compact JSON with every object's keys sorted (whatever order the map keeps).
pub fn canonical_text(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = Map::new();
                for (k, x) in entries {
                    out.insert(k.clone(), sorted(x));
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            x => x.clone(),
        }
    }
    sorted(v).to_string()
}

fn corrupt(what: &str) -> AppError {
    AppError::Internal(format!("stored bulletin: bad {what}"))
}

fn text(v: &Value, k: &str) -> Result<String, AppError> {
    v.get(k)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| corrupt(k))
}

fn opt_text(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned)
}

fn num(v: &Value, k: &str) -> Result<u32, AppError> {
    v.get(k)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| corrupt(k))
}

fn opt_dec(v: &Value, k: &str) -> Result<Option<Decimal>, AppError> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Decimal::from_str(s).map(Some).map_err(|_| corrupt(k)),
        Some(_) => Err(corrupt(k)),
    }
}

fn list<'a>(v: &'a Value, k: &str) -> Result<&'a Vec<Value>, AppError> {
    v.get(k).and_then(Value::as_array).ok_or_else(|| corrupt(k))
}
