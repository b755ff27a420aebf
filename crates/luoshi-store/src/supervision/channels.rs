//! Where messages go besides the inbox: each user's e-mail contact and preference, and each
//! unit's chat group robots. Both are versioned: a stale write is a conflict.

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, StoreError, Tx, args, audit};
use luoshi_domain::ids::{RegionId, UnitId, UserId};
use luoshi_domain::supervision::RobotPlatform;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// A user's contact and preferences (in-app messages are always on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub user: UserId,
    pub email: Option<String>,
    pub email_on: bool,
    /// 0 when nothing was saved yet.
    pub version: i64,
}

/// A user's contact (a blank one, version 0, when none was saved).
pub async fn contact(db: &Db, region: RegionId, user: UserId) -> Result<Contact, StoreError> {
    Ok(db
        .fetch_optional(
            "SELECT email, email_on, version FROM user_contacts WHERE region_id = $1 AND user_id = $2",
            args![region, user],
            |r| {
                Ok(Contact {
                    user,
                    email: r.text_opt("email")?,
                    email_on: r.bool("email_on")?,
                    version: r.i64("version")?,
                })
            },
        )
        .await?
        .unwrap_or(Contact {
            user,
            email: None,
            email_on: false,
            version: 0,
        }))
}

/// Save a user's contact, expecting `c.version` (0: none saved yet); returns the new version.
pub async fn save_contact(tx: &mut Tx, ctx: &AuditCtx, c: &Contact) -> Result<i64, StoreError> {
    let n = if c.version == 0 {
        tx.execute(
            "INSERT INTO user_contacts (region_id, user_id, email, email_on, version, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT DO NOTHING",
            args![ctx.region, c.user, c.email.clone(), c.email_on, ctx.at],
        )
        .await?
    } else {
        tx.execute(
            "UPDATE user_contacts SET email = $3, email_on = $4, version = version + 1, updated_at = $5 \
             WHERE region_id = $1 AND user_id = $2 AND version = $6",
            args![ctx.region, c.user, c.email.clone(), c.email_on, ctx.at, c.version],
        )
        .await?
    };
    if n == 0 {
        let current = tx
            .fetch_optional(
                "SELECT version FROM user_contacts WHERE region_id = $1 AND user_id = $2",
                args![ctx.region, c.user],
                |r| r.i64("version"),
            )
            .await?
            .unwrap_or(0);
        return Err(StoreError::Conflict {
            entity: "contact",
            expected: c.version,
            current,
        });
    }
    audit::record_event(
        tx,
        ctx,
        "save",
        "contact",
        &c.user.to_string(),
        None,
        Some(json!({"email": c.email, "email_on": c.email_on})),
    )
    .await?;
    Ok(c.version + 1)
}

/// The e-mail address of every active user of the region who wants e-mail.
pub async fn email_addresses(
    db: &Db,
    region: RegionId,
) -> Result<HashMap<UserId, String>, StoreError> {
    let rows = db
        .fetch(
            "SELECT c.user_id, c.email FROM user_contacts c JOIN users u ON u.region_id = c.region_id AND u.id = c.user_id \
             WHERE c.region_id = $1 AND c.email_on = $2 AND c.email IS NOT NULL AND u.active = $2",
            args![region, true],
            |r| Ok((r.id::<UserId>("user_id")?, r.text("email")?)),
        )
        .await?;
    Ok(rows.into_iter().collect())
}

/// A unit's chat group robot.
#[derive(Clone, PartialEq, Eq)]
pub struct Robot {
    pub id: Uuid,
    pub region: RegionId,
    pub unit: UnitId,
    pub platform: RobotPlatform,
    pub name: String,
    pub url: String,
    /// The signing secret (DingTalk, Feishu); never shown back to a user.
    pub secret: Option<String>,
    pub enabled: bool,
    pub version: i64,
}

impl std::fmt::Debug for Robot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Robot")
            .field("id", &self.id)
            .field("unit", &self.unit)
            .field("platform", &self.platform)
            .field("name", &self.name)
            .field("url", &redact_url(&self.url))
            .field("secret", &self.secret.as_ref().map(|_| "<set>"))
            .field("enabled", &self.enabled)
            .field("version", &self.version)
            .finish()
    }
}

