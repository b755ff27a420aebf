//! Notification channels over JSON: the signed-in user's e-mail contact, a unit's chat robots and
//! the region's delivery log. A robot's signing secret is never sent back (only whether one is
//! set), and its webhook address is shown with its access token masked.

use super::{created, need_version, with_etag};
use crate::dto::Items;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Authed};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use luoshi_app::{Delivery, DeliveryStatus, Robot, RobotInput, redact_url};
use luoshi_domain::ids::UnitId;
use luoshi_domain::supervision::RobotPlatform;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The user's e-mail contact; `version` 0 until first saved.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactBody {
    pub email: Option<String>,
    /// Whether supervision messages are also sent by e-mail.
    pub email_on: bool,
    /// Required on PUT: the version you read.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RobotOut {
    pub id: Uuid,
    pub unit_id: Uuid,
    /// `dingtalk`, `wecom` or `feishu`.
    pub platform: String,
    pub name: String,
    /// The webhook address with its access token masked.
    pub url: String,
    pub secret_set: bool,
    pub enabled: bool,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct RobotIn {
    pub platform: String,
    pub name: String,
    /// The full webhook address (kept as given; shown masked).
    pub url: String,
    /// The signing secret (DingTalk, Feishu). On PUT, leaving it out or empty keeps the saved
    /// one (as the robots page does).
    pub secret: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Required on PUT.
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryOut {
    pub id: Uuid,
    pub dedup_key: String,
    /// `email`, `dingtalk`, `wecom` or `feishu`.
    pub channel: String,
    pub recipient: String,
    /// Where it goes: an address, or a robot's masked webhook.
    pub target: String,
    pub title: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub sent_at: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct DeliveryQuery {
    /// `pending`, `sent` or `failed`; all when left out.
    pub status: Option<String>,
    /// At most this many, newest first (1–1000, default 200).
    pub limit: Option<i64>,
}

fn ts(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn robot_out(r: &Robot) -> RobotOut {
    RobotOut {
        id: r.id,
        unit_id: r.unit.as_uuid(),
        platform: r.platform.as_str().to_owned(),
        name: r.name.clone(),
        url: redact_url(&r.url),
        secret_set: r.secret.is_some(),
        enabled: r.enabled,
        version: r.version,
    }
}

fn robot_input(b: &RobotIn) -> ApiResult<RobotInput> {
    let platform = RobotPlatform::parse(&b.platform).ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "invalid",
            "platform",
            "platform is dingtalk, wecom or feishu",
        )
    })?;
    Ok(RobotInput {
        platform,
        name: b.name.clone(),
        url: b.url.clone(),
        secret: b.secret.clone(),
        enabled: b.enabled,
    })
}

#[utoipa::path(get, path = "/api/v1/me/contact", tag = "notifications", responses((status = 200, body = ContactBody)))]
pub async fn get_contact(State(s): State<AppState>, auth: Authed) -> ApiResult<Response> {
    let c = s.app.my_contact(&auth.actor()).await?;
    let body = ContactBody {
        email: c.email,
        email_on: c.email_on,
        version: Some(c.version),
    };
    Ok(with_etag(c.version, body))
}

#[utoipa::path(put, path = "/api/v1/me/contact", tag = "notifications", request_body = ContactBody, responses((status = 200, body = ContactBody)))]
pub async fn put_contact(
    State(s): State<AppState>,
    auth: Authed,
    ApiJson(b): ApiJson<ContactBody>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let actor = auth.actor();
    s.app
        .save_my_contact(&actor, b.email, b.email_on, version)
        .await?;
    get_contact(State(s), auth).await
}

#[utoipa::path(get, path = "/api/v1/units/{id}/robots", tag = "notifications", responses((status = 200, body = Items<RobotOut>)))]
pub async fn list_robots(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Items<RobotOut>>> {
    let robots = s.app.unit_robots(&auth.actor(), UnitId::from(id)).await?;
    Ok(Json(Items {
        items: robots.iter().map(robot_out).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/units/{id}/robots", tag = "notifications", request_body = RobotIn, responses((status = 201, body = RobotOut)))]
pub async fn add_robot(
    State(s): State<AppState>,
    auth: Authed,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<RobotIn>,
) -> ApiResult<Response> {
    let input = robot_input(&b)?;
    let r = s
        .app
        .add_robot(&auth.actor(), UnitId::from(id), &input)
        .await?;
    Ok(created(r.version, robot_out(&r)))
}

#[utoipa::path(put, path = "/api/v1/units/{id}/robots/{robot_id}", tag = "notifications", request_body = RobotIn, responses((status = 200, body = RobotOut)))]
pub async fn update_robot(
    State(s): State<AppState>,
    auth: Authed,
    Path((unit, robot)): Path<(Uuid, Uuid)>,
    ApiJson(b): ApiJson<RobotIn>,
) -> ApiResult<Response> {
    let version = need_version(b.version)?;
    let actor = auth.actor();
    let unit = UnitId::from(unit);
    let find = |list: Vec<Robot>| list.into_iter().find(|r| r.id == robot);
    // The robot must belong to the unit in the path.
    find(s.app.unit_robots(&actor, unit).await?)
        .ok_or(luoshi_app::AppError::NotFound { entity: "robot" })?;
    s.app
        .edit_robot(&actor, robot, version, &robot_input(&b)?)
        .await?;
    let after = find(s.app.unit_robots(&actor, unit).await?)
        .ok_or(luoshi_app::AppError::NotFound { entity: "robot" })?;
    Ok(with_etag(after.version, robot_out(&after)))
}

#[utoipa::path(get, path = "/api/v1/deliveries", tag = "notifications", params(DeliveryQuery), responses((status = 200, body = Items<DeliveryOut>)))]
pub async fn deliveries(
    State(s): State<AppState>,
    auth: Authed,
    ApiQuery(q): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<Items<DeliveryOut>>> {
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(x) => Some(DeliveryStatus::parse(x).ok_or_else(|| {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                "invalid",
                "status",
                "status is pending, sent or failed",
            )
        })?),
    };
    let list = s
        .app
        .delivery_log(&auth.actor(), status, q.limit.unwrap_or(200))
        .await?;
    Ok(Json(Items {
        items: list.iter().map(delivery_out).collect(),
    }))
}

fn delivery_out(d: &Delivery) -> DeliveryOut {
    DeliveryOut {
        id: d.id,
        dedup_key: d.dedup_key.clone(),
        channel: d.channel.clone(),
        recipient: d.recipient.clone(),
        target: d.target.clone(),
        title: d.title.clone(),
        status: d.status.as_str().to_owned(),
        attempts: d.attempts,
        last_error: d.last_error.clone(),
        created_at: ts(d.created_at),
        next_attempt_at: d.next_attempt_at.map(ts),
        sent_at: d.sent_at.map(ts),
    }
}
