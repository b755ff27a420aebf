//! Indicators: targets, their decomposition to units, monthly figures, and their evaluation.

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{IndicatorId, PlanId, UnitId, ValueId};
use luoshi_domain::indicator::{
    self, DataStatus, Evaluation, Indicator, IndicatorFields, IndicatorValue, Point, SplitCheck,
};
use luoshi_domain::lamp::LampPolicy;
use luoshi_domain::measure::Decimal;
use luoshi_store::indicators::{self as store, Split, StoredValue};
use luoshi_store::plans;
use std::collections::HashMap;
use uuid::Uuid;

/// An indicator with everything derived about it now.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorView {
    pub indicator: Indicator,
    pub version: i64,
    pub evaluation: Option<Evaluation>,
    /// Data status of the latest figure.
    pub latest_status: Option<DataStatus>,
}

/// A figure to record.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueInput {
    pub unit: Option<UnitId>,
    pub period: Period,
    pub value: Decimal,
    pub growth_pct: Option<Decimal>,
    pub status: DataStatus,
    pub source: String,
}

impl App {
    async fn check_refs(
        &self,
        actor: &Actor,
        plan: PlanId,
        f: &IndicatorFields,
    ) -> Result<(), AppError> {
        if let Some(s) = f.section {
            let (sec, _) = plans::get_section(&self.db, actor.region, s)
                .await
                .map_err(|_| AppError::invalid("section_id", "not_found", "no such section"))?;
            if sec.plan != plan {
                return Err(AppError::invalid(
                    "section_id",
                    "not_found",
                    "the section belongs to another plan",
                ));
            }
        }
        if let Some(u) = f.lead_unit {
            luoshi_store::units::get(&self.db, actor.region, u)
                .await
                .map_err(|_| AppError::invalid("lead_unit_id", "not_found", "no such unit"))?;
        }
        Ok(())
    }

    pub async fn create_indicator(
        &self,
        actor: &Actor,
        plan: PlanId,
        f: IndicatorFields,
    ) -> Result<(Indicator, i64), AppError> {
        require(actor, Permission::ManagePlans)?;
        let f = f.validate()?;
        plans::get(&self.db, actor.region, plan).await?;
        self.check_refs(actor, plan, &f).await?;
        let ind = Indicator {
            id: IndicatorId::from_uuid(Uuid::now_v7()),
            region: actor.region,
            plan,
            fields: f,
        };
        let mut tx = self.db.begin().await?;
        let pos = store::next_position(&mut tx, actor.region, plan).await?;
        store::insert(&mut tx, &self.ctx(actor), &ind, pos).await?;
        tx.commit().await?;
        Ok((ind, 1))
    }

