//! Performance assessment (绩效考核): scheme books, the pure scoring engine, ranks, grades and
//! awards, every point explained down to the facts.
//!
//! A [`Scheme`] is one category's book (townships, departments …): a tree of [`Item`]s with
//! points, grade bands with optional quotas, a tie-break rule and an award rule. [`score`] turns a
//! scheme, the units of its category and their dated [`Facts`] into a [`ResultSet`] as of a date;
//! it ignores every fact dated after that date, so a result "as of 30 June" never changes when
//! later data arrive.
//!
//! Rules stated once (they are also the documentation of the engine):
//! - **Points.** An item's `points` is its full score. Children of a plain block have points that
//!   sum to the block's points; a block with weighted children scales each child's share
//!   (`score / points`) by its weight in percent. Bonus and veto items carry 0 points: a bonus is
//!   added on top of the book (up to its cap), a veto caps the grade. A deduction item starts at
//!   its points and loses `per_event` per event, never below its floor (which may be negative for
//!   a pure deduction item of 0 points).
//! - **Rounding.** Item lines keep exact decimals; only the total is rounded, once, to
//!   [`ScoringPolicy::total_dp`] places, half away from zero (四舍五入). Ranks, grades and awards
//!   use the rounded total, so what is published is what is compared.
//! - **Ranks.** Every unit gets a distinct rank: equal totals are ordered by the tie-break rule
//!   (higher score in the named items first, in order, then the unit code ascending), and the
//!   sheet notes which rule separated them. Rank-based *items*, by contrast, let equal figures
//!   share a rank (competition ranking 1, 2, 2, 4) and so the same points.
//! - **Grades.** The band is chosen on the rounded total as a percentage of full points; a veto
//!   caps it; then, in rank order, a unit whose grade's quota is already filled drops to the next
//!   grade (and further, if that quota is full too).

use crate::measure::Decimal;

mod demo;
mod engine;
mod facts;
mod grade;
mod result;
mod validate;
mod wording;

pub use demo::{DEMO_FISCAL_REVENUE, DEMO_GDP, demo_department_scheme, demo_township_scheme};
pub use engine::score;
pub use facts::{
    BonusFact, DeadlineChange, EventFact, Facts, IndicatorFact, METRICS, ManualScore, MetricFact,
    MetricKind, MetricSpec, MetricValue, TaskOutcome, UnitFacts, VetoFact, metric_spec,
};
pub use result::{Explanation, FactRef, ItemLine, ResultSet, ScoreSheet};
pub use wording::{Language, Reason, WORDING, wording};

/// One category's assessment book, versioned: a correction of the rules is a new version.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    /// Stable identifier, e.g. `2026-townships`.
    pub id: String,
    pub version: u32,
    pub name: String,
    /// The unit category it assesses (`Unit::category`), e.g. `townships`.
    pub category: String,
    /// Full points of the book, e.g. 1000.
    pub full_points: Decimal,
    /// The top-level items; they combine like the children of a block of `full_points`.
    pub items: Vec<Item>,
    pub grading: Grading,
    pub tie_break: TieBreak,
    pub awards: AwardRule,
    pub policy: ScoringPolicy,
}

/// An item of the book. `key` is a stable dotted path that extends its parent's key
/// (`key-work` → `key-work.tasks`); facts such as bonuses and manual scores name items by key.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    pub title: String,
    pub points: Decimal,
    pub kind: ItemKind,
}

/// How an item is scored.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// Points × min(attainment, cap) for each indicator (keys of the unit's indicator facts),
    /// averaged over the indicators. `cap_pct` is in percent (100 = capped at full points; up to
    /// 200 is allowed, letting over-attainment earn more than the item's points). A missing
    /// figure counts 0.
    IndicatorAttainment {
        indicators: Vec<String>,
        cap_pct: Decimal,
    },
    /// Points × the weighted share of the unit's due tasks: closed on time counts `on_time_pct`,
    /// closed late by the [`LateRule`], overdue and not closed counts 0.
    TaskCompletion {
        on_time_pct: Decimal,
        late: LateRule,
    },
    /// Points × a rate metric in percent (0–100).
    RateTimesPoints { metric: MetricKey },
    /// By rank of a metric within the category: the first gets full points.
    RankBased {
        metric: MetricKey,
        method: RankMethod,
    },
    /// Points − `per_event` for each event of `event_kind`, never below `floor`.
    DeductionPerEvent {
        event_kind: String,
        per_event: Decimal,
        floor: Decimal,
    },
    /// Entered bonus facts with evidence, summed and capped; carries 0 points of the book.
    Bonus { cap: Decimal },
    /// A veto fact caps the unit's grade at `grade_cap` (a band name); carries 0 points.
    Veto { grade_cap: String },
    /// A score entered by an authorised user, clamped to [0, points]; the latest entry counts.
    Manual,
    /// A group of items. `weight` (percent) is this block's weight in its parent: a parent whose
    /// children have weights combines them as `points × Σ weight/100 × score/points`.
    Block {
        children: Vec<Item>,
        weight: Option<Decimal>,
    },
}

