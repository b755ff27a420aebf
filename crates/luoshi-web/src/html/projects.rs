//! Key project pages: the list with each project's lamp (colour, symbol and words), and one
//! project with its monthly investment chart, every figure and revision, and its issues.

use super::fmt::{LampView, lamp, num, pct, pp};
use super::i18n::Tr;
use super::pages::unit_names;
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use luoshi_app::{ProjectFilter, ProjectView};
use luoshi_domain::authz::{Permission, allowed};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::ProjectId;
use luoshi_domain::measure::Decimal;
use luoshi_domain::project::{ProjectReason, current_values};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

pub struct ProjectRow {
    pub id: String,
    pub name: String,
    pub park: String,
    pub unit: String,
    pub stage: &'static str,
    pub annual: String,
    pub completed: String,
    pub completion: String,
    pub expected: String,
    pub gap: String,
    pub lamp: LampView,
    /// Why the lamp is not green, in words.
    pub reasons: String,
}

#[derive(Template)]
#[template(path = "projects.html")]
pub struct ProjectsPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub rows: Vec<ProjectRow>,
    pub overview: super::project_overview::Overview,
    /// The newest plan, when the user may import its project list.
    pub import_plan: Option<String>,
}

pub struct InvestmentRow {
    pub period: String,
    pub revision: i32,
    pub value: String,
    pub source: String,
    pub recorded: String,
}

pub struct IssueRow {
    pub id: String,
    pub open: bool,
    pub text: String,
    pub owner: String,
    pub due: String,
    /// Resolved on a date, overdue, or open.
    pub state: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub row: ProjectRow,
    pub version: i64,
    /// The last form's error, naming the field.
    pub error: Option<String>,
    /// May record the monthly investment (the responsible unit, the office).
    pub can_record: bool,
    /// May add and resolve issues (the office).
    pub can_manage: bool,
    pub units: Vec<super::views::Choice>,
    pub today: String,
    pub unit: String,
    pub total: String,
    /// The chart's data: completed and expected cumulative investment by month.
    pub chart: String,
    pub investments: Vec<InvestmentRow>,
    pub issues: Vec<IssueRow>,
}

fn reason(r: &ProjectReason, tr: Tr) -> String {
    match r {
        ProjectReason::BehindInvestment { behind_pp } => {
            format!(
                "{} {}",
                tr.t("proj.reason.behind"),
                pp(Some(-*behind_pp), tr)
            )
        }
        ProjectReason::NotStarted { planned, .. } => {
            format!("{} ({planned})", tr.t("proj.reason.not_started"))
        }
    }
}

fn row(v: &ProjectView, units: &HashMap<String, String>, tr: Tr) -> ProjectRow {
    let (f, s) = (&v.project.fields, &v.standing);
    let unit = f.investment_unit.as_str();
    ProjectRow {
        id: v.project.id.to_string(),
        name: f.name.clone(),
        park: f.park.clone(),
        unit: units
            .get(&f.responsible_unit.to_string())
            .cloned()
            .unwrap_or_default(),
        stage: tr.t(&format!("stage.{}", f.stage.as_str())),
        annual: format!("{} {unit}", num(f.annual_investment, 2)),
        completed: format!("{} {unit}", num(s.completed, 2)),
        completion: pct(s.completion_pct),
        expected: pct(s.expected_pct),
        gap: pp(s.gap_pp, tr),
        lamp: lamp(Some(s.lamp), tr),
        reasons: s
            .reasons
            .iter()
            .map(|r| reason(r, tr))
            .collect::<Vec<_>>()
            .join("；"),
    }
}

fn f64_of(d: Decimal) -> f64 {
    // Charts only: the model itself never leaves Decimal.
    d.to_string().parse().unwrap_or(0.0)
}

pub async fn list(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = super::pages::snapshot(&s.app, &actor, tr).await?;
    let units = &snap.unit_labels;
    let views = s
        .app
        .list_projects(&actor, ProjectFilter::default())
        .await
        .map_err(|e| PageError::App(tr, e))?;
    // The newest plan's roll-up for the latest month that has ended.
    let today = s.app.today();
    let ended = today
        .replace_day(1)
        .ok()
        .and_then(|d| d.previous_day())
        .and_then(|d| Period::new("period", d.year(), u8::from(d.month())).ok());
    let rollup = match (snap.plans.first(), ended) {
        (Some((plan, _)), Some(period)) if period.year() == plan.year => Some(
            s.app
                .project_rollup(&actor, plan.id, period)
                .await
                .map_err(|e| PageError::App(tr, e))?,
        ),
        _ => None,
    };
    Ok(render(&ProjectsPage {
        tr,
        chrome: Chrome::new(&session, units, "projects"),
        rows: views.iter().map(|v| row(v, units, tr)).collect(),
        overview: super::project_overview::overview(&views, rollup.as_ref(), tr),
        import_plan: snap
            .plans
            .first()
            .filter(|_| allowed(&actor, Permission::ManagePlans))
            .map(|(p, _)| p.id.to_string()),
    })?
    .into_response())
}

