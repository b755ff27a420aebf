//! The bulletin (通报) of a month or quarter: per-unit counts and a ranking.
//!
//! Definitions (per unit, counting tasks by their lead unit):
//! - `completed`: tasks reported done or closed; `lagging`: tasks with a yellow lamp; `red`: tasks
//!   with a red lamp; `overdue`: open tasks past their deadline (a subset of `red`). Standings
//!   are the caller's, normally taken on the period's last day. Draft and cancelled tasks (no
//!   lamp) are not counted; tasks led by a unit not in the list are ignored.
//! - Reporting: every [`ReportFact`] whose due date falls in the period is *due*; it is *on time*
//!   when it was reported on or before its due date. `on_time_rate` = on time ÷ due × 100,
//!   rounded to two decimals; `None` when nothing was due.
//! - Notices: every notice to the unit whose `respond_by` falls in the period is *due*; it is
//!   answered on time when the response came on or before `respond_by`.
//!
//! **Ranking**, best first: fewer red tasks; then fewer lagging tasks; then a higher on-time
//! reporting rate (a unit with nothing due counts as 100%); then more completed tasks. Units equal
//! on all four share a rank (1, 2, 2, 4 …) and are listed by unit code.

use crate::calendar::{Period, month_end, month_start};
use crate::error::ValidationError;
use crate::ids::UnitId;
use crate::lamp::Lamp;
use crate::measure::{Decimal, percent_of};
use crate::org::Unit;
use crate::supervision::notice::Notice;
use crate::task::{Task, TaskStanding, TaskStatus};
use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;
use time::Date;

/// The period a bulletin covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BulletinPeriod {
    Month(Period),
    Quarter { year: i32, quarter: u8 },
}

impl BulletinPeriod {
    /// A quarter, 1 to 4.
    pub fn quarter(field: &str, year: i32, quarter: u8) -> Result<Self, ValidationError> {
        Period::new(field, year, 1)?;
        if !(1..=4).contains(&quarter) {
            return Err(ValidationError::new(
                field,
                "invalid_period",
                "a quarter is 1 to 4",
            ));
        }
        Ok(Self::Quarter { year, quarter })
    }

    pub fn first_day(&self) -> Date {
        match *self {
            Self::Month(p) => month_start(p.year(), p.month()),
            Self::Quarter { year, quarter } => month_start(year, quarter * 3 - 2),
        }
    }

    pub fn last_day(&self) -> Date {
        match *self {
            Self::Month(p) => p.last_day(),
            Self::Quarter { year, quarter } => month_end(year, quarter * 3),
        }
    }

    /// `2026-09` or `2026-Q3`.
    pub fn label(&self) -> String {
        match self {
            Self::Month(p) => p.to_string(),
            Self::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        }
    }

    pub fn contains(&self, d: Date) -> bool {
        self.first_day() <= d && d <= self.last_day()
    }

    /// Parse a [`label`](Self::label): `2026-09` or `2026-Q3` (`q` in either case).
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        if let Some((y, q)) = s.split_once(['Q', 'q']) {
            let year = y
                .strip_suffix('-')
                .and_then(|y| y.parse::<i32>().ok())
                .ok_or_else(|| bad_period(field))?;
            let quarter = q.parse::<u8>().map_err(|_| bad_period(field))?;
            return Self::quarter(field, year, quarter);
        }
        Period::parse(field, s).map(Self::Month)
    }

    /// The months the period covers, in order.
    pub fn months(&self) -> Vec<Period> {
        let (year, first, last) = match *self {
            Self::Month(p) => return vec![p],
            Self::Quarter { year, quarter } => (year, quarter * 3 - 2, quarter * 3),
        };
        (first..=last)
            .filter_map(|m| Period::new("period", year, m).ok())
            .collect()
    }

    /// The month before the one holding `day`.
    pub fn month_before(day: Date) -> Option<Self> {
        let (y, m) = match u8::from(day.month()) {
            1 => (day.year() - 1, 12),
            m => (day.year(), m - 1),
        };
        Period::new("period", y, m).ok().map(Self::Month)
    }

    /// The quarter before the one holding `day`.
    pub fn quarter_before(day: Date) -> Option<Self> {
        let q = (u8::from(day.month()) - 1) / 3 + 1;
        let (year, quarter) = if q == 1 {
            (day.year() - 1, 4)
        } else {
            (day.year(), q - 1)
        };
        Self::quarter("period", year, quarter).ok()
    }
}

