//! Supervision notices (督办单): numbered, dated demands for a written response by a date.
//!
//! Lifecycle: issued → responded → accepted, or → followed up (a further notice, which names
//! this one in `follows`, replaces it). An issued notice whose response is overdue may also be
//! followed up directly. The supervision office issues, accepts and follows up; the addressed
//! unit responds.

use crate::authz::Permission;
use crate::calendar::days_between;
use crate::error::{ValidationError, required_text};
use crate::ids::{NoticeId, RegionId, TaskId, UnitId};
use time::Date;

/// The official number of a notice, e.g. `督办〔2026〕12号` for prefix 督办, 2026 and 12.
pub fn notice_number(prefix: &str, year: i32, sequence: u32) -> String {
    format!("{prefix}〔{year}〕{sequence}号")
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeSubject {
    Task(TaskId),
    /// The addressed unit's work as a whole.
    Unit,
}

/// The validated fields of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFields {
    pub subject: NoticeSubject,
    /// The addressed unit (for a task, its lead unit).
    pub unit: UnitId,
    /// What is required (督办要求).
    pub requirement: String,
    pub issued_on: Date,
    pub respond_by: Date,
    /// The notice this one follows up.
    pub follows: Option<NoticeId>,
}

impl NoticeFields {
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.requirement = required_text("requirement", &self.requirement, 5000)?;
        if self.respond_by < self.issued_on {
            return Err(ValidationError::new(
                "respond_by",
                "before_issue",
                "the response date is before the issue date",
            ));
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeStatus {
    Issued,
    Responded,
    Accepted,
    /// Replaced by a further notice.
    FollowedUp,
}

impl NoticeStatus {
    pub const ALL: [NoticeStatus; 4] = [
        Self::Issued,
        Self::Responded,
        Self::Accepted,
        Self::FollowedUp,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Responded => "responded",
            Self::Accepted => "accepted",
            Self::FollowedUp => "followed_up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The unit's written response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub text: String,
    pub responded_on: Date,
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: NoticeId,
    pub region: RegionId,
    /// The year of the number (the issue date's year) and the sequence within it.
    pub year: i32,
    pub sequence: u32,
    /// The formatted number, e.g. 督办〔2026〕12号.
    pub number: String,
    pub fields: NoticeFields,
    pub status: NoticeStatus,
    pub response: Option<Response>,
    /// The day it was accepted or followed up.
    pub decided_on: Option<Date>,
    pub version: i64,
}

/// An action on a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAction {
    Respond {
        text: String,
    },
    Accept,
    /// Close this notice because a further notice is issued; the caller creates that notice
    /// from [`Notice::follow_up`].
    FollowUp {
        reason: String,
    },
}

impl NoticeAction {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Respond { .. } => "respond",
            Self::Accept => "accept",
            Self::FollowUp { .. } => "follow_up",
        }
    }

    /// The permission the action needs: the addressed unit's manager responds; the supervision
    /// office (who may review tasks) accepts and follows up.
    pub fn permission(&self, unit: UnitId) -> Permission<'static> {
        match self {
            Self::Respond { .. } => Permission::ActOnTask { lead: unit },
            Self::Accept | Self::FollowUp { .. } => Permission::ReviewTask,
        }
    }
}

/// The permission needed to issue a notice: the supervision office's.
pub fn issue_permission() -> Permission<'static> {
    Permission::ReviewTask
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeError {
    NotAllowed {
        from: NoticeStatus,
        action: &'static str,
    },
    Invalid(ValidationError),
}

impl std::fmt::Display for NoticeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAllowed { from, action } => {
                write!(f, "cannot {action} a notice that is {}", from.as_str())
            }
            Self::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for NoticeError {}

impl Notice {
    /// A new notice, numbered `prefix〔year〕sequence号` with the issue date's year.
    pub fn issue(
        id: NoticeId,
        region: RegionId,
        prefix: &str,
        sequence: u32,
        fields: NoticeFields,
    ) -> Result<Notice, ValidationError> {
        let fields = fields.validate()?;
        let prefix = required_text("prefix", prefix, 20)?;
        if sequence == 0 {
            return Err(ValidationError::new(
                "sequence",
                "out_of_range",
                "notice numbers start at 1",
            ));
        }
        let year = fields.issued_on.year();
        Ok(Notice {
            id,
            region,
            year,
            sequence,
            number: notice_number(&prefix, year, sequence),
            fields,
            status: NoticeStatus::Issued,
            response: None,
            decided_on: None,
            version: 1,
        })
    }

    /// The notice after `action` on `today`, or why it is refused.
    pub fn after(&self, action: &NoticeAction, today: Date) -> Result<Notice, NoticeError> {
        use NoticeAction as A;
        use NoticeStatus as S;
        let refuse = || NoticeError::NotAllowed {
            from: self.status,
            action: action.name(),
        };
        let mut n = self.clone();
        match (self.status, action) {
            (S::Issued, A::Respond { text }) => {
                let text = required_text("text", text, 5000).map_err(NoticeError::Invalid)?;
                if today < self.fields.issued_on {
                    return Err(NoticeError::Invalid(ValidationError::new(
                        "responded_on",
                        "before_issue",
                        "a response cannot predate the notice",
                    )));
                }
                n.status = S::Responded;
                n.response = Some(Response {
                    text,
                    responded_on: today,
                });
            }
            (S::Responded, A::Accept) => {
                n.status = S::Accepted;
                n.decided_on = Some(today);
            }
            (S::Responded, A::FollowUp { reason }) | (S::Issued, A::FollowUp { reason }) => {
                required_text("reason", reason, 2000).map_err(NoticeError::Invalid)?;
                if self.status == S::Issued && self.response_overdue_days(today).is_none() {
                    return Err(refuse());
                }
                n.status = S::FollowedUp;
                n.decided_on = Some(today);
            }
            _ => return Err(refuse()),
        }
        Ok(n)
    }

    /// Fields for a further notice on the same subject and unit, following this one.
    pub fn follow_up(&self, requirement: &str, issued_on: Date, respond_by: Date) -> NoticeFields {
        NoticeFields {
            subject: self.fields.subject,
            unit: self.fields.unit,
            requirement: requirement.to_owned(),
            issued_on,
            respond_by,
            follows: Some(self.id),
        }
    }

    /// Days the response is overdue on `today` (≥ 1), when the notice still awaits it.
    pub fn response_overdue_days(&self, today: Date) -> Option<i64> {
        let late = days_between(self.fields.respond_by, today);
        (self.status == NoticeStatus::Issued && late > 0).then_some(late)
    }

    /// Whether the notice was answered on time, as known on `today`: `Some(true)` when the
    /// response came on or before `respond_by`; `Some(false)` when it came later, or none came
    /// and `respond_by` has passed (a notice followed up without a response counts as late);
    /// `None` while no response has come and the date has not passed.
    pub fn answered_on_time(&self, today: Date) -> Option<bool> {
        match &self.response {
            Some(r) => Some(r.responded_on <= self.fields.respond_by),
            None if today > self.fields.respond_by => Some(false),
            None => None,
        }
    }
}
