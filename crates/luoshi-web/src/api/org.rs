use super::{created, need_version, with_etag};
use crate::convert;
use crate::dto::{Items, PersonIn, PersonOut, UnitIn, UnitOut};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use luoshi_domain::ids::{PersonId, UnitId};
use luoshi_domain::org::{PersonFields, UnitFields};
use serde::Deserialize;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/units", tag = "units", responses((status = 200, body = Items<UnitOut>)))]
pub async fn list_units(
    State(s): State<AppState>,
    auth: Authed,
) -> ApiResult<Json<Items<UnitOut>>> {
    let units = s.app.list_units(&auth.actor()).await?;
    Ok(Json(Items {
        items: units.iter().map(|(u, v)| convert::unit(u, *v)).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitIn, responses((status = 201, body = UnitOut)))]
pub async fn create_unit(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<UnitIn>,
) -> ApiResult<Response> {
    let f = UnitFields::parse(&b.code, &b.name, &b.kind, b.category.as_deref())?;
    let (u, v) = s.app.create_unit(&auth.actor(), f).await?;
    Ok(created(v, convert::unit(&u, v)))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", responses((status = 200, body = UnitOut)))]
pub async fn get_unit(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (u, v) = s.app.get_unit(&auth.actor(), UnitId::from(id)).await?;
    Ok(with_etag(v, convert::unit(&u, v)))
}

#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "units", request_body = UnitIn, responses((status = 200, body = UnitOut)))]
pub async fn update_unit(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UnitIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let f = UnitFields::parse(&b.code, &b.name, &b.kind, b.category.as_deref())?;
    let (u, v) = s
        .app
        .update_unit(&auth.actor(), UnitId::from(id), f, version)
        .await?;
    Ok(with_etag(v, convert::unit(&u, v)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeopleQuery {
    pub unit_id: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery), responses((status = 200, body = Items<PersonOut>)))]
pub async fn list_people(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Json<Items<PersonOut>>> {
    let people = s
        .app
        .list_people(&auth.actor(), q.unit_id.map(UnitId::from))
        .await?;
    Ok(Json(Items {
        items: people.iter().map(|(p, v)| convert::person(p, *v)).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = PersonIn, responses((status = 201, body = PersonOut)))]
pub async fn create_person(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<PersonIn>,
) -> ApiResult<Response> {
    let f = PersonFields::parse(&b.name, &b.post, b.unit_id.map(UnitId::from), &b.phone)?;
    let (p, v) = s.app.create_person(&auth.actor(), f).await?;
    Ok(created(v, convert::person(&p, v)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", responses((status = 200, body = PersonOut)))]
pub async fn get_person(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (p, v) = s.app.get_person(&auth.actor(), PersonId::from(id)).await?;
    Ok(with_etag(v, convert::person(&p, v)))
}

#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "people", request_body = PersonIn, responses((status = 200, body = PersonOut)))]
pub async fn update_person(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<PersonIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let f = PersonFields::parse(&b.name, &b.post, b.unit_id.map(UnitId::from), &b.phone)?;
    let (p, v) = s
        .app
        .update_person(&auth.actor(), PersonId::from(id), f, version)
        .await?;
    Ok(with_etag(v, convert::person(&p, v)))
}
