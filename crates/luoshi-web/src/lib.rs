//! The HTTP face of luoshi: the JSON API under `/api/v1` (with its OpenAPI document) and the
//! health check. This is the only crate that names axum or HTTP types; handlers parse DTOs into
//! domain types, call `luoshi_app`, and convert the result back.
//!
//! ```ignore
//! let router = luoshi_web::router(app, WebConfig::default());
//! axum::serve(listener, router).await?;
//! ```

mod api;
mod convert;
mod dto;
mod dto_petition;
mod dto_project;
mod dto_work;
mod error;
mod extract;
mod html;
mod openapi;
mod state;

pub use state::{AppState, WebConfig};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use luoshi_app::App;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;

/// The largest request body accepted (larger gets 413).
pub const MAX_BODY: usize = 1024 * 1024;

/// Build the application's router.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState { app, config };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi_json))
        .nest("/api/v1", api::routes())
        .merge(html::routes())
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"),
        ))
}

/// Liveness and readiness: the process answers and its database answers.
async fn healthz(State(s): State<AppState>) -> impl IntoResponse {
    match s.app.health().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn openapi_json() -> impl IntoResponse {
    axum::Json(api::ApiDoc::openapi())
}

/// The OpenAPI document as JSON text (for `luoshi openapi` and drift tests).
pub fn openapi_document() -> String {
    api::ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}
