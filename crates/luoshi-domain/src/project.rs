//! Key projects (重点项目): planned and completed investment, stages, the leader and unit in
//! charge, open issues to coordinate, lamps by the lag rules, and the roll-up of completed
//! investment to the fixed-asset-investment (FAI) figure with a cross-check against the figure the
//! statistics bureau reports.

use crate::calendar::Period;
use crate::error::{ValidationError, optional_text, required_text};
use crate::ids::{PersonId, ProjectId, RegionId, UnitId};
use crate::measure::{Decimal, MeasureUnit};
use std::collections::BTreeMap;
use time::Date;

pub mod import;
mod standing;
pub use standing::{
    CrossCheck, ExpectedInvestment, ProjectPolicy, ProjectReason, ProjectStanding, Rollup,
    add_months_to_period, cross_check, project_standing, rollup,
};

/// An amount of money with its unit made explicit (亿元, 万元 or 元).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub value: Decimal,
    pub unit: MeasureUnit,
}

impl Money {
    /// An amount; `unit` must be a money unit (the error names `field`).
    pub fn new(field: &str, value: Decimal, unit: MeasureUnit) -> Result<Self, ValidationError> {
        if unit.yuan_factor().is_none() {
            return Err(not_money(field, &unit));
        }
        Ok(Self { value, unit })
    }

    /// An amount in 万元.
    pub fn wan(value: Decimal) -> Self {
        Self {
            value,
            unit: MeasureUnit::WanYuan,
        }
    }

    /// An amount in 亿元.
    pub fn yi(value: Decimal) -> Self {
        Self {
            value,
            unit: MeasureUnit::YiYuan,
        }
    }

    /// The same amount in another money unit (`None` on overflow or a non-money unit).
    pub fn to(&self, unit: &MeasureUnit) -> Option<Money> {
        self.unit.convert(self.value, unit).map(|value| Money {
            value,
            unit: unit.clone(),
        })
    }

    /// The amount in yuan, for comparisons across units.
    pub fn yuan(&self) -> Option<Decimal> {
        self.value.checked_mul(self.unit.yuan_factor()?)
    }
}

fn not_money(field: &str, unit: &MeasureUnit) -> ValidationError {
    ValidationError::new(
        field,
        "invalid_unit",
        format!("{field} must be in 亿元, 万元 or 元, not {}", unit.as_str()),
    )
}

/// The stage of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProjectStage {
    /// 前期: approvals, land, design; construction not started.
    Preparation,
    /// 在建
    UnderConstruction,
    /// 竣工
    Completed,
    /// 投产 (or 运营: in operation)
    InProduction,
}

impl ProjectStage {
    pub const ALL: [ProjectStage; 4] = [
        Self::Preparation,
        Self::UnderConstruction,
        Self::Completed,
        Self::InProduction,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Preparation => "preparation",
            Self::UnderConstruction => "under_construction",
            Self::Completed => "completed",
            Self::InProduction => "in_production",
        }
    }

    /// Accepts the English names and the Chinese terms (simplified or traditional).
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "preparation" | "前期" => Ok(Self::Preparation),
            "under_construction" | "在建" => Ok(Self::UnderConstruction),
            "completed" | "竣工" => Ok(Self::Completed),
            "in_production" | "投产" | "投產" => Ok(Self::InProduction),
            _ => Err(ValidationError::new(
                field,
                "invalid_choice",
                format!(
                    "{field} must be one of: preparation, under_construction, completed, in_production"
                ),
            )),
        }
    }
}

/// A problem the project needs coordinated (协调事项), with the unit that owns it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectIssue {
    pub text: String,
    pub owner: UnitId,
    pub raised_on: Date,
    pub due: Date,
    pub resolved_on: Option<Date>,
}

/// The validated, editable fields of a key project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFields {
    pub name: String,
    /// The industrial park or area the project is in.
    pub park: String,
    /// The unit both investment figures (and the monthly values) are in; 万元 unless stated.
    pub investment_unit: MeasureUnit,
    pub total_investment: Decimal,
    /// The year `annual_investment` is planned for.
    pub year: i32,
    pub annual_investment: Decimal,
    /// The month construction is planned to start.
    pub planned_start: Period,
    pub planned_completion: Option<Date>,
    pub planned_production: Option<Date>,
    pub stage: ProjectStage,
    /// Actual construction start (开工).
    pub started_on: Option<Date>,
    pub completed_on: Option<Date>,
    pub in_production_on: Option<Date>,
    /// The district leader in charge (包抓领导).
    pub leader: Option<PersonId>,
    pub responsible_unit: UnitId,
    pub issues: Vec<ProjectIssue>,
}

impl ProjectFields {
    /// Parse the investment unit: empty means 万元; anything but a money unit is refused.
    pub fn parse_unit(field: &str, s: &str) -> Result<MeasureUnit, ValidationError> {
        if s.trim().is_empty() {
            return Ok(MeasureUnit::WanYuan);
        }
        let unit = MeasureUnit::parse(field, s)?;
        if unit.yuan_factor().is_none() {
            return Err(not_money(field, &unit));
        }
        Ok(unit)
    }

    /// The total planned investment as money.
    pub fn total(&self) -> Money {
        Money {
            value: self.total_investment,
            unit: self.investment_unit.clone(),
        }
    }