fn bad_period(field: &str) -> ValidationError {
    ValidationError::new(
        field,
        "invalid_period",
        "a period is a month (2026-09) or a quarter (2026-Q3)",
    )
}

/// One report that was owed: a task's monthly report or an indicator value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportFact {
    pub unit: UnitId,
    pub due: Date,
    pub reported_on: Option<Date>,
}

/// A unit's line in the bulletin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulletinRow {
    pub unit: UnitId,
    pub unit_code: String,
    pub rank: u32,
    /// Tasks counted (those with a lamp).
    pub tasks: u32,
    pub completed: u32,
    pub lagging: u32,
    pub red: u32,
    pub overdue: u32,
    pub reports_due: u32,
    pub reports_on_time: u32,
    pub on_time_rate: Option<Decimal>,
    pub notices_due: u32,
    pub notices_on_time: u32,
}

impl BulletinRow {
    fn new(u: &Unit) -> Self {
        Self {
            unit: u.id,
            unit_code: u.code.as_str().to_owned(),
            rank: 0,
            tasks: 0,
            completed: 0,
            lagging: 0,
            red: 0,
            overdue: 0,
            reports_due: 0,
            reports_on_time: 0,
            on_time_rate: None,
            notices_due: 0,
            notices_on_time: 0,
        }
    }

    /// The ranking key, smaller is better (without the unit-code tie-break).
    fn merit(&self) -> (u32, u32, Reverse<Decimal>, Reverse<u32>) {
        (
            self.red,
            self.lagging,
            Reverse(self.on_time_rate.unwrap_or(Decimal::ONE_HUNDRED)),
            Reverse(self.completed),
        )
    }
}

/// The bulletin rows of `period` for `units`, ranked (see the module docs for every definition).
pub fn bulletin(
    period: BulletinPeriod,
    units: &[Unit],
    tasks: &[(&Task, TaskStanding)],
    reports: &[ReportFact],
    notices: &[Notice],
) -> Vec<BulletinRow> {
    let mut rows: Vec<BulletinRow> = units.iter().map(BulletinRow::new).collect();
    let index: HashMap<UnitId, usize> = rows.iter().enumerate().map(|(i, r)| (r.unit, i)).collect();
    for (t, s) in tasks {
        let (Some(i), Some(lamp)) = (index.get(&t.fields.lead_unit).copied(), s.lamp) else {
            continue;
        };
        let r = &mut rows[i];
        r.tasks += 1;
        if matches!(t.status, TaskStatus::ReportedDone | TaskStatus::Closed) {
            r.completed += 1;
        }
        match lamp {
            Lamp::Yellow => r.lagging += 1,
            Lamp::Red => r.red += 1,
            Lamp::Green | Lamp::Blue => {}
        }
        if s.overdue {
            r.overdue += 1;
        }
    }
    for f in reports.iter().filter(|f| period.contains(f.due)) {
        if let Some(i) = index.get(&f.unit).copied() {
            rows[i].reports_due += 1;
            if f.reported_on.is_some_and(|d| d <= f.due) {
                rows[i].reports_on_time += 1;
            }
        }
    }
    let end = period.last_day();
    for n in notices
        .iter()
        .filter(|n| period.contains(n.fields.respond_by))
    {
        if let Some(i) = index.get(&n.fields.unit).copied() {
            rows[i].notices_due += 1;
            if n.answered_on_time(end) == Some(true) {
                rows[i].notices_on_time += 1;
            }
        }
    }
    for r in &mut rows {
        r.on_time_rate = percent_of(
            Decimal::from(r.reports_on_time),
            Decimal::from(r.reports_due),
        );
    }
    rows.sort_by(|a, b| match a.merit().cmp(&b.merit()) {
        Ordering::Equal => a.unit_code.cmp(&b.unit_code),
        o => o,
    });
    let mut rank = 0;
    for i in 0..rows.len() {
        if i == 0 || rows[i].merit() != rows[i - 1].merit() {
            rank = i as u32 + 1;
        }
        rows[i].rank = rank;
    }
    rows
}
