//! The sweep: facts as of a day → the supervision events current on that day.
//!
//! Inputs (all supplied by the store; nothing is read here):
//! - per task: the [`Task`], the dates of its progress reports in the recent months (at least
//!   those since the start of the previous month), the lamp the store last observed for it, and
//!   the lamps observed at earlier monthly checkpoints ([`Checkpoint`]), which this function
//!   itself produced in earlier sweeps (`SweepOutput::checkpoints`);
//! - indicator reporting obligations (unit, indicator, period, when a value was reported);
//! - supervision notices; generic deadline items (key projects plug in here).
//!
//! Rules, each producing events with stable keys (see the module docs of [`super`]):
//! - **Reminders** while work is open: the reminder mark in force ([`SupervisionPolicy::
//!   approaching_mark`]) before a deadline, the overdue mark after it. Applies to a task's
//!   deadline, to each milestone before the deadline whose target the task has not reached, to a
//!   notice awaiting its response, and to each unfinished deadline item.
//! - **Missing report**: an open task must report in each month, on or before the reporting day
//!   (a report after it is late and does not clear the event). Only the latest month whose
//!   reporting day has passed is checked, and only when the task started by that day.
//!   Indicator obligations are checked as given, against [`SupervisionPolicy::indicator_report_due`].
//! - **Lamp change** when the current lamp differs from the last observed one; a subject seen
//!   for the first time raises no change. The key carries the day, so one change per subject,
//!   colour pair and day is recorded.
//! - **Checkpoints, cards and escalation**: the checkpoint of a month is its last day. When the
//!   latest checkpoint on or before `as_of` is not yet in an open task's history, its lamp is
//!   derived (the task's standing on the checkpoint day), returned for the store to keep, and the
//!   card and escalation rules ([`super::CardRules`], [`super::EscalationRule`]) are applied to
//!   the streak ending there. Checkpoints of consecutive months count as consecutive; a missing
//!   month breaks a streak. Cards and escalations are therefore raised once, by the sweep that
//!   records the checkpoint; the store must keep the checkpoint and the events in one
//!   transaction (the unique keys make a concurrent second sweep harmless).

use super::{CardColour, EventKind, Subject, SupervisionEvent, SupervisionPolicy};
use crate::calendar::{Period, days_between, month_start};
use crate::error::ValidationError;
use crate::ids::{IndicatorId, TaskId, UnitId};
use crate::lamp::{Lamp, LampPolicy};
use crate::supervision::notice::{Notice, NoticeStatus};
use crate::task::{Task, standing};
use time::{Date, Duration};

/// The identity of a generic deadline item: a `kind` (`project`, …) and a stable `key` within
/// it. Both are restricted to characters that keep dedup keys unambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    kind: String,
    key: String,
}

const RESERVED_KINDS: [&str; 3] = ["task", "indicator", "notice"];

impl ItemRef {
    /// `kind`: 1–30 lowercase ASCII letters, digits or `_`, not `task`, `indicator` or `notice`.
    /// `key`: 1–64 ASCII letters, digits, `-`, `_` or `.`.
    pub fn new(kind: &str, key: &str) -> Result<Self, ValidationError> {
        let kind_ok = (1..=30).contains(&kind.len())
            && kind
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !RESERVED_KINDS.contains(&kind);
        if !kind_ok {
            return Err(ValidationError::new(
                "kind",
                "invalid_code",
                "an item kind is 1 to 30 lowercase letters, digits or '_', and not a built-in kind",
            ));
        }
        let key_ok = (1..=64).contains(&key.len())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !key_ok {
            return Err(ValidationError::new(
                "key",
                "invalid_code",
                "an item key is 1 to 64 letters, digits, '-', '_' or '.'",
            ));
        }
        Ok(Self {
            kind: kind.to_owned(),
            key: key.to_owned(),
        })
    }

