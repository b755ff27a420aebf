//! Key projects (重点项目): create, edit and read projects, record monthly investment, add and
//! resolve coordination issues, and roll a plan's projects up to fixed-asset investment with the
//! cross-check against the plan's indicator. Every view carries the standing as of the App's today.

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::calendar::{Period, month_start};
use luoshi_domain::ids::{IndicatorId, PlanId, ProjectId, ProjectIssueId, ValueId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::project::{
    self as domain, CrossCheck, InvestmentValue, Money, Project, ProjectFields, ProjectIssue,
    ProjectPolicy, ProjectStanding, Rollup,
};
use luoshi_store::projects::{self as store, ProjectFilter, StoredInvestment, StoredProject};
use luoshi_store::{indicators, plans, units};
use time::Date;
use uuid::Uuid;

/// The indicator a plan's projects are checked against: its name contains this.
pub const FAI_INDICATOR_NAME: &str = "固定资产投资";

/// A project with its standing on the App's today.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectView {
    pub project: Project,
    pub plan: Option<PlanId>,
    /// The id of each issue, parallel to `project.fields.issues`.
    pub issue_ids: Vec<ProjectIssueId>,
    pub standing: ProjectStanding,
}

/// One project with every recorded investment value (all revisions, oldest first).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectDetail {
    pub view: ProjectView,
    pub investments: Vec<StoredInvestment>,
}

/// A monthly cumulative investment figure to record.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentInput {
    pub period: Period,
    pub value: Decimal,
    pub source: String,
}

/// A plan's projects rolled up for a month, with the cross-check when the plan has a
/// fixed-asset-investment indicator whose figure for that month is money.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRollup {
    pub plan: PlanId,
    pub rollup: Rollup,
    /// The plan's fixed-asset-investment indicator, when it has one.
    pub indicator: Option<IndicatorId>,
    pub cross_check: Option<CrossCheck>,
}

fn values_of(stored: &[StoredInvestment]) -> Vec<InvestmentValue> {
    stored.iter().map(|s| s.value.clone()).collect()
}

impl App {
    /// The key-project policy (thresholds for lamps and the roll-up).
    pub fn project_policy(&self) -> &ProjectPolicy {
        &self.project_policy
    }

    fn project_view(&self, s: StoredProject, values: &[InvestmentValue]) -> ProjectView {
        let standing =
            domain::project_standing(&s.project, values, self.today(), &self.project_policy);
        ProjectView {
            project: s.project,
            plan: s.plan,
            issue_ids: s.issue_ids,
            standing,
        }
    }

    async fn project_view_of(&self, s: StoredProject) -> Result<ProjectView, AppError> {
        let values = store::investments(&self.db, s.project.region, Some(&[s.project.id])).await?;
        Ok(self.project_view(s, &values_of(&values)))
    }

    /// Check that the plan, units and leader exist; a project's year is its plan's year.
    async fn check_project_refs(
        &self,
        actor: &Actor,
        plan: Option<PlanId>,
        f: &ProjectFields,
    ) -> Result<(), AppError> {
        if let Some(p) = plan {
            let (plan, _) = plans::get(&self.db, actor.region, p)
                .await
                .map_err(|_| AppError::invalid("plan_id", "not_found", "no such plan"))?;
            if plan.year != f.year {
                return Err(AppError::invalid(
                    "year",
                    "out_of_range",
                    format!("the project's year must be its plan's year {}", plan.year),
                ));
            }
        }
        units::get(&self.db, actor.region, f.responsible_unit)
            .await
            .map_err(|_| AppError::invalid("responsible_unit_id", "not_found", "no such unit"))?;
        if let Some(l) = f.leader {
            units::get_person(&self.db, actor.region, l)
                .await
                .map_err(|_| AppError::invalid("leader_id", "not_found", "no such person"))?;
        }
        for (i, issue) in f.issues.iter().enumerate() {
            units::get(&self.db, actor.region, issue.owner)
                .await
                .map_err(|_| {
                    AppError::invalid(
                        &format!("issues[{i}].owner_unit_id"),
                        "not_found",
                        "no such unit",
                    )
                })?;
        }
        Ok(())
    }

