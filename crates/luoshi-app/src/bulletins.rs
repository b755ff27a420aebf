//! Bulletins (通报) of a month or a quarter: drafted on demand from the record as of the period's
//! last day, published as immutable numbered versions, corrected by new versions with a reason,
//! and published on schedule by the server's sweeper.
//!
//! What a bulletin holds (every figure as it stood at the end of the period's last day, rebuilt
//! from the append-only history, see [`asof`]): per unit the domain's counts (completed, lagging,
//! red, overdue tasks it leads in plans of the period's year), its on-time reporting rate and the
//! notices it answered on time, ranked by the domain's rule
//! ([`luoshi_domain::supervision::bulletin()`]); the indicator table of the period's year with
//! each indicator's attainment, the expected share and the gap in percentage points; and
//! optionally the top three of every assessment category (`App::assess` as of the same day).
//!
//! **Schedule.** From the policy's reporting day of a month on, the bulletin of the month before
//! is published once (version 1; a unique key on (region, period, version) makes a second
//! sweeper's attempt a no-op), and in January, April, July and October so is the quarter before.
//! A sweeper that was down on the reporting day catches up on its next run within the month.

mod asof;
mod doc;

pub use doc::{Bulletin, CategoryStanding, IndicatorLine, StandingLine, UnitLine};

use crate::{App, AppError, require};
use asof::TaskRecord;
use luoshi_domain::authz::{Actor, Grant, Permission, Role};
use luoshi_domain::ids::{RegionId, TaskId, UserId};
use luoshi_domain::indicator::{self, Point};
use luoshi_domain::lamp::LampPolicy;
use luoshi_domain::measure::Decimal;
use luoshi_domain::supervision::{BulletinPeriod, ReportFact, bulletin};
use luoshi_domain::task::{Task, TaskStanding, standing};
use luoshi_store::bulletins::{self as store, StoredBulletin};
use luoshi_store::tasks::TaskFilter;
use luoshi_store::{AuditCtx, StoreError, assessment, indicators, plans, progress, regions, units};
use std::collections::{HashMap, HashSet};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// How many units of each assessment category a bulletin names.
const STANDINGS_TOP: usize = 3;

/// A published version with its document.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedBulletin {
    pub stored: StoredBulletin,
    pub doc: Bulletin,
}

impl PublishedBulletin {
    fn read(stored: StoredBulletin) -> Result<Self, AppError> {
        let v: serde_json::Value = serde_json::from_str(&stored.body)
            .map_err(|e| AppError::Internal(format!("stored bulletin body: {e}")))?;
        let doc = Bulletin::from_json(&v)?;
        Ok(Self { stored, doc })
    }
}

/// The bulletin number, e.g. 通报〔2026〕3号.
pub fn bulletin_number(year: i32, sequence: i32) -> String {
    format!("通报〔{year}〕{sequence}号")
}

/// The actor the scheduler composes with (reads only; published_by stays empty).
fn system_actor(region: RegionId) -> Result<Actor, AppError> {
    Ok(Actor {
        user: UserId::from_uuid(Uuid::nil()),
        region,
        grants: vec![Grant::new(Role::Supervisor, None)?],
    })
}

