//! Indicators (指标), their cumulative period values with revisions, and their evaluation:
//! growth, attainment, expected progress (序时进度), schedule gap and lamp.

use crate::calendar::{Period, month_end};
use crate::error::{ValidationError, optional_text, required_text};
use crate::ids::{IndicatorId, PlanId, RegionId, SectionId, UnitId};
use crate::lamp::{ExpectedBasis, Lamp, LampPolicy};
use crate::measure::{Decimal, MeasureUnit, percent_of};

/// Real (comparable-price) or nominal (current-price) growth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceBasis {
    /// 可比价: GDP and industrial value added growth.
    Comparable,
    /// 现价: investment, retail sales, fiscal revenue.
    Current,
}

/// Whether more is better (revenue) or less is better (energy use per unit of GDP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increase,
    Decrease,
}

/// Whether period values accumulate over the year (1–m月 totals) or are levels (a rate at a date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accumulation {
    Cumulative,
    Level,
}

/// How often values are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Monthly,
    /// Monthly, but January is reported together with February (fixed-asset investment).
    MonthlyFromFebruary,
    Quarterly,
}

impl Cadence {
    /// Whether a cumulative value is due for month `m`.
    pub fn expects(&self, month: u8) -> bool {
        match self {
            Self::Monthly => true,
            Self::MonthlyFromFebruary => month >= 2,
            Self::Quarterly => month.is_multiple_of(3),
        }
    }
}

/// The standing of a figure: 快报 flash, 初步核算 preliminary, 最终核实 final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataStatus {
    Flash,
    Preliminary,
    Final,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident = $s:literal $(| $alt:literal)*),* $(,)? } $what:literal) => {
        impl $t {
            pub fn as_str(&self) -> &'static str { match self { $(Self::$v => $s),* } }
            pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
                match s.trim() {
                    $($s $(| $alt)* => Ok(Self::$v),)*
                    _ => Err(ValidationError::new(field, "invalid_choice", format!(concat!("{} must be one of: ", $what), field))),
                }
            }
        }
    };
}

str_enum!(PriceBasis { Comparable = "comparable" | "可比价" | "可比價", Current = "current" | "现价" | "現價" } "comparable, current");
str_enum!(Direction { Increase = "increase", Decrease = "decrease" } "increase, decrease");
str_enum!(Accumulation { Cumulative = "cumulative", Level = "level" } "cumulative, level");
str_enum!(Cadence { Monthly = "monthly", MonthlyFromFebruary = "monthly_from_february", Quarterly = "quarterly" } "monthly, monthly_from_february, quarterly");
str_enum!(DataStatus { Flash = "flash" | "快报" | "快報", Preliminary = "preliminary" | "初步核算", Final = "final" | "最终核实" | "最終核實" } "flash, preliminary, final");

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: IndicatorId,
    pub region: RegionId,
    pub plan: PlanId,
    pub fields: IndicatorFields,
}

/// The validated, editable description of an indicator and its annual target.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: MeasureUnit,
    pub price_basis: Option<PriceBasis>,
    pub direction: Direction,
    pub accumulation: Accumulation,
    pub cadence: Cadence,
    /// Last year's annual result (基数), in `unit`.
    pub baseline: Option<Decimal>,
    /// Last year's growth as reported, in %.
    pub baseline_growth_pct: Option<Decimal>,
    /// This year's target value, in `unit`.
    pub target_value: Option<Decimal>,
    /// This year's target growth, in %.
    pub target_growth_pct: Option<Decimal>,
    pub section: Option<SectionId>,
    /// The unit that reports the region-wide figure (usually the statistics bureau).
    pub lead_unit: Option<UnitId>,
    pub note: String,
}

impl IndicatorFields {
    /// Check cross-field rules; individual values are parsed by the caller. An indicator may lack
    /// a target (a published figure can be masked, e.g. "40.*亿元"): it is then tracked without a lamp.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, 100)?;
        self.note = optional_text("note", &self.note, 500)?;
        if let Some(t) = self.target_value
            && self.accumulation == Accumulation::Cumulative
            && t <= Decimal::ZERO
        {
            return Err(ValidationError::new(
                "target_value",
                "out_of_range",
                "a cumulative target must be positive",
            ));
        }
        for (field, v) in [
            ("target_growth_pct", self.target_growth_pct),
            ("baseline_growth_pct", self.baseline_growth_pct),
        ] {
            if v.is_some_and(|g| g <= Decimal::from(-100) || g > Decimal::from(10_000)) {
                return Err(ValidationError::new(
                    field,
                    "out_of_range",
                    "growth must be above -100%",
                ));
            }
        }
        Ok(self)
    }
}

/// One version of a period value. Values are append-only: a revision is a new row with a higher
/// `revision`; the figure "as of" a time is the latest revision recorded by then.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub indicator: IndicatorId,
    /// `None` for the region-wide figure, or the unit the value was decomposed to.
    pub unit: Option<UnitId>,
    pub period: Period,
    /// Cumulative year-to-date value (or the level), in the indicator's unit.
    pub value: Decimal,
    /// Growth on the same period last year as reported by the statistics bureau, in %.
    pub growth_pct: Option<Decimal>,
    pub status: DataStatus,
    pub source: String,
    pub revision: i32,
}

/// The current figure for a period, as used by the evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub period: Period,
    pub value: Decimal,
    pub growth_pct: Option<Decimal>,
}

/// Growth from `base` to `current`, in %, to 2 decimals: 43.95 → 49.4 is 12.40.
pub fn growth_pct(base: Decimal, current: Decimal) -> Option<Decimal> {
    if base.is_zero() {
        return None;
    }
    current
        .checked_sub(base)?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(base)
        .map(|v| v.round_dp(2))
}

