//! Petition clocks as deadline items for the supervision sweep: every organ's clock (routing, acceptance,
//! conclusion, review and re-review decisions, the case leader's period) of a case that has a
//! handling unit becomes a `DeadlineItem` of kind `petition_<clock>` keyed by the case id, so
//! the sweep reminds before it expires and reports it overdue. Windows (the organ's objection
//! window, the petitioner's review requests) are not duties and are left out; so is every clock of
//! an unrouted case, which has no unit yet (the petition office sees it on its overview).

use crate::{App, AppError};
use luoshi_domain::ids::RegionId;
use luoshi_domain::lamp::Lamp;
use luoshi_domain::petition::{
    Clock, ClockKind, ClockStatus, Party, PetitionCase, PetitionPolicy, WorkCalendar, clocks,
};
use luoshi_domain::supervision::{DeadlineItem, ItemRef};
use luoshi_store::petitions::{self as store, PetitionFilter};
use time::Date;

/// The lamp of one clock: red when missed, blue while due within the policy's days, else green.
pub fn clock_lamp(c: &Clock, policy: &PetitionPolicy) -> Lamp {
    match c.status {
        ClockStatus::Missed => Lamp::Red,
        ClockStatus::Running if c.days_left <= policy.blue_within_days => Lamp::Blue,
        _ => Lamp::Green,
    }
}

/// The deadline items of `cases` as of `as_of` (pure).
pub fn deadline_items(
    cases: &[PetitionCase],
    as_of: Date,
    policy: &PetitionPolicy,
    calendar: &WorkCalendar,
) -> Result<Vec<DeadlineItem>, AppError> {
    let mut out = vec![];
    for case in cases.iter().filter(|c| c.dates.registered_on <= as_of) {
        let Some(unit) = case.handling_unit else {
            continue;
        };
        for c in clocks(case, as_of, policy, calendar).clocks {
            if c.party != Party::Organ || c.kind == ClockKind::Objection {
                continue;
            }
            let kind = format!("petition_{}", c.kind.as_str());
            out.push(DeadlineItem {
                item: ItemRef::new(&kind, &case.id.to_string())?,
                unit,
                due: c.due,
                done: c.finished_on.is_some(),
                lamp: Some(clock_lamp(&c, policy)),
                last_lamp: None,
            });
        }
    }
    Ok(out)
}

impl App {
    /// The petition deadline items of `region` as of `day`, for `App::sweep` (system use: no
    /// actor, no personal data). `last_lamp` is left `None` for the sweep to fill from its store.
    pub async fn petition_deadline_items(
        &self,
        region: RegionId,
        day: Date,
    ) -> Result<Vec<DeadlineItem>, AppError> {
        let cases = store::list(self.db(), region, &PetitionFilter::default()).await?;
        deadline_items(&cases, day, self.petition_policy(), self.work_calendar())
    }
}
