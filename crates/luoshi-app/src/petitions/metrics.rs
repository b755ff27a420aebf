//! Petition metrics per unit, and the same figures as assessment facts: the metric keys the
//! scheme books already name (`petitions.accepted_on_time_rate`, `petitions.reply_on_time_rate`,
//! `petitions.satisfaction_rate`) and one `petition.repeat` event per confirmed repeat. The
//! assessment's record reader adds them to its `Facts`, with nothing due on every rate for a unit
//! that handles no case.

use crate::{App, AppError, require};
use luoshi_domain::assess::{EventFact, MetricFact, MetricKey, MetricValue};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::UnitId;
use luoshi_domain::measure::Decimal;
use luoshi_domain::petition::{PetitionCase, PetitionMetrics, Rate, metrics};
use luoshi_store::petitions::{self as store, PetitionFilter};
use std::collections::BTreeMap;
use time::Date;

/// The rate metrics every unit has (nothing due for a unit that handles no case).
pub const RATE_KEYS: [&str; 3] = [
    "petitions.accepted_on_time_rate",
    "petitions.reply_on_time_rate",
    "petitions.satisfaction_rate",
];

/// A unit's petition figures as assessment inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionFacts {
    pub unit: UnitId,
    pub metrics: Vec<MetricFact>,
    pub events: Vec<EventFact>,
}

fn rate(r: Rate) -> MetricValue {
    MetricValue::Rate {
        numerator: Decimal::from(r.numerator),
        denominator: Decimal::from(r.denominator),
    }
}

/// The facts of each unit's cases as of `as_of` (cases not yet routed belong to no unit and are
/// left out). Pure, for tests.
pub(crate) fn unit_facts(
    cases: &[PetitionCase],
    as_of: Date,
    policy: &luoshi_domain::petition::PetitionPolicy,
    calendar: &luoshi_domain::petition::WorkCalendar,
) -> Vec<PetitionFacts> {
    let mut by_unit: BTreeMap<UnitId, Vec<PetitionCase>> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.dates.registered_on <= as_of) {
        if let Some(u) = c.handling_unit {
            by_unit.entry(u).or_default().push(c.clone());
        }
    }
    by_unit
        .into_iter()
        .map(|(unit, list)| {
            let m = metrics(&list, as_of, policy, calendar);
            let fact = |key: &str, r: Rate| MetricFact {
                metric: MetricKey::new(key),
                on: as_of,
                value: rate(r),
            };
            let events = list
                .iter()
                .filter_map(|c| {
                    let of = c.repeat_of?;
                    Some(EventFact {
                        kind: "petition.repeat".into(),
                        on: c.dates.registered_on,
                        subject: c.id.to_string(),
                        description: format!("repeats case {of}"),
                    })
                })
                .collect();
            PetitionFacts {
                unit,
                metrics: RATE_KEYS
                    .into_iter()
                    .zip([m.timely_acceptance, m.on_time_reply, m.satisfaction])
                    .map(|(key, r)| fact(key, r))
                    .collect(),
                events,
            }
        })
        .collect()
}

impl App {
    /// The petition metrics of the region (`unit: None`) or of one handling unit, as of a day.
    pub async fn petition_metrics(
        &self,
        actor: &Actor,
        unit: Option<UnitId>,
        as_of: Date,
    ) -> Result<PetitionMetrics, AppError> {
        require(actor, Permission::ReadPetitions)?;
        let filter = PetitionFilter {
            handling_unit: unit,
            ..PetitionFilter::default()
        };
        let cases = store::list(self.db(), actor.region, &filter).await?;
        Ok(metrics(
            &cases,
            as_of,
            self.petition_policy(),
            self.work_calendar(),
        ))
    }

    /// Every unit's petition facts for the assessment as of `as_of`.
    pub async fn petition_assessment_facts(
        &self,
        actor: &Actor,
        as_of: Date,
    ) -> Result<Vec<PetitionFacts>, AppError> {
        require(actor, Permission::ReadPetitions)?;
        let cases = store::list(self.db(), actor.region, &PetitionFilter::default()).await?;
        Ok(unit_facts(
            &cases,
            as_of,
            self.petition_policy(),
            self.work_calendar(),
        ))
    }
}