/// How a task closed after its deadline counts.
#[derive(Debug, Clone, PartialEq)]
pub enum LateRule {
    /// A fixed share in percent, e.g. 60.
    Share { pct: Decimal },
    /// The on-time share less `pct_per_day` per day late, never below `floor_pct`.
    PerDay {
        pct_per_day: Decimal,
        floor_pct: Decimal,
    },
}

/// How rank-based points fall from the first.
#[derive(Debug, Clone, PartialEq)]
pub enum RankMethod {
    /// Points × value / best value (0 for a non-positive value).
    Proportional,
    /// Points − (rank − 1) × step, never below 0.
    FixedSteps { step: Decimal },
}

/// The key of a computed metric, e.g. `reporting.on_time_rate`; see [`METRICS`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricKey(pub String);

impl MetricKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Grade bands, best first. A unit gets the first band whose `min_pct` its percentage reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
    pub bands: Vec<GradeBand>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradeBand {
    /// The grade's name as published, e.g. 优秀.
    pub name: String,
    /// The lowest percentage of full points for this grade.
    pub min_pct: Decimal,
    /// At most this many units of the category get this grade; the rest drop to the next.
    pub quota: Option<Quota>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Quota {
    Count(u32),
    /// A percentage of the category's units, rounded down.
    PercentOfUnits(Decimal),
}

impl Default for Grading {
    /// ≥ 90 优秀, 80–90 良好, < 80 一般, no quotas *(policy)*.
    fn default() -> Self {
        let band = |name: &str, min: i64| GradeBand {
            name: name.to_owned(),
            min_pct: Decimal::from(min),
            quota: None,
        };
        Self {
            bands: vec![band("优秀", 90), band("良好", 80), band("一般", 0)],
        }
    }
}

impl Grading {
    /// The position of a band by name (0 = best).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.bands.iter().position(|b| b.name == name)
    }
}

/// Equal totals are ordered by higher score in `items` (keys, in order), then by unit code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TieBreak {
    pub items: Vec<String>,
}

/// Who gets the award (先进单位): units whose grade is `min_grade` or better, ranked within
/// `top_n`, and (if `exclude_vetoed`) not vetoed. Unset conditions do not restrict.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardRule {
    pub name: String,
    pub min_grade: Option<String>,
    pub top_n: Option<u32>,
    pub exclude_vetoed: bool,
}

impl Default for AwardRule {
    /// 先进单位 = grade 优秀 after quotas, never a vetoed unit *(policy)*.
    fn default() -> Self {
        Self {
            name: "先进单位".to_owned(),
            min_grade: Some("优秀".to_owned()),
            top_n: None,
            exclude_vetoed: true,
        }
    }
}

/// Scoring choices that differ between places.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringPolicy {
    /// The share (percent) given when nothing was due: no task due, or a rate whose denominator
    /// is 0 (no report or notice was due). Default 100: nothing due, nothing missed.
    pub nothing_due_pct: Decimal,
    /// Decimal places of the published total. Default 2.
    pub total_dp: u32,
}

impl Default for ScoringPolicy {
    fn default() -> Self {
        Self {
            nothing_due_pct: Decimal::ONE_HUNDRED,
            total_dp: 2,
        }
    }
}

impl Item {
    /// Whether this item is outside the book's points (bonus, veto).
    pub fn is_extra(&self) -> bool {
        matches!(self.kind, ItemKind::Bonus { .. } | ItemKind::Veto { .. })
    }

    /// The weight of a block in its parent, if any.
    pub fn weight(&self) -> Option<Decimal> {
        match &self.kind {
            ItemKind::Block { weight, .. } => *weight,
            _ => None,
        }
    }

    /// This item and all its descendants, depth first.
    pub fn walk(&self) -> Vec<&Item> {
        let mut out = vec![self];
        if let ItemKind::Block { children, .. } = &self.kind {
            for c in children {
                out.extend(c.walk());
            }
        }
        out
    }
}

impl Scheme {
    /// Every item of the book, depth first.
    pub fn all_items(&self) -> Vec<&Item> {
        self.items.iter().flat_map(Item::walk).collect()
    }

    /// The item with `key`.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.all_items().into_iter().find(|i| i.key == key)
    }
}

#[cfg(test)]
mod tests;