    pub fn kind(&self) -> &str {
        &self.kind
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A generic item with a deadline, e.g. a key project's stage date.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineItem {
    pub item: ItemRef,
    pub unit: UnitId,
    pub due: Date,
    pub done: bool,
    /// The item's lamp today, if it has lamps.
    pub lamp: Option<Lamp>,
    /// The lamp the store last observed for the item.
    pub last_lamp: Option<Lamp>,
}

/// The lamp of a task at a monthly checkpoint (the month's last day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub period: Period,
    pub lamp: Lamp,
}

/// A task and what the store knows of its history.
#[derive(Debug, Clone, Copy)]
pub struct TaskFacts<'a> {
    pub task: &'a Task,
    /// Days on which the task reported progress, any order (the first day of each month is
    /// enough: a month's report is on time when its first one is).
    pub report_dates: &'a [Date],
    pub last_lamp: Option<Lamp>,
    /// Lamps at earlier monthly checkpoints, any order.
    pub checkpoints: &'a [Checkpoint],
}

/// A unit's duty to report an indicator's value for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorObligation {
    pub indicator: IndicatorId,
    pub unit: UnitId,
    pub period: Period,
    /// The day the first value for the period was entered, if any.
    pub reported_on: Option<Date>,
}

/// Everything the sweep looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct SweepFacts<'a> {
    pub tasks: &'a [TaskFacts<'a>],
    pub indicators: &'a [IndicatorObligation],
    pub notices: &'a [Notice],
    pub items: &'a [DeadlineItem],
}

/// A lamp the store should keep as the subject's last observed lamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LampObservation {
    pub subject: Subject,
    pub lamp: Lamp,
}

/// What a sweep found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SweepOutput {
    /// Sorted by `occurred_on`, then `dedup_key`.
    pub events: Vec<SupervisionEvent>,
    /// The current lamp of every subject that has one, in input order.
    pub lamps: Vec<LampObservation>,
    /// Checkpoints recorded by this sweep, to keep (insert if absent).
    pub checkpoints: Vec<(TaskId, Checkpoint)>,
}

/// Run the sweep as of `as_of`. Pure and deterministic: the same inputs give the same output.
pub fn sweep(policy: &SupervisionPolicy, as_of: Date, facts: &SweepFacts<'_>) -> SweepOutput {
    let lamps = &policy.lamps;
    let mut out = SweepOutput::default();
    for f in facts.tasks {
        sweep_task(policy, lamps, as_of, f, &mut out);
    }
    for o in facts.indicators {
        let due = policy.indicator_report_due(o.period);
        if as_of > due && o.reported_on.is_none_or(|d| d > due) {
            let subject = Subject::Indicator {
                indicator: o.indicator,
                unit: o.unit,
            };
            push(
                &mut out,
                &subject,
                o.unit,
                format!("{subject}:report-missing:{}", o.period),
                EventKind::ReportMissing { period: o.period },
                next_day(due),
                format!("value for {} due {due}", o.period),
            );
        }
    }
    for n in facts.notices {
        if n.status == NoticeStatus::Issued {
            let subject = Subject::Notice(n.id);
            let due = n.fields.respond_by;
            let prefix = format!("{subject}:respond-by:{due}");
            let d = Deadline {
                subject: &subject,
                unit: n.fields.unit,
                due,
                prefix: &prefix,
                label: "response due",
            };
            deadline_events(policy, as_of, &d, &mut out);
        }
    }
    for it in facts.items {
        let subject = Subject::Item(it.item.clone());
        if !it.done {
            let prefix = format!("{subject}:due:{}", it.due);
            let d = Deadline {
                subject: &subject,
                unit: it.unit,
                due: it.due,
                prefix: &prefix,
                label: "due",
            };
            deadline_events(policy, as_of, &d, &mut out);
        }
        if let Some(lamp) = it.lamp {
            lamp_change(as_of, &subject, it.unit, it.last_lamp, lamp, &mut out);
        }
    }
    out.events
        .sort_by(|a, b| (a.occurred_on, &a.dedup_key).cmp(&(b.occurred_on, &b.dedup_key)));
    out
}

