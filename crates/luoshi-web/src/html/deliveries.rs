//! Delivery pages (issue #5): the delivery log for supervisors and administrators, "my
//! notifications" (every user's e-mail address and preference) and a unit's chat robots (an
//! administrator, a supervisor or the unit's manager; a secret is never shown back, only "set").

use super::i18n::Tr;
use super::pages::{names_of, snapshot};
use super::task_page::local_time;
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, DeliveryStatus, RobotInput};
use luoshi_domain::ids::UnitId;
use luoshi_domain::supervision::RobotPlatform;
use serde::Deserialize;
use uuid::Uuid;

pub struct DeliveryRow {
    pub channel: String,
    pub target: String,
    pub title: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub attempts: i32,
    pub last_error: String,
    pub created: String,
    pub next: String,
    pub sent: String,
}

#[derive(Template)]
#[template(path = "deliveries.html")]
pub struct DeliveriesPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub status: String,
    pub rows: Vec<DeliveryRow>,
}

#[derive(Deserialize)]
pub struct LogQuery {
    status: Option<String>,
}

pub async fn log(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let status = q.status.as_deref().and_then(DeliveryStatus::parse);
    let list = s
        .app
        .delivery_log(&actor, status, 500)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let rows = list
        .iter()
        .map(|d| DeliveryRow {
            channel: tr.t(&format!("channel.{}", d.channel)).to_owned(),
            target: d.target.clone(),
            title: d.title.clone(),
            status: tr.t(&format!("delivery.{}", d.status.as_str())),
            status_key: d.status.as_str(),
            attempts: d.attempts,
            last_error: d.last_error.clone().unwrap_or_default(),
            created: local_time(d.created_at),
            next: d.next_attempt_at.map(local_time).unwrap_or_default(),
            sent: d.sent_at.map(local_time).unwrap_or_default(),
        })
        .collect();
    let p = DeliveriesPage {
        tr,
        chrome: Chrome::new(&session, names_of(&snap), "supervision"),
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        rows,
    };
    Ok(render(&p)?.into_response())
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub email: String,
    pub email_on: bool,
    pub version: i64,
    pub saved: bool,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn my_notifications(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let c = s
        .app
        .my_contact(&actor)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let p = NotificationsPage {
        tr,
        chrome: Chrome::new(&session, names_of(&snap), "inbox"),
        email: c.email.unwrap_or_default(),
        email_on: c.email_on,
        version: c.version,
        saved: q.saved.is_some(),
    };
    Ok(render(&p)?.into_response())
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    email: String,
    email_on: Option<String>,
    version: i64,
}

pub async fn save_my_notifications(
    State(s): State<AppState>,
    session: Session,
    Form(f): Form<ContactForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let tr = session.tr();
    s.app
        .save_my_contact(
            &session.user.actor(),
            Some(f.email),
            f.email_on.is_some(),
            f.version,
        )
        .await
        .map_err(|e| PageError::App(tr, e))?;
    Ok(Redirect::to("/me/notifications?saved=1").into_response())
}

pub struct RobotRow {
    pub id: String,
    pub platform: &'static str,
    pub name: String,
    pub url: String,
    pub secret_set: bool,
    pub enabled: bool,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "robots.html")]
pub struct RobotsPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub unit_id: String,
    pub unit_name: String,
    pub platforms: Vec<(&'static str, &'static str)>,
    pub robots: Vec<RobotRow>,
}

pub async fn robots(
    State(s): State<AppState>,
    session: Session,
    Path(unit): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let unit = UnitId::from_uuid(unit);
    let list = s
        .app
        .unit_robots(&actor, unit)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let units = names_of(&snap);
    let p = RobotsPage {
        tr,
        chrome: Chrome::new(&session, units, "admin"),
        unit_id: unit.to_string(),
        unit_name: units.get(&unit.to_string()).cloned().unwrap_or_default(),
        platforms: RobotPlatform::ALL
            .iter()
            .map(|p| (p.as_str(), p.label()))
            .collect(),
        robots: list
            .into_iter()
            .map(|r| RobotRow {
                id: r.id.to_string(),
                platform: r.platform.as_str(),
                name: r.name,
                url: r.url,
                secret_set: r.secret.is_some(),
                enabled: r.enabled,
                version: r.version,
            })
            .collect(),
    };
    Ok(render(&p)?.into_response())
}

#[derive(Deserialize)]
pub struct RobotForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    platform: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    enabled: Option<String>,
    version: Option<i64>,
}

impl RobotForm {
    fn input(&self) -> Result<RobotInput, AppError> {
        Ok(RobotInput {
            platform: RobotPlatform::parse(&self.platform).ok_or_else(|| {
                AppError::invalid("platform", "invalid", "dingtalk, wecom or feishu")
            })?,
            name: self.name.clone(),
            url: self.url.clone(),
            secret: Some(self.secret.clone()).filter(|s| !s.is_empty()),
            enabled: self.enabled.is_some(),
        })
    }
}

pub async fn add_robot(
    State(s): State<AppState>,
    session: Session,
    Path(unit): Path<Uuid>,
    Form(f): Form<RobotForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let tr = session.tr();
    let input = f.input().map_err(|e| PageError::App(tr, e))?;
    s.app
        .add_robot(&session.user.actor(), UnitId::from_uuid(unit), &input)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    Ok(Redirect::to(&format!("/units/{unit}/robots")).into_response())
}

pub async fn edit_robot(
    State(s): State<AppState>,
    session: Session,
    Path((unit, id)): Path<(Uuid, Uuid)>,
    Form(f): Form<RobotForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let tr = session.tr();
    let input = f.input().map_err(|e| PageError::App(tr, e))?;
    let version = f.version.unwrap_or(0);
    s.app
        .edit_robot(&session.user.actor(), id, version, &input)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    Ok(Redirect::to(&format!("/units/{unit}/robots")).into_response())
}