/// A webhook URL without its query (WeCom's key and DingTalk's token live there): for logs.
pub fn redact_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?…"),
        None => url.to_owned(),
    }
}

const ROBOT_COLS: &str = "id, region_id, unit_id, platform, name, url, secret, enabled, version";

fn robot_row(r: &dyn crate::Get) -> Result<Robot, StoreError> {
    let platform = r.text("platform")?;
    Ok(Robot {
        id: r.uuid("id")?,
        region: r.id("region_id")?,
        unit: r.id("unit_id")?,
        platform: RobotPlatform::parse(&platform)
            .ok_or_else(|| StoreError::Corrupt(format!("robot platform {platform}")))?,
        name: r.text("name")?,
        url: r.text("url")?,
        secret: r.text_opt("secret")?,
        enabled: r.bool("enabled")?,
        version: r.i64("version")?,
    })
}

/// The region's robots (of one unit, or all), by unit and name.
pub async fn robots(
    db: &Db,
    region: RegionId,
    unit: Option<UnitId>,
) -> Result<Vec<Robot>, StoreError> {
    match unit {
        Some(u) => db.fetch(
            &format!("SELECT {ROBOT_COLS} FROM unit_robots WHERE region_id = $1 AND unit_id = $2 ORDER BY name, id"),
            args![region, u],
            robot_row,
        ).await,
        None => db.fetch(
            &format!("SELECT {ROBOT_COLS} FROM unit_robots WHERE region_id = $1 ORDER BY unit_id, name, id"),
            args![region],
            robot_row,
        ).await,
    }
}

pub async fn robot(db: &Db, region: RegionId, id: Uuid) -> Result<Option<Robot>, StoreError> {
    db.fetch_optional(
        &format!("SELECT {ROBOT_COLS} FROM unit_robots WHERE region_id = $1 AND id = $2"),
        args![region, id],
        robot_row,
    )
    .await
}

/// The enabled robots of each unit of the region.
pub async fn enabled_robots(
    db: &Db,
    region: RegionId,
) -> Result<HashMap<UnitId, Vec<Robot>>, StoreError> {
    let mut out: HashMap<UnitId, Vec<Robot>> = HashMap::new();
    for r in robots(db, region, None).await? {
        if r.enabled {
            out.entry(r.unit).or_default().push(r);
        }
    }
    Ok(out)
}

fn robot_audit(r: &Robot) -> serde_json::Value {
    json!({
        "unit_id": r.unit.to_string(), "platform": r.platform.as_str(), "name": r.name,
        "url": redact_url(&r.url), "secret": r.secret.is_some(), "enabled": r.enabled,
    })
}

/// Add a robot (version 1).
pub async fn insert_robot(tx: &mut Tx, ctx: &AuditCtx, r: &Robot) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO unit_robots (region_id, id, unit_id, platform, name, url, secret, enabled, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
        args![
            ctx.region,
            r.id,
            r.unit,
            r.platform.as_str(),
            r.name.clone(),
            r.url.clone(),
            r.secret.clone(),
            r.enabled,
            ctx.at
        ],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "robot",
        &r.id.to_string(),
        None,
        Some(robot_audit(r)),
    )
    .await
}

/// Update a robot expecting `r.version`; `r.secret == None` keeps the stored secret. Returns the
/// new version.
pub async fn update_robot(tx: &mut Tx, ctx: &AuditCtx, r: &Robot) -> Result<i64, StoreError> {
    let n = tx
        .execute(
            "UPDATE unit_robots SET platform = $3, name = $4, url = $5, secret = COALESCE($6, secret), enabled = $7, \
             version = version + 1, updated_at = $8 WHERE region_id = $1 AND id = $2 AND version = $9",
            args![
                ctx.region,
                r.id,
                r.platform.as_str(),
                r.name.clone(),
                r.url.clone(),
                r.secret.clone(),
                r.enabled,
                ctx.at,
                r.version
            ],
        )
        .await?;
    check_versioned_update(tx, n, "robot", "unit_robots", ctx.region, r.id, r.version).await?;
    audit::record(
        tx,
        ctx,
        "update",
        "robot",
        &r.id.to_string(),
        None,
        Some(robot_audit(r)),
    )
    .await?;
    Ok(r.version + 1)
}
