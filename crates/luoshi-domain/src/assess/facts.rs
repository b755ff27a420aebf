//! The inputs of an assessment: dated facts per unit, read from the record by an adapter.
//! Every fact carries the date it became true, so the engine can read the record as of a date.

use super::MetricKey;
use crate::ids::{TaskId, UnitId};
use crate::measure::Decimal;
use std::collections::BTreeMap;
use time::Date;

/// The facts of every unit; a unit without an entry has no facts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub units: BTreeMap<UnitId, UnitFacts>,
}

impl Facts {
    /// The facts of `unit` (empty when none were given).
    pub fn of(&self, unit: UnitId) -> &UnitFacts {
        static EMPTY: UnitFacts = UnitFacts {
            tasks: Vec::new(),
            indicators: Vec::new(),
            metrics: Vec::new(),
            events: Vec::new(),
            bonuses: Vec::new(),
            vetoes: Vec::new(),
            manual: Vec::new(),
        };
        self.units.get(&unit).unwrap_or(&EMPTY)
    }

    /// The facts of `unit`, for filling in.
    pub fn unit_mut(&mut self, unit: UnitId) -> &mut UnitFacts {
        self.units.entry(unit).or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitFacts {
    pub tasks: Vec<TaskOutcome>,
    pub indicators: Vec<IndicatorFact>,
    pub metrics: Vec<MetricFact>,
    pub events: Vec<EventFact>,
    pub bonuses: Vec<BonusFact>,
    pub vetoes: Vec<VetoFact>,
    pub manual: Vec<ManualScore>,
}

/// A task the unit is responsible for, with the dates of its history that scoring needs.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskOutcome {
    pub task: TaskId,
    pub title: String,
    pub weight: Decimal,
    /// When it was assigned; a task assigned after the as-of date does not exist yet.
    pub assigned_on: Date,
    /// The original deadline.
    pub deadline: Date,
    /// Approved extensions; the latest approved by the as-of date sets the deadline.
    pub extensions: Vec<DeadlineChange>,
    pub closed_on: Option<Date>,
    pub cancelled_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineChange {
    pub approved_on: Date,
    pub deadline: Date,
}

impl TaskOutcome {
    /// The deadline in force on `as_of`.
    pub fn deadline_as_of(&self, as_of: Date) -> Date {
        self.extensions
            .iter()
            .filter(|e| e.approved_on <= as_of)
            .max_by_key(|e| e.approved_on)
            .map_or(self.deadline, |e| e.deadline)
    }
}

/// An indicator's attainment (cumulative value / annual target, in percent) as reported on `on`.
/// Revisions are new facts with a later date.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFact {
    /// The indicator's key as named by scheme items, e.g. `gdp`.
    pub indicator: String,
    pub on: Date,
    pub attainment_pct: Decimal,
}

/// A computed metric of the unit as of `on` (e.g. the on-time reporting rate to date).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFact {
    pub metric: MetricKey,
    pub on: Date,
    pub value: MetricValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MetricValue {
    /// numerator / denominator, shown as a percentage.
    Rate {
        numerator: Decimal,
        denominator: Decimal,
    },
    /// A plain figure, e.g. a growth rate in percent.
    Amount(Decimal),
}

impl MetricValue {
    /// The value used to rank: a rate in percent (`None` when nothing was due), or the amount.
    pub fn rank_value(&self) -> Option<Decimal> {
        match self {
            Self::Rate {
                numerator,
                denominator,
            } => (!denominator.is_zero()).then(|| *numerator * Decimal::ONE_HUNDRED / *denominator),
            Self::Amount(a) => Some(*a),
        }
    }
}

/// Something that happened to the unit: a yellow card, a repeat petition …
#[derive(Debug, Clone, PartialEq)]
pub struct EventFact {
    /// e.g. `card.yellow`, `card.red`, `petition.repeat`.
    pub kind: String,
    pub on: Date,
    /// What it concerns, e.g. the task or petition case id.
    pub subject: String,
    pub description: String,
}

/// A bonus entered for a bonus item, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct BonusFact {
    pub item: String,
    pub on: Date,
    pub points: Decimal,
    pub evidence: String,
    pub entered_by: String,
}

/// A veto entered for a veto item (e.g. a major safety accident), with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct VetoFact {
    pub item: String,
    pub on: Date,
    pub evidence: String,
    pub entered_by: String,
}

/// A score entered for a manual item; a later entry replaces an earlier one.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualScore {
    pub item: String,
    pub entered_on: Date,
    pub entered_by: String,
    pub points: Decimal,
    pub note: String,
}

/// Whether a metric is a rate (usable by rate × points) or a plain figure (rank only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    Rate,
    Amount,
}

/// A metric the record can compute. Every known metric is higher-is-better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricSpec {
    pub key: &'static str,
    pub kind: MetricKind,
    pub description: &'static str,
}

/// The metrics scheme items may name.
pub const METRICS: &[MetricSpec] = &[
    MetricSpec {
        key: "reporting.on_time_rate",
        kind: MetricKind::Rate,
        description: "progress reports submitted on time / reports due",
    },
    MetricSpec {
        key: "notices.answered_on_time_rate",
        kind: MetricKind::Rate,
        description: "supervision notices answered by their date / notices due",
    },
    MetricSpec {
        key: "petitions.accepted_on_time_rate",
        kind: MetricKind::Rate,
        description: "petition cases accepted or declined within the legal time / cases",
    },
    MetricSpec {
        key: "petitions.reply_on_time_rate",
        kind: MetricKind::Rate,
        description: "petition cases concluded within the legal time / cases due",
    },
    MetricSpec {
        key: "petitions.satisfaction_rate",
        kind: MetricKind::Rate,
        description: "petitioners rating the handling satisfactory / ratings",
    },
    MetricSpec {
        key: "projects.investment_completion_rate",
        kind: MetricKind::Rate,
        description: "key-project investment completed / annual planned investment",
    },
    MetricSpec {
        key: "evaluation.satisfaction_rate",
        kind: MetricKind::Rate,
        description: "satisfied answers in the public evaluation / answers",
    },
    MetricSpec {
        key: "economy.gdp_growth",
        kind: MetricKind::Amount,
        description: "GDP growth at comparable prices, in percent",
    },
    MetricSpec {
        key: "fiscal.revenue_growth",
        kind: MetricKind::Amount,
        description: "general public budget revenue growth, in percent",
    },
];

/// The specification of a known metric.
pub fn metric_spec(key: &str) -> Option<&'static MetricSpec> {
    METRICS.iter().find(|m| m.key == key)
}
