//! Server-rendered pages (askama templates, htmx for partial navigation, ECharts for charts).
//! Pages use the cookie session; every form carries a CSRF token derived from the session.

mod admin;
mod admin_edit;
mod assessment;
mod assets;
mod auth;
mod bulletins;
mod deliveries;
mod drafts;
mod export;
mod files;
mod fmt;
pub(crate) mod i18n;
mod import;
mod indicators;
mod notices;
mod pages;
mod petitions;
mod policy;
mod project_forms;
mod project_overview;
mod projects;
mod supervision;
mod task_page;
mod views;

use crate::extract::{SESSION_COOKIE, session_token};
use crate::state::AppState;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use i18n::{Lang, Tr};
use luoshi_app::User;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/language", post(auth::language))
        .route("/tasks", get(pages::tasks))
        .route("/tasks.xlsx", get(pages::tasks_xlsx))
        .route("/tasks/{id}", get(task_page::show))
        .route("/tasks/{id}/act", post(task_page::act))
        .route(
            "/tasks/{id}/progress",
            post(files::progress).layer(axum::extract::DefaultBodyLimit::max(files::MAX_FORM)),
        )
        .route("/attachments/{id}", get(files::download))
        .route("/my", get(pages::my))
        .route("/plans/new", get(drafts::new_page))
        .route(
            "/plans/review",
            post(drafts::review_page).layer(axum::extract::DefaultBodyLimit::max(drafts::MAX_TEXT)),
        )
        .route(
            "/plans/create",
            post(drafts::create).layer(axum::extract::DefaultBodyLimit::max(drafts::MAX_TEXT)),
        )
        .route("/admin", get(admin::show))
        .route("/admin/{kind}", post(admin_edit::create))
        .route("/admin/{kind}/new", get(admin_edit::new_form))
        .route(
            "/admin/{kind}/{id}",
            get(admin_edit::edit_form).post(admin_edit::update),
        )
        .route("/indicators", get(indicators::list))
        .route("/indicators/{id}", get(indicators::show))
        .route("/indicators/{id}/values", post(indicators::record))
        .route(
            "/plans/{id}/import",
            get(import::show)
                .post(import::submit)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD)),
        )
        .route(
            "/plans/{id}/projects/import",
            get(import::show_projects)
                .post(import::submit_projects)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD)),
        )
        .route("/plans/{id}/import/template.xlsx", get(import::template))
        .route("/plans/{id}/indicators.xlsx", get(import::indicators_xlsx))
        .route("/projects", get(projects::list))
        .route("/projects.xlsx", get(projects::list_xlsx))
        .route("/projects/{id}", get(projects::show))
        .route(
            "/projects/{id}/investments",
            post(project_forms::record_investment),
        )
        .route("/projects/{id}/issues", post(project_forms::add_issue))
        .route(
            "/projects/{id}/issues/{issue}/resolve",
            post(project_forms::resolve_issue),
        )
        .route("/assessment", get(assessment::ranking))
        .route("/assessment.xlsx", get(assessment::ranking_xlsx))
        .route("/assessment/units/{unit_id}", get(assessment::unit_sheet))
        .route("/assessment/units/{unit_id}/facts", post(assessment::enter))
        .route("/assessment/publish", post(assessment::publish))
        .route(
            "/assessment/published/{id}",
            get(assessment::published::show),
        )
        .route("/assessment/schemes", get(assessment::schemes::list))
        .route(
            "/assessment/schemes/{key}",
            get(assessment::schemes::show).post(assessment::schemes::save),
        )
        .route(
            "/assessment/results/{id}/correct",
            post(assessment::correct),
        )
        .route("/inbox", get(supervision::inbox))
        .route("/inbox/badge", get(supervision::badge))
        .route("/inbox/{id}/read", post(supervision::mark_read))
        .route("/supervision", get(supervision::workbench))
        .route("/supervision/remind/{id}", post(supervision::remind))
        .route("/supervision/policy", get(policy::show).post(policy::save))
        .route("/supervision/deliveries", get(deliveries::log))
        .route(
            "/me/notifications",
            get(deliveries::my_notifications).post(deliveries::save_my_notifications),
        )
        .route(
            "/units/{unit_id}/robots",
            get(deliveries::robots).post(deliveries::add_robot),
        )
        .route("/units/{unit_id}/robots/{id}", post(deliveries::edit_robot))
        .route("/notices", get(notices::list).post(notices::create))
        .route("/notices.xlsx", get(notices::list_xlsx))
        .route("/notices/new", get(notices::new_form))
        .route("/notices/{id}", get(notices::show))
        .route("/notices/{id}/act", post(notices::act))
        .route("/bulletins", get(bulletins::list))
        .route("/bulletins/preview", get(bulletins::preview))
        .route("/bulletins/publish", post(bulletins::publish))
        .route("/bulletins/{id}", get(bulletins::show))
        .route("/bulletins/{id}/correct", post(bulletins::correct))
        .route(
            "/petitions",
            get(petitions::list).post(petitions::forms::create),
        )
        .route("/petitions.xlsx", get(petitions::export::register_xlsx))
        .route("/petitions/new", get(petitions::forms::new_form))
        .route("/petitions/mine", get(petitions::mine))
        .route("/petitions/due", get(petitions::due))
        .route("/petitions/{id}", get(petitions::show))
        .route("/petitions/{id}/act", post(petitions::forms::act))
        .route("/petitions/{id}/repeats", post(petitions::forms::repeat))
        .route("/assets/{file}", get(assets::serve))
}

/// A signed-in browser session: the user, the session token and the CSRF token for forms.
pub struct Session {
    pub user: User,
    pub token: String,
    pub csrf: String,
}

impl Session {
    pub fn tr(&self) -> Tr {
        Tr(Lang::from_tag(&self.user.language))
    }

    /// Refuse a form whose CSRF token does not belong to this session.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        if !sent.is_empty() && constant_time_eq(sent.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(PageError::Csrf(self.tr()))
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let login = || Redirect::to("/login").into_response();
        let Some((token, from_cookie)) = session_token(parts) else {
            return Err(login());
        };
        if !from_cookie {
            return Err(login());
        }
        let user = state.app.authenticate(&token).await.map_err(|_| login())?;
        let csrf = state.app.csrf_token(&token);
        Ok(Session { user, token, csrf })
    }
}

/// Errors a page shows to a person.
pub enum PageError {
    Csrf(Tr),
    App(Tr, luoshi_app::AppError),
    Render,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, tr, message) = match self {
            PageError::Csrf(tr) => (StatusCode::FORBIDDEN, tr, tr.t("err.csrf").to_owned()),
            PageError::App(tr, e) => {
                let api = crate::error::ApiError::from(e);
                (api.status, tr, api.message)
            }
            PageError::Render => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Tr(Lang::Zh),
                "render failed".to_owned(),
            ),
        };
        let page = views::ErrorPage { tr, message };
        (
            status,
            render(&page).unwrap_or_else(|_| Html(String::new())),
        )
            .into_response()
    }
}

pub fn render<T: askama::Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| {
        tracing::error!(error = %e, "template failed");
        PageError::Render
    })
}

pub fn session_cookie(token: &str, secure: bool, max_age: i64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}
