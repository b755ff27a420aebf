//! Request extractors: JSON and query strings whose errors name the field, and authentication.

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use luoshi_app::{Actor, User};
use serde::de::DeserializeOwned;

/// A JSON body, rejected with 400 naming the field for unknown fields or malformed values,
/// 413 when too large, 415 when not JSON.
pub struct ApiJson<T>(pub T);

fn unknown_field(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

fn serde_error(path: String, e: &dyn std::fmt::Display) -> ApiError {
    let msg = e.to_string();
    let field = match unknown_field(&msg) {
        Some(f) if path == "." || path.is_empty() => f.to_owned(),
        // serde_path_to_error already ends the path with the unknown key.
        Some(f) if path == f || path.ends_with(&format!(".{f}")) => path,
        Some(f) => format!("{path}.{f}"),
        None => path,
    };
    let field = if field == "." { String::new() } else { field };
    let code = if unknown_field(&msg).is_some() {
        "unknown_field"
    } else {
        "invalid"
    };
    let message = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    ApiError::field(StatusCode::BAD_REQUEST, code, &field, message)
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            let status = r.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(status, "payload_too_large", "the request body is too large")
            } else {
                ApiError::new(status, "bad_body", r.body_text())
            }
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(ApiJson)
            .map_err(|e| serde_error(e.path().to_string(), e.inner()))
    }
}

/// A query string, with errors that name the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| serde_error(e.path().to_string(), e.inner()))
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

pub const SESSION_COOKIE: &str = "luoshi_session";

/// The token from `Authorization: Bearer …`, or from the session cookie.
pub fn session_token(parts: &Parts) -> Option<(String, bool)> {
    if let Some(v) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return Some((t.trim().to_owned(), false));
    }
    for v in parts.headers.get_all(header::COOKIE) {
        let Ok(s) = v.to_str() else { continue };
        for pair in s.split(';') {
            if let Some((k, val)) = pair.trim().split_once('=')
                && k == SESSION_COOKIE
            {
                return Some((val.to_owned(), true));
            }
        }
    }
    None
}

/// The signed-in user. Cookie-authenticated writes must come from our own origin.
pub struct Authed(pub User);

impl Authed {
    pub fn actor(&self) -> Actor {
        self.0.actor()
    }
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (token, from_cookie) = session_token(parts).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in first (bearer token or session cookie)",
            )
        })?;
        if from_cookie
            && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
            && !same_origin(parts)
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "cross-site request refused",
            ));
        }
        let user = state.app.authenticate(&token).await?;
        Ok(Authed(user))
    }
}

/// A request is same-origin when its `Origin` (or, failing that, `Referer`) names our host.
/// Requests with neither (non-browser clients) pass; browsers always send `Origin` on writes.
pub fn same_origin(parts: &Parts) -> bool {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .or_else(|| parts.headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match origin {
        None => true,
        Some(o) => {
            let rest = o.split_once("://").map_or(o, |(_, r)| r);
            let authority = rest.split('/').next().unwrap_or("");
            !host.is_empty() && authority.eq_ignore_ascii_case(host)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_named() {
        assert_eq!(
            unknown_field("unknown field `colour`, expected one of `a`"),
            Some("colour")
        );
        let e = serde_error(".".into(), &"unknown field `colour`, expected `a`");
        assert_eq!(
            (e.field.as_deref(), e.code.as_str()),
            (Some("colour"), "unknown_field")
        );
        let e = serde_error("milestones[0]".into(), &"unknown field `x`, expected `a`");
        assert_eq!(e.field.as_deref(), Some("milestones[0].x"));
        let e = serde_error("milestones[0].x".into(), &"unknown field `x`, expected `a`");
        assert_eq!(e.field.as_deref(), Some("milestones[0].x"));
        let e = serde_error("colour".into(), &"unknown field `colour`, expected `a`");
        assert_eq!(e.field.as_deref(), Some("colour"));
        let e = serde_error(
            "deadline".into(),
            &"invalid type: integer `5`, expected a string at line 1 column 20",
        );
        assert_eq!(
            (e.field.as_deref(), e.message.as_str()),
            (
                Some("deadline"),
                "invalid type: integer `5`, expected a string"
            )
        );
    }
}
