//! The life of a petition case:
//!
//! ```text
//! registered → routed → handling (accepted) → replied → review requested → reviewed
//!            → re-review requested → re-reviewed (final) → closed
//! registered → handling | declined        (decided directly by the organ that registered it)
//! routed     → objected → routed          (not ours: routed again to another organ)
//! routed     → declined → closed
//! replied | reviewed → closed             (petitioner content, or the request window lapsed)
//! ```
//!
//! Accepting a case opens its handling, so "accepted" and "handling" are one status; handling
//! may be extended once. After the re-review the same facts and reasons are not accepted again.
//! Besides the status changes, a case leader may be assigned, extended and record the resolution,
//! a handler may confirm the case repeats an earlier one, and the petitioner's rating is recorded. Every action carries the date it happened; dates never run backwards.

use super::clocks::due_after_days;
use super::{
    CaseLeader, Extension, PetitionCase, PetitionPolicy, Rating, Satisfaction, WorkCalendar,
    add_months,
};
use crate::ValidationError;
use crate::error::required_text;
use crate::ids::{PersonId, PetitionId, UnitId};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PetitionStatus {
    /// 登记: waiting to be routed or assigned.
    Registered,
    /// 转送 / 交办: with a handling organ that has not yet said whether it accepts.
    Routed,
    /// The organ holds the case is not its own; waiting to be routed again.
    Objected,
    /// 不予受理 (a decline notice was sent).
    Declined,
    /// 受理, being handled (办理).
    Handling,
    /// 答复: the reply (处理意见) was given.
    Replied,
    /// 复查 requested.
    ReviewRequested,
    /// 复查 decided.
    Reviewed,
    /// 复核 requested.
    ReReviewRequested,
    /// 复核 decided: final; the same facts and reasons are not accepted again.
    ReReviewed,
    /// Filed away (办结归档).
    Closed,
}

impl PetitionStatus {
    pub const ALL: [PetitionStatus; 11] = [
        Self::Registered,
        Self::Routed,
        Self::Objected,
        Self::Declined,
        Self::Handling,
        Self::Replied,
        Self::ReviewRequested,
        Self::Reviewed,
        Self::ReReviewRequested,
        Self::ReReviewed,
        Self::Closed,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Routed => "routed",
            Self::Objected => "objected",
            Self::Declined => "declined",
            Self::Handling => "handling",
            Self::Replied => "replied",
            Self::ReviewRequested => "review_requested",
            Self::Reviewed => "reviewed",
            Self::ReReviewRequested => "rereview_requested",
            Self::ReReviewed => "rereviewed",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the case has had its reply (and possibly review and re-review).
    pub fn is_replied(&self) -> bool {
        matches!(
            self,
            Self::Replied
                | Self::ReviewRequested
                | Self::Reviewed
                | Self::ReReviewRequested
                | Self::ReReviewed
        )
    }
}

/// The decision of a review or re-review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewOutcome {
    /// 维持: the earlier decision stands (the request is declined).
    Upheld,
    /// 撤销 / 变更: the earlier decision is set aside or changed.
    Changed,
}

impl ReviewOutcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Upheld => "upheld",
            Self::Changed => "changed",
        }
    }
}

/// An action on a case, with its arguments. The date it happened is given to
/// [`PetitionCase::after`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PetitionAction {
    /// Route or assign to a handling organ (again, after an objection).
    Route {
        unit: UnitId,
    },
    Accept,
    Decline {
        reason: String,
    },
    Object {
        reason: String,
    },
    /// An approved extension of `days`, with the date the petitioner was told.
    Extend {
        days: i64,
        notice_on: Date,
        reason: String,
    },
    Reply,
    RequestReview,
    DecideReview {
        outcome: ReviewOutcome,
    },
    RequestReReview,
    DecideReReview {
        outcome: ReviewOutcome,
    },
    Close,
    /// A leader takes the case (包案); a second call hands it to another leader, same clock.
    AssignLeader {
        person: PersonId,
    },
    /// The one extension of the leader's clock, to `to`.
    ExtendLeader {
        to: Date,
        reason: String,
    },
    /// The leader has resolved (化解) the case.
    Resolve,
    /// A handler confirms the case repeats `of`.
    MarkRepeat {
        of: PetitionId,
    },
    Rate {
        value: Satisfaction,
    },
}