    pub async fn update_indicator(
        &self,
        actor: &Actor,
        id: IndicatorId,
        f: IndicatorFields,
        expected: i64,
    ) -> Result<(Indicator, i64), AppError> {
        require(actor, Permission::ManagePlans)?;
        let f = f.validate()?;
        let (current, _) = store::get(&self.db, actor.region, id).await?;
        self.check_refs(actor, current.plan, &f).await?;
        let mut tx = self.db.begin().await?;
        let out = store::update(&mut tx, &self.ctx(actor), id, &f, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Evaluate indicators from their current region-wide figures.
    pub(crate) fn evaluate_all(
        &self,
        year: i32,
        inds: Vec<(Indicator, i64)>,
        values: &[StoredValue],
        lamps: &LampPolicy,
    ) -> Vec<IndicatorView> {
        let mut by_ind: HashMap<IndicatorId, Vec<&StoredValue>> = HashMap::new();
        for v in store::current_values(values, None) {
            if v.value.unit.is_none() {
                by_ind.entry(v.value.indicator).or_default().push(v);
            }
        }
        inds.into_iter()
            .map(|(indicator, version)| {
                let vals = by_ind.get(&indicator.id).map(Vec::as_slice).unwrap_or(&[]);
                let points: Vec<Point> = vals
                    .iter()
                    .map(|v| Point {
                        period: v.value.period,
                        value: v.value.value,
                        growth_pct: v.value.growth_pct,
                    })
                    .collect();
                let evaluation = indicator::evaluate(&indicator.fields, year, &points, lamps);
                let latest_status = vals
                    .iter()
                    .filter(|v| v.value.period.year() == year)
                    .max_by_key(|v| v.value.period)
                    .map(|v| v.value.status);
                IndicatorView {
                    indicator,
                    version,
                    evaluation,
                    latest_status,
                }
            })
            .collect()
    }

    pub async fn list_indicators(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<Vec<IndicatorView>, AppError> {
        require(actor, Permission::ReadRegion)?;
        let (p, _) = plans::get(&self.db, actor.region, plan).await?;
        let inds = store::list(&self.db, actor.region, plan).await?;
        let ids: Vec<IndicatorId> = inds.iter().map(|(i, _)| i.id).collect();
        let values = store::values(&self.db, actor.region, &ids).await?;
        let lamps = self.lamp_policy(actor.region).await?;
        Ok(self.evaluate_all(p.year, inds, &values, &lamps))
    }

    /// One indicator with its evaluation, every figure (all revisions), its splits and their check.
    pub async fn get_indicator(
        &self,
        actor: &Actor,
        id: IndicatorId,
    ) -> Result<
        (
            IndicatorView,
            Vec<StoredValue>,
            Vec<Split>,
            Option<SplitCheck>,
        ),
        AppError,
    > {
        require(actor, Permission::ReadRegion)?;
        let (ind, v) = store::get(&self.db, actor.region, id).await?;
        let (p, _) = plans::get(&self.db, actor.region, ind.plan).await?;
        let values = store::values(&self.db, actor.region, &[id]).await?;
        let splits = store::splits(&self.db, actor.region, id).await?;
        let check = match (ind.fields.target_value, splits.is_empty()) {
            (Some(t), false) => Some(indicator::check_split(
                t,
                &splits.iter().map(|s| s.target_value).collect::<Vec<_>>(),
            )),
            _ => None,
        };
        let lamps = self.lamp_policy(actor.region).await?;
        let view = self
            .evaluate_all(p.year, vec![(ind, v)], &values, &lamps)
            .pop()
            .ok_or(AppError::NotFound {
                entity: "indicator",
            })?;
        Ok((view, values, splits, check))
    }

    /// Record a figure (a new revision when the period already has one).
    pub async fn record_value(
        &self,
        actor: &Actor,
        id: IndicatorId,
        input: ValueInput,
    ) -> Result<StoredValue, AppError> {
        require(actor, Permission::EnterIndicatorValue { unit: input.unit })?;
        let (ind, _) = store::get(&self.db, actor.region, id).await?;
        let (plan, _) = plans::get(&self.db, actor.region, ind.plan).await?;
        if input.period.year() != plan.year && input.period.year() != plan.year - 1 {
            return Err(AppError::invalid(
                "period",
                "out_of_range",
                format!(
                    "figures belong to {} (or {} for last year's profile)",
                    plan.year,
                    plan.year - 1
                ),
            ));
        }
        if let Some(u) = input.unit {
            luoshi_store::units::get(&self.db, actor.region, u)
                .await
                .map_err(|_| AppError::invalid("unit_id", "not_found", "no such unit"))?;
        }
        let source = luoshi_domain::error::optional_text("source", &input.source, 200)?;
        let value = IndicatorValue {
            indicator: id,
            unit: input.unit,
            period: input.period,
            value: input.value,
            growth_pct: input.growth_pct,
            status: input.status,
            source,
            revision: 0,
        };
        let vid = ValueId::from_uuid(Uuid::now_v7());
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        let revision = store::append_value(&mut tx, &ctx, vid, &value).await?;
        tx.commit().await?;
        Ok(StoredValue {
            id: vid,
            value: IndicatorValue { revision, ..value },
            recorded_at: ctx.at,
            recorded_by: ctx.actor,
        })
    }

    /// Set a unit's share of an indicator's target (`expected` is the split's version, `None` to create).
    pub async fn put_split(
        &self,
        actor: &Actor,
        id: IndicatorId,
        unit: UnitId,
        target: Decimal,
        expected: Option<i64>,
    ) -> Result<i64, AppError> {
        require(actor, Permission::ManagePlans)?;
        store::get(&self.db, actor.region, id).await?;
        luoshi_store::units::get(&self.db, actor.region, unit)
            .await
            .map_err(|_| AppError::invalid("unit_id", "not_found", "no such unit"))?;
        if target < Decimal::ZERO {
            return Err(AppError::invalid(
                "target_value",
                "out_of_range",
                "a share cannot be negative",
            ));
        }
        let mut tx = self.db.begin().await?;
        let v = store::put_split(&mut tx, &self.ctx(actor), id, unit, target, expected).await?;
        tx.commit().await?;
        Ok(v)
    }
}
