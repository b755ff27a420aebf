//! A task as it stood at the end of a past day, rebuilt from its append-only history (lifecycle
//! events and progress reports), and the monthly reports it owed. Pure: the caller loads the
//! history once per region.
//!
//! Rules (days are UTC days of the stored timestamps):
//! - A task stored after the day did not exist yet. Its status is the target of the last event
//!   on or before the day; with no event by then, the source of its first event (or its current
//!   status when it has no events at all). Its deadline is the one set by the last event by the
//!   day (else the first event's, else the current one).
//! - Its progress is the percent of the last report on or before the day (0 without one).
//! - A monthly report is owed for month m when the task was open (assigned, in progress or
//!   asking for an extension) both on m's first day and on m's reporting deadline (the policy's
//!   reporting day), and that deadline is on or before the bulletin's day. It was made on the
//!   day of the first report on or after m's first day; on time when that is by the deadline.

use luoshi_domain::calendar::month_start;
use luoshi_domain::measure::Decimal;
use luoshi_domain::supervision::{BulletinPeriod, ReportFact, SupervisionPolicy};
use luoshi_domain::task::{Task, TaskStatus};
use luoshi_store::assessment::HistoryEvent;
use time::{Date, OffsetDateTime, UtcOffset};

/// The UTC day of a timestamp.
pub(crate) fn day(t: OffsetDateTime) -> Date {
    t.to_offset(UtcOffset::UTC).date()
}

/// What is known about one task: when it was stored, its lifecycle events and its reports
/// (time, percent), both oldest first.
pub(crate) struct TaskRecord<'a> {
    pub task: &'a Task,
    pub created: Date,
    pub events: &'a [&'a HistoryEvent],
    pub reports: &'a [(OffsetDateTime, Decimal)],
}

impl TaskRecord<'_> {
    /// The status at the end of `on`; `None` before the task was stored.
    pub fn status_on(&self, on: Date) -> Option<TaskStatus> {
        if self.created > on {
            return None;
        }
        let known = self.events.iter().rev().find(|e| day(e.at) <= on);
        Some(match (known, self.events.first()) {
            (Some(e), _) => e.to,
            (None, Some(first)) => first.from,
            (None, None) => self.task.status,
        })
    }

    fn deadline_on(&self, on: Date) -> Date {
        self.events
            .iter()
            .rev()
            .find(|e| day(e.at) <= on)
            .or(self.events.first())
            .map_or(self.task.fields.deadline, |e| e.deadline_after)
    }

    /// The task as it stood at the end of `on` (`None` before it was stored).
    pub fn as_of(&self, on: Date) -> Option<Task> {
        let status = self.status_on(on)?;
        let mut t = self.task.clone();
        t.status = status;
        t.fields.deadline = self.deadline_on(on);
        let last = self.reports.iter().rev().find(|(at, _)| day(*at) <= on);
        t.progress_pct = last.map_or(Decimal::ZERO, |(_, p)| *p);
        t.last_report_on = last.map(|(at, _)| day(*at));
        t.requested_deadline = None;
        Some(t)
    }

    /// The monthly reports owed in `period` up to `as_of` (see the module rules).
    pub fn reports_owed(
        &self,
        period: BulletinPeriod,
        policy: &SupervisionPolicy,
        as_of: Date,
    ) -> Vec<ReportFact> {
        let open = |d: Date| self.status_on(d).is_some_and(|s| s.is_open());
        period
            .months()
            .into_iter()
            .filter_map(|m| {
                let first = month_start(m.year(), m.month());
                let due = policy.reporting_deadline(m);
                if due > as_of || !open(first) || !open(due) {
                    return None;
                }
                let reported_on = self
                    .reports
                    .iter()
                    .map(|(at, _)| day(*at))
                    .find(|d| *d >= first && *d <= as_of);
                Some(ReportFact {
                    unit: self.task.fields.lead_unit,
                    due,
                    reported_on,
                })
            })
            .collect()
    }
}
