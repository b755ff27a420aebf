//! Petition metrics for the assessment, computed over cases as of a day. Each rate keeps its
//! numerator and denominator so a score can be explained down to the cases.

use super::{
    ClockKind, ClockStatus, PetitionCase, PetitionPolicy, Satisfaction, WorkCalendar, clocks,
};
use crate::calendar::Period;
use crate::ids::UnitId;
use crate::measure::{Decimal, percent_of};
use std::collections::BTreeMap;
use time::Date;

/// `numerator / denominator` as a percentage (two decimals); `None` when nothing was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub numerator: u32,
    pub denominator: u32,
    pub pct: Option<Decimal>,
}

impl Rate {
    pub fn new(numerator: u32, denominator: u32) -> Self {
        Self {
            numerator,
            denominator,
            pct: percent_of(Decimal::from(numerator), Decimal::from(denominator)),
        }
    }
}

/// Confirmed repeat petitions registered in a month, by the unit handling them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatCount {
    /// `None` for cases not yet routed to a unit.
    pub unit: Option<UnitId>,
    pub period: Period,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionMetrics {
    /// Acceptance decided (accepted, declined or objected) within its period, over the cases
    /// whose acceptance was decided or due by the day.
    pub timely_acceptance: Rate,
    /// Replied within the handling period (with any approved extension), over the accepted cases
    /// replied or due by the day.
    pub on_time_reply: Rate,
    /// Resolved by the case leader within the leader's period, over the led cases resolved or due.
    pub leader_resolution: Rate,
    /// Replied cases whose petitioner gave a rating, over the replied cases.
    pub participation: Rate,
    /// Satisfied ratings (with "basically satisfied" when the policy says so), over all ratings.
    pub satisfaction: Rate,
    /// Sorted by unit, then month.
    pub repeats: Vec<RepeatCount>,
}

/// The metrics of `cases` (registered by `as_of`) as of `as_of`. Pass a unit's cases for the
/// unit's metrics.
pub fn metrics(
    cases: &[PetitionCase],
    as_of: Date,
    policy: &PetitionPolicy,
    calendar: &WorkCalendar,
) -> PetitionMetrics {
    let mut counts = [(0u32, 0u32); 3];
    let kinds = [
        ClockKind::Acceptance,
        ClockKind::Conclusion,
        ClockKind::CaseLeader,
    ];
    let (mut replied, mut rated, mut rated_total, mut satisfied) = (0, 0, 0, 0);
    let mut repeats: BTreeMap<(Option<UnitId>, Period), u32> = BTreeMap::new();
    for case in cases.iter().filter(|c| c.dates.registered_on <= as_of) {
        let cc = clocks(case, as_of, policy, calendar);
        for (kind, (num, den)) in kinds.iter().zip(counts.iter_mut()) {
            match cc.get(*kind).map(|c| c.status) {
                Some(ClockStatus::Met) => {
                    *num += 1;
                    *den += 1;
                }
                Some(ClockStatus::Missed) => *den += 1,
                _ => {}
            }
        }
        let rating = case.rating.filter(|r| r.rated_on <= as_of);
        if case.dates.replied_on.is_some_and(|d| d <= as_of) {
            replied += 1;
            if rating.is_some() {
                rated += 1;
            }
        }
        if let Some(r) = rating {
            rated_total += 1;
            let counts = match r.value {
                Satisfaction::Satisfied => true,
                Satisfaction::BasicallySatisfied => policy.basically_satisfied_counts,
                Satisfaction::Dissatisfied => false,
            };
            if counts {
                satisfied += 1;
            }
        }
        if case.repeat_of.is_some() {
            let reg = case.dates.registered_on;
            if let Ok(p) = Period::new("period", reg.year(), u8::from(reg.month())) {
                *repeats.entry((case.handling_unit, p)).or_default() += 1;
            }
        }
    }
    let [acc, reply, leader] = counts;
    PetitionMetrics {
        timely_acceptance: Rate::new(acc.0, acc.1),
        on_time_reply: Rate::new(reply.0, reply.1),
        leader_resolution: Rate::new(leader.0, leader.1),
        participation: Rate::new(rated, replied),
        satisfaction: Rate::new(satisfied, rated_total),
        repeats: repeats
            .into_iter()
            .map(|((unit, period), count)| RepeatCount {
                unit,
                period,
                count,
            })
            .collect(),
    }
}
