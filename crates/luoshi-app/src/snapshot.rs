//! A region's read-mostly data as of one data version and one day.
//!
//! Every write appends an audit row, which bumps the region's data version in the same
//! transaction. A request reads that version once (one small query) and, while it is unchanged
//! and the day is the same, answers from the `Snapshot` built for it: units, plans and people
//! are loaded when the snapshot is built; plan summaries, indicator series, sections and task
//! listings are filled in on first use. Any app server sees a write by the next request, because
//! the version is read from the database, never assumed. A new version or a new day starts an
//! empty snapshot, so nothing derived from old data (or yesterday's lamps) is ever served.

use crate::tasks::TaskListing;
use crate::{App, AppError, IndicatorSeries, PlanSummary, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{PlanId, RegionId, UnitId};
use luoshi_domain::lamp::{Lamp, LampPolicy};
use luoshi_domain::org::{Person, Unit};
use luoshi_domain::plan::{Plan, Section};
use luoshi_store::tasks::{TaskFilter, TaskSort};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::Date;

/// At most this many task listings are kept per snapshot; past it the memo starts over.
const MAX_LISTINGS: usize = 128;

/// What identifies a task listing: the filter (with the actor's scope), lamps, order and page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ListingKey {
    pub filter: TaskFilter,
    pub lamps: Vec<Lamp>,
    pub sort: TaskSort,
    pub limit: i64,
    pub offset: i64,
}

/// A region's data as of `version` and `today`.
pub struct Snapshot {
    pub version: i64,
    pub today: Date,
    region: RegionId,
    /// Every unit, by name order of the store.
    pub units: Vec<(Unit, i64)>,
    /// Every plan, newest first.
    pub plans: Vec<(Plan, i64)>,
    /// Every person, unredacted: use [`Snapshot::people_for`] to hand them to an actor.
    people: Vec<(Person, i64)>,
    unit_names: HashMap<UnitId, String>,
    /// Unit id (as text) → name: the labels pages look units up by.
    pub unit_labels: HashMap<String, String>,
    /// The region's lamp thresholds (from its supervision policy; saving the policy is a write,
    /// so a new version starts a new snapshot).
    pub lamps: LampPolicy,
    /// District leaders (people of no unit), as (id, "name post"), for choosing a lead official.
    pub officials: Vec<(luoshi_domain::ids::PersonId, String)>,
    pub(crate) summaries: Memo<PlanId, PlanSummary>,
    pub(crate) series: Memo<PlanId, Vec<IndicatorSeries>>,
    pub(crate) sections: Memo<PlanId, Vec<(Section, i64)>>,
    pub(crate) listings: Memo<ListingKey, TaskListing>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("version", &self.version)
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    /// A unit's name, for labels.
    pub fn unit_name(&self, id: UnitId) -> Option<&str> {
        self.unit_names.get(&id).map(String::as_str)
    }

    /// The people of the region as the actor may see them (phones of other units blanked).
    pub fn people_for(&self, actor: &Actor) -> Vec<(Person, i64)> {
        let mut people = self.people.clone();
        for (p, _) in &mut people {
            crate::org::redact(actor, p);
        }
        people
    }
}

/// A small map of values derived within one snapshot.
pub(crate) struct Memo<K, V> {
    entries: Mutex<HashMap<K, Arc<V>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq, V> Memo<K, V> {
    pub fn get(&self, k: &K) -> Option<Arc<V>> {
        self.entries.lock().ok()?.get(k).cloned()
    }

    pub fn put(&self, k: K, v: Arc<V>, cap: usize) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= cap {
                m.clear();
            }
            m.insert(k, v);
        }
    }
}

/// The current snapshot of each region, and one builder at a time.
#[derive(Default)]
pub(crate) struct Snapshots {
    current: Mutex<HashMap<RegionId, Arc<Snapshot>>>,
    building: tokio::sync::Mutex<()>,
}