fn sweep_task(
    policy: &SupervisionPolicy,
    lamps: &LampPolicy,
    as_of: Date,
    f: &TaskFacts<'_>,
    out: &mut SweepOutput,
) {
    let t = f.task;
    let unit = t.fields.lead_unit;
    let subject = Subject::Task(t.id);
    let open = t.status.is_open();
    if open {
        let prefix = format!("{subject}:due:{}", t.fields.deadline);
        let d = Deadline {
            subject: &subject,
            unit,
            due: t.fields.deadline,
            prefix: &prefix,
            label: "deadline",
        };
        deadline_events(policy, as_of, &d, out);
        for m in &t.fields.milestones {
            if m.due >= t.fields.deadline || t.progress_pct >= m.target_pct {
                continue;
            }
            let ms = Subject::Milestone {
                task: t.id,
                due: m.due,
            };
            let prefix = ms.to_string();
            let d = Deadline {
                subject: &ms,
                unit,
                due: m.due,
                prefix: &prefix,
                label: "milestone",
            };
            deadline_events(policy, as_of, &d, out);
        }
        report_missing(policy, as_of, f, &subject, out);
    }
    if let Some(lamp) = standing(t, as_of, lamps).lamp {
        lamp_change(as_of, &subject, unit, f.last_lamp, lamp, out);
    }
    if open {
        checkpoint(policy, lamps, as_of, f, &subject, out);
    }
}

struct Deadline<'a> {
    subject: &'a Subject,
    unit: UnitId,
    due: Date,
    /// The dedup key up to the mark, naming the subject and the due date.
    prefix: &'a str,
    label: &'static str,
}

fn deadline_events(
    policy: &SupervisionPolicy,
    as_of: Date,
    d: &Deadline<'_>,
    out: &mut SweepOutput,
) {
    let left = days_between(as_of, d.due);
    let (kind, key, on) = if let Some(mark) = policy.approaching_mark(left) {
        (
            EventKind::DeadlineApproaching { days_left: mark },
            format!("{}:approaching:{mark}d", d.prefix),
            d.due.checked_sub(Duration::days(mark)),
        )
    } else if let Some(mark) = policy.overdue_mark(-left) {
        (
            EventKind::Overdue { days_over: mark },
            format!("{}:overdue:{mark}d", d.prefix),
            d.due.checked_add(Duration::days(mark)),
        )
    } else {
        return;
    };
    let detail = format!("{} {}", d.label, d.due);
    push(
        out,
        d.subject,
        d.unit,
        key,
        kind,
        on.unwrap_or(d.due),
        detail,
    );
}

fn report_missing(
    policy: &SupervisionPolicy,
    as_of: Date,
    f: &TaskFacts<'_>,
    subject: &Subject,
    out: &mut SweepOutput,
) {
    let Some(this) = period_of(as_of) else {
        return;
    };
    let period = if as_of > policy.reporting_deadline(this) {
        this
    } else {
        match previous(this) {
            Some(p) => p,
            None => return,
        }
    };
    let deadline = policy.reporting_deadline(period);
    if f.task.fields.start > deadline {
        return;
    }
    let from = month_start(period.year(), period.month());
    if f.report_dates.iter().any(|d| from <= *d && *d <= deadline) {
        return;
    }
    push(
        out,
        subject,
        f.task.fields.lead_unit,
        format!("{subject}:report-missing:{period}"),
        EventKind::ReportMissing { period },
        next_day(deadline),
        format!("monthly report for {period} due {deadline}"),
    );
}