    pub async fn create_project(
        &self,
        actor: &Actor,
        plan: Option<PlanId>,
        f: ProjectFields,
    ) -> Result<ProjectView, AppError> {
        require(actor, Permission::ManagePlans)?;
        let f = f.validate()?;
        self.check_project_refs(actor, plan, &f).await?;
        let issue_ids = f
            .issues
            .iter()
            .map(|_| ProjectIssueId::from_uuid(Uuid::now_v7()))
            .collect();
        let s = StoredProject {
            project: Project {
                id: ProjectId::from_uuid(Uuid::now_v7()),
                region: actor.region,
                fields: f,
                version: 1,
            },
            plan,
            issue_ids,
        };
        let mut tx = self.db.begin().await?;
        store::insert(&mut tx, &self.ctx(actor), &s).await?;
        tx.commit().await?;
        Ok(self.project_view(s, &[]))
    }

    /// Edit a project's own fields and plan; its issues are kept as stored (`f.issues` is
    /// ignored; use [`App::add_project_issue`] and [`App::resolve_project_issue`]).
    pub async fn update_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        plan: Option<PlanId>,
        mut f: ProjectFields,
        expected: i64,
    ) -> Result<ProjectView, AppError> {
        require(actor, Permission::ManagePlans)?;
        let current = store::get(&self.db, actor.region, id).await?;
        f.issues = current.project.fields.issues;
        let f = f.validate()?;
        self.check_project_refs(actor, plan, &f).await?;
        let mut tx = self.db.begin().await?;
        let s = store::update(&mut tx, &self.ctx(actor), id, plan, &f, expected).await?;
        tx.commit().await?;
        self.project_view_of(s).await
    }

    pub async fn get_project(
        &self,
        actor: &Actor,
        id: ProjectId,
    ) -> Result<ProjectDetail, AppError> {
        require(actor, Permission::ReadRegion)?;
        let s = store::get(&self.db, actor.region, id).await?;
        let investments = store::investments(&self.db, actor.region, Some(&[id])).await?;
        let view = self.project_view(s, &values_of(&investments));
        Ok(ProjectDetail { view, investments })
    }

    /// The region's projects matching `filter`, by name, each with its standing.
    pub async fn list_projects(
        &self,
        actor: &Actor,
        filter: ProjectFilter,
    ) -> Result<Vec<ProjectView>, AppError> {
        require(actor, Permission::ReadRegion)?;
        let list = store::list(&self.db, actor.region, filter).await?;
        let ids: Vec<ProjectId> = list.iter().map(|s| s.project.id).collect();
        let values = values_of(&store::investments(&self.db, actor.region, Some(&ids)).await?);
        Ok(list
            .into_iter()
            .map(|s| self.project_view(s, &values))
            .collect())
    }

    /// Record the cumulative investment completed by the end of a month (a new revision when the
    /// month has one). The responsible unit's reporters and managers may record for their own
    /// projects; the month must have begun and the year's series must not fall.
    pub async fn record_investment(
        &self,
        actor: &Actor,
        id: ProjectId,
        input: InvestmentInput,
    ) -> Result<StoredInvestment, AppError> {
        let s = store::get(&self.db, actor.region, id).await?;
        require(
            actor,
            Permission::RecordInvestment {
                unit: s.project.fields.responsible_unit,
            },
        )?;
        let today = self.today();
        if month_start(input.period.year(), input.period.month()) > today {
            return Err(AppError::invalid(
                "period",
                "out_of_range",
                format!("{} has not begun", input.period),
            ));
        }
        let existing = values_of(&store::investments(&self.db, actor.region, Some(&[id])).await?);
        let source =
            domain::validate_investment(input.period, input.value, &input.source, &existing)?;
        let value = InvestmentValue {
            project: id,
            period: input.period,
            value: input.value,
            source,
            revision: 0,
        };
        let vid = ValueId::from_uuid(Uuid::now_v7());
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        let revision = store::append_investment(&mut tx, &ctx, vid, &value).await?;
        tx.commit().await?;
        Ok(StoredInvestment {
            id: vid,
            value: InvestmentValue { revision, ..value },
            recorded_at: ctx.at,
            recorded_by: ctx.actor,
        })
    }

    /// Add a coordination issue (checked with the project's other fields; errors name
    /// `issues[n].…`).
    pub async fn add_project_issue(
        &self,
        actor: &Actor,
        id: ProjectId,
        issue: ProjectIssue,
        expected: i64,
    ) -> Result<ProjectView, AppError> {
        require(actor, Permission::ManagePlans)?;
        let current = store::get(&self.db, actor.region, id).await?;
        let mut f = current.project.fields.clone();
        f.issues.push(issue);
        let f = f.validate()?;
        self.check_project_refs(actor, current.plan, &f).await?;
        let issue = f.issues.last().cloned().ok_or(AppError::NotFound {
            entity: "project_issue",
        })?;
        let mut tx = self.db.begin().await?;
        let issue_id = ProjectIssueId::from_uuid(Uuid::now_v7());
        store::add_issue(&mut tx, &self.ctx(actor), id, issue_id, &issue, expected).await?;
        tx.commit().await?;
        self.project_view_of(store::get(&self.db, actor.region, id).await?)
            .await
    }

    /// Mark an issue resolved on `on` (not before it was raised, not after today).
    pub async fn resolve_project_issue(
        &self,
        actor: &Actor,
        id: ProjectId,
        issue: ProjectIssueId,
        on: Date,
        expected: i64,
    ) -> Result<ProjectView, AppError> {
        require(actor, Permission::ManagePlans)?;
        let current = store::get(&self.db, actor.region, id).await?;
        let n = current
            .issue_ids
            .iter()
            .position(|i| *i == issue)
            .ok_or(AppError::NotFound {
                entity: "project_issue",
            })?;
        if on > self.today() {
            return Err(AppError::invalid(
                "resolved_on",
                "out_of_range",
                "an issue cannot be resolved in the future",
            ));
        }
        let raised = current.project.fields.issues.get(n).map(|i| i.raised_on);
        if raised.is_some_and(|r| on < r) {
            return Err(AppError::invalid(
                "resolved_on",
                "out_of_order",
                "an issue cannot be resolved before it was raised",
            ));
        }
        let mut tx = self.db.begin().await?;
        store::resolve_issue(&mut tx, &self.ctx(actor), id, issue, on, expected).await?;
        tx.commit().await?;
        self.project_view_of(store::get(&self.db, actor.region, id).await?)
            .await
    }

    /// Roll the plan's projects up for `period` (those at or above the policy threshold count)
    /// and cross-check against the plan's fixed-asset-investment indicator: its region-wide
    /// figure for the same month, when that figure exists and the indicator is in money.
    pub async fn project_rollup(
        &self,
        actor: &Actor,
        plan: PlanId,
        period: Period,
    ) -> Result<ProjectRollup, AppError> {
        require(actor, Permission::ReadRegion)?;
        plans::get(&self.db, actor.region, plan).await?;
        let filter = ProjectFilter {
            plan: Some(plan),
            responsible_unit: None,
        };
        let list = store::list(&self.db, actor.region, filter).await?;
        let ids: Vec<ProjectId> = list.iter().map(|s| s.project.id).collect();
        let values = values_of(&store::investments(&self.db, actor.region, Some(&ids)).await?);
        let pairs: Vec<(&Project, &[InvestmentValue])> = list
            .iter()
            .map(|s| (&s.project, values.as_slice()))
            .collect();
        let rollup = domain::rollup(&pairs, period, &self.project_policy);

        let fai = indicators::list(&self.db, actor.region, plan)
            .await?
            .into_iter()
            .map(|(i, _)| i)
            .find(|i| i.fields.name.contains(FAI_INDICATOR_NAME));
        let mut cross_check = None;
        if let Some(ind) = &fai {
            let all = indicators::values(&self.db, actor.region, &[ind.id]).await?;
            let reported = indicators::current_values(&all, None)
                .into_iter()
                .find(|v| v.value.unit.is_none() && v.value.period == period)
                .map(|v| v.value.value);
            if let Some(value) = reported
                && let Ok(money) = Money::new("reported", value, ind.fields.unit.clone())
            {
                cross_check = Some(domain::cross_check(&rollup, &money)?);
            }
        }
        Ok(ProjectRollup {
            plan,
            rollup,
            indicator: fai.map(|i| i.id),
            cross_check,
        })
    }
}