impl Snapshots {
    fn lookup(&self, region: RegionId, version: i64, today: Date) -> Option<Arc<Snapshot>> {
        let m = self.current.lock().ok()?;
        let s = m.get(&region)?;
        (s.version == version && s.today == today && s.region == region).then(|| s.clone())
    }
}

impl App {
    /// The actor's region as of now: one query for the data version, and the rest from memory
    /// while nothing has changed.
    pub async fn snapshot(&self, actor: &Actor) -> Result<Arc<Snapshot>, AppError> {
        require(actor, Permission::ReadRegion)?;
        let region = actor.region;
        let version = luoshi_store::audit::data_version(&self.db, region).await?;
        let today = self.today();
        if let Some(s) = self.snapshots.lookup(region, version, today) {
            return Ok(s);
        }
        let _turn = self.snapshots.building.lock().await;
        if let Some(s) = self.snapshots.lookup(region, version, today) {
            return Ok(s);
        }
        let units = luoshi_store::units::list(&self.db, region).await?;
        let mut plans = luoshi_store::plans::list(&self.db, region).await?;
        plans.sort_by(|a, b| b.0.year.cmp(&a.0.year).then(b.0.id.cmp(&a.0.id)));
        let people = luoshi_store::units::list_people(&self.db, region, None).await?;
        let lamps = self.lamp_policy(region).await?;
        let unit_names = units.iter().map(|(u, _)| (u.id, u.name.clone())).collect();
        let unit_labels = units
            .iter()
            .map(|(u, _)| (u.id.to_string(), u.name.clone()))
            .collect();
        let officials = people
            .iter()
            .filter(|(p, _)| p.unit.is_none())
            .map(|(p, _)| (p.id, format!("{} {}", p.name, p.post).trim().to_owned()))
            .collect();
        let snap = Arc::new(Snapshot {
            version,
            today,
            region,
            units,
            plans,
            people,
            unit_names,
            unit_labels,
            lamps,
            officials,
            summaries: Memo::default(),
            series: Memo::default(),
            sections: Memo::default(),
            listings: Memo::default(),
        });
        if let Ok(mut m) = self.snapshots.current.lock() {
            m.insert(region, snap.clone());
        }
        Ok(snap)
    }

    /// A plan's sections, from the snapshot.
    pub async fn sections_in(
        &self,
        actor: &Actor,
        snap: &Snapshot,
        plan: PlanId,
    ) -> Result<Arc<Vec<(Section, i64)>>, AppError> {
        require(actor, Permission::ReadRegion)?;
        if let Some(s) = snap.sections.get(&plan) {
            return Ok(s);
        }
        let s = Arc::new(luoshi_store::plans::sections(&self.db, actor.region, plan).await?);
        snap.sections.put(plan, s.clone(), usize::MAX);
        Ok(s)
    }

    /// A page of tasks, memoised in the snapshot per (filter with the actor's scope, page).
    pub async fn list_tasks_in(
        &self,
        actor: &Actor,
        snap: &Snapshot,
        q: &crate::TaskQuery,
    ) -> Result<Arc<TaskListing>, AppError> {
        let key = ListingKey {
            filter: self.filter_of(actor, q),
            lamps: q.lamps.clone(),
            sort: q.sort,
            limit: q.limit.clamp(1, 500),
            offset: q.offset.max(0),
        };
        if let Some(l) = snap.listings.get(&key) {
            return Ok(l);
        }
        let listing = Arc::new(self.list_tasks_uncached(actor, q, &snap.lamps).await?);
        snap.listings.put(key, listing.clone(), MAX_LISTINGS);
        Ok(listing)
    }

    /// Month-by-month series of a plan's indicators, from the snapshot.
    pub async fn indicator_series_in(
        &self,
        actor: &Actor,
        snap: &Snapshot,
        plan: PlanId,
    ) -> Result<Arc<Vec<IndicatorSeries>>, AppError> {
        if let Some(s) = snap.series.get(&plan) {
            return Ok(s);
        }
        let s = Arc::new(self.indicator_series(actor, plan, &snap.lamps).await?);
        snap.series.put(plan, s.clone(), usize::MAX);
        Ok(s)
    }
}
