//! JSON shapes for indicators, tasks and summaries.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::dto::Dec;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorIn {
    pub name: String,
    /// 亿元, 万元, 元, %, ‰, or a measure word such as 个
    pub unit: String,
    /// comparable or current
    pub price_basis: Option<String>,
    /// increase (default) or decrease
    pub direction: Option<String>,
    /// cumulative (default) or level
    pub accumulation: Option<String>,
    /// monthly (default), monthly_from_february or quarterly
    pub cadence: Option<String>,
    #[schema(value_type = Option<String>)]
    pub baseline: Option<Dec>,
    #[schema(value_type = Option<String>)]
    pub baseline_growth_pct: Option<Dec>,
    #[schema(value_type = Option<String>)]
    pub target_value: Option<Dec>,
    #[schema(value_type = Option<String>)]
    pub target_growth_pct: Option<Dec>,
    pub section_id: Option<Uuid>,
    pub lead_unit_id: Option<Uuid>,
    #[serde(default)]
    pub note: String,
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationOut {
    /// The latest reported period, `YYYY-MM`.
    pub period: String,
    pub value: String,
    pub growth_pct: Option<String>,
    pub attainment_pct: Option<String>,
    pub expected_pct: Option<String>,
    /// Whether the expectation follows last year's seasonal profile.
    pub seasonal: bool,
    /// Attainment − expected progress, in percentage points.
    pub gap_pp: Option<String>,
    /// Actual − target growth, in percentage points.
    pub growth_gap_pp: Option<String>,
    pub lamp: Option<String>,
    pub data_status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorOut {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub name: String,
    pub unit: String,
    pub price_basis: Option<String>,
    pub direction: String,
    pub accumulation: String,
    pub cadence: String,
    pub baseline: Option<String>,
    pub baseline_growth_pct: Option<String>,
    pub target_value: Option<String>,
    pub target_growth_pct: Option<String>,
    pub section_id: Option<Uuid>,
    pub lead_unit_id: Option<Uuid>,
    pub note: String,
    pub version: i64,
    pub latest: Option<EvaluationOut>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueIn {
    /// `YYYY-MM`: the cumulative figure for January to this month.
    pub period: String,
    #[schema(value_type = String)]
    pub value: Dec,
    #[schema(value_type = Option<String>)]
    pub growth_pct: Option<Dec>,
    /// flash (default), preliminary or final
    pub status: Option<String>,
    #[serde(default)]
    pub source: String,
    /// A unit's share; omit for the region-wide figure.
    pub unit_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct ValueOut {
    pub id: Uuid,
    pub unit_id: Option<Uuid>,
    pub period: String,
    pub revision: i32,
    pub value: String,
    pub growth_pct: Option<String>,
    pub status: String,
    pub source: String,
    pub recorded_at: String,
    pub recorded_by: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct SplitOut {
    pub unit_id: Uuid,
    pub target_value: String,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SplitCheckOut {
    pub total: String,
    pub sum_of_parts: String,
    /// How much the units' shares fall short of the target; null when they cover it.
    pub shortfall: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDetailOut {
    pub indicator: IndicatorOut,
    /// Every figure, every revision, oldest first.
    pub values: Vec<ValueOut>,
    pub splits: Vec<SplitOut>,
    pub split_check: Option<SplitCheckOut>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitIn {
    #[schema(value_type = String)]
    pub target_value: Dec,
    /// The split's version when changing an existing one.
    pub version: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDto {
    pub title: String,
    pub due: String,
    #[schema(value_type = String)]
    #[serde(serialize_with = "ser_dec")]
    pub target_pct: Dec,
}

fn ser_dec<S: serde::Serializer>(d: &Dec, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::dto::dec(d.0))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityDto {
    #[schema(value_type = String)]
    #[serde(serialize_with = "ser_dec")]
    pub min: Dec,
    #[schema(value_type = Option<String>)]
    #[serde(serialize_with = "ser_opt_dec")]
    pub max: Option<Dec>,
    pub unit: String,
}

fn ser_opt_dec<S: serde::Serializer>(d: &Option<Dec>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&crate::dto::dec(d.0)),
        None => s.serialize_none(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskIn {
    /// Required on create.
    pub plan_id: Option<Uuid>,
    pub section_id: Option<Uuid>,
    pub external_id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// plan (default), meeting, instruction or higher_level
    pub source: Option<String>,
    pub lead_unit_id: Uuid,
    #[serde(default)]
    pub co_unit_ids: Vec<Uuid>,
    pub lead_official_id: Option<Uuid>,
    pub responsible_person_id: Option<Uuid>,
    pub liaison_id: Option<Uuid>,
    /// Defaults to January 1st of the plan year.
    pub start: Option<String>,
    pub deadline: String,
    #[serde(default)]
    pub milestones: Vec<MilestoneDto>,
    pub quantity: Option<QuantityDto>,
    #[schema(value_type = Option<String>)]
    pub weight: Option<Dec>,
    /// Assign to the lead unit at once (default true); false keeps a draft.
    pub assign: Option<bool>,
    /// Required on update.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskOut {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub section_id: Option<Uuid>,
    pub external_id: Option<String>,
    pub title: String,
    pub description: String,
    pub source: String,
    pub lead_unit_id: Uuid,
    pub co_unit_ids: Vec<Uuid>,
    pub lead_official_id: Option<Uuid>,
    pub responsible_person_id: Option<Uuid>,
    pub liaison_id: Option<Uuid>,
    pub start: String,
    pub deadline: String,
    pub milestones: Vec<MilestoneDto>,
    pub quantity: Option<QuantityDto>,
    pub weight: String,
    pub status: String,
    pub requested_deadline: Option<String>,
    pub progress_pct: String,
    pub quantity_done: Option<String>,
    pub last_report_on: Option<String>,
    pub done_reported_on: Option<String>,
    pub closed_on: Option<String>,
    pub version: i64,
    /// green, blue, yellow or red; null for drafts and cancelled tasks.
    pub lamp: Option<String>,
    pub expected_pct: String,
    /// Progress − expected progress, in percentage points.
    pub gap_pp: String,
    pub overdue: bool,
    pub days_left: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub id: Uuid,
    pub reported_at: String,
    pub reporter_id: Option<Uuid>,
    pub reporter_name: Option<String>,
    pub percent: String,
    pub quantity_done: Option<String>,
    pub summary: String,
    pub problems: String,
    pub next_steps: String,
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub at: String,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub action: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub deadline_after: String,
}

#[derive(Serialize, ToSchema)]
pub struct TaskDetailOut {
    #[serde(flatten)]
    pub task: TaskOut,
    pub reports: Vec<ReportOut>,
    pub events: Vec<EventOut>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionIn {
    /// assign, acknowledge, request_extension, approve_extension, reject_extension, report_done,
    /// close, return or cancel
    pub action: String,
    /// The task version you read.
    pub version: i64,
    #[serde(default)]
    pub reason: String,
    /// For request_extension.
    pub new_deadline: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressIn {
    /// Cumulative percent done, 0–100.
    #[schema(value_type = Option<String>)]
    pub percent: Option<Dec>,
    /// Quantity done so far, for tasks with a quantity target.
    #[schema(value_type = Option<String>)]
    pub quantity_done: Option<Dec>,
    pub summary: String,
    #[serde(default)]
    pub problems: String,
    #[serde(default)]
    pub next_steps: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressOut {
    pub report_id: Uuid,
    pub task: TaskOut,
}

#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    pub total: u32,
    pub overdue: u32,
    pub by_status: BTreeMap<String, u32>,
    pub by_lamp: BTreeMap<String, u32>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitRowOut {
    pub unit_id: Uuid,
    pub name: String,
    pub counts: CountsOut,
}

#[derive(Serialize, ToSchema)]
pub struct SectionRowOut {
    pub section_id: Option<Uuid>,
    pub name: String,
    pub counts: CountsOut,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryOut {
    pub plan_id: Uuid,
    pub year: i32,
    pub title: String,
    pub as_of: String,
    pub totals: CountsOut,
    pub by_unit: Vec<UnitRowOut>,
    pub by_section: Vec<SectionRowOut>,
    pub indicators: Vec<IndicatorOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub at: String,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
}
