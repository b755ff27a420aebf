//! Delivery preferences and the delivery log as use cases: each user's e-mail contact (their
//! own), each unit's chat robots (administrators, supervisors or the unit's manager) and the log
//! of outgoing deliveries (supervisors and administrators).

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::UnitId;
use luoshi_domain::supervision::RobotPlatform;
use luoshi_store::supervision::channels::{self, Contact, Robot};
use luoshi_store::supervision::deliveries::{self, Delivery, DeliveryStatus};
use uuid::Uuid;

/// What a form says about a robot. `secret: None` keeps the stored secret.
#[derive(Debug, Clone)]
pub struct RobotInput {
    pub platform: RobotPlatform,
    pub name: String,
    pub url: String,
    pub secret: Option<String>,
    pub enabled: bool,
}

fn check_email(email: &str) -> Result<(), AppError> {
    let ok = email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>')
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            "email",
            "invalid",
            "not an e-mail address",
        ))
    }
}

fn check_robot(input: &RobotInput) -> Result<(), AppError> {
    if input.name.trim().is_empty() || input.name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "required",
            "give the robot a name (at most 100 characters)",
        ));
    }
    let url = input.url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2000 {
        return Err(AppError::invalid(
            "url",
            "invalid",
            "the webhook address starts with https://",
        ));
    }
    Ok(())
}

impl App {
    /// The signed-in user's own contact and preferences.
    pub async fn my_contact(&self, actor: &Actor) -> Result<Contact, AppError> {
        Ok(channels::contact(&self.db, actor.region, actor.user).await?)
    }

    /// Save the signed-in user's e-mail address and whether they want e-mail, expecting
    /// `version` (0 for the first save); a stale version is a conflict. Returns the new version.
    pub async fn save_my_contact(
        &self,
        actor: &Actor,
        email: Option<String>,
        email_on: bool,
        version: i64,
    ) -> Result<i64, AppError> {
        let email = email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
        if let Some(e) = &email {
            check_email(e)?;
        } else if email_on {
            return Err(AppError::invalid(
                "email",
                "required",
                "give an address to receive e-mail",
            ));
        }
        let c = Contact {
            user: actor.user,
            email,
            email_on,
            version,
        };
        let mut tx = self.db.begin().await?;
        let v = channels::save_contact(&mut tx, &self.ctx(actor), &c).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// A unit's robots (secrets included: callers show only whether one is set).
    pub async fn unit_robots(&self, actor: &Actor, unit: UnitId) -> Result<Vec<Robot>, AppError> {
        require(actor, Permission::ManagePeople { unit: Some(unit) })?;
        Ok(channels::robots(&self.db, actor.region, Some(unit)).await?)
    }

    /// Add a robot to a unit.
    pub async fn add_robot(
        &self,
        actor: &Actor,
        unit: UnitId,
        input: &RobotInput,
    ) -> Result<Robot, AppError> {
        require(actor, Permission::ManagePeople { unit: Some(unit) })?;
        check_robot(input)?;
        luoshi_store::units::get(&self.db, actor.region, unit).await?;
        let r = Robot {
            id: Uuid::now_v7(),
            region: actor.region,
            unit,
            platform: input.platform,
            name: input.name.trim().to_owned(),
            url: input.url.trim().to_owned(),
            secret: input.secret.clone().filter(|s| !s.is_empty()),
            enabled: input.enabled,
            version: 1,
        };
        let mut tx = self.db.begin().await?;
        channels::insert_robot(&mut tx, &self.ctx(actor), &r).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Edit (or disable) a robot, expecting `version`; returns the new version.
    pub async fn edit_robot(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i64,
        input: &RobotInput,
    ) -> Result<i64, AppError> {
        let before = channels::robot(&self.db, actor.region, id)
            .await?
            .ok_or(AppError::NotFound { entity: "robot" })?;
        require(
            actor,
            Permission::ManagePeople {
                unit: Some(before.unit),
            },
        )?;
        check_robot(input)?;
        let r = Robot {
            platform: input.platform,
            name: input.name.trim().to_owned(),
            url: input.url.trim().to_owned(),
            secret: input.secret.clone().filter(|s| !s.is_empty()),
            enabled: input.enabled,
            version,
            ..before
        };
        let mut tx = self.db.begin().await?;
        let v = channels::update_robot(&mut tx, &self.ctx(actor), &r).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// The region's delivery log, newest first (supervisors and administrators).
    pub async fn delivery_log(
        &self,
        actor: &Actor,
        status: Option<DeliveryStatus>,
        limit: i64,
    ) -> Result<Vec<Delivery>, AppError> {
        require(actor, Permission::ReviewTask)?;
        Ok(deliveries::log(&self.db, actor.region, status, limit.clamp(1, 1000)).await?)
    }
}