fn lamp_change(
    as_of: Date,
    subject: &Subject,
    unit: UnitId,
    last: Option<Lamp>,
    lamp: Lamp,
    out: &mut SweepOutput,
) {
    out.lamps.push(LampObservation {
        subject: subject.clone(),
        lamp,
    });
    let Some(from) = last else {
        return;
    };
    if from == lamp {
        return;
    }
    push(
        out,
        subject,
        unit,
        format!("{subject}:lamp:{}-{}:{as_of}", from.as_str(), lamp.as_str()),
        EventKind::LampChanged { from, to: lamp },
        as_of,
        format!("lamp {} -> {}", from.as_str(), lamp.as_str()),
    );
}

fn checkpoint(
    policy: &SupervisionPolicy,
    lamps: &LampPolicy,
    as_of: Date,
    f: &TaskFacts<'_>,
    subject: &Subject,
    out: &mut SweepOutput,
) {
    let Some(this) = period_of(as_of) else {
        return;
    };
    let period = if as_of == this.last_day() {
        this
    } else {
        match previous(this) {
            Some(p) => p,
            None => return,
        }
    };
    let day = period.last_day();
    let t = f.task;
    if day < t.fields.start || f.checkpoints.iter().any(|c| c.period == period) {
        return;
    }
    let Some(lamp) = standing(t, day, lamps).lamp else {
        return;
    };
    out.checkpoints.push((t.id, Checkpoint { period, lamp }));
    let lamp_at = |p: Period| {
        if p == period {
            Some(lamp)
        } else {
            f.checkpoints.iter().find(|c| c.period == p).map(|c| c.lamp)
        }
    };
    let streak = |hit: &dyn Fn(Lamp) -> bool| {
        let mut n = 0u32;
        let mut p = Some(period);
        while let Some(q) = p {
            match lamp_at(q) {
                Some(l) if hit(l) => n += 1,
                _ => break,
            }
            p = previous(q);
        }
        n
    };
    let reds = streak(&|l| l == Lamp::Red);
    let yellows = streak(&|l| l == Lamp::Yellow);
    let c = &policy.cards;
    let card = if reds > 0 && reds % c.red_streak.max(1) == 0 {
        Some((CardColour::Red, c.red_points, reds))
    } else if yellows > 0 && yellows % c.yellow_streak.max(1) == 0 {
        Some((CardColour::Yellow, c.yellow_points, yellows))
    } else {
        None
    };
    let unit = t.fields.lead_unit;
    if let Some((colour, points, n)) = card {
        let what = colour.as_str();
        push(
            out,
            subject,
            unit,
            format!("{subject}:card:{}:{period}", colour.as_str()),
            EventKind::CardIssued { colour, points },
            day,
            format!("lamp {what} at {n} consecutive monthly checkpoints"),
        );
    }
    for r in policy.escalations.iter().filter(|r| r.red_streak == reds) {
        push(
            out,
            subject,
            unit,
            format!("{subject}:escalated:{}:{period}", r.level),
            EventKind::Escalated {
                level: r.level,
                target: r.target,
                summons: r.summons,
            },
            day,
            format!(
                "lamp red at {reds} consecutive monthly checkpoints; to {}",
                r.target.as_str()
            ),
        );
    }
}

fn push(
    out: &mut SweepOutput,
    subject: &Subject,
    unit: UnitId,
    dedup_key: String,
    kind: EventKind,
    occurred_on: Date,
    detail: String,
) {
    out.events.push(SupervisionEvent {
        kind,
        subject: subject.clone(),
        unit,
        dedup_key,
        occurred_on,
        detail,
    });
}

fn next_day(d: Date) -> Date {
    d.next_day().unwrap_or(d)
}

/// The month a day falls in.
pub(crate) fn period_of(d: Date) -> Option<Period> {
    Period::new("period", d.year(), d.month() as u8).ok()
}

/// The month before `p`.
pub(crate) fn previous(p: Period) -> Option<Period> {
    let (y, m) = if p.month() == 1 {
        (p.year() - 1, 12)
    } else {
        (p.year(), p.month() - 1)
    };
    Period::new("period", y, m).ok()
}
