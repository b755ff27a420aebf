//! The JSON API under `/api/v1`.

pub(crate) mod admin;
pub(crate) mod auth;
pub(crate) mod channels;
pub(crate) mod indicators;
pub(crate) mod org;
pub(crate) mod petitions;
pub(crate) mod plans;
pub(crate) mod policy;
pub(crate) mod projects;
pub(crate) mod tasks;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me).put(auth::update_me))
        .route("/users", get(admin::list_users).post(admin::create_user))
        .route("/users/{id}", get(admin::get_user).put(admin::update_user))
        .route("/audit", get(admin::audit))
        .route("/units", get(org::list_units).post(org::create_unit))
        .route("/units/{id}", get(org::get_unit).put(org::update_unit))
        .route("/people", get(org::list_people).post(org::create_person))
        .route("/people/{id}", get(org::get_person).put(org::update_person))
        .route("/plans", get(plans::list_plans).post(plans::create_plan))
        .route("/plans/{id}", get(plans::get_plan).put(plans::update_plan))
        .route("/plans/{id}/summary", get(plans::summary))
        .route(
            "/plans/{id}/sections",
            get(plans::list_sections).post(plans::create_section),
        )
        .route("/sections/{id}", put(plans::update_section))
        .route(
            "/plans/{id}/indicators",
            get(indicators::list).post(indicators::create),
        )
        .route(
            "/indicators/{id}",
            get(indicators::get_one).put(indicators::update),
        )
        .route("/indicators/{id}/values", post(indicators::record_value))
        .route(
            "/indicators/{id}/splits/{unit_id}",
            put(indicators::put_split),
        )
        .route("/petitions", get(petitions::list).post(petitions::create))
        .route("/petitions/{id}", get(petitions::get_one))
        .route("/petitions/{id}/actions", post(petitions::act))
        .route("/petitions/{id}/repeats", post(petitions::decide_repeat))
        .route("/projects", get(projects::list).post(projects::create))
        .route("/projects/rollup", get(projects::rollup))
        .route(
            "/projects/{id}",
            get(projects::get_one).put(projects::update),
        )
        .route(
            "/projects/{id}/investments",
            post(projects::record_investment),
        )
        .route("/projects/{id}/issues", post(projects::add_issue))
        .route(
            "/projects/{id}/issues/{issue_id}/resolve",
            post(projects::resolve_issue),
        )
        .route(
            "/me/contact",
            get(channels::get_contact).put(channels::put_contact),
        )
        .route(
            "/units/{id}/robots",
            get(channels::list_robots).post(channels::add_robot),
        )
        .route("/units/{id}/robots/{robot_id}", put(channels::update_robot))
        .route("/deliveries", get(channels::deliveries))
        .route(
            "/supervision/policy",
            get(policy::get_policy).put(policy::put_policy),
        )
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route("/tasks/{id}", get(tasks::get_one).put(tasks::update))
        .route("/tasks/{id}/transitions", post(tasks::transition))
        .route("/tasks/{id}/progress", post(tasks::progress))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API route")
        })
}

/// A JSON response with an `ETag` carrying the record's version.
pub fn with_etag<T: serde::Serialize>(version: i64, body: T) -> Response {
    let mut r = axum::Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

pub fn created<T: serde::Serialize>(version: i64, body: T) -> Response {
    let mut r = with_etag(version, body);
    *r.status_mut() = StatusCode::CREATED;
    r
}

/// The version a write is based on: required for updates.
pub fn need_version(v: Option<i64>) -> ApiResult<i64> {
    v.ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "required",
            "version",
            "version is required: send the version you read",
        )
    })
}

pub(crate) use crate::openapi::ApiDoc;
