//! Key projects (重点项目) under `/api/v1/projects`.

use super::{created, need_version, with_etag};
use crate::dto::{Items, opt_date_in};
use crate::dto_project::{
    self as dto, InvestmentIn, InvestmentOut, IssueIn, ProjectDetailOut, ProjectIn, ProjectOut,
    ResolveIn, RollupOut,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use luoshi_app::{InvestmentInput, ProjectFilter};
use luoshi_domain::calendar::{Period, parse_date};
use luoshi_domain::ids::{PersonId, PlanId, ProjectId, ProjectIssueId, UnitId};
use luoshi_domain::project::{ProjectFields, ProjectIssue, ProjectStage};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

fn issue(i: &IssueIn, at: &str, today: Date) -> ApiResult<ProjectIssue> {
    Ok(ProjectIssue {
        text: i.text.clone(),
        owner: UnitId::from(i.owner_unit_id),
        raised_on: opt_date_in(&format!("{at}raised_on"), &i.raised_on)?.unwrap_or(today),
        due: parse_date(&format!("{at}due"), &i.due)?,
        resolved_on: None,
    })
}

fn fields(b: &ProjectIn, today: Date) -> ApiResult<ProjectFields> {
    let issues = b
        .issues
        .iter()
        .enumerate()
        .map(|(n, i)| issue(i, &format!("issues[{n}]."), today))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(ProjectFields {
        name: b.name.clone(),
        park: b.park.clone(),
        investment_unit: ProjectFields::parse_unit(
            "investment_unit",
            b.investment_unit.as_deref().unwrap_or(""),
        )?,
        total_investment: b.total_investment.0,
        year: b.year,
        annual_investment: b.annual_investment.0,
        planned_start: Period::parse("planned_start", &b.planned_start)?,
        planned_completion: opt_date_in("planned_completion", &b.planned_completion)?,
        planned_production: opt_date_in("planned_production", &b.planned_production)?,
        stage: ProjectStage::parse("stage", b.stage.as_deref().unwrap_or("preparation"))?,
        started_on: opt_date_in("started_on", &b.started_on)?,
        completed_on: opt_date_in("completed_on", &b.completed_on)?,
        in_production_on: opt_date_in("in_production_on", &b.in_production_on)?,
        leader: b.leader_id.map(PersonId::from),
        responsible_unit: UnitId::from(b.responsible_unit_id),
        issues,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub plan_id: Option<Uuid>,
    /// The responsible unit.
    pub unit_id: Option<Uuid>,
}

/// The region's key projects, by name, each with its lamp as of today.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ListQuery), responses((status = 200, body = Items<ProjectOut>)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Items<ProjectOut>>> {
    let filter = ProjectFilter {
        plan: q.plan_id.map(PlanId::from),
        responsible_unit: q.unit_id.map(UnitId::from),
    };
    let views = s.app.list_projects(&auth.actor(), filter).await?;
    Ok(Json(Items {
        items: views.iter().map(dto::project).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectIn, responses((status = 201, body = ProjectOut)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<ProjectIn>,
) -> ApiResult<Response> {
    let f = fields(&b, s.app.today())?;
    let v = s
        .app
        .create_project(&auth.actor(), b.plan_id.map(PlanId::from), f)
        .await?;
    Ok(created(v.project.version, dto::project(&v)))
}

/// A project with its lamp and every investment value and revision.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", responses((status = 200, body = ProjectDetailOut)))]
pub async fn get_one(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let d = s
        .app
        .get_project(&auth.actor(), ProjectId::from(id))
        .await?;
    let body = ProjectDetailOut {
        project: dto::project(&d.view),
        investments: d.investments.iter().map(dto::investment).collect(),
    };
    Ok(with_etag(d.view.project.version, body))
}

/// Edit a project's fields; its issues change through the issue routes.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", request_body = ProjectIn, responses((status = 200, body = ProjectOut)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ProjectIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let f = fields(&b, s.app.today())?;
    let v = s
        .app
        .update_project(
            &auth.actor(),
            ProjectId::from(id),
            b.plan_id.map(PlanId::from),
            f,
            version,
        )
        .await?;
    Ok(with_etag(v.project.version, dto::project(&v)))
}

/// Record the investment completed from January to the end of a month; a second value for the
/// same month is a new revision.
#[utoipa::path(post, path = "/api/v1/projects/{id}/investments", tag = "projects", request_body = InvestmentIn, responses((status = 201, body = InvestmentOut)))]
pub async fn record_investment(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<InvestmentIn>,
) -> ApiResult<Response> {
    let input = InvestmentInput {
        period: Period::parse("period", &b.period)?,
        value: b.value.0,
        source: b.source,
    };
    let v = s
        .app
        .record_investment(&auth.actor(), ProjectId::from(id), input)
        .await?;
    Ok(created(i64::from(v.value.revision), dto::investment(&v)))
}

/// Add a coordination issue (needs the project's version).
#[utoipa::path(post, path = "/api/v1/projects/{id}/issues", tag = "projects", request_body = IssueIn, responses((status = 201, body = ProjectOut)))]
pub async fn add_issue(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<IssueIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let i = issue(&b, "", s.app.today())?;
    let v = s
        .app
        .add_project_issue(&auth.actor(), ProjectId::from(id), i, version)
        .await?;
    Ok(created(v.project.version, dto::project(&v)))
}

/// Mark an issue resolved (needs the project's version).
#[utoipa::path(post, path = "/api/v1/projects/{id}/issues/{issue_id}/resolve", tag = "projects", request_body = ResolveIn, responses((status = 200, body = ProjectOut)))]
pub async fn resolve_issue(
    State(s): State<AppState>,
    auth: Authed,
    Path((id, issue_id)): Path<(Uuid, Uuid)>,
    ApiJson(b): ApiJson<ResolveIn>,
) -> ApiResult<Response> {
    let on = opt_date_in("resolved_on", &b.resolved_on)?.unwrap_or(s.app.today());
    let v = s
        .app
        .resolve_project_issue(
            &auth.actor(),
            ProjectId::from(id),
            ProjectIssueId::from(issue_id),
            on,
            b.version,
        )
        .await?;
    Ok(with_etag(v.project.version, dto::project(&v)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RollupQuery {
    pub plan_id: Uuid,
    /// YYYY-MM
    pub period: String,
}

/// A plan's projects rolled up to fixed-asset investment for a month, with the cross-check
/// against the plan's fixed-asset-investment indicator when it has a figure in money.
#[utoipa::path(get, path = "/api/v1/projects/rollup", tag = "projects", params(RollupQuery), responses((status = 200, body = RollupOut)))]
pub async fn rollup(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<RollupQuery>,
) -> ApiResult<Json<RollupOut>> {
    let period = Period::parse("period", &q.period).map_err(ApiError::from)?;
    let r = s
        .app
        .project_rollup(&auth.actor(), PlanId::from(q.plan_id), period)
        .await?;
    Ok(Json(dto::rollup(&r)))
}
