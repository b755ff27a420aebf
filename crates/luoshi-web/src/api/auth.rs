use crate::convert;
use crate::dto::{LoginIn, LoginOut, UserOut};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, Authed, session_token};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use luoshi_app::{SessionKind, UserChanges};
use serde::Deserialize;

/// Sign in with a username and password; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/login", tag = "auth", request_body = LoginIn,
    responses((status = 200, body = LoginOut), (status = 401, body = ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<LoginIn>,
) -> ApiResult<Json<LoginOut>> {
    let (token, user) = s
        .app
        .login(&body.username, &body.password, SessionKind::Token)
        .await?;
    Ok(Json(LoginOut {
        token,
        user: convert::user(&user, 0),
    }))
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(s): State<AppState>, parts: Parts) -> ApiResult<StatusCode> {
    if let Some((token, _)) = session_token(&parts) {
        s.app.logout(&token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = UserOut)))]
pub async fn me(State(s): State<AppState>, auth: Authed) -> ApiResult<axum::response::Response> {
    let (u, v) = s.app.get_user(&auth.actor(), auth.0.id).await?;
    Ok(super::with_etag(v, convert::user(&u, v)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeIn {
    pub language: String,
    pub version: i64,
}

/// Change your own UI language.
#[utoipa::path(put, path = "/api/v1/me", tag = "auth", request_body = MeIn, responses((status = 200, body = UserOut)))]
pub async fn update_me(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<MeIn>,
) -> ApiResult<axum::response::Response> {
    let changes = UserChanges {
        language: Some(body.language),
        ..Default::default()
    };
    let (u, v) = s
        .app
        .update_user(&auth.actor(), auth.0.id, changes, body.version)
        .await
        .map_err(ApiError::from)?;
    Ok(super::with_etag(v, convert::user(&u, v)))
}
