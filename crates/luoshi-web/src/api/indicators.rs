use super::{created, need_version, with_etag};
use crate::convert;
use crate::dto::Items;
use crate::dto_work::{
    IndicatorDetailOut, IndicatorIn, IndicatorOut, SplitCheckOut, SplitIn, SplitOut, ValueIn,
    ValueOut,
};
use crate::error::ApiResult;
use crate::extract::{ApiJson, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use luoshi_app::{IndicatorView, ValueInput};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{IndicatorId, PlanId, SectionId, UnitId};
use luoshi_domain::indicator::{
    Accumulation, Cadence, DataStatus, Direction, IndicatorFields, PriceBasis,
};
use luoshi_domain::measure::MeasureUnit;
use uuid::Uuid;

fn fields(b: IndicatorIn) -> ApiResult<IndicatorFields> {
    let opt = |v: &Option<String>, default: &str| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(default)
            .to_owned()
    };
    Ok(IndicatorFields {
        unit: MeasureUnit::parse("unit", &b.unit)?,
        price_basis: b
            .price_basis
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|p| PriceBasis::parse("price_basis", p))
            .transpose()?,
        direction: Direction::parse("direction", &opt(&b.direction, "increase"))?,
        accumulation: Accumulation::parse("accumulation", &opt(&b.accumulation, "cumulative"))?,
        cadence: Cadence::parse("cadence", &opt(&b.cadence, "monthly"))?,
        baseline: b.baseline.map(|d| d.0),
        baseline_growth_pct: b.baseline_growth_pct.map(|d| d.0),
        target_value: b.target_value.map(|d| d.0),
        target_growth_pct: b.target_growth_pct.map(|d| d.0),
        section: b.section_id.map(SectionId::from),
        lead_unit: b.lead_unit_id.map(UnitId::from),
        note: b.note,
        name: b.name,
    })
}

fn out(v: &IndicatorView) -> IndicatorOut {
    convert::indicator(v)
}

/// A plan's indicators, each evaluated against its target and the time elapsed.
#[utoipa::path(get, path = "/api/v1/plans/{id}/indicators", tag = "indicators", responses((status = 200, body = Items<IndicatorOut>)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Items<IndicatorOut>>> {
    let views = s
        .app
        .list_indicators(&auth.actor(), PlanId::from(id))
        .await?;
    Ok(Json(Items {
        items: views.iter().map(out).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/indicators", tag = "indicators", request_body = IndicatorIn, responses((status = 201, body = IndicatorOut)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<IndicatorIn>,
) -> ApiResult<Response> {
    let actor = auth.actor();
    let (ind, _) = s
        .app
        .create_indicator(&actor, PlanId::from(id), fields(b)?)
        .await?;
    let (view, ..) = s.app.get_indicator(&actor, ind.id).await?;
    Ok(created(view.version, out(&view)))
}

/// An indicator with every figure and revision, its split to units and whether the split covers the target.
#[utoipa::path(get, path = "/api/v1/indicators/{id}", tag = "indicators", responses((status = 200, body = IndicatorDetailOut)))]
pub async fn get_one(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (view, values, splits, check) = s
        .app
        .get_indicator(&auth.actor(), IndicatorId::from(id))
        .await?;
    let body = IndicatorDetailOut {
        indicator: out(&view),
        values: values.iter().map(convert::value).collect(),
        splits: splits
            .iter()
            .map(|s| SplitOut {
                unit_id: s.unit.as_uuid(),
                target_value: crate::dto::dec(s.target_value),
                version: s.version,
            })
            .collect(),
        split_check: check.map(|c| SplitCheckOut {
            total: crate::dto::dec(c.total),
            sum_of_parts: crate::dto::dec(c.sum_of_parts),
            shortfall: crate::dto::opt_dec(c.shortfall),
        }),
    };
    Ok(with_etag(view.version, body))
}

#[utoipa::path(put, path = "/api/v1/indicators/{id}", tag = "indicators", request_body = IndicatorIn, responses((status = 200, body = IndicatorOut)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<IndicatorIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let actor = auth.actor();
    s.app
        .update_indicator(&actor, IndicatorId::from(id), fields(b)?, version)
        .await?;
    let (view, ..) = s.app.get_indicator(&actor, IndicatorId::from(id)).await?;
    Ok(with_etag(view.version, out(&view)))
}

/// Record a cumulative figure for a period; a second figure for the same period is a new revision.
#[utoipa::path(post, path = "/api/v1/indicators/{id}/values", tag = "indicators", request_body = ValueIn, responses((status = 201, body = ValueOut)))]
pub async fn record_value(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ValueIn>,
) -> ApiResult<Response> {
    let input = ValueInput {
        unit: b.unit_id.map(UnitId::from),
        period: Period::parse("period", &b.period)?,
        value: b.value.0,
        growth_pct: b.growth_pct.map(|d| d.0),
        status: DataStatus::parse("status", b.status.as_deref().unwrap_or("flash"))?,
        source: b.source,
    };
    let v = s
        .app
        .record_value(&auth.actor(), IndicatorId::from(id), input)
        .await?;
    Ok(created(i64::from(v.value.revision), convert::value(&v)))
}

/// Set a unit's share of the indicator's target.
#[utoipa::path(put, path = "/api/v1/indicators/{id}/splits/{unit_id}", tag = "indicators", request_body = SplitIn, responses((status = 200, body = SplitOut)))]
pub async fn put_split(
    State(s): State<AppState>,
    auth: Authed,
    Path((id, unit)): Path<(Uuid, Uuid)>,
    ApiJson(b): ApiJson<SplitIn>,
) -> ApiResult<Response> {
    let v = s
        .app
        .put_split(
            &auth.actor(),
            IndicatorId::from(id),
            UnitId::from(unit),
            b.target_value.0,
            b.version,
        )
        .await?;
    Ok(with_etag(
        v,
        SplitOut {
            unit_id: unit,
            target_value: crate::dto::dec(b.target_value.0),
            version: v,
        },
    ))
}
