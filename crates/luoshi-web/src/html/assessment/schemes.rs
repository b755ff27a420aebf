//! Scheme books in the UI: `/assessment/schemes` lists every book per category with all its
//! versions (leaders and the office); `/assessment/schemes/{key}?version=N` shows a version's
//! text, and for the office the latest version in an editable form. Saving validates the text
//! (the error names the item, e.g. `blocks[1].items[2].points`, and nothing is stored), refuses a
//! stale form with 409, and stores a new version; old versions stay viewable, so a result
//! published under one keeps its rules.

use super::super::i18n::Tr;
use super::super::pages::unit_names;
use super::super::task_page::local_time;
use super::super::views::Chrome;
use super::super::{PageError, Session, render};
use super::fail;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, StoredScheme};
use luoshi_domain::authz::{self, Permission};
use serde::Deserialize;
use std::collections::HashMap;

/// One stored version in the list.
pub struct VersionRow {
    pub href: String,
    pub version: i32,
    pub created_at: String,
    pub by: String,
    /// Published results computed under this version.
    pub used: usize,
}

/// One book (key) with its versions, newest first.
pub struct BookRow {
    pub category: String,
    pub key: String,
    pub versions: Vec<VersionRow>,
}

#[derive(Template)]
#[template(path = "assessment_schemes.html")]
pub struct SchemesPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub books: Vec<BookRow>,
    pub manage: bool,
}

#[derive(Template)]
#[template(path = "assessment_scheme.html")]
pub struct SchemePage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub key: String,
    pub category: String,
    pub version: i32,
    pub latest: i32,
    pub text: String,
    /// Published results computed under this version.
    pub used: usize,
    /// The viewer may edit and this is the latest version.
    pub editable: bool,
    pub error: Option<String>,
}

/// How many published results name `key@version`.
async fn usage(s: &AppState, session: &Session) -> Result<HashMap<String, usize>, AppError> {
    let actor = session.user.actor();
    let mut used = HashMap::new();
    for p in s.app.published_assessments(&actor).await? {
        for name in p.schemes.split(',') {
            *used.entry(name.trim().to_owned()).or_insert(0) += 1;
        }
    }
    Ok(used)
}

/// `GET /assessment/schemes`.
pub async fn list(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let (versions, used, names) = match (
        s.app.scheme_versions(&actor).await,
        usage(&s, &session).await,
        s.app.assessment_publishers(&actor).await,
    ) {
        (Ok(v), Ok(u), Ok(n)) => (v, u, n),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Ok(fail(&session, e)),
    };
    let mut books: Vec<BookRow> = Vec::new();
    for v in versions {
        let row = VersionRow {
            href: format!("/assessment/schemes/{}?version={}", v.key, v.version),
            version: v.version,
            created_at: local_time(v.created_at),
            by: v
                .created_by
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_default(),
            used: used
                .get(&format!("{}@{}", v.key, v.version))
                .copied()
                .unwrap_or(0),
        };
        match books.iter_mut().find(|b| b.key == v.key) {
            Some(b) => b.versions.insert(0, row),
            None => books.push(BookRow {
                category: v.category.clone(),
                key: v.key.clone(),
                versions: vec![row],
            }),
        }
    }
    let units = unit_names(&s.app, &actor, tr).await?;
    let page = SchemesPage {
        tr,
        chrome: Chrome::new(&session, &units, "assessment"),
        books,
        manage: authz::allowed(&actor, Permission::ManageAssessment),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
pub struct VersionQuery {
    #[serde(default)]
    version: Option<i32>,
}

/// The page of `key` at `version` (the latest when `None`), with `text` and `error` for a
/// refused save.
async fn scheme_page(
    s: &AppState,
    session: &Session,
    key: &str,
    version: Option<i32>,
    edited: Option<(String, String)>,
) -> Result<SchemePage, AppError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let versions: Vec<StoredScheme> = s
        .app
        .scheme_versions(&actor)
        .await?
        .into_iter()
        .filter(|v| v.key == key)
        .collect();
    let latest = versions
        .iter()
        .map(|v| v.version)
        .max()
        .ok_or(AppError::NotFound { entity: "scheme" })?;
    let shown = versions
        .iter()
        .find(|v| v.version == version.unwrap_or(latest))
        .ok_or(AppError::NotFound { entity: "scheme" })?;
    let used = usage(s, session)
        .await?
        .get(&format!("{key}@{}", shown.version))
        .copied()
        .unwrap_or(0);
    let units = unit_names(&s.app, &actor, tr)
        .await
        .map_err(|_| AppError::Internal("unit names".into()))?;
    let (text, error) = match edited {
        Some((text, error)) => (text, Some(error)),
        None => (shown.body.clone(), None),
    };
    Ok(SchemePage {
        tr,
        chrome: Chrome::new(session, &units, "assessment"),
        key: key.to_owned(),
        category: shown.category.clone(),
        version: shown.version,
        latest,
        text,
        used,
        editable: shown.version == latest && authz::allowed(&actor, Permission::ManageAssessment),
        error,
    })
}

/// `GET /assessment/schemes/{key}?version=N`.
pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(key): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, PageError> {
    match scheme_page(&s, &session, &key, q.version, None).await {
        Ok(p) => Ok(render(&p)?.into_response()),
        Err(e) => Ok(fail(&session, e)),
    }
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    base: i32,
    #[serde(default)]
    text: String,
}

/// `POST /assessment/schemes/{key}`: store the edited text as the next version (the office).
pub async fn save(
    State(s): State<AppState>,
    session: Session,
    Path(key): Path<String>,
    Form(f): Form<EditForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let actor = session.user.actor();
    match s.app.edit_scheme(&actor, &key, f.base, &f.text).await {
        Ok(scheme) => Ok(Redirect::to(&format!(
            "/assessment/schemes/{key}?version={}",
            scheme.version
        ))
        .into_response()),
        Err(e @ (AppError::Forbidden | AppError::NotFound { .. })) => Ok(fail(&session, e)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let status = api.status;
            let edited = Some((f.text, api.with_field()));
            match scheme_page(&s, &session, &key, Some(f.base), edited).await {
                Ok(mut p) => {
                    // Keep the form open on the text as submitted, even when it is stale.
                    p.editable = true;
                    Ok((status, render(&p)?).into_response())
                }
                Err(e) => Ok(fail(&session, e)),
            }
        }
    }
}