impl App {
    /// Compose the bulletin of `period` (not stored). `standings`: add the assessment's top units.
    async fn compose(
        &self,
        actor: &Actor,
        period: BulletinPeriod,
        standings: bool,
    ) -> Result<Bulletin, AppError> {
        let region = actor.region;
        let db = &self.db;
        let as_of = period.last_day();
        let year = as_of.year();
        let policy = self.supervision_policy(region).await?;
        let region_row = regions::get(db, region).await?;
        let unit_list: Vec<_> = units::list(db, region)
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        let plan_ids: HashSet<_> = plans::list(db, region)
            .await?
            .into_iter()
            .filter(|(p, _)| p.year == year)
            .map(|(p, _)| p.id)
            .collect();
        let tasks: Vec<Task> = luoshi_store::tasks::all(db, region, &TaskFilter::default())
            .await?
            .into_iter()
            .filter(|t| plan_ids.contains(&t.plan))
            .collect();
        let history = assessment::task_history(db, region).await?;
        let mut events: HashMap<TaskId, Vec<&assessment::HistoryEvent>> = HashMap::new();
        for e in &history {
            events.entry(e.task).or_default().push(e);
        }
        let mut reports: HashMap<TaskId, Vec<(OffsetDateTime, Decimal)>> = HashMap::new();
        for (t, at, pct) in progress::percent_history(db, region).await? {
            reports.entry(t).or_default().push((at, pct));
        }
        let created: HashMap<TaskId, Date> = assessment::task_created_times(db, region)
            .await?
            .into_iter()
            .map(|(t, at)| (t, asof::day(at)))
            .collect();
        let mut then: Vec<Task> = Vec::new();
        let mut owed: Vec<ReportFact> = Vec::new();
        for t in &tasks {
            let rec = TaskRecord {
                task: t,
                created: created.get(&t.id).copied().unwrap_or(t.fields.start),
                events: events.get(&t.id).map_or(&[], Vec::as_slice),
                reports: reports.get(&t.id).map_or(&[], Vec::as_slice),
            };
            if let Some(x) = rec.as_of(as_of) {
                then.push(x);
                owed.extend(rec.reports_owed(period, &policy, as_of));
            }
        }
        let pairs: Vec<(&Task, TaskStanding)> = then
            .iter()
            .map(|t| (t, standing(t, as_of, &policy.lamps)))
            .collect();
        let notices = luoshi_store::supervision::list_notices(db, region, None)
            .await?
            .into_iter()
            .filter(|n| n.fields.issued_on <= as_of)
            .collect::<Vec<_>>();
        let rows = bulletin(period, &unit_list, &pairs, &owed, &notices);
        let names: HashMap<_, _> = unit_list.iter().map(|u| (u.id, u.name.clone())).collect();
        let units = rows
            .into_iter()
            .map(|row| UnitLine {
                name: names.get(&row.unit).cloned().unwrap_or_default(),
                row,
            })
            .collect();
        let indicators = self
            .indicator_lines(region, &plan_ids, as_of, &policy.lamps)
            .await?;
        let standings = if standings {
            self.assess(actor, as_of)
                .await?
                .into_iter()
                .map(|rs| {
                    let mut sheets = rs.sheets;
                    sheets.sort_by_key(|s| s.rank);
                    CategoryStanding {
                        category: rs.category,
                        top: sheets
                            .into_iter()
                            .take(STANDINGS_TOP)
                            .map(|s| StandingLine {
                                rank: s.rank,
                                unit: s.name,
                                total: s.total,
                                grade: s.grade,
                            })
                            .collect(),
                    }
                })
                .collect()
        } else {
            vec![]
        };
        Ok(Bulletin {
            period,
            as_of,
            region: region_row.name,
            units,
            indicators,
            standings,
        })
    }

    /// The region-wide figure of every indicator of the period's plans, as recorded by the end
    /// of `as_of` and for months ending by then, evaluated by the domain.
    async fn indicator_lines(
        &self,
        region: RegionId,
        plan_ids: &HashSet<luoshi_domain::ids::PlanId>,
        as_of: Date,
        lamps: &LampPolicy,
    ) -> Result<Vec<IndicatorLine>, AppError> {
        let cutoff = OffsetDateTime::new_utc(as_of, Time::MAX);
        let mut plan_list: Vec<_> = plan_ids.iter().copied().collect();
        plan_list.sort();
        let mut out = Vec::new();
        for plan in plan_list {
            let inds = indicators::list(&self.db, region, plan).await?;
            let ids: Vec<_> = inds.iter().map(|(i, _)| i.id).collect();
            let all = indicators::values(&self.db, region, &ids).await?;
            let current = indicators::current_values(&all, Some(cutoff));
            for (ind, _) in inds {
                let points: Vec<Point> = current
                    .iter()
                    .filter(|v| {
                        v.value.indicator == ind.id
                            && v.value.unit.is_none()
                            && v.value.period.last_day() <= as_of
                    })
                    .map(|v| Point {
                        period: v.value.period,
                        value: v.value.value,
                        growth_pct: v.value.growth_pct,
                    })
                    .collect();
                let e = indicator::evaluate(&ind.fields, as_of.year(), &points, lamps);
                out.push(IndicatorLine {
                    name: ind.fields.name.clone(),
                    measure: ind.fields.unit.as_str().to_owned(),
                    target: ind.fields.target_value,
                    period: e.as_ref().map(|e| e.period.to_string()),
                    value: e.as_ref().map(|e| e.value),
                    growth_pct: e.as_ref().and_then(|e| e.growth_pct),
                    attainment_pct: e.as_ref().and_then(|e| e.attainment_pct),
                    expected_pct: e.as_ref().and_then(|e| e.expected_pct),
                    gap_pp: e.as_ref().and_then(|e| e.gap_pp),
                    lamp: e.and_then(|e| e.lamp).map(|l| l.as_str().to_owned()),
                });
            }
        }
        Ok(out)
    }

    /// A draft of the bulletin of `period`, computed now and not stored (the supervision office).
    pub async fn bulletin_draft(
        &self,
        actor: &Actor,
        period: BulletinPeriod,
        standings: bool,
    ) -> Result<Bulletin, AppError> {
        require(actor, Permission::ReviewTask)?;
        self.compose(actor, period, standings).await
    }

