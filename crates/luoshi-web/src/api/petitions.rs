//! Petition cases (信访) under `/api/v1/petitions`. Lists carry no personal data; reading one
//! case shows them to those allowed and logs the read with the route.

use super::{created, need_version, with_etag};
use crate::dto::{Items, date_in, opt_date_in};
use crate::dto_petition::{
    self as dto, CandidateOut, PetitionActionIn, PetitionDetailOut, PetitionIn, PetitionOut,
    RepeatDecisionIn,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use luoshi_app::PetitionFilter;
use luoshi_domain::ids::{PersonId, PetitionId, UnitId};
use luoshi_domain::petition::{
    Channel, PersonalData, PetitionAction, PetitionFields, PetitionStatus, Petitioner,
    ReviewOutcome, Satisfaction,
};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

fn missing(field: &str) -> ApiError {
    ApiError::field(
        StatusCode::BAD_REQUEST,
        "required",
        field,
        format!("{field} is required for this action"),
    )
}

fn outcome(s: Option<&str>) -> ApiResult<ReviewOutcome> {
    match s.map(str::trim) {
        Some("upheld") => Ok(ReviewOutcome::Upheld),
        Some("changed") => Ok(ReviewOutcome::Changed),
        Some(_) => Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "invalid_choice",
            "outcome",
            "outcome must be upheld or changed",
        )),
        None => Err(missing("outcome")),
    }
}

/// The domain action named by `b.action`, with its arguments.
pub(crate) fn action(b: &PetitionActionIn) -> ApiResult<PetitionAction> {
    use PetitionAction as A;
    let reason = || b.reason.clone().ok_or_else(|| missing("reason"));
    Ok(match b.action.as_str() {
        "route" => A::Route {
            unit: UnitId::from(b.unit_id.ok_or_else(|| missing("unit_id"))?),
        },
        "accept" => A::Accept,
        "decline" => A::Decline { reason: reason()? },
        "object" => A::Object { reason: reason()? },
        "extend" => A::Extend {
            days: b.days.ok_or_else(|| missing("days"))?,
            notice_on: date_in(
                "notice_on",
                b.notice_on.as_deref().ok_or_else(|| missing("notice_on"))?,
            )?,
            reason: reason()?,
        },
        "reply" => A::Reply,
        "request_review" => A::RequestReview,
        "decide_review" => A::DecideReview {
            outcome: outcome(b.outcome.as_deref())?,
        },
        "request_rereview" => A::RequestReReview,
        "decide_rereview" => A::DecideReReview {
            outcome: outcome(b.outcome.as_deref())?,
        },
        "close" => A::Close,
        "assign_leader" => A::AssignLeader {
            person: PersonId::from(b.person_id.ok_or_else(|| missing("person_id"))?),
        },
        "extend_leader" => A::ExtendLeader {
            to: date_in("to", b.to.as_deref().ok_or_else(|| missing("to"))?)?,
            reason: reason()?,
        },
        "resolve" => A::Resolve,
        "rate" => A::Rate {
            value: Satisfaction::parse("value", b.value.as_deref().unwrap_or(""))?,
        },
        _ => {
            return Err(ApiError::field(
                StatusCode::BAD_REQUEST,
                "invalid_choice",
                "action",
                "unknown action",
            ));
        }
    })
}

fn on_or_today(field: &str, s: &Option<String>, today: Date) -> ApiResult<Date> {
    Ok(opt_date_in(field, s)?.unwrap_or(today))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<String>,
    /// The handling unit.
    pub unit_id: Option<Uuid>,
    /// The case leader (a person).
    pub leader_id: Option<Uuid>,
    pub category: Option<String>,
    /// Registered on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Registered on or before.
    pub to: Option<String>,
}

