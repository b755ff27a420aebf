//! The statutory clocks of a case, computed from its node dates as of a day.
//!
//! Counting: a period of n days starts the day after its starting node, so it ends on start + n
//! (a case registered on 31 January must be routed by 15 February). Periods are calendar days,
//! except the objection period, which counts working days from a [`WorkCalendar`]; with
//! `roll_due_past_rest_days` a calendar-day period ending on a rest day ends on the next working
//! day instead. The case leader's period is in calendar months ([`add_months`]). A node counts
//! only when dated on or before the day asked about, so the clocks of a past day are reproducible.

use super::{PetitionCase, PetitionPolicy, WorkCalendar, add_months};
use crate::calendar::days_between;
use crate::lamp::Lamp;
use time::{Date, Duration};

/// Which statutory period a clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockKind {
    /// Route or assign the registered case.
    Routing,
    /// Tell the petitioner whether the case is accepted (from receipt by the current organ).
    Acceptance,
    /// Object that the case is not ours (working days from receipt). A window, not a duty.
    Objection,
    /// Conclude (reply) after acceptance, plus an approved extension.
    Conclusion,
    /// The petitioner's window to request a review.
    ReviewRequest,
    ReviewDecision,
    /// The petitioner's window to request a re-review.
    ReReviewRequest,
    ReReviewDecision,
    /// The case leader's period (包案).
    CaseLeader,
}

impl ClockKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Routing => "routing",
            Self::Acceptance => "acceptance",
            Self::Objection => "objection",
            Self::Conclusion => "conclusion",
            Self::ReviewRequest => "review_request",
            Self::ReviewDecision => "review_decision",
            Self::ReReviewRequest => "rereview_request",
            Self::ReReviewDecision => "rereview_decision",
            Self::CaseLeader => "case_leader",
        }
    }
}

/// Whose period it is: the organs' periods are duties and make a case red when missed; the
/// petitioner's are windows that may lapse unused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    Organ,
    Petitioner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockStatus {
    /// Not finished, due date not passed.
    Running,
    /// Finished on or before the due date.
    Met,
    /// A duty finished late or not finished by its due date (or a window used late).
    Missed,
    /// A window (objection, review or re-review request) that closed unused; nobody's fault.
    Lapsed,
}

impl ClockStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Met => "met",
            Self::Missed => "missed",
            Self::Lapsed => "lapsed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub kind: ClockKind,
    pub party: Party,
    pub start: Date,
    pub due: Date,
    pub finished_on: Option<Date>,
    /// Calendar days from the finish (or, while unfinished, from the day asked about) to the due
    /// date: negative when late.
    pub days_left: i64,
    pub status: ClockStatus,
    /// When reminders of a running duty go out (`due − offset` for each policy offset, never
    /// before the start), earliest first. Empty for finished clocks and windows.
    pub reminders: Vec<Date>,
}

/// Every running or finished clock of a case, and the case's lamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseClocks {
    pub clocks: Vec<Clock>,
    /// Red when an organ's clock is missed; blue while one is due within the policy's days;
    /// green otherwise.
    pub lamp: Lamp,
}

impl CaseClocks {
    pub fn get(&self, kind: ClockKind) -> Option<&Clock> {
        self.clocks.iter().find(|c| c.kind == kind)
    }
}

/// The end of a period of `days` calendar days after `start`.
pub(super) fn due_after_days(
    start: Date,
    days: i64,
    policy: &PetitionPolicy,
    calendar: &WorkCalendar,
) -> Date {
    let due = start.checked_add(Duration::days(days)).unwrap_or(Date::MAX);
    if policy.roll_due_past_rest_days {
        calendar.next_working_day(due)
    } else {
        due
    }
}

struct Builder<'a> {
    as_of: Date,
    policy: &'a PetitionPolicy,
    clocks: Vec<Clock>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        kind: ClockKind,
        party: Party,
        start: Date,
        due: Date,
        finished: Option<Date>,
    ) {
        let finished_on = finished.filter(|d| *d <= self.as_of && *d >= start);
        let days_left = days_between(finished_on.unwrap_or(self.as_of), due);
        let status = match (finished_on, party) {
            (Some(f), _) if f <= due => ClockStatus::Met,
            (Some(_), _) => ClockStatus::Missed,
            (None, _) if self.as_of <= due => ClockStatus::Running,
            (None, Party::Organ) if kind == ClockKind::Objection => ClockStatus::Lapsed,
            (None, Party::Organ) => ClockStatus::Missed,
            (None, Party::Petitioner) => ClockStatus::Lapsed,
        };
        let mut reminders = Vec::new();
        if status == ClockStatus::Running && party == Party::Organ && kind != ClockKind::Objection {
            for offset in &self.policy.reminder_days_before {
                if let Some(d) = due.checked_sub(Duration::days(*offset))
                    && d >= start
                    && !reminders.contains(&d)
                {
                    reminders.push(d);
                }
            }
            reminders.sort();
        }
        self.clocks.push(Clock {
            kind,
            party,
            start,
            due,
            finished_on,
            days_left,
            status,
            reminders,
        });
    }
}