    /// Check every rule that spans fields; errors name the field.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, 200)?;
        self.park = required_text("park", &self.park, 100)?;
        if self.investment_unit.yuan_factor().is_none() {
            return Err(not_money("investment_unit", &self.investment_unit));
        }
        if self.total_investment <= Decimal::ZERO {
            return Err(ValidationError::new(
                "total_investment",
                "out_of_range",
                "the total planned investment must be positive",
            ));
        }
        if self.annual_investment < Decimal::ZERO || self.annual_investment > self.total_investment
        {
            return Err(ValidationError::new(
                "annual_investment",
                "out_of_range",
                "the annual planned investment is between 0 and the total",
            ));
        }
        if !(1900..=2999).contains(&self.year) {
            return Err(ValidationError::new(
                "year",
                "out_of_range",
                "year is out of range",
            ));
        }
        let start_month =
            crate::calendar::month_start(self.planned_start.year(), self.planned_start.month());
        order(
            "planned_completion",
            Some(start_month),
            self.planned_completion,
        )?;
        order(
            "planned_production",
            self.planned_completion,
            self.planned_production,
        )?;
        self.check_stage()?;
        for (i, issue) in self.issues.iter_mut().enumerate() {
            let at = format!("issues[{i}]");
            issue.text = required_text("text", &issue.text, 1000).map_err(|e| e.within(&at))?;
            order(&format!("{at}.due"), Some(issue.raised_on), Some(issue.due))?;
            order(
                &format!("{at}.resolved_on"),
                Some(issue.raised_on),
                issue.resolved_on,
            )?;
        }
        Ok(self)
    }

    /// The stage must agree with the actual dates, and the actual dates come in order.
    fn check_stage(&self) -> Result<(), ValidationError> {
        let need = |field: &str, d: Option<Date>| match d {
            Some(_) => Ok(()),
            None => Err(ValidationError::new(
                field,
                "required",
                format!("{field} is required at stage {}", self.stage.as_str()),
            )),
        };
        let forbid = |field: &str, d: Option<Date>| match d {
            None => Ok(()),
            Some(_) => Err(ValidationError::new(
                field,
                "inconsistent",
                format!("{field} is set but the stage is {}", self.stage.as_str()),
            )),
        };
        use ProjectStage as S;
        let s = self.stage;
        if s >= S::UnderConstruction {
            need("started_on", self.started_on)?;
        } else {
            forbid("started_on", self.started_on)?;
        }
        if s >= S::Completed {
            need("completed_on", self.completed_on)?;
        } else {
            forbid("completed_on", self.completed_on)?;
        }
        if s >= S::InProduction {
            need("in_production_on", self.in_production_on)?;
        } else {
            forbid("in_production_on", self.in_production_on)?;
        }
        order("completed_on", self.started_on, self.completed_on)?;
        order("in_production_on", self.completed_on, self.in_production_on)
    }
}

/// `later` (named `field`) must not be before `earlier` when both are given.
fn order(field: &str, earlier: Option<Date>, later: Option<Date>) -> Result<(), ValidationError> {
    match (earlier, later) {
        (Some(a), Some(b)) if b < a => Err(ValidationError::new(
            field,
            "out_of_order",
            format!("{field} ({b}) is before {a}"),
        )),
        _ => Ok(()),
    }
}

/// A key project as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub region: RegionId,
    pub fields: ProjectFields,
    pub version: i64,
}

/// Investment completed by the end of `period`, cumulative from January of that year (1–m月), in
/// the project's investment unit. Values are append-only like indicator values: a revision is a
/// new row with a higher `revision`.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentValue {
    pub project: ProjectId,
    pub period: Period,
    pub value: Decimal,
    pub source: String,
    pub revision: i32,
}

/// The current (latest-revision) cumulative value of each period.
pub fn current_values(values: &[InvestmentValue]) -> BTreeMap<Period, Decimal> {
    let mut latest: BTreeMap<Period, (i32, Decimal)> = BTreeMap::new();
    for v in values {
        let keep = latest.get(&v.period).is_none_or(|(r, _)| v.revision > *r);
        if keep {
            latest.insert(v.period, (v.revision, v.value));
        }
    }
    latest.into_iter().map(|(p, (_, v))| (p, v)).collect()
}

/// Check a new monthly value against the values already recorded: it is not negative, and the
/// cumulative series of its year does not fall (a month's total is at least the previous month's
/// and at most the next month's). Errors name `value`.
pub fn validate_investment(
    period: Period,
    value: Decimal,
    source: &str,
    existing: &[InvestmentValue],
) -> Result<String, ValidationError> {
    let source = optional_text("source", source, 200)?;
    if value < Decimal::ZERO {
        return Err(ValidationError::new(
            "value",
            "out_of_range",
            "investment completed cannot be negative",
        ));
    }
    let current = current_values(existing);
    let same_year = |p: &&Period| p.year() == period.year();
    let before = current.iter().rfind(|(p, _)| same_year(p) && **p < period);
    let after = current.iter().find(|(p, _)| same_year(p) && **p > period);
    if let Some((p, v)) = before.filter(|(_, v)| value < **v) {
        return Err(ValidationError::new(
            "value",
            "decreasing",
            format!("the cumulative value is below the {p} total of {v}"),
        ));
    }
    if let Some((p, v)) = after.filter(|(_, v)| value > **v) {
        return Err(ValidationError::new(
            "value",
            "decreasing",
            format!("the cumulative value is above the later {p} total of {v}"),
        ));
    }
    Ok(source)
}

#[cfg(test)]
mod tests;