    /// Publish the bulletin of `period` as version 1 with the region's next number (the
    /// supervision office). A period already published is refused (409): correct it instead.
    pub async fn publish_bulletin(
        &self,
        actor: &Actor,
        period: BulletinPeriod,
        standings: bool,
    ) -> Result<PublishedBulletin, AppError> {
        require(actor, Permission::ReviewTask)?;
        let doc = self.compose(actor, period, standings).await?;
        self.store_version(actor.region, Some(actor.user), doc, None, String::new())
            .await
    }

    /// Publish a corrected version of the latest version of `id`'s period, recomputed from the
    /// record as it stands now; the old versions stay (the supervision office).
    pub async fn correct_bulletin(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        standings: bool,
    ) -> Result<PublishedBulletin, AppError> {
        require(actor, Permission::ReviewTask)?;
        let reason = luoshi_domain::error::required_text("reason", reason, 1000)?;
        let old = store::get(&self.db, actor.region, id).await?;
        let latest = store::versions(&self.db, actor.region, &old.period)
            .await?
            .pop()
            .unwrap_or(old);
        let period = BulletinPeriod::parse("period", &latest.period)?;
        let doc = self.compose(actor, period, standings).await?;
        self.store_version(actor.region, Some(actor.user), doc, Some(&latest), reason)
            .await
    }

    async fn store_version(
        &self,
        region: RegionId,
        by: Option<UserId>,
        doc: Bulletin,
        supersedes: Option<&StoredBulletin>,
        reason: String,
    ) -> Result<PublishedBulletin, AppError> {
        let (body, digest) = doc.canonical();
        let ctx = AuditCtx {
            region,
            actor: by,
            at: self.now(),
        };
        let mut tx = self.db.begin().await?;
        let (year, sequence, version) = match supersedes {
            Some(s) => (s.year, s.sequence, s.version + 1),
            None => {
                let year = self.today().year();
                (year, store::next_sequence(&mut tx, region, year).await?, 1)
            }
        };
        let stored = StoredBulletin {
            id: Uuid::now_v7(),
            period: doc.period.label(),
            version,
            year,
            sequence,
            number: bulletin_number(year, sequence),
            as_of: doc.as_of,
            published_at: ctx.at,
            published_by: by,
            digest,
            body,
            supersedes: supersedes.map(|s| s.id),
            reason,
        };
        match store::insert(&mut tx, &ctx, &stored).await {
            Ok(()) => {}
            Err(StoreError::Duplicate { .. }) => {
                return Err(AppError::Conflict {
                    code: "already_published",
                    message: format!(
                        "the bulletin of {} is already published; correct it instead",
                        stored.period
                    ),
                });
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(PublishedBulletin { stored, doc })
    }

    /// Every published version of the region, newest first (everyone in the region: bulletins
    /// are public within it).
    pub async fn bulletins(&self, actor: &Actor) -> Result<Vec<StoredBulletin>, AppError> {
        require(actor, Permission::ReadRegion)?;
        Ok(store::list(&self.db, actor.region).await?)
    }

    /// One published version with its document, and every version of its period (oldest
    /// first), so a page can show what corrected what.
    pub async fn bulletin(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(PublishedBulletin, Vec<StoredBulletin>), AppError> {
        require(actor, Permission::ReadRegion)?;
        let stored = store::get(&self.db, actor.region, id).await?;
        let versions = store::versions(&self.db, actor.region, &stored.period).await?;
        Ok((PublishedBulletin::read(stored)?, versions))
    }

    /// The scheduler's step for one region on `today` (see the module docs): publish what is
    /// due and not yet published; returns what this call published.
    pub async fn publish_scheduled_bulletins(
        &self,
        region: RegionId,
        today: Date,
    ) -> Result<Vec<PublishedBulletin>, AppError> {
        let policy = self.supervision_policy(region).await?;
        let Ok(this_month) =
            luoshi_domain::calendar::Period::new("today", today.year(), u8::from(today.month()))
        else {
            return Ok(vec![]);
        };
        if today < policy.reporting_deadline(this_month) {
            return Ok(vec![]);
        }
        let mut due: Vec<BulletinPeriod> =
            BulletinPeriod::month_before(today).into_iter().collect();
        if matches!(u8::from(today.month()), 1 | 4 | 7 | 10) {
            due.extend(BulletinPeriod::quarter_before(today));
        }
        let actor = system_actor(region)?;
        let mut out = Vec::new();
        for period in due {
            if !store::versions(&self.db, region, &period.label())
                .await?
                .is_empty()
            {
                continue;
            }
            let doc = self.compose(&actor, period, true).await?;
            match self
                .store_version(region, None, doc, None, String::new())
                .await
            {
                Ok(p) => out.push(p),
                // Another sweeper published it between our check and our insert.
                Err(AppError::Conflict {
                    code: "already_published",
                    ..
                }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}
