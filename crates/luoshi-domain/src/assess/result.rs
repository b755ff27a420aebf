//! The outcome of an assessment: one score sheet per unit, in rank order, and its canonical text.

use super::wording::Reason;
use crate::ids::{TaskId, UnitId};
use crate::measure::Decimal;
use std::fmt::Write as _;
use time::Date;

/// Every unit's sheet for one scheme as of one date, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultSet {
    pub scheme_id: String,
    pub scheme_version: u32,
    pub category: String,
    pub as_of: Date,
    pub full_points: Decimal,
    /// The award's name, e.g. 先进单位.
    pub award_name: String,
    pub sheets: Vec<ScoreSheet>,
}

/// One unit's score, rank, grade and the lines that explain them.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSheet {
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    /// The exact sum of the top-level lines, rounded once (see the module rules).
    pub total: Decimal,
    /// Total / full points × 100, rounded to 2 places (for display; grades compare exactly).
    pub percent: Decimal,
    /// 1 for the best; distinct within the category.
    pub rank: u32,
    /// The grade the total alone earns.
    pub band_grade: String,
    /// The grade after vetoes and quotas.
    pub grade: String,
    pub vetoed: bool,
    pub award: bool,
    /// Why the rank or grade is what it is: ties broken, grades capped or dropped.
    pub notes: Vec<Reason>,
    /// Every item of the book in tree order.
    pub lines: Vec<ItemLine>,
}

impl ScoreSheet {
    /// The line of item `key`.
    pub fn line(&self, key: &str) -> Option<&ItemLine> {
        self.lines.iter().find(|l| l.key == key)
    }
}

/// One item's score on a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLine {
    pub key: String,
    pub title: String,
    /// 0 for top-level items.
    pub depth: u32,
    /// The item's full points (the cap, for a bonus).
    pub max_points: Decimal,
    /// Exact points earned (negative for a pure deduction item).
    pub points: Decimal,
    pub explanations: Vec<Explanation>,
}

/// One fact behind a line, what it did to the points, and why (rendered in the reader's
/// language by [`Reason::render`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub fact: FactRef,
    /// The points this fact contributed (or, negative, took away), when it can be isolated.
    pub effect: Option<Decimal>,
    pub reason: Reason,
}

/// A link to the fact an explanation rests on.
#[derive(Debug, Clone, PartialEq)]
pub enum FactRef {
    Task(TaskId),
    Indicator {
        key: String,
        on: Option<Date>,
    },
    Metric {
        key: String,
        on: Option<Date>,
    },
    Event {
        kind: String,
        subject: String,
        on: Date,
    },
    Bonus {
        on: Date,
    },
    Veto {
        on: Date,
    },
    Manual {
        on: Date,
        by: String,
    },
    /// A rule of the scheme (nothing due, a cap or floor reached, a weighted combination).
    Rule,
}

impl ResultSet {
    /// The sheet of `unit`.
    pub fn sheet(&self, unit: UnitId) -> Option<&ScoreSheet> {
        self.sheets.iter().find(|s| s.unit == unit)
    }

    /// The award winners, best first.
    pub fn awarded(&self) -> impl Iterator<Item = &ScoreSheet> {
        self.sheets.iter().filter(|s| s.award)
    }

    /// A stable canonical text of the result set, for publishing: one line per fact of the
    /// result, `|`-separated, strings quoted with Rust escapes, decimals normalised (no trailing
    /// zeros), sheets in rank order and lines in tree order. Reasons and notes are left out (they
    /// are wording); the facts they link to and their effects are in. Hash it to get a digest.
    pub fn digest(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "luoshi-assessment|1|{:?}|{}|{:?}|{}|{}|{:?}",
            self.scheme_id,
            self.scheme_version,
            self.category,
            self.as_of,
            self.full_points.normalize(),
            self.award_name
        );
        for s in &self.sheets {
            let _ = writeln!(
                out,
                "unit|{}|{}|{:?}|{:?}|{}|{}|{:?}|{:?}|{}|{}",
                s.rank,
                s.unit,
                s.code,
                s.name,
                s.total.normalize(),
                s.percent.normalize(),
                s.band_grade,
                s.grade,
                s.vetoed,
                s.award
            );
            for l in &s.lines {
                let _ = writeln!(
                    out,
                    "item|{:?}|{}|{}",
                    l.key,
                    l.max_points.normalize(),
                    l.points.normalize()
                );
                for e in &l.explanations {
                    let effect = e.effect.map(|d| d.normalize().to_string());
                    let _ = writeln!(
                        out,
                        "fact|{}|{}",
                        fact_text(&e.fact),
                        effect.as_deref().unwrap_or("-")
                    );
                }
            }
        }
        out
    }
}

fn fact_text(f: &FactRef) -> String {
    let day = |d: &Option<Date>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    match f {
        FactRef::Task(t) => format!("task|{t}"),
        FactRef::Indicator { key, on } => format!("indicator|{key:?}|{}", day(on)),
        FactRef::Metric { key, on } => format!("metric|{key:?}|{}", day(on)),
        FactRef::Event { kind, subject, on } => format!("event|{kind:?}|{subject:?}|{on}"),
        FactRef::Bonus { on } => format!("bonus|{on}"),
        FactRef::Veto { on } => format!("veto|{on}"),
        FactRef::Manual { on, by } => format!("manual|{on}|{by:?}"),
        FactRef::Rule => "rule".to_owned(),
    }
}