/// The value implied by a baseline and a growth rate: `base × (1 + g/100)`.
pub fn implied_value(base: Decimal, growth_pct: Decimal) -> Option<Decimal> {
    let factor = Decimal::ONE.checked_add(growth_pct.checked_div(Decimal::ONE_HUNDRED)?)?;
    base.checked_mul(factor)
}

/// Expected progress (序时进度) at the end of `period`, in %.
///
/// With `policy.seasonal_profile` and last year's cumulative figures for the same month and for
/// December, the expectation follows last year's seasonal shape; otherwise m/12 (or the share of
/// days elapsed).
pub fn expected_pct(period: Period, last_year: &[Point], policy: &LampPolicy) -> (Decimal, bool) {
    if policy.seasonal_profile {
        let at = |m: u8| {
            last_year
                .iter()
                .find(|p| p.period.month() == m && p.period.year() == period.year() - 1)
        };
        if let (Some(same), Some(dec)) = (at(period.month()), at(12))
            && dec.value > Decimal::ZERO
            && same.value >= Decimal::ZERO
            && let Some(share) = percent_of(same.value, dec.value)
        {
            return (share.min(Decimal::ONE_HUNDRED), true);
        }
    }
    let share = match policy.expected_basis {
        ExpectedBasis::MonthShare => percent_of(Decimal::from(period.month()), Decimal::from(12)),
        ExpectedBasis::DayShare => {
            let end = month_end(period.year(), period.month());
            let days_in_year = if time::util::is_leap_year(period.year()) {
                366
            } else {
                365
            };
            percent_of(Decimal::from(end.ordinal()), Decimal::from(days_in_year))
        }
    };
    (share.unwrap_or(Decimal::ZERO), false)
}

/// Everything derived about an indicator at its latest reported period.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub period: Period,
    pub value: Decimal,
    pub growth_pct: Option<Decimal>,
    /// Cumulative value / annual target (or level / target), in %.
    pub attainment_pct: Option<Decimal>,
    pub expected_pct: Option<Decimal>,
    /// Whether `expected_pct` follows last year's seasonal profile.
    pub seasonal: bool,
    /// Attainment − expected, in percentage points (sign flipped for decreasing indicators).
    pub gap_pp: Option<Decimal>,
    /// Actual growth − target growth, in percentage points (sign flipped for decreasing ones).
    pub growth_gap_pp: Option<Decimal>,
    pub lamp: Option<Lamp>,
}

/// Evaluate an indicator from this year's and last year's current figures. `None` when no figure
/// for the plan year exists yet.
pub fn evaluate(
    fields: &IndicatorFields,
    year: i32,
    points: &[Point],
    policy: &LampPolicy,
) -> Option<Evaluation> {
    let latest = points
        .iter()
        .filter(|p| p.period.year() == year)
        .max_by_key(|p| p.period)?;
    let last_year: Vec<Point> = points
        .iter()
        .filter(|p| p.period.year() == year - 1)
        .copied()
        .collect();
    let same_last_year = last_year
        .iter()
        .find(|p| p.period.month() == latest.period.month());
    let growth = latest
        .growth_pct
        .or_else(|| same_last_year.and_then(|p| growth_pct(p.value, latest.value)));
    let sign = match fields.direction {
        Direction::Increase => Decimal::ONE,
        Direction::Decrease => Decimal::NEGATIVE_ONE,
    };

    let (attainment, expected, seasonal) = match (fields.target_value, fields.accumulation) {
        (Some(target), Accumulation::Cumulative) => {
            let (e, s) = expected_pct(latest.period, &last_year, policy);
            (percent_of(latest.value, target), Some(e), s)
        }
        (Some(target), Accumulation::Level) => {
            let a = match fields.direction {
                Direction::Increase => percent_of(latest.value, target),
                Direction::Decrease => percent_of(target, latest.value),
            };
            (a, Some(Decimal::ONE_HUNDRED), false)
        }
        (None, _) => (None, None, false),
    };
    let gap = match (attainment, expected, fields.accumulation) {
        (Some(a), Some(e), Accumulation::Cumulative) => Some((a - e) * sign),
        (Some(a), Some(e), Accumulation::Level) => Some(a - e),
        _ => None,
    };
    let growth_gap = match (growth, fields.target_growth_pct) {
        (Some(g), Some(t)) => Some((g - t) * sign),
        _ => None,
    };
    let lamp = [
        gap.map(|g| policy.schedule_lamp(g)),
        growth_gap.map(|g| policy.growth_lamp(g)),
    ]
    .into_iter()
    .flatten()
    .max();
    Some(Evaluation {
        period: latest.period,
        value: latest.value,
        growth_pct: growth,
        attainment_pct: attainment,
        expected_pct: expected,
        seasonal,
        gap_pp: gap,
        growth_gap_pp: growth_gap,
        lamp,
    })
}

/// The result of checking a decomposition (层层分解) of a region target among units.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitCheck {
    pub total: Decimal,
    pub sum_of_parts: Decimal,
    /// How much the parts fall short of the whole; `None` when they cover it.
    pub shortfall: Option<Decimal>,
}

/// The parts of a decomposed target must add up to at least the whole.
pub fn check_split(total: Decimal, parts: &[Decimal]) -> SplitCheck {
    let sum: Decimal = parts.iter().copied().sum();
    SplitCheck {
        total,
        sum_of_parts: sum,
        shortfall: (sum < total).then(|| total - sum),
    }
}

#[cfg(test)]
mod tests;
