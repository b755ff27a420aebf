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
//! - **Supervision notices answered on time**: every notice issued by D whose response date has
//!   passed by D, or that was answered by D, is due; it counts when answered by its date. A
//!   response made after D is not yet known.
//! - **Cards** (`card.yellow`, `card.red`): card events of the supervision sweep that occurred
//!   and were recorded by D, for the lead unit of the task they concern.
//! - **Key-project investment completion**: for each unit's projects planned for D's year, the
//!   latest cumulative value of a month ended by D (the latest revision recorded by D) over the
//!   annual planned investment, summed in 万元. A unit without such projects has nothing due.
//! - **Manual scores, bonuses and vetoes** by the date they concern (the engine ignores those
//!   dated after D). A backdated entry changes the result as of an earlier date: that is a
//!   correction, published as a new version.

use luoshi_domain::assess::{
    BonusFact, DeadlineChange, EventFact, Facts, ManualScore, MetricFact, MetricKey, MetricValue,
    TaskOutcome, VetoFact,
};
use luoshi_domain::calendar::{Period, month_start};
use luoshi_domain::ids::{TaskId, UnitId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::measure::MeasureUnit;
use luoshi_domain::supervision::Notice;
use luoshi_domain::task::TaskStatus;
use luoshi_store::assessment::{EnteredFact, FactKind, HistoryEvent, TaskOutline};
use luoshi_store::supervision::StoredEvent;
use std::collections::HashMap;
use time::{Date, OffsetDateTime, UtcOffset};

/// The UTC day of a timestamp.
pub(crate) fn day(t: OffsetDateTime) -> Date {
    t.to_offset(UtcOffset::UTC).date()
}

/// A task as it stood at the end of `as_of`, or `None` when it was not yet assigned. `created`
/// is when it was stored: a task created already assigned has no event for its assignment.
pub(crate) fn task_outcome(
    task: &TaskOutline,
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
    let deadline = history.first().map_or(task.deadline, |e| e.deadline_after);
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
        title: task.title.clone(),
        weight: task.weight,
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
/// unit's tasks; `reports` the days each task reported on (the first of each month is enough).
pub(crate) fn reporting_rate(
    outcomes: &[TaskOutcome],
    reports: &HashMap<TaskId, &[Date]>,
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

/// Add a computed metric of the unit, as of `as_of`, to the facts.
pub(crate) fn add_metric(
    facts: &mut Facts,
    unit: UnitId,
    metric: &str,
    value: MetricValue,
    as_of: Date,
) {
    facts.unit_mut(unit).metrics.push(MetricFact {
        metric: MetricKey::new(metric),
        on: as_of,
        value,
    });
}

/// A rate with nothing due (0 of 0) for the unit, unless it already has a figure for `metric`.
pub(crate) fn nothing_due_unless_known(facts: &mut Facts, unit: UnitId, metric: &str, as_of: Date) {
    let known = facts
        .of(unit)
        .metrics
        .iter()
        .any(|m| m.metric.as_str() == metric);
    if !known {
        let nothing = MetricValue::Rate {
            numerator: Decimal::ZERO,
            denominator: Decimal::ZERO,
        };
        add_metric(facts, unit, metric, nothing, as_of);
    }
}

/// The share of a unit's supervision notices answered on time, as known at the end of `as_of`
/// (see the module rules).
pub(crate) fn notices_rate<'a>(
    notices: impl Iterator<Item = &'a Notice>,
    as_of: Date,
) -> MetricValue {
    let (mut due, mut on_time) = (0u32, 0u32);
    for n in notices.filter(|n| n.fields.issued_on <= as_of) {
        match n.response.as_ref().filter(|r| r.responded_on <= as_of) {
            Some(r) => {
                due += 1;
                if r.responded_on <= n.fields.respond_by {
                    on_time += 1;
                }
            }
            None if as_of > n.fields.respond_by => due += 1,
            None => {}
        }
    }
    MetricValue::Rate {
        numerator: Decimal::from(on_time),
        denominator: Decimal::from(due),
    }
}

/// The kind of the sweep's card events.
pub(crate) const CARD_ISSUED: &str = "card_issued";

/// A stored card event as an assessment fact (`card.yellow` or `card.red`), if it is a card
/// known at the end of `as_of`. `title` names the task it concerns.
pub(crate) fn card_fact(e: &StoredEvent, title: Option<&str>, as_of: Date) -> Option<EventFact> {
    if e.kind != CARD_ISSUED || e.occurred_on > as_of || day(e.recorded_at) > as_of {
        return None;
    }
    let colour = e.detail.get("params")?.get("colour")?.as_str()?;
    Some(EventFact {
        kind: format!("card.{colour}"),
        on: e.occurred_on,
        subject: e.subject.clone(),
        description: title.unwrap_or(&e.subject).to_owned(),
    })
}

/// One project's plan and its investment values, for the completion rate.
pub(crate) struct ProjectInvestment<'a> {
    pub unit: &'a MeasureUnit,
    pub year: i32,
    pub annual: Decimal,
    /// (period, revision, cumulative value, day recorded).
    pub values: Vec<(Period, i32, Decimal, Date)>,
}

/// A unit's key-project investment completion as of `as_of`, in 万元 (see the module rules).
pub(crate) fn investment_rate(projects: &[ProjectInvestment<'_>], as_of: Date) -> MetricValue {
    let (mut done, mut planned) = (Decimal::ZERO, Decimal::ZERO);
    for p in projects.iter().filter(|p| p.year == as_of.year()) {
        let wan = |v: Decimal| p.unit.convert(v, &MeasureUnit::WanYuan).unwrap_or(v);
        planned += wan(p.annual);
        let latest = p
            .values
            .iter()
            .filter(|(period, _, _, recorded)| {
                period.year() == as_of.year() && period.last_day() <= as_of && *recorded <= as_of
            })
            .max_by_key(|(period, revision, _, _)| (*period, *revision));
        if let Some((_, _, value, _)) = latest {
            done += wan(*value);
        }
    }
    MetricValue::Rate {
        numerator: done,
        denominator: planned,
    }
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
