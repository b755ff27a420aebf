//! Supervision (督查督办): the pure rules behind reminders, red and yellow cards, escalation,
//! supervision notices (督办单) and the periodic bulletin (通报).
//!
//! Nothing here reads a clock or a database. The sweep ([`sweep()`]) takes the facts the store has
//! (tasks, their recent progress-report dates, indicator reporting obligations, notices, generic
//! deadline items) plus what earlier sweeps observed (the last lamp of each subject and the lamp at
//! each past monthly checkpoint), and returns the events that are *current* on `as_of` together
//! with the observations the store should keep.
//!
//! **Exactly once.** Every event carries a `dedup_key` naming one real-world occurrence (for
//! example `task:<id>:due:2026-09-30:approaching:3d`) and a canonical `occurred_on` and content
//! that do not depend on the day the sweep ran. The store inserts events with a unique index on
//! (region, `dedup_key`) and ignores conflicts, so running the sweep twice, after a restart, or on
//! two servers at once records each occurrence once, and a re-emitted event is byte-for-byte the
//! one already stored. Because the sweep reports what is current rather than what is new, a
//! sweeper that was down for a few days catches up on its next run (with the events' own dates;
//! a reminder mark already superseded by a nearer one is not sent late). Cards and escalations
//! are the exception: they are raised by the sweep that records a monthly checkpoint, so the
//! store keeps checkpoints and events in one transaction.
//!
//! Submodules: [`policy`] (every threshold, quiet hours), [`mod@sweep`] (facts → events),
//! [`notice`] (督办单 numbering and lifecycle), [`mod@bulletin`] (per-unit rows and ranking).

use crate::calendar::Period;
use crate::ids::{IndicatorId, NoticeId, TaskId, UnitId};
use crate::lamp::Lamp;
use crate::measure::Decimal;
use std::fmt;
use time::Date;

pub mod bulletin;
pub mod delivery;
pub mod notice;
pub mod policy;
pub mod sweep;

pub use bulletin::{BulletinPeriod, BulletinRow, ReportFact, bulletin};
pub use delivery::{CHINA_STANDARD_TIME, RetryPolicy, RobotPlatform, not_before};
pub use notice::{Notice, NoticeAction, NoticeFields, NoticeStatus, NoticeSubject, notice_number};
pub use policy::{CardRules, EscalationRule, EscalationTarget, QuietHours, SupervisionPolicy};
pub use sweep::{
    Checkpoint, DeadlineItem, IndicatorObligation, ItemRef, LampObservation, SweepFacts,
    SweepOutput, TaskFacts, sweep,
};

/// What an event is about. Its `Display` is the prefix of every dedup key of the subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Task(TaskId),
    /// A milestone of a task, identified by its due date (milestones have no id of their own; a
    /// milestone moved to another date is a new occurrence).
    Milestone {
        task: TaskId,
        due: Date,
    },
    /// A unit's obligation to report an indicator.
    Indicator {
        indicator: IndicatorId,
        unit: UnitId,
    },
    Notice(NoticeId),
    /// A generic deadline item (e.g. a key project's milestone), see [`ItemRef`].
    Item(ItemRef),
}

impl Subject {
    /// The task whose own subject key `key` is (`task:<id>`, exactly as [`Subject::Task`]
    /// displays); `None` for any other subject. A sweep looks lamps up by task id rather than
    /// formatting a key for each of a region's thousands of tasks.
    pub fn task_of_key(key: &str) -> Option<TaskId> {
        let id = key.strip_prefix("task:")?;
        // `Display` writes the 36-character hyphenated form in lower case.
        if id.len() != 36 || id.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        id.parse().ok()
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Task(t) => write!(f, "task:{t}"),
            Self::Milestone { task, due } => write!(f, "task:{task}:milestone:{due}"),
            Self::Indicator { indicator, unit } => write!(f, "indicator:{indicator}:unit:{unit}"),
            Self::Notice(n) => write!(f, "notice:{n}"),
            Self::Item(i) => write!(f, "{}:{}", i.kind(), i.key()),
        }
    }
}

/// The colour of a card (红黄牌).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CardColour {
    Yellow,
    Red,
}

impl CardColour {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// A reminder mark before a deadline was reached: `days_left` is the mark (one of the
    /// policy's offsets), not the days left on the day the sweep ran.
    DeadlineApproaching {
        days_left: i64,
    },
    /// An overdue reminder mark: 1, 1 + interval, 1 + 2·interval … days after the deadline.
    Overdue {
        days_over: i64,
    },
    /// No report (or no indicator value) by the reporting day of `period`.
    ReportMissing {
        period: Period,
    },
    LampChanged {
        from: Lamp,
        to: Lamp,
    },
    /// A card at a monthly checkpoint; `points` is what it costs in the assessment (negative).
    CardIssued {
        colour: CardColour,
        points: Decimal,
    },
    /// Escalation after consecutive red checkpoints.
    Escalated {
        level: u8,
        target: EscalationTarget,
        summons: bool,
    },
}

impl EventKind {
    /// A stable name for storage and filters.
    pub fn name(&self) -> &'static str {
        match self {
            Self::DeadlineApproaching { .. } => "deadline_approaching",
            Self::Overdue { .. } => "overdue",
            Self::ReportMissing { .. } => "report_missing",
            Self::LampChanged { .. } => "lamp_changed",
            Self::CardIssued { .. } => "card_issued",
            Self::Escalated { .. } => "escalated",
        }
    }
}

/// One supervision event. Two events with the same `dedup_key` are the same occurrence and are
/// equal in every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionEvent {
    pub kind: EventKind,
    pub subject: Subject,
    /// The unit answerable for the subject (a task's lead unit, a notice's addressee …).
    pub unit: UnitId,
    pub dedup_key: String,
    /// The day the occurrence happened (canonical: a reminder mark's day, the day after a
    /// reporting day, a checkpoint's day), never simply the day the sweep ran, except for lamp
    /// changes, which are observed rather than scheduled.
    pub occurred_on: Date,
    /// A short English description for logs and message bodies, e.g. `deadline 2026-09-30`.
    pub detail: String,
}

#[cfg(test)]
mod tests;
