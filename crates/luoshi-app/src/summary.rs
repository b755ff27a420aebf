//! The plan summary: tasks by status and lamp, per unit and per section, and every indicator
//! evaluated. Computed from the record and memoised in the region's snapshot (per data version
//! and day), so any app server answers from memory only while the database says nothing changed.

use crate::{App, AppError, IndicatorView, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{PlanId, SectionId, UnitId};
use luoshi_domain::lamp::{Lamp, LampPolicy};
use luoshi_domain::plan::Plan;
use luoshi_domain::task::TaskStatus;
use luoshi_store::tasks::TaskFilter;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use time::Date;

/// Task counts: by status, by lamp, overdue and total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u32,
    pub overdue: u32,
    pub by_status: BTreeMap<&'static str, u32>,
    pub by_lamp: BTreeMap<&'static str, u32>,
}

impl Counts {
    fn add(&mut self, status: TaskStatus, lamp: Option<Lamp>, overdue: bool) {
        self.total += 1;
        self.overdue += u32::from(overdue);
        *self.by_status.entry(status.as_str()).or_default() += 1;
        if let Some(l) = lamp {
            *self.by_lamp.entry(l.as_str()).or_default() += 1;
        }
    }
}

/// One row of a breakdown: a unit or a section (`None` for tasks without a section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<K> {
    pub key: K,
    pub name: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanSummary {
    pub plan: Plan,
    pub as_of: Date,
    pub totals: Counts,
    pub by_unit: Vec<Row<UnitId>>,
    pub by_section: Vec<Row<Option<SectionId>>>,
    pub indicators: Vec<IndicatorView>,
    /// The most urgent red tasks: overdue first, then the furthest behind (at most 10).
    pub urgent: Vec<crate::TaskView>,
}

/// One summary computation per plan at a time: concurrent requests wait for it instead of
/// repeating it. The summaries themselves live in the region's [`crate::Snapshot`].
#[derive(Default)]
pub(crate) struct Cache {
    flights: Mutex<HashMap<PlanId, Arc<tokio::sync::Mutex<()>>>>,
}

impl Cache {
    fn flight(&self, plan: PlanId) -> Arc<tokio::sync::Mutex<()>> {
        match self.flights.lock() {
            Ok(mut m) => m.entry(plan).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }
}

impl App {
    pub async fn plan_summary(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<Arc<PlanSummary>, AppError> {
        let snap = self.snapshot(actor).await?;
        self.plan_summary_in(actor, &snap, plan).await
    }

    /// The plan's summary within a snapshot (computed once per snapshot).
    pub async fn plan_summary_in(
        &self,
        actor: &Actor,
        snap: &crate::Snapshot,
        plan: PlanId,
    ) -> Result<Arc<PlanSummary>, AppError> {
        require(actor, Permission::ReadRegion)?;
        if let Some(s) = snap.summaries.get(&plan) {
            return Ok(s);
        }
        let flight = self.cache.flight(plan);
        let _turn = flight.lock().await;
        // Someone else may have computed it while this request waited.
        if let Some(s) = snap.summaries.get(&plan) {
            return Ok(s);
        }
        let summary = Arc::new(
            self.compute_summary(actor, plan, snap.today, &snap.lamps)
                .await?,
        );
        snap.summaries.put(plan, summary.clone(), usize::MAX);
        Ok(summary)
    }

    async fn compute_summary(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        today: Date,
        lamps: &LampPolicy,
    ) -> Result<PlanSummary, AppError> {
        let (plan, _) = luoshi_store::plans::get(&self.db, actor.region, plan_id).await?;
        let tasks = luoshi_store::tasks::all(
            &self.db,
            actor.region,
            &TaskFilter {
                plan: Some(plan_id),
                ..Default::default()
            },
        )
        .await?;
        let units = luoshi_store::units::list(&self.db, actor.region).await?;
        let sections = luoshi_store::plans::sections(&self.db, actor.region, plan_id).await?;
        let mut totals = Counts::default();
        let mut urgent: Vec<crate::TaskView> = Vec::new();
        let mut by_unit: HashMap<UnitId, Counts> = HashMap::new();
        let mut by_section: HashMap<Option<SectionId>, Counts> = HashMap::new();
        for t in &tasks {
            let s = luoshi_domain::task::standing(t, today, lamps);
            totals.add(t.status, s.lamp, s.overdue);
            by_unit
                .entry(t.fields.lead_unit)
                .or_default()
                .add(t.status, s.lamp, s.overdue);
            by_section
                .entry(t.fields.section)
                .or_default()
                .add(t.status, s.lamp, s.overdue);
            if s.lamp == Some(Lamp::Red) {
                urgent.push(crate::TaskView {
                    task: t.clone(),
                    standing: s,
                });
            }
        }
        let by_unit = units
            .iter()
            .filter_map(|(u, _)| {
                by_unit.remove(&u.id).map(|counts| Row {
                    key: u.id,
                    name: u.name.clone(),
                    counts,
                })
            })
            .collect();
        let mut ordered: Vec<&luoshi_domain::plan::Section> =
            sections.iter().map(|(s, _)| s).collect();
        let all: Vec<luoshi_domain::plan::Section> = ordered.iter().map(|s| (*s).clone()).collect();
        // Depth-first order: each section after its parent, siblings by position.
        ordered.sort_by_cached_key(|s| {
            luoshi_domain::plan::section_path(&all, s.id)
                .iter()
                .map(|p| (p.position, p.number.clone()))
                .collect::<Vec<_>>()
        });
        let mut section_rows: Vec<Row<Option<SectionId>>> = ordered
            .into_iter()
            .filter_map(|s| {
                by_section.remove(&Some(s.id)).map(|counts| Row {
                    key: Some(s.id),
                    name: format!("{} {}", s.number, s.title).trim().to_owned(),
                    counts,
                })
            })
            .collect();
        if let Some(counts) = by_section.remove(&None) {
            section_rows.push(Row {
                key: None,
                name: String::new(),
                counts,
            });
        }
        let inds = luoshi_store::indicators::list(&self.db, actor.region, plan_id).await?;
        let ids: Vec<_> = inds.iter().map(|(i, _)| i.id).collect();
        let values = luoshi_store::indicators::values(&self.db, actor.region, &ids).await?;
        let indicators = self.evaluate_all(plan.year, inds, &values, lamps);
        urgent.sort_by(|a, b| {
            b.standing
                .overdue
                .cmp(&a.standing.overdue)
                .then(a.standing.gap_pp.cmp(&b.standing.gap_pp))
        });
        urgent.truncate(10);
        Ok(PlanSummary {
            plan,
            as_of: today,
            totals,
            by_unit,
            by_section: section_rows,
            indicators,
            urgent,
        })
    }
}