impl PetitionAction {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Route { .. } => "route",
            Self::Accept => "accept",
            Self::Decline { .. } => "decline",
            Self::Object { .. } => "object",
            Self::Extend { .. } => "extend",
            Self::Reply => "reply",
            Self::RequestReview => "request_review",
            Self::DecideReview { .. } => "decide_review",
            Self::RequestReReview => "request_rereview",
            Self::DecideReReview { .. } => "decide_rereview",
            Self::Close => "close",
            Self::AssignLeader { .. } => "assign_leader",
            Self::ExtendLeader { .. } => "extend_leader",
            Self::Resolve => "resolve",
            Self::MarkRepeat { .. } => "mark_repeat",
            Self::Rate { .. } => "rate",
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Self::Decline { reason }
            | Self::Object { reason }
            | Self::Extend { reason, .. }
            | Self::ExtendLeader { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PetitionError {
    /// The action is not allowed in the current status (or state of the case leader).
    NotAllowed {
        from: PetitionStatus,
        action: &'static str,
    },
    /// The action's input (or its date) is invalid.
    Invalid(ValidationError),
}

impl std::fmt::Display for PetitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAllowed { from, action } => {
                write!(
                    f,
                    "cannot {action} a petition case that is {}",
                    from.as_str()
                )
            }
            Self::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PetitionError {}

fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> PetitionError {
    PetitionError::Invalid(ValidationError::new(field, code, message))
}

/// A leader's action cannot be dated before the leader took the case.
fn before_leader(on: Date, leader: &CaseLeader) -> Result<(), PetitionError> {
    if on < leader.assigned_on {
        return Err(invalid(
            "date",
            "out_of_order",
            format!("the date {on} is before the leader took the case"),
        ));
    }
    Ok(())
}

impl PetitionCase {
    /// The case after `action` on `on`, or why it is refused. Requests for review or re-review
    /// made after their statutory window are refused (`too_late`), as the regulations do not
    /// accept them; the windows end as the clocks compute them (hence the calendar).
    pub fn after(
        &self,
        action: &PetitionAction,
        on: Date,
        policy: &PetitionPolicy,
        calendar: &WorkCalendar,
    ) -> Result<PetitionCase, PetitionError> {
        let within = |from: Date, days: i64| due_after_days(from, days, policy, calendar);
        use PetitionAction as A;
        use PetitionStatus as S;
        if let Some(reason) = action.reason() {
            required_text("reason", reason, 2000).map_err(PetitionError::Invalid)?;
        }
        let latest = self.dates.latest();
        if on < latest {
            return Err(invalid(
                "date",
                "out_of_order",
                format!("the date {on} is before the case's latest node ({latest})"),
            ));
        }
        let not_allowed = || PetitionError::NotAllowed {
            from: self.status,
            action: action.name(),
        };
        let mut c = self.clone();
        let d = &mut c.dates;
        match (self.status, action) {
            (S::Registered | S::Objected, A::Route { unit }) => {
                d.routed_on.get_or_insert(on);
                d.received_on = Some(on);
                c.handling_unit = Some(*unit);
                c.status = S::Routed;
            }
            (S::Registered | S::Routed, A::Accept) => {
                d.accepted_on = Some(on);
                c.status = S::Handling;
            }
            (S::Registered | S::Routed, A::Decline { .. }) => {
                d.declined_on = Some(on);
                c.status = S::Declined;
            }
            (S::Routed, A::Object { .. }) => {
                d.objected_on = Some(on);
                c.status = S::Objected;
            }
            (
                S::Handling,
                A::Extend {
                    days,
                    notice_on,
                    reason,
                },
            ) => {
                if self.extension.is_some() {
                    return Err(invalid(
                        "days",
                        "already_extended",
                        "a case is extended once",
                    ));
                }
                if *days < 1 || *days > policy.extension_max_days {
                    return Err(invalid(
                        "days",
                        "out_of_range",
                        format!("an extension is 1 to {} days", policy.extension_max_days),
                    ));
                }
                let accepted = d.accepted_on.unwrap_or(d.registered_on);
                if on > within(accepted, policy.conclude_within_days) {
                    return Err(invalid(
                        "date",
                        "too_late",
                        "the handling period has already run out",
                    ));
                }
                if *notice_on < on {
                    return Err(invalid(
                        "notice_on",
                        "out_of_order",
                        "the notice cannot precede the approval",
                    ));
                }
                c.extension = Some(Extension {
                    approved_on: on,
                    notice_on: *notice_on,
                    days: *days,
                    reason: reason.trim().to_owned(),
                });
            }
            (S::Handling, A::Reply) => {
                d.replied_on = Some(on);
                c.status = S::Replied;
            }
            (S::Replied, A::RequestReview) => {
                let replied = d.replied_on.unwrap_or(on);
                if on > within(replied, policy.review_request_within_days) {
                    return Err(invalid(
                        "date",
                        "too_late",
                        "a review is requested within the period after the reply",
                    ));
                }
                d.review_requested_on = Some(on);
                c.status = S::ReviewRequested;
            }
            (S::ReviewRequested, A::DecideReview { outcome }) => {
                d.review_decided_on = Some(on);
                c.review_outcome = Some(*outcome);
                c.status = S::Reviewed;
            }
            (S::Reviewed, A::RequestReReview) => {
                let decided = d.review_decided_on.unwrap_or(on);
                if on > within(decided, policy.rereview_request_within_days) {
                    return Err(invalid(
                        "date",
                        "too_late",
                        "a re-review is requested within the period after the review",
                    ));
                }
                d.rereview_requested_on = Some(on);
                c.status = S::ReReviewRequested;
            }
            (S::ReReviewRequested, A::DecideReReview { outcome }) => {
                d.rereview_decided_on = Some(on);
                c.rereview_outcome = Some(*outcome);
                c.status = S::ReReviewed;
            }
            (S::Declined | S::Replied | S::Reviewed | S::ReReviewed, A::Close) => {
                d.closed_on = Some(on);
                c.status = S::Closed;
            }
            (from, A::AssignLeader { person }) if from != S::Closed => match &mut c.leader {
                Some(l) if l.resolved_on.is_none() => l.person = *person,
                Some(_) => return Err(not_allowed()),
                None => {
                    c.leader = Some(CaseLeader {
                        person: *person,
                        assigned_on: on,
                        extended_to: None,
                        resolved_on: None,
                    })
                }
            },
            (_, A::ExtendLeader { to, .. }) => {
                let Some(l) = c.leader.as_mut().filter(|l| l.resolved_on.is_none()) else {
                    return Err(not_allowed());
                };
                before_leader(on, l)?;
                if l.extended_to.is_some() {
                    return Err(invalid(
                        "to",
                        "already_extended",
                        "a case leader extends once",
                    ));
                }
                let due = add_months(l.assigned_on, policy.leader_months);
                let max = add_months(due, policy.leader_extension_max_months);
                if on > due {
                    return Err(invalid(
                        "date",
                        "too_late",
                        "the case leader's period has already run out",
                    ));
                }
                if *to <= due || *to > max {
                    return Err(invalid(
                        "to",
                        "out_of_range",
                        format!("the extended date is after {due} and no later than {max}"),
                    ));
                }
                l.extended_to = Some(*to);
            }
            (_, A::Resolve) => match c.leader.as_mut() {
                Some(l) if l.resolved_on.is_none() => {
                    before_leader(on, l)?;
                    l.resolved_on = Some(on)
                }
                _ => return Err(not_allowed()),
            },
            (_, A::MarkRepeat { of }) => {
                if *of == self.id {
                    return Err(invalid("of", "invalid", "a case cannot repeat itself"));
                }
                c.repeat_of = Some(*of);
            }
            (from, A::Rate { value }) if from.is_replied() || from == S::Closed => {
                if c.dates.replied_on.is_none() {
                    return Err(not_allowed());
                }
                c.rating = Some(Rating {
                    value: *value,
                    rated_on: on,
                });
            }
            _ => return Err(not_allowed()),
        }
        Ok(c)
    }
}
