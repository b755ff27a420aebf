//! The region's supervision policy over JSON: every field the policy page edits, the lamp
//! thresholds included, read by the supervision office and saved by administrators as a new
//! version against the version read (a stale one is a 409; a bad value names its field).

use super::{need_version, with_etag};
use crate::dto::Dec;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Authed};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use luoshi_domain::lamp::{ExpectedBasis, LampPolicy};
use luoshi_domain::supervision::{
    CardRules, EscalationRule, EscalationTarget, QuietHours, SupervisionPolicy,
};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CardsDto {
    pub yellow_streak: u32,
    /// What a yellow card costs (≤ 0).
    #[schema(value_type = String)]
    pub yellow_points: Dec,
    pub red_streak: u32,
    #[schema(value_type = String)]
    pub red_points: Dec,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EscalationDto {
    pub red_streak: u32,
    pub level: u8,
    /// `lead_official` or `principal_leader`.
    pub target: String,
    pub summons: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuietHoursDto {
    pub start_hour: u8,
    pub end_hour: u8,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct LampsDto {
    pub blue_within_days: i64,
    #[schema(value_type = String)]
    pub yellow_behind_pp: Dec,
    #[schema(value_type = String)]
    pub red_behind_pp: Dec,
    #[schema(value_type = String)]
    pub growth_yellow_behind_pp: Dec,
    #[schema(value_type = String)]
    pub growth_red_behind_pp: Dec,
    /// `month_share` or `day_share`.
    pub expected_basis: String,
    pub seasonal_profile: bool,
}

/// Every field of the policy, as the policy page shows them, and its version: on PUT the version
/// you read (0 before the first save).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PolicyDto {
    pub version: Option<i64>,
    pub reminder_offsets_days: Vec<i64>,
    pub overdue_interval_days: i64,
    pub reporting_day: u8,
    pub indicator_report_lag_months: u8,
    pub cards: CardsDto,
    pub escalations: Vec<EscalationDto>,
    /// `null`: messages go out at any hour.
    pub quiet_hours: Option<QuietHoursDto>,
    pub notice_prefix: String,
    pub lamps: LampsDto,
}

#[derive(Serialize, ToSchema)]
pub struct PolicyVersionOut {
    pub version: i64,
    pub created_at: String,
    pub created_by: Option<uuid::Uuid>,
}

/// The policy with its version (0 until one is saved: the defaults apply) and history.
#[derive(Serialize, ToSchema)]
pub struct PolicyOut {
    #[serde(flatten)]
    pub policy: PolicyDto,
    /// Every saved version, newest first.
    pub history: Vec<PolicyVersionOut>,
}

fn out(p: &SupervisionPolicy, version: i64) -> PolicyDto {
    let l = &p.lamps;
    PolicyDto {
        version: Some(version),
        reminder_offsets_days: p.reminder_offsets_days.clone(),
        overdue_interval_days: p.overdue_interval_days,
        reporting_day: p.reporting_day,
        indicator_report_lag_months: p.indicator_report_lag_months,
        cards: CardsDto {
            yellow_streak: p.cards.yellow_streak,
            yellow_points: Dec(p.cards.yellow_points),
            red_streak: p.cards.red_streak,
            red_points: Dec(p.cards.red_points),
        },
        escalations: p
            .escalations
            .iter()
            .map(|r| EscalationDto {
                red_streak: r.red_streak,
                level: r.level,
                target: r.target.as_str().into(),
                summons: r.summons,
            })
            .collect(),
        quiet_hours: p.quiet_hours.map(|q| QuietHoursDto {
            start_hour: q.start_hour,
            end_hour: q.end_hour,
        }),
        notice_prefix: p.notice_prefix.clone(),
        lamps: LampsDto {
            blue_within_days: l.blue_within_days,
            yellow_behind_pp: Dec(l.yellow_behind_pp),
            red_behind_pp: Dec(l.red_behind_pp),
            growth_yellow_behind_pp: Dec(l.growth_yellow_behind_pp),
            growth_red_behind_pp: Dec(l.growth_red_behind_pp),
            expected_basis: l.expected_basis.as_str().into(),
            seasonal_profile: l.seasonal_profile,
        },
    }
}

fn bad(field: &str, message: &str) -> ApiError {
    ApiError::field(StatusCode::BAD_REQUEST, "invalid", field, message)
}

fn policy_in(d: PolicyDto) -> ApiResult<SupervisionPolicy> {
    let mut escalations = Vec::new();
    for (i, r) in d.escalations.into_iter().enumerate() {
        let target = EscalationTarget::parse(&r.target).ok_or_else(|| {
            bad(
                &format!("escalations[{i}].target"),
                "lead_official or principal_leader",
            )
        })?;
        escalations.push(EscalationRule {
            red_streak: r.red_streak,
            level: r.level,
            target,
            summons: r.summons,
        });
    }
    let l = d.lamps;
    let expected_basis = ExpectedBasis::parse(&l.expected_basis)
        .ok_or_else(|| bad("lamps.expected_basis", "month_share or day_share"))?;
    Ok(SupervisionPolicy {
        reminder_offsets_days: d.reminder_offsets_days,
        overdue_interval_days: d.overdue_interval_days,
        reporting_day: d.reporting_day,
        indicator_report_lag_months: d.indicator_report_lag_months,
        cards: CardRules {
            yellow_streak: d.cards.yellow_streak,
            yellow_points: d.cards.yellow_points.0,
            red_streak: d.cards.red_streak,
            red_points: d.cards.red_points.0,
        },
        escalations,
        quiet_hours: d.quiet_hours.map(|q| QuietHours {
            start_hour: q.start_hour,
            end_hour: q.end_hour,
        }),
        notice_prefix: d.notice_prefix,
        lamps: LampPolicy {
            blue_within_days: l.blue_within_days,
            yellow_behind_pp: l.yellow_behind_pp.0,
            red_behind_pp: l.red_behind_pp.0,
            growth_yellow_behind_pp: l.growth_yellow_behind_pp.0,
            growth_red_behind_pp: l.growth_red_behind_pp.0,
            expected_basis,
            seasonal_profile: l.seasonal_profile,
        },
    })
}

async fn current(s: &AppState, auth: &Authed) -> ApiResult<Response> {
    let state = s.app.policy_state(&auth.actor()).await?;
    let body = PolicyOut {
        policy: out(&state.policy, state.version),
        history: state
            .history
            .iter()
            .map(|h| PolicyVersionOut {
                version: h.version,
                created_at: h.created_at.format(&Rfc3339).unwrap_or_default(),
                created_by: h.created_by.map(|u| u.as_uuid()),
            })
            .collect(),
    };
    Ok(with_etag(state.version, body))
}

/// The region's supervision policy with its version and history (supervision office, admins).
#[utoipa::path(get, path = "/api/v1/supervision/policy", tag = "supervision", responses((status = 200, body = PolicyOut)))]
pub async fn get_policy(State(s): State<AppState>, auth: Authed) -> ApiResult<Response> {
    current(&s, &auth).await
}

/// Save the policy as a new version (administrators); needs the version you read.
#[utoipa::path(put, path = "/api/v1/supervision/policy", tag = "supervision", request_body = PolicyDto, responses((status = 200, body = PolicyOut), (status = 409)))]
pub async fn put_policy(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<PolicyDto>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let policy = policy_in(b)?;
    s.app
        .edit_supervision_policy(&auth.actor(), &policy, version)
        .await?;
    current(&s, &auth).await
}
