//! Sign in, sign out, and the language switch.

use super::i18n::{Lang, Tr};
use super::views::LoginPage;
use super::{PageError, Session, render, session_cookie};
use crate::extract::same_origin;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::SessionKind;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

pub async fn login_page(Query(q): Query<LangQuery>) -> Result<Response, PageError> {
    let tr = Tr(Lang::from_tag(q.lang.as_deref().unwrap_or("zh")));
    Ok(render(&LoginPage {
        tr,
        error: None,
        username: String::new(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn login(
    State(s): State<AppState>,
    parts: Parts,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let tr = Tr(Lang::Zh);
    if !same_origin(&parts) {
        return Err(PageError::Csrf(tr));
    }
    match s
        .app
        .login(&f.username, &f.password, SessionKind::Cookie)
        .await
    {
        Ok((token, user)) => {
            let unit_user = user.grants.iter().all(|g| g.unit.is_some());
            let to = if unit_user { "/my" } else { "/" };
            let mut r = Redirect::to(to).into_response();
            let cookie = session_cookie(&token, s.config.secure_cookies, 12 * 3600);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(_) => {
            let page = LoginPage {
                tr,
                error: Some(tr.t("login.failed")),
                username: f.username,
            };
            Ok((StatusCode::UNAUTHORIZED, render(&page)?).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn logout(
    State(s): State<AppState>,
    session: Session,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    s.app
        .logout(&session.token)
        .await
        .map_err(|e| PageError::App(session.tr(), e))?;
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", s.config.secure_cookies, 0)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// Switch to the other language and remember it for the user.
pub async fn language(
    State(s): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let other = Lang::from_tag(&session.user.language).other();
    s.app
        .set_my_language(&session.user.actor(), other.tag())
        .await
        .map_err(|e| PageError::App(session.tr(), e))?;
    // Back to the page the switch was pressed on, if it was one of ours.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    Ok(Redirect::to(&back).into_response())
}
