//! Performance assessment use cases: scheme files, facts read from the record as of a date,
//! scoring by the domain's engine, publishing and corrections.
//!
//! `assess` scores every category that has a scheme (the latest stored version of each) as of a
//! date; see [`record`] for what "as of" reads. `publish` freezes the result sets: the body is
//! their JSON, the digest the SHA-256 of their canonical texts (`ResultSet::digest`, joined in
//! category order), written to the audit log with the row. `correct` recomputes as of the same
//! date and publishes a new version that supersedes the old; both stay.

mod json;
mod record;
mod scheme_file;
mod schemes;

pub use json::{reason_from_json, result_set_json};
pub use luoshi_store::assessment::{FactKind, Published};
pub use scheme_file::{parse_scheme, print_scheme};
pub use schemes::StoredScheme;

use crate::{App, AppError, require};
use luoshi_domain::assess::{Facts, IndicatorFact, ResultSet, Scheme, score};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::calendar::month_start;
use luoshi_domain::ids::{TaskId, UnitId};
use luoshi_domain::indicator::Direction;
use luoshi_domain::measure::Decimal;
use luoshi_domain::org::Unit;
use luoshi_store::assessment::{self as store, NewFact};
use luoshi_store::{indicators, plans, units};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// A manual score, bonus or veto to enter for a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct FactInput {
    pub kind: FactKind,
    pub unit: UnitId,
    /// The key of the scheme item it is for.
    pub item: String,
    /// The score or bonus; none for a veto.
    pub points: Option<Decimal>,
    /// The note or the evidence.
    pub text: String,
    /// The date it concerns.
    pub on: Date,
}

impl App {
    /// Store a scheme file as a new version of its book (supervisors, admins). The file is
    /// parsed and validated first; errors name the item.
    pub async fn store_scheme(&self, actor: &Actor, text: &str) -> Result<Scheme, AppError> {
        require(actor, Permission::ManageAssessment)?;
        let scheme = parse_scheme(text).map_err(first_error)?;
        let version = i32::try_from(scheme.version)
            .map_err(|_| AppError::invalid("version", "out_of_range", "version is too large"))?;
        let mut tx = self.db().begin().await?;
        store::insert_scheme(
            &mut tx,
            &self.ctx(actor),
            &scheme.id,
            &scheme.category,
            version,
            &print_scheme(&scheme),
        )
        .await?;
        tx.commit().await?;
        Ok(scheme)
    }

    /// The scheme in force for each category: the latest version of the latest book.
    pub async fn schemes(&self, actor: &Actor) -> Result<Vec<Scheme>, AppError> {
        require(actor, Permission::ReadAssessment { unit: None })?;
        self.schemes_in_force(actor).await
    }

    async fn schemes_in_force(&self, actor: &Actor) -> Result<Vec<Scheme>, AppError> {
        let mut latest: BTreeMap<String, store::StoredScheme> = BTreeMap::new();
        for s in store::schemes(self.db(), actor.region).await? {
            let newer = latest
                .get(&s.category)
                .is_none_or(|l| (s.created_at, s.version) >= (l.created_at, l.version));
            if newer {
                latest.insert(s.category.clone(), s);
            }
        }
        latest
            .into_values()
            .map(|s| {
                parse_scheme(&s.body).map_err(|e| {
                    AppError::Internal(format!("stored scheme {} is invalid: {e:?}", s.key))
                })
            })
            .collect()
    }

