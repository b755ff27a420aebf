//! Facts from the record as of a date: pure builders over what the store returns.
//!
//! What "as of D" reads (the end of day D, UTC):
//! - **Tasks** from their lifecycle history: a task exists once it left draft by D; it counts as
//!   closed or cancelled only if that event happened by D (a later closing is ignored), and a
//!   deadline extension only if approved by D. Tasks are scored for their lead unit.
//! - **Indicators**: the unit's cumulative value for the latest month of D's year, taking the
//!   revision recorded by D, over the unit's share of the target (`indicator_splits`), in percent
//!   (target ÷ value for a decreasing indicator). Scheme items name indicators by their name.
//! - **Reporting on time**: for each month whose reporting day (the supervision policy's, default
//!   the 25th) is on or before D, every task of the unit that was assigned by the first day of
//!   that month and still open on the reporting day owes a report made between the first day and
//!   the reporting day.
//! - **Manual scores, bonuses and vetoes** by the date they concern (the engine ignores those
//!   dated after D). A backdated entry changes the result as of an earlier date: that is a
//!   correction, published as a new version.

use luoshi_domain::assess::{
    BonusFact, DeadlineChange, Facts, ManualScore, MetricFact, MetricKey, MetricValue, TaskOutcome,
    VetoFact,
};
use luoshi_domain::calendar::{Period, month_start};
use luoshi_domain::ids::{TaskId, UnitId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::{Task, TaskStatus};
use luoshi_store::assessment::{EnteredFact, FactKind, HistoryEvent};
use std::collections::HashMap;
use time::{Date, OffsetDateTime, UtcOffset};

/// The UTC day of a timestamp.
pub(crate) fn day(t: OffsetDateTime) -> Date {
    t.to_offset(UtcOffset::UTC).date()
}

/// A task as it stood at the end of `as_of`, or `None` when it was not yet assigned. `created`
/// is when it was stored: a task created already assigned has no event for its assignment.
pub(crate) fn task_outcome(
    task: &Task,
    created: Date,
    history: &[&HistoryEvent],
    as_of: Date,
) -> Option<TaskOutcome> {
    let known: Vec<&&HistoryEvent> = history.iter().filter(|e| day(e.at) <= as_of).collect();
    let created_assigned = history
        .first()
        .map_or(task.status != TaskStatus::Draft, |e| {
            e.from != TaskStatus::Draft
        });
    let assigned_on = match history.iter().find(|e| e.from == TaskStatus::Draft) {
        Some(e) => day(e.at),
        None if created_assigned => created,
        None => return None,
    };
    if assigned_on > as_of {
        return None;
    }
    let deadline = history
        .first()
        .map_or(task.fields.deadline, |e| e.deadline_after);
    let mut extensions = Vec::new();
    let mut current = deadline;
    for e in &known {
        if e.deadline_after != current {
            extensions.push(DeadlineChange {
                approved_on: day(e.at),
                deadline: e.deadline_after,
            });
            current = e.deadline_after;
        }
    }
    let status_on = |s: TaskStatus| {
        known
            .last()
            .filter(|e| e.to == s)
            .map(|e| day(e.at))
            .or_else(|| {
                (history.is_empty() && task.status == s)
                    .then_some(task.closed_on)
                    .flatten()
            })
    };
    Some(TaskOutcome {
        task: task.id,
        title: task.fields.title.clone(),
        weight: task.fields.weight,
        assigned_on,
        deadline,
        extensions,
        closed_on: status_on(TaskStatus::Closed),
        cancelled_on: known
            .last()
            .filter(|e| e.to == TaskStatus::Cancelled)
            .map(|e| day(e.at)),
    })
}

/// The unit's on-time reporting rate as of `as_of` (see the module rules). `outcomes` are the
/// unit's tasks; `reports` the days each task was reported on.
pub(crate) fn reporting_rate(
    outcomes: &[TaskOutcome],
    reports: &HashMap<TaskId, Vec<Date>>,
    reporting_day: impl Fn(Period) -> Date,
    as_of: Date,
) -> MetricValue {
    let (mut due, mut on_time) = (0u32, 0u32);
    for month in 1..=12u8 {
        let Ok(period) = Period::new("period", as_of.year(), month) else {
            continue;
        };
        let first = month_start(as_of.year(), month);
        let deadline = reporting_day(period);
        if deadline > as_of {
            break;
        }
        for t in outcomes {
            let ended = [t.closed_on, t.cancelled_on]
                .into_iter()
                .flatten()
                .any(|d| d <= deadline);
            if t.assigned_on > first || ended {
                continue;
            }
            due += 1;
            let reported = reports
                .get(&t.task)
                .is_some_and(|days| days.iter().any(|d| *d >= first && *d <= deadline));
            if reported {
                on_time += 1;
            }
        }
    }
    MetricValue::Rate {
        numerator: Decimal::from(on_time),
        denominator: Decimal::from(due),
    }
}

/// Add the unit's on-time reporting rate to the facts.
pub(crate) fn add_reporting(facts: &mut Facts, unit: UnitId, value: MetricValue, as_of: Date) {
    facts.unit_mut(unit).metrics.push(MetricFact {
        metric: MetricKey::new("reporting.on_time_rate"),
        on: as_of,
        value,
    });
}

/// Add entered manual scores, bonuses and vetoes to the facts.
pub(crate) fn add_entered(facts: &mut Facts, kind: FactKind, entered: &[EnteredFact]) {
    for f in entered {
        let by = f
            .entered_by_name
            .clone()
            .or_else(|| f.entered_by.map(|u| u.to_string()))
            .unwrap_or_else(|| "system".to_owned());
        let u = facts.unit_mut(f.unit);
        match kind {
            FactKind::Manual => u.manual.push(ManualScore {
                item: f.item.clone(),
                entered_on: f.on,
                entered_by: by,
                points: f.points.unwrap_or_default(),
                note: f.text.clone(),
            }),
            FactKind::Bonus => u.bonuses.push(BonusFact {
                item: f.item.clone(),
                on: f.on,
                points: f.points.unwrap_or_default(),
                evidence: f.text.clone(),
                entered_by: by,
            }),
            FactKind::Veto => u.vetoes.push(VetoFact {
                item: f.item.clone(),
                on: f.on,
                evidence: f.text.clone(),
                entered_by: by,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