/// The first of `dates` on or after `from` (and on or before `as_of`).
fn first_from(from: Date, as_of: Date, dates: &[Option<Date>]) -> Option<Date> {
    dates
        .iter()
        .flatten()
        .copied()
        .filter(|d| *d >= from && *d <= as_of)
        .min()
}

/// The statutory clocks of `case` as of `as_of`.
pub fn clocks(
    case: &PetitionCase,
    as_of: Date,
    policy: &PetitionPolicy,
    calendar: &WorkCalendar,
) -> CaseClocks {
    use ClockKind as K;
    let d = &case.dates;
    let seen = |x: Option<Date>| x.filter(|x| *x <= as_of);
    let due = |start: Date, days: i64| due_after_days(start, days, policy, calendar);
    let mut b = Builder {
        as_of,
        policy,
        clocks: Vec::new(),
    };
    let reg = d.registered_on;
    if reg > as_of {
        return CaseClocks {
            clocks: vec![],
            lamp: Lamp::Green,
        };
    }
    // Routing ends with the first routing, or with a decision by the organ that registered it.
    let routed = first_from(reg, as_of, &[d.routed_on, d.accepted_on, d.declined_on]);
    b.push(
        K::Routing,
        Party::Organ,
        reg,
        due(reg, policy.route_within_days),
        routed,
    );
    let received = seen(d.received_on);
    let decided_directly =
        d.routed_on.is_none() && (seen(d.accepted_on).or(seen(d.declined_on))).is_some();
    if received.is_some() || decided_directly {
        let start = received.unwrap_or(reg);
        let decision = first_from(start, as_of, &[d.accepted_on, d.declined_on, d.objected_on]);
        b.push(
            K::Acceptance,
            Party::Organ,
            start,
            due(start, policy.accept_within_days),
            decision,
        );
        if let Some(r) = received {
            let objected = first_from(r, as_of, &[d.objected_on]);
            let decided = first_from(r, as_of, &[d.accepted_on, d.declined_on]);
            if objected.is_some() || decided.is_none() {
                let end = calendar.add_working_days(r, policy.object_within_working_days);
                b.push(K::Objection, Party::Organ, r, end, objected);
            }
        }
    }
    if let Some(acc) = seen(d.accepted_on) {
        let extra = case
            .extension
            .as_ref()
            .filter(|e| e.approved_on <= as_of)
            .map_or(0, |e| e.days);
        let end = due(acc, policy.conclude_within_days + extra);
        b.push(K::Conclusion, Party::Organ, acc, end, d.replied_on);
    }
    let pairs = [
        (
            d.replied_on,
            d.review_requested_on,
            K::ReviewRequest,
            policy.review_request_within_days,
            Party::Petitioner,
        ),
        (
            d.review_requested_on,
            d.review_decided_on,
            K::ReviewDecision,
            policy.review_decide_within_days,
            Party::Organ,
        ),
        (
            d.review_decided_on,
            d.rereview_requested_on,
            K::ReReviewRequest,
            policy.rereview_request_within_days,
            Party::Petitioner,
        ),
        (
            d.rereview_requested_on,
            d.rereview_decided_on,
            K::ReReviewDecision,
            policy.rereview_decide_within_days,
            Party::Organ,
        ),
    ];
    for (start, end, kind, days, party) in pairs {
        let Some(s) = seen(start) else { continue };
        let last = due(s, days);
        let closed = seen(d.closed_on);
        if let (Party::Petitioner, None, Some(c)) = (party, seen(end), closed) {
            // The case was closed without the request: the window is over, unused.
            b.clocks.push(Clock {
                kind,
                party,
                start: s,
                due: last,
                finished_on: None,
                days_left: days_between(c, last),
                status: ClockStatus::Lapsed,
                reminders: vec![],
            });
            continue;
        }
        b.push(kind, party, s, last, end);
    }
    if let Some(l) = case.leader.as_ref().filter(|l| l.assigned_on <= as_of) {
        let normal = add_months(l.assigned_on, policy.leader_months);
        let end = l.extended_to.unwrap_or(normal);
        let done = first_from(l.assigned_on, as_of, &[l.resolved_on, d.closed_on]);
        b.push(K::CaseLeader, Party::Organ, l.assigned_on, end, done);
    }
    let organ = || b.clocks.iter().filter(|c| c.party == Party::Organ);
    let lamp = if organ().any(|c| c.status == ClockStatus::Missed) {
        Lamp::Red
    } else if organ().any(|c| {
        c.status == ClockStatus::Running
            && c.kind != K::Objection
            && c.days_left <= policy.blue_within_days
    }) {
        Lamp::Blue
    } else {
        Lamp::Green
    };
    CaseClocks {
        clocks: b.clocks,
        lamp,
    }
}