    /// Enter a manual score (leaders, supervisors, admins), a bonus or a veto (supervisors,
    /// admins). The item must be an item of that kind in the unit's category's scheme.
    pub async fn enter_assessment_fact(
        &self,
        actor: &Actor,
        input: FactInput,
    ) -> Result<Uuid, AppError> {
        use luoshi_domain::assess::ItemKind;
        match input.kind {
            FactKind::Manual => require(actor, Permission::EvaluateAssessment)?,
            FactKind::Bonus | FactKind::Veto => require(actor, Permission::ManageAssessment)?,
        }
        let (unit, _) = units::get(self.db(), actor.region, input.unit).await?;
        let schemes = self.schemes_in_force(actor).await?;
        let item = schemes
            .iter()
            .find(|s| s.category == unit.category)
            .and_then(|s| s.item(&input.item));
        let fits = matches!(
            (input.kind, item.map(|i| &i.kind)),
            (FactKind::Manual, Some(ItemKind::Manual))
                | (FactKind::Bonus, Some(ItemKind::Bonus { .. }))
                | (FactKind::Veto, Some(ItemKind::Veto { .. }))
        );
        if !fits {
            return Err(AppError::invalid(
                "item",
                "unknown_item",
                format!(
                    "{:?} is not a {:?} item of the {} scheme",
                    input.item, input.kind, unit.category
                ),
            ));
        }
        let points = match input.kind {
            FactKind::Veto => None,
            _ => Some(input.points.ok_or_else(|| {
                AppError::Validation(luoshi_domain::ValidationError::required("points"))
            })?),
        };
        let text = luoshi_domain::error::required_text("text", &input.text, 1000)?;
        let mut tx = self.db().begin().await?;
        let id = store::append_fact(
            &mut tx,
            &self.ctx(actor),
            &NewFact {
                kind: input.kind,
                unit: input.unit,
                item: input.item,
                points,
                text,
                on: input.on,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Score every category as of `as_of`. Leaders, supervisors and admins get every sheet; a
    /// unit's own users get result sets holding only their unit's sheet.
    pub async fn assess(&self, actor: &Actor, as_of: Date) -> Result<Vec<ResultSet>, AppError> {
        let all = luoshi_domain::authz::allowed(actor, Permission::ReadAssessment { unit: None });
        if !all {
            let own = own_units(actor);
            if own.is_empty() {
                return Err(AppError::Forbidden);
            }
            let full = self.compute(actor, as_of).await?;
            return Ok(full
                .into_iter()
                .map(|mut rs| {
                    rs.sheets.retain(|s| own.contains(&s.unit));
                    rs
                })
                .filter(|rs| !rs.sheets.is_empty())
                .collect());
        }
        self.compute(actor, as_of).await
    }

    async fn compute(&self, actor: &Actor, as_of: Date) -> Result<Vec<ResultSet>, AppError> {
        let schemes = self.schemes_in_force(actor).await?;
        let units: Vec<_> = units::list(self.db(), actor.region)
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        let facts = self.facts(actor, as_of, &units).await?;
        Ok(schemes
            .iter()
            .map(|s| {
                let members: Vec<_> = units
                    .iter()
                    .filter(|u| u.category == s.category)
                    .cloned()
                    .collect();
                score(s, &members, &facts, as_of)
            })
            .collect())
    }

    /// Every unit's facts as of the end of `as_of`.
    async fn facts(&self, actor: &Actor, as_of: Date, units: &[Unit]) -> Result<Facts, AppError> {
        let region = actor.region;
        let mut facts = Facts::default();
        let all_tasks = store::task_outlines(self.db(), region).await?;
        let history = store::task_history(self.db(), region).await?;
        let mut by_task: HashMap<TaskId, Vec<&store::HistoryEvent>> = HashMap::new();
        for e in &history {
            by_task.entry(e.task).or_default().push(e);
        }
        let reports: HashMap<TaskId, &[Date]> = all_tasks
            .iter()
            .map(|t| (t.id, t.first_report_days.as_slice()))
            .collect();
        let mut outcomes: BTreeMap<UnitId, Vec<_>> = BTreeMap::new();
        for t in &all_tasks {
            let h = by_task.get(&t.id).map_or(&[][..], Vec::as_slice);
            if let Some(o) = record::task_outcome(t, record::day(t.created_at), h, as_of) {
                outcomes.entry(t.lead_unit).or_default().push(o);
            }
        }
        let policy = self.supervision_policy(region).await?;
        for (unit, list) in outcomes {
            let rate =
                record::reporting_rate(&list, &reports, |p| policy.reporting_deadline(p), as_of);
            record::add_metric(&mut facts, unit, "reporting.on_time_rate", rate, as_of);
            facts.unit_mut(unit).tasks = list;
        }
        let titles: HashMap<String, &str> = all_tasks
            .iter()
            .map(|t| (format!("task:{}", t.id), t.title.as_str()))
            .collect();
        self.supervision_facts(actor, as_of, units, &titles, &mut facts)
            .await?;
        self.indicator_facts(actor, as_of, &mut facts).await?;
        // Petition rates and repeat petitions of each handling unit (no personal data is read).
        let cases = luoshi_store::petitions::list(
            self.db(),
            region,
            &luoshi_store::petitions::PetitionFilter::default(),
        )
        .await?;
        let petition = crate::petitions::metrics::unit_facts(
            &cases,
            as_of,
            self.petition_policy(),
            self.work_calendar(),
        );
        for pf in petition {
            let u = facts.unit_mut(pf.unit);
            u.metrics.extend(pf.metrics);
            u.events.extend(pf.events);
        }
        // A unit that handles no case has nothing due on any petition rate.
        for unit in units {
            for key in crate::petitions::metrics::RATE_KEYS {
                record::nothing_due_unless_known(&mut facts, unit.id, key, as_of);
            }
        }
        for kind in [FactKind::Manual, FactKind::Bonus, FactKind::Veto] {
            let entered = store::facts(self.db(), region, kind).await?;
            record::add_entered(&mut facts, kind, &entered);
        }
        Ok(facts)
    }

    /// Notices answered on time, cards and key-project investment completion of every unit, and
    /// a reporting rate with nothing due for a unit without tasks.
    async fn supervision_facts(
        &self,
        actor: &Actor,
        as_of: Date,
        units: &[Unit],
        titles: &HashMap<String, &str>,
        facts: &mut Facts,
    ) -> Result<(), AppError> {
        use luoshi_store::{projects, supervision};
        let region = actor.region;
        let notices = supervision::list_notices(self.db(), region, None).await?;
        let projects =
            projects::list(self.db(), region, projects::ProjectFilter::default()).await?;
        let investments = projects::investments(self.db(), region, None).await?;
        for unit in units {
            // No task of its own: no report was due.
            record::nothing_due_unless_known(facts, unit.id, "reporting.on_time_rate", as_of);
            let rate =
                record::notices_rate(notices.iter().filter(|n| n.fields.unit == unit.id), as_of);
            record::add_metric(facts, unit.id, "notices.answered_on_time_rate", rate, as_of);
            let own: Vec<record::ProjectInvestment<'_>> = projects
                .iter()
                .filter(|p| p.project.fields.responsible_unit == unit.id)
                .map(|p| record::ProjectInvestment {
                    unit: &p.project.fields.investment_unit,
                    year: p.project.fields.year,
                    annual: p.project.fields.annual_investment,
                    values: investments
                        .iter()
                        .filter(|v| v.value.project == p.project.id)
                        .map(|v| {
                            let on = record::day(v.recorded_at);
                            (v.value.period, v.value.revision, v.value.value, on)
                        })
                        .collect(),
                })
                .collect();
            let rate = record::investment_rate(&own, as_of);
            let metric = "projects.investment_completion_rate";
            record::add_metric(facts, unit.id, metric, rate, as_of);
        }
        let year_start = month_start(as_of.year(), 1);
        let cards = supervision::list_events_of_kind(
            self.db(),
            region,
            year_start,
            as_of,
            record::CARD_ISSUED,
        )
        .await?;
        for e in cards {
            let title = titles.get(&e.subject).copied();
            if let Some(card) = record::card_fact(&e, title, as_of) {
                facts.unit_mut(e.unit).events.push(card);
            }
        }
        Ok(())
    }

    /// Each unit's attainment of its share of the targets of the as-of year's plans.
    async fn indicator_facts(
        &self,
        actor: &Actor,
        as_of: Date,
        facts: &mut Facts,
    ) -> Result<(), AppError> {
        let region = actor.region;
        let cutoff = OffsetDateTime::new_utc(as_of, Time::MAX);
        for (plan, _) in plans::list(self.db(), region).await? {
            if plan.year != as_of.year() {
                continue;
            }
            for (ind, _) in indicators::list(self.db(), region, plan.id).await? {
                let splits = indicators::splits(self.db(), region, ind.id).await?;
                if splits.is_empty() {
                    continue;
                }
                let all = indicators::values(self.db(), region, &[ind.id]).await?;
                let current = indicators::current_values(&all, Some(cutoff));
                for split in splits {
                    let latest = current
                        .iter()
                        .filter(|v| {
                            v.value.unit == Some(split.unit)
                                && v.value.period.year() == as_of.year()
                                && v.value.period.last_day() <= as_of
                        })
                        .max_by_key(|v| v.value.period);
                    let Some(v) = latest else { continue };
                    let ratio = match ind.fields.direction {
                        Direction::Increase if !split.target_value.is_zero() => {
                            v.value.value / split.target_value
                        }
                        Direction::Decrease if !v.value.value.is_zero() => {
                            split.target_value / v.value.value
                        }
                        _ => continue,
                    };
                    facts.unit_mut(split.unit).indicators.push(IndicatorFact {
                        indicator: ind.fields.name.clone(),
                        on: record::day(v.recorded_at),
                        attainment_pct: (ratio * Decimal::ONE_HUNDRED).round_dp(2),
                    });
                }
            }
        }
        Ok(())
    }

    /// Publish every category's result as of `as_of` (supervisors, admins).
    pub async fn publish_assessment(
        &self,
        actor: &Actor,
        as_of: Date,
    ) -> Result<Published, AppError> {
        require(actor, Permission::ManageAssessment)?;
        self.freeze(actor, as_of, None, String::new()).await
    }

    /// Publish a corrected version of a published result, recomputed as of its date from the
    /// record as it stands now (supervisors, admins). The old one stays.
    pub async fn correct_assessment(
        &self,
        actor: &Actor,
        result: Uuid,
        reason: &str,
    ) -> Result<Published, AppError> {
        require(actor, Permission::ManageAssessment)?;
        let reason = luoshi_domain::error::required_text("reason", reason, 1000)?;
        let old = store::result(self.db(), actor.region, result).await?;
        self.freeze(actor, old.as_of, Some(old.id), reason).await
    }

    async fn freeze(
        &self,
        actor: &Actor,
        as_of: Date,
        supersedes: Option<Uuid>,
        reason: String,
    ) -> Result<Published, AppError> {
        let sets = self.compute(actor, as_of).await?;
        if sets.is_empty() {
            return Err(AppError::Conflict {
                code: "no_scheme",
                message: "no assessment scheme is stored yet".into(),
            });
        }
        let p = Published {
            id: Uuid::now_v7(),
            schemes: sets
                .iter()
                .map(|s| format!("{}@{}", s.scheme_id, s.scheme_version))
                .collect::<Vec<_>>()
                .join(","),
            as_of,
            published_at: self.now(),
            published_by: Some(actor.user),
            digest: digest(&sets),
            body: serde_json::Value::Array(sets.iter().map(result_set_json).collect()),
            supersedes,
            reason,
        };
        let mut tx = self.db().begin().await?;
        store::publish(&mut tx, &self.ctx(actor), &p).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Every published result, newest first (leaders, supervisors, admins).
    pub async fn published_assessments(&self, actor: &Actor) -> Result<Vec<Published>, AppError> {
        require(actor, Permission::ReadAssessment { unit: None })?;
        Ok(store::results(self.db(), actor.region).await?)
    }

    /// The display names of the region's users, for labelling who published a result (leaders,
    /// supervisors, admins).
    pub async fn assessment_publishers(
        &self,
        actor: &Actor,
    ) -> Result<HashMap<luoshi_domain::ids::UserId, String>, AppError> {
        require(actor, Permission::ReadAssessment { unit: None })?;
        Ok(luoshi_store::users::list(self.db(), actor.region)
            .await?
            .into_iter()
            .map(|(u, _)| (u.id, u.display_name))
            .collect())
    }
}

/// Hex SHA-256 of the result sets' canonical texts, in their order.
pub fn digest(sets: &[ResultSet]) -> String {
    let mut h = Sha256::new();
    for s in sets {
        h.update(s.digest().as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn own_units(actor: &Actor) -> Vec<UnitId> {
    actor
        .grants
        .iter()
        .filter_map(|g| g.unit)
        .filter(|u| {
            luoshi_domain::authz::allowed(actor, Permission::ReadAssessment { unit: Some(*u) })
        })
        .collect()
}

fn first_error(mut errors: Vec<luoshi_domain::ValidationError>) -> AppError {
    if errors.len() == 1 {
        return AppError::Validation(errors.remove(0));
    }
    let all = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    match errors.into_iter().next() {
        Some(first) => AppError::Validation(luoshi_domain::ValidationError::new(
            first.field,
            first.code,
            all,
        )),
        None => AppError::Internal("validation failed without an error".into()),
    }
}
