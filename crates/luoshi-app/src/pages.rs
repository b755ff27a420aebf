//! Use cases that exist for the web pages: chart series, a unit user's work list, the UI
//! language, and the CSRF token bound to a session.

use crate::{App, AppError, TaskView, require};
use luoshi_domain::authz::{self, Actor, Permission, Role, TaskScope};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{IndicatorId, PlanId};
use luoshi_domain::indicator::{self, Accumulation, Point};
use luoshi_domain::lamp::LampPolicy;
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::TaskStatus;
use luoshi_store::indicators as store;
use luoshi_store::tasks::TaskFilter;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// An indicator's cumulative figures this year and the path expected of it, month by month.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSeries {
    pub indicator: IndicatorId,
    /// (month, cumulative value) as reported.
    pub actual: Vec<(u8, Decimal)>,
    /// (month, expected cumulative value = target × expected progress), when the target is known.
    pub expected: Vec<(u8, Decimal)>,
}

/// A unit user's to-do list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MyWork {
    /// Assigned to the user's units and not yet acknowledged.
    pub to_acknowledge: Vec<TaskView>,
    /// Open tasks of the user's units with no report this month.
    pub reports_due: Vec<TaskView>,
    /// Tasks the supervision office returned for rework.
    pub returned: Vec<TaskView>,
}

impl App {
    /// The token a form must carry for a cookie session (stateless: derived from the session).
    pub fn csrf_token(&self, session_token: &str) -> String {
        Sha256::digest(format!("luoshi-csrf:{session_token}").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Month-by-month series for every indicator of a plan (region-wide figures, current revisions),
    /// expected progress by the region's lamp policy (the snapshot's).
    pub(crate) async fn indicator_series(
        &self,
        actor: &Actor,
        plan: PlanId,
        lamps: &LampPolicy,
    ) -> Result<Vec<IndicatorSeries>, AppError> {
        require(actor, Permission::ReadRegion)?;
        let (p, _) = luoshi_store::plans::get(&self.db, actor.region, plan).await?;
        let inds = store::list(&self.db, actor.region, plan).await?;
        let ids: Vec<IndicatorId> = inds.iter().map(|(i, _)| i.id).collect();
        let values = store::values(&self.db, actor.region, &ids).await?;
        let mut by: HashMap<IndicatorId, Vec<Point>> = HashMap::new();
        for v in store::current_values(&values, None)
            .into_iter()
            .filter(|v| v.value.unit.is_none())
        {
            by.entry(v.value.indicator).or_default().push(Point {
                period: v.value.period,
                value: v.value.value,
                growth_pct: v.value.growth_pct,
            });
        }
        let mut out = Vec::new();
        for (ind, _) in inds {
            let points = by.remove(&ind.id).unwrap_or_default();
            let last_year: Vec<Point> = points
                .iter()
                .filter(|x| x.period.year() == p.year - 1)
                .copied()
                .collect();
            let mut actual: Vec<(u8, Decimal)> = points
                .iter()
                .filter(|x| x.period.year() == p.year)
                .map(|x| (x.period.month(), x.value))
                .collect();
            actual.sort_by_key(|(m, _)| *m);
            let mut expected = Vec::new();
            if let (Some(target), Accumulation::Cumulative) =
                (ind.fields.target_value, ind.fields.accumulation)
            {
                for m in 1..=12u8 {
                    if !ind.fields.cadence.expects(m) {
                        continue;
                    }
                    let period = Period::new("period", p.year, m)?;
                    let (pct, _) = indicator::expected_pct(period, &last_year, lamps);
                    expected.push((m, (target * pct / Decimal::ONE_HUNDRED).round_dp(2)));
                }
            }
            out.push(IndicatorSeries {
                indicator: ind.id,
                actual,
                expected,
            });
        }
        Ok(out)
    }

    /// What the actor's units owe: acknowledgements, this month's reports, returned work.
    pub async fn my_work(&self, actor: &Actor) -> Result<MyWork, AppError> {
        let units = match authz::task_scope(actor) {
            TaskScope::Units(u) => u,
            TaskScope::All => return Ok(MyWork::default()),
        };
        let lead_units: Vec<_> = actor
            .grants
            .iter()
            .filter(|g| matches!(g.role, Role::UnitManager | Role::Reporter))
            .filter_map(|g| g.unit)
            .collect();
        let filter = TaskFilter {
            visible_to_units: Some(units),
            ..Default::default()
        };
        let tasks = luoshi_store::tasks::all(&self.db, actor.region, &filter).await?;
        let returned = luoshi_store::tasks::returned(&self.db, actor.region).await?;
        let today = self.today();
        let lamps = self.lamp_policy(actor.region).await?;
        let month_start = luoshi_domain::calendar::month_start(today.year(), today.month() as u8);
        let mut work = MyWork::default();
        for t in tasks
            .into_iter()
            .filter(|t| lead_units.contains(&t.fields.lead_unit))
        {
            let is_returned = t.status == TaskStatus::InProgress && returned.contains(&t.id);
            let due = t.status.is_open() && t.last_report_on.is_none_or(|d| d < month_start);
            let v = TaskView {
                standing: self.standing(&t, &lamps),
                task: t,
            };
            if v.task.status == TaskStatus::Assigned {
                work.to_acknowledge.push(v.clone());
            }
            if is_returned {
                work.returned.push(v.clone());
            }
            if due {
                work.reports_due.push(v);
            }
        }
        Ok(work)
    }

    /// Set the actor's own UI language.
    pub async fn set_my_language(&self, actor: &Actor, language: &str) -> Result<(), AppError> {
        let (_, version) = luoshi_store::users::get(&self.db, actor.region, actor.user).await?;
        let changes = crate::UserChanges {
            language: Some(language.to_owned()),
            ..Default::default()
        };
        self.update_user(actor, actor.user, changes, version)
            .await
            .map(|_| ())
    }
}