/// The region's cases, newest first, with their clocks as of today; never with personal data.
#[utoipa::path(get, path = "/api/v1/petitions", tag = "petitions", params(ListQuery), responses((status = 200, body = Items<PetitionOut>)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Items<PetitionOut>>> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(x) => Some(PetitionStatus::parse(x).ok_or_else(|| {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                "invalid_choice",
                "status",
                "unknown status",
            )
        })?),
        None => None,
    };
    let filter = PetitionFilter {
        status,
        handling_unit: q.unit_id.map(UnitId::from),
        leader: q.leader_id.map(PersonId::from),
        category: q.category.filter(|c| !c.is_empty()),
        registered_from: opt_date_in("from", &q.from)?,
        registered_to: opt_date_in("to", &q.to)?,
    };
    let views = s.app.list_petitions(&auth.actor(), &filter, None).await?;
    Ok(Json(Items {
        items: views.iter().map(dto::petition).collect(),
    }))
}

/// Register a case (the petition office).
#[utoipa::path(post, path = "/api/v1/petitions", tag = "petitions", request_body = PetitionIn, responses((status = 201, body = PetitionOut)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<PetitionIn>,
) -> ApiResult<Response> {
    let listed = u32::try_from(b.petitioners.len()).unwrap_or(u32::MAX);
    let fields = PetitionFields {
        channel: Channel::parse("channel", &b.channel)?,
        personal: PersonalData {
            petitioners: b
                .petitioners
                .into_iter()
                .map(|p| Petitioner {
                    name: p.name,
                    id_number: p.id_number,
                    phone: p.phone,
                    address: p.address,
                })
                .collect(),
        },
        petitioner_count: b.petitioner_count.unwrap_or(listed),
        matter: b.matter,
        category: b.category,
        registered_on: on_or_today("registered_on", &b.registered_on, s.app.today())?,
    };
    let v = s.app.register_petition(&auth.actor(), fields).await?;
    Ok(created(v.case.version, dto::petition(&v)))
}

/// One case; its personal data when the reader may see them (the read is logged).
#[utoipa::path(get, path = "/api/v1/petitions/{id}", tag = "petitions", responses((status = 200, body = PetitionDetailOut)))]
pub async fn get_one(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let route = format!("GET /api/v1/petitions/{id}");
    let d = s
        .app
        .petition(&auth.actor(), PetitionId::from(id), &route)
        .await?;
    let body = PetitionDetailOut {
        case: dto::petition(&d.view),
        candidates: d
            .candidates
            .iter()
            .map(|c| CandidateOut {
                case_id: c.case.as_uuid(),
                score_pct: c.score_pct.normalize().to_string(),
                final_after_rereview: c.final_after_rereview,
            })
            .collect(),
        proposed_leader_id: d.proposed_leader.map(|p| p.as_uuid()),
    };
    Ok(with_etag(d.view.case.version, body))
}

/// Apply an action to a case (see `PetitionActionIn` for each action's fields).
#[utoipa::path(post, path = "/api/v1/petitions/{id}/actions", tag = "petitions", request_body = PetitionActionIn, responses((status = 200, body = PetitionOut)))]
pub async fn act(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<PetitionActionIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let a = action(&b)?;
    let on = on_or_today("on", &b.on, s.app.today())?;
    let v = s
        .app
        .petition_action(&auth.actor(), PetitionId::from(id), a, on, version)
        .await?;
    Ok(with_etag(v.case.version, dto::petition(&v)))
}

/// Confirm or reject a proposed repeat.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/repeats", tag = "petitions", request_body = RepeatDecisionIn, responses((status = 200, body = PetitionOut)))]
pub async fn decide_repeat(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<RepeatDecisionIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let on = on_or_today("on", &b.on, s.app.today())?;
    let v = s
        .app
        .decide_petition_repeat(
            &auth.actor(),
            PetitionId::from(id),
            PetitionId::from(b.earlier_id),
            b.confirmed,
            on,
            version,
        )
        .await?;
    Ok(with_etag(v.case.version, dto::petition(&v)))
}
