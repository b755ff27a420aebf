use super::{created, need_version, with_etag};
use crate::convert;
use crate::dto::{Items, PlanIn, PlanOut, SectionIn, SectionOut};
use crate::dto_work::SummaryOut;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use luoshi_domain::ids::{PlanId, SectionId};
use luoshi_domain::plan::{PlanFields, SectionFields};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", responses((status = 200, body = Items<PlanOut>)))]
pub async fn list_plans(
    State(s): State<AppState>,
    auth: Authed,
) -> ApiResult<Json<Items<PlanOut>>> {
    let plans = s.app.list_plans(&auth.actor()).await?;
    Ok(Json(Items {
        items: plans.iter().map(|(p, v)| convert::plan(p, *v)).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans", request_body = PlanIn, responses((status = 201, body = PlanOut)))]
pub async fn create_plan(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<PlanIn>,
) -> ApiResult<Response> {
    let (p, v) = s
        .app
        .create_plan(
            &auth.actor(),
            PlanFields::parse(b.year, &b.title, &b.source)?,
        )
        .await?;
    Ok(created(v, convert::plan(&p, v)))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", responses((status = 200, body = PlanOut)))]
pub async fn get_plan(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (p, v) = s.app.get_plan(&auth.actor(), PlanId::from(id)).await?;
    Ok(with_etag(v, convert::plan(&p, v)))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}", tag = "plans", request_body = PlanIn, responses((status = 200, body = PlanOut)))]
pub async fn update_plan(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<PlanIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let (p, v) = s
        .app
        .update_plan(
            &auth.actor(),
            PlanId::from(id),
            PlanFields::parse(b.year, &b.title, &b.source)?,
            version,
        )
        .await?;
    Ok(with_etag(v, convert::plan(&p, v)))
}

/// Tasks by status and lamp per unit and per section, and every indicator evaluated, as of today.
#[utoipa::path(get, path = "/api/v1/plans/{id}/summary", tag = "plans", responses((status = 200, body = SummaryOut)))]
pub async fn summary(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<SummaryOut>> {
    let summary = s.app.plan_summary(&auth.actor(), PlanId::from(id)).await?;
    Ok(Json(convert::summary(&summary)))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/sections", tag = "plans", responses((status = 200, body = Items<SectionOut>)))]
pub async fn list_sections(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Items<SectionOut>>> {
    let sections = s.app.list_sections(&auth.actor(), PlanId::from(id)).await?;
    Ok(Json(Items {
        items: sections
            .iter()
            .map(|(x, v)| convert::section(x, *v))
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/sections", tag = "plans", request_body = SectionIn, responses((status = 201, body = SectionOut)))]
pub async fn create_section(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SectionIn>,
) -> ApiResult<Response> {
    let f = SectionFields::parse(
        b.parent_id.map(SectionId::from),
        &b.number,
        &b.title,
        b.position,
    )?;
    let (x, v) = s
        .app
        .create_section(&auth.actor(), PlanId::from(id), f)
        .await?;
    Ok(created(v, convert::section(&x, v)))
}

#[utoipa::path(put, path = "/api/v1/sections/{id}", tag = "plans", request_body = SectionIn, responses((status = 200, body = SectionOut)))]
pub async fn update_section(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SectionIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let f = SectionFields::parse(
        b.parent_id.map(SectionId::from),
        &b.number,
        &b.title,
        b.position,
    )?;
    let (x, v) = s
        .app
        .update_section(&auth.actor(), SectionId::from(id), f, version)
        .await?;
    Ok(with_etag(v, convert::section(&x, v)))
}