/// The project list as XLSX (everyone who may read the region may export it).
pub async fn list_xlsx(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = super::pages::snapshot(&s.app, &actor, tr).await?;
    let views = s
        .app
        .list_projects(&actor, ProjectFilter::default())
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let people: HashMap<String, String> = snap
        .people_for(&actor)
        .into_iter()
        .map(|(p, _)| (p.id.to_string(), p.name))
        .collect();
    let bytes = super::project_overview::projects_workbook(&views, &snap.unit_labels, &people, tr)
        .map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            PageError::Render
        })?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"projects.xlsx\"; filename*=UTF-8''%E9%87%8D%E7%82%B9%E9%A1%B9%E7%9B%AE.xlsx",
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let page = build(&s, &session, ProjectId::from(id), None).await?;
    Ok(render(&page)?.into_response())
}

/// The project page, with `error` from a refused form shown above the forms.
pub(super) async fn build(
    s: &AppState,
    session: &Session,
    id: ProjectId,
    error: Option<String>,
) -> Result<ProjectPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let units = unit_names(&s.app, &actor, tr).await?;
    let d = s
        .app
        .get_project(&actor, id)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let f = &d.view.project.fields;
    let values: Vec<_> = d.investments.iter().map(|i| i.value.clone()).collect();
    let current = current_values(&values);
    let twelve = Decimal::from(12);
    let completed: Vec<serde_json::Value> = (1..=12u8)
        .map(|m| {
            current
                .iter()
                .find(|(p, _)| p.year() == f.year && p.month() == m)
                .map_or(serde_json::Value::Null, |(_, v)| json!(f64_of(*v)))
        })
        .collect();
    let expected: Vec<f64> = (1..=12u8)
        .map(|m| f64_of((f.annual_investment * Decimal::from(m) / twelve).round_dp(2)))
        .collect();
    let labels: Vec<String> = (1..=12).map(|m| m.to_string()).collect();
    let unit = f.investment_unit.as_str().to_owned();
    let chart = json!({"labels": labels, "unit": unit, "series": [
        {"name": tr.t("dash.chart_actual"), "data": completed},
        {"name": tr.t("dash.chart_expected"), "data": expected, "dashed": true},
    ]})
    .to_string();
    let name_of = |u: String| units.get(&u).cloned().unwrap_or_default();
    let issues = f
        .issues
        .iter()
        .enumerate()
        .zip(&d.view.issue_ids)
        .map(|((n, i), issue_id)| {
            let overdue = d.view.standing.overdue_issues.contains(&n);
            let state = match (i.resolved_on, overdue) {
                (Some(r), _) => format!("{} {r}", tr.t("proj.resolved")),
                (None, true) => tr.t("proj.overdue").to_owned(),
                (None, false) => tr.t("proj.open").to_owned(),
            };
            IssueRow {
                id: issue_id.to_string(),
                open: i.resolved_on.is_none(),
                text: i.text.clone(),
                owner: name_of(i.owner.to_string()),
                due: i.due.to_string(),
                state,
                overdue,
            }
        })
        .collect();
    let mut choices: Vec<super::views::Choice> = units
        .iter()
        .map(|(id, name)| super::views::Choice {
            value: id.clone(),
            label: name.clone(),
            selected: false,
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    let page = ProjectPage {
        tr,
        chrome: Chrome::new(session, &units, "projects"),
        row: row(&d.view, &units, tr),
        version: d.view.project.version,
        error,
        can_record: allowed(
            &actor,
            Permission::RecordInvestment {
                unit: f.responsible_unit,
            },
        ),
        can_manage: allowed(&actor, Permission::ManagePlans),
        units: choices,
        today: s.app.today().to_string(),
        total: format!("{} {unit}", num(f.total_investment, 2)),
        unit,
        chart,
        investments: d
            .investments
            .iter()
            .rev()
            .map(|i| InvestmentRow {
                period: i.value.period.to_string(),
                revision: i.value.revision,
                value: num(i.value.value, 4),
                source: i.value.source.clone(),
                recorded: super::task_page::local_time(i.recorded_at),
            })
            .collect(),
        issues,
    };
    Ok(page)
}
