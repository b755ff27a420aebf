//! JSON shapes of key projects (重点项目) and their conversion from the app's views.

use crate::convert::ts;
use crate::dto::{Dec, dec, opt_dec};
use luoshi_app::{ProjectRollup, ProjectView, StoredInvestment};
use luoshi_domain::project::{ProjectReason, ProjectStanding};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueIn {
    pub text: String,
    pub owner_unit_id: Uuid,
    /// YYYY-MM-DD; today when omitted.
    pub raised_on: Option<String>,
    pub due: String,
    /// Required when adding an issue to an existing project: the project's version.
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectIn {
    pub plan_id: Option<Uuid>,
    pub name: String,
    /// The industrial park or area.
    pub park: String,
    /// 亿元, 万元 (default) or 元; both investment figures and the monthly values are in it.
    pub investment_unit: Option<String>,
    #[schema(value_type = String)]
    pub total_investment: Dec,
    pub year: i32,
    #[schema(value_type = String)]
    pub annual_investment: Dec,
    /// YYYY-MM: the month construction is planned to start.
    pub planned_start: String,
    pub planned_completion: Option<String>,
    pub planned_production: Option<String>,
    /// preparation (default), under_construction, completed or in_production
    pub stage: Option<String>,
    pub started_on: Option<String>,
    pub completed_on: Option<String>,
    pub in_production_on: Option<String>,
    pub leader_id: Option<Uuid>,
    pub responsible_unit_id: Uuid,
    /// Issues to create with the project (ignored on update: use the issue routes).
    #[serde(default)]
    pub issues: Vec<IssueIn>,
    /// Required on update: the version you read.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct IssueOut {
    pub id: Uuid,
    pub text: String,
    pub owner_unit_id: Uuid,
    pub raised_on: String,
    pub due: String,
    pub resolved_on: Option<String>,
    /// Past due and not resolved today.
    pub overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReasonOut {
    /// behind_investment or not_started
    pub code: String,
    /// For behind_investment: points behind the expected share.
    pub behind_pp: Option<String>,
    /// For not_started: the planned month and the months begun since.
    pub planned: Option<String>,
    pub months_over: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct StandingOut {
    /// green, yellow or red
    pub lamp: String,
    /// The month evaluated (YYYY-MM), if any month of the plan year has ended.
    pub period: Option<String>,
    pub completed: String,
    pub expected: Option<String>,
    pub expected_pct: Option<String>,
    pub completion_pct: Option<String>,
    pub gap_pp: Option<String>,
    pub reasons: Vec<ReasonOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectOut {
    pub id: Uuid,
    pub plan_id: Option<Uuid>,
    pub name: String,
    pub park: String,
    pub investment_unit: String,
    pub total_investment: String,
    pub year: i32,
    pub annual_investment: String,
    pub planned_start: String,
    pub planned_completion: Option<String>,
    pub planned_production: Option<String>,
    pub stage: String,
    pub started_on: Option<String>,
    pub completed_on: Option<String>,
    pub in_production_on: Option<String>,
    pub leader_id: Option<Uuid>,
    pub responsible_unit_id: Uuid,
    pub issues: Vec<IssueOut>,
    /// As of today.
    pub standing: StandingOut,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestmentIn {
    /// YYYY-MM: investment completed from January to the end of this month.
    pub period: String,
    /// In the project's investment unit.
    #[schema(value_type = String)]
    pub value: Dec,
    #[serde(default)]
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvestmentOut {
    pub id: Uuid,
    pub period: String,
    pub revision: i32,
    pub value: String,
    pub source: String,
    pub recorded_at: String,
    pub recorded_by: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectDetailOut {
    pub project: ProjectOut,
    /// Every value and revision, oldest first.
    pub investments: Vec<InvestmentOut>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveIn {
    /// YYYY-MM-DD; today when omitted.
    pub resolved_on: Option<String>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CrossCheckOut {
    /// 亿元
    pub projects: String,
    /// The plan's fixed-asset-investment figure for the month, in 亿元.
    pub reported: String,
    /// projects − reported, in 亿元; positive means the projects claim more than the whole.
    pub difference: String,
    pub projects_share_pct: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RollupOut {
    pub plan_id: Uuid,
    pub period: String,
    /// Completed investment of the counted projects, in 亿元.
    pub total: String,
    pub counted: Vec<Uuid>,
    pub not_counted: Vec<Uuid>,
    pub carried_forward: Vec<Uuid>,
    pub unreported: Vec<Uuid>,
    /// The plan's fixed-asset-investment indicator, if it has one.
    pub indicator_id: Option<Uuid>,
    pub cross_check: Option<CrossCheckOut>,
}

fn reason(r: &ProjectReason) -> ReasonOut {
    match r {
        ProjectReason::BehindInvestment { behind_pp } => ReasonOut {
            code: "behind_investment".into(),
            behind_pp: Some(dec(*behind_pp)),
            planned: None,
            months_over: None,
        },
        ProjectReason::NotStarted {
            planned,
            months_over,
        } => ReasonOut {
            code: "not_started".into(),
            behind_pp: None,
            planned: Some(planned.to_string()),
            months_over: Some(*months_over),
        },
    }
}

pub fn standing(s: &ProjectStanding) -> StandingOut {
    StandingOut {
        lamp: s.lamp.as_str().into(),
        period: s.period.map(|p| p.to_string()),
        completed: dec(s.completed),
        expected: opt_dec(s.expected),
        expected_pct: opt_dec(s.expected_pct.map(|p| p.round_dp(2))),
        completion_pct: opt_dec(s.completion_pct.map(|p| p.round_dp(2))),
        gap_pp: opt_dec(s.gap_pp.map(|p| p.round_dp(2))),
        reasons: s.reasons.iter().map(reason).collect(),
    }
}

pub fn project(v: &ProjectView) -> ProjectOut {
    let (p, f) = (&v.project, &v.project.fields);
    let d = |x: Option<time::Date>| x.map(|d| d.to_string());
    ProjectOut {
        id: p.id.as_uuid(),
        plan_id: v.plan.map(|p| p.as_uuid()),
        name: f.name.clone(),
        park: f.park.clone(),
        investment_unit: f.investment_unit.as_str().into(),
        total_investment: dec(f.total_investment),
        year: f.year,
        annual_investment: dec(f.annual_investment),
        planned_start: f.planned_start.to_string(),
        planned_completion: d(f.planned_completion),
        planned_production: d(f.planned_production),
        stage: f.stage.as_str().into(),
        started_on: d(f.started_on),
        completed_on: d(f.completed_on),
        in_production_on: d(f.in_production_on),
        leader_id: f.leader.map(|l| l.as_uuid()),
        responsible_unit_id: f.responsible_unit.as_uuid(),
        issues: f
            .issues
            .iter()
            .zip(&v.issue_ids)
            .enumerate()
            .map(|(n, (i, id))| IssueOut {
                id: id.as_uuid(),
                text: i.text.clone(),
                owner_unit_id: i.owner.as_uuid(),
                raised_on: i.raised_on.to_string(),
                due: i.due.to_string(),
                resolved_on: d(i.resolved_on),
                overdue: v.standing.overdue_issues.contains(&n),
            })
            .collect(),
        standing: standing(&v.standing),
        version: p.version,
    }
}

pub fn investment(s: &StoredInvestment) -> InvestmentOut {
    InvestmentOut {
        id: s.id.as_uuid(),
        period: s.value.period.to_string(),
        revision: s.value.revision,
        value: dec(s.value.value),
        source: s.value.source.clone(),
        recorded_at: ts(s.recorded_at),
        recorded_by: s.recorded_by.map(|u| u.as_uuid()),
    }
}

pub fn rollup(r: &ProjectRollup) -> RollupOut {
    let ids = |v: &[luoshi_domain::ids::ProjectId]| v.iter().map(|i| i.as_uuid()).collect();
    RollupOut {
        plan_id: r.plan.as_uuid(),
        period: r.rollup.period.to_string(),
        total: dec(r.rollup.total.value),
        counted: ids(&r.rollup.counted),
        not_counted: ids(&r.rollup.not_counted),
        carried_forward: ids(&r.rollup.carried_forward),
        unreported: ids(&r.rollup.unreported),
        indicator_id: r.indicator.map(|i| i.as_uuid()),
        cross_check: r.cross_check.as_ref().map(|c| CrossCheckOut {
            projects: dec(c.projects.value),
            reported: dec(c.reported.value),
            difference: dec(c.difference.value),
            projects_share_pct: opt_dec(c.projects_share_pct.map(|p| p.round_dp(2))),
        }),
    }
}
