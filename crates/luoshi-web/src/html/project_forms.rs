//! The forms on a key project's page: the monthly investment completed (the responsible unit or
//! the office), and coordination issues added or resolved (the office). A refused form answers
//! with the page and the error naming the field; a stale version answers 409.

use super::projects::build;
use super::{PageError, Session, render};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, InvestmentInput};
use luoshi_domain::calendar::{Period, parse_date};
use luoshi_domain::ids::{ProjectId, ProjectIssueId, UnitId};
use luoshi_domain::measure::parse_decimal;
use luoshi_domain::project::ProjectIssue;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct InvestmentForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner_unit_id: String,
    #[serde(default)]
    due: String,
}

#[derive(Deserialize)]
pub struct ResolveForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    resolved_on: String,
}

fn version(s: &str) -> Result<i64, AppError> {
    s.trim()
        .parse()
        .map_err(|_| AppError::invalid("version", "invalid", "the form lost its version"))
}

/// After a form: back to the page, or the page with the error (its status from the error).
async fn answer(
    s: &AppState,
    session: &Session,
    id: ProjectId,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
        Err(e @ (AppError::Forbidden | AppError::NotFound { .. })) => {
            Err(PageError::App(session.tr(), e))
        }
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let page = build(s, session, id, Some(api.with_field())).await?;
            Ok((api.status, render(&page)?).into_response())
        }
    }
}

pub async fn record_investment(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<InvestmentForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = ProjectId::from(id);
    let input = (|| {
        Ok::<_, AppError>(InvestmentInput {
            period: Period::parse("period", &f.period)?,
            value: parse_decimal("value", &f.value)?,
            source: f.source.clone(),
        })
    })();
    let result = match input {
        Ok(i) => s
            .app
            .record_investment(&session.user.actor(), id, i)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    answer(&s, &session, id, result).await
}

pub async fn add_issue(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<IssueForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = ProjectId::from(id);
    let today = s.app.today();
    let parsed = (|| {
        let owner = f
            .owner_unit_id
            .parse::<UnitId>()
            .map_err(|_| AppError::invalid("owner_unit_id", "required", "choose a unit"))?;
        let issue = ProjectIssue {
            text: f.text.clone(),
            owner,
            raised_on: today,
            due: parse_date("due", &f.due)?,
            resolved_on: None,
        };
        Ok::<_, AppError>((issue, version(&f.version)?))
    })();
    let result = match parsed {
        Ok((issue, v)) => s
            .app
            .add_project_issue(&session.user.actor(), id, issue, v)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    answer(&s, &session, id, result).await
}

pub async fn resolve_issue(
    State(s): State<AppState>,
    session: Session,
    Path((id, issue)): Path<(Uuid, Uuid)>,
    Form(f): Form<ResolveForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = ProjectId::from(id);
    let today = s.app.today();
    let parsed = (|| {
        let on = if f.resolved_on.trim().is_empty() {
            today
        } else {
            parse_date("resolved_on", &f.resolved_on)?
        };
        Ok::<_, AppError>((on, version(&f.version)?))
    })();
    let result = match parsed {
        Ok((on, v)) => s
            .app
            .resolve_project_issue(
                &session.user.actor(),
                id,
                ProjectIssueId::from(issue),
                on,
                v,
            )
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    answer(&s, &session, id, result).await
}
