use super::{created, with_etag};
use crate::convert;
use crate::dto::{AuditOutList, GrantIn, Items, UserIn, UserOut, UserPatch};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use luoshi_app::{AuditFilter, NewUser, Page, UserChanges};
use luoshi_domain::authz::{Grant, Role};
use luoshi_domain::ids::{UnitId, UserId};
use serde::Deserialize;
use uuid::Uuid;

fn grants(g: Vec<GrantIn>) -> ApiResult<Vec<Grant>> {
    g.into_iter()
        .enumerate()
        .map(|(i, g)| {
            let role = Role::parse(&g.role)
                .ok_or_else(|| ApiError::bad(&format!("grants[{i}].role"), "unknown role"))?;
            Grant::new(role, g.unit_id.map(UnitId::from))
                .map_err(|e| ApiError::from(e.within(&format!("grants[{i}]"))))
        })
        .collect()
}

/// List users (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = Items<UserOut>)))]
pub async fn list_users(
    State(s): State<AppState>,
    auth: Authed,
) -> ApiResult<Json<Items<UserOut>>> {
    let users = s.app.list_users(&auth.actor()).await?;
    Ok(Json(Items {
        items: users.iter().map(|(u, v)| convert::user(u, *v)).collect(),
    }))
}

/// Create a user with roles (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserIn, responses((status = 201, body = UserOut)))]
pub async fn create_user(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<UserIn>,
) -> ApiResult<Response> {
    let new = NewUser {
        username: b.username,
        display_name: b.display_name,
        password: b.password,
        language: b.language,
        grants: grants(b.grants)?,
    };
    let (u, v) = s.app.create_user(&auth.actor(), new).await?;
    Ok(created(v, convert::user(&u, v)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", responses((status = 200, body = UserOut)))]
pub async fn get_user(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (u, v) = s.app.get_user(&auth.actor(), UserId::from(id)).await?;
    Ok(with_etag(v, convert::user(&u, v)))
}

/// Change a user: name, password, language, active, grants (admins).
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", request_body = UserPatch, responses((status = 200, body = UserOut)))]
pub async fn update_user(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UserPatch>,
) -> ApiResult<Response> {
    let changes = UserChanges {
        display_name: b.display_name,
        password: b.password,
        language: b.language,
        active: b.active,
        grants: b.grants.map(grants).transpose()?,
    };
    let (u, v) = s
        .app
        .update_user(&auth.actor(), UserId::from(id), changes, b.version)
        .await?;
    Ok(with_etag(v, convert::user(&u, v)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The audit log, newest first (admins, supervisors, leaders).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = AuditOutList)))]
pub async fn audit(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditOutList>> {
    let per_page = q.per_page.unwrap_or(50).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    let filter = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
        actor: q.actor_id.map(UserId::from),
        action: q.action,
    };
    let rows = s
        .app
        .audit_log(
            &auth.actor(),
            &filter,
            Page {
                limit: per_page,
                offset: (page - 1) * per_page,
            },
        )
        .await?;
    Ok(Json(AuditOutList {
        items: rows
            .into_iter()
            .map(|e| crate::dto_work::AuditOut {
                at: convert::ts(e.at),
                actor_id: e.actor.map(|u| u.as_uuid()),
                actor_name: e.actor_name,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                before: e.before,
                after: e.after,
            })
            .collect(),
    }))
}
