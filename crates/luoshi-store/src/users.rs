//! Users, their role grants, and login sessions (kept in the database so that any app server can
//! serve any request).

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::authz::{Grant, Role, User};
use luoshi_domain::ids::{RegionId, UnitId, UserId};
use serde_json::{Value, json};
use std::collections::HashMap;
use time::OffsetDateTime;

fn user_json(u: &User) -> Value {
    json!({
        "username": u.username, "display_name": u.display_name, "language": u.language, "active": u.active,
        "grants": u.grants.iter().map(|g| json!({"role": g.role.as_str(), "unit_id": g.unit.map(|x| x.to_string())})).collect::<Vec<_>>(),
    })
}

struct UserRow {
    user: User,
    version: i64,
    hash: String,
}

fn user_row(r: &dyn Get) -> Result<UserRow, StoreError> {
    Ok(UserRow {
        user: User {
            id: r.id("id")?,
            region: r.id("region_id")?,
            username: r.text("username")?,
            display_name: r.text("display_name")?,
            language: r.text("language")?,
            active: r.bool("active")?,
            grants: vec![],
        },
        version: r.i64("version")?,
        hash: r.text("password_hash")?,
    })
}

fn grant_row(r: &dyn Get) -> Result<(UserId, Grant), StoreError> {
    let role = r.text("role")?;
    let role =
        Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?;
    Ok((
        r.id("user_id")?,
        Grant {
            role,
            unit: r.uuid_opt("unit_id")?.map(UnitId::from),
        },
    ))
}

const USER_COLS: &str =
    "id, region_id, username, display_name, language, active, version, password_hash";

async fn write_grants(
    tx: &mut Tx,
    region: RegionId,
    user: UserId,
    grants: &[Grant],
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM user_grants WHERE region_id = $1 AND user_id = $2",
        args![region, user],
    )
    .await?;
    for (i, g) in grants.iter().enumerate() {
        tx.execute(
            "INSERT INTO user_grants (region_id, user_id, position, role, unit_id) VALUES ($1, $2, $3, $4, $5)",
            args![region, user, i as i32, g.role.as_str(), g.unit],
        )
        .await?;
    }
    Ok(())
}

pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    u: &User,
    password_hash: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO users (region_id, id, username, display_name, password_hash, language, active, version, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
        args![u.region, u.id, u.username.clone(), u.display_name.clone(), password_hash, u.language.clone(), u.active, ctx.at],
    )
    .await?;
    write_grants(tx, u.region, u.id, &u.grants).await?;
    audit::record(
        tx,
        ctx,
        "create",
        "user",
        &u.id.to_string(),
        None,
        Some(user_json(u)),
    )
    .await
}

/// Replace a user's editable fields and grants; `password_hash` replaces the password when given.
pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    u: &User,
    password_hash: Option<&str>,
    expected: i64,
) -> Result<i64, StoreError> {
    let before = get_tx(tx, ctx.region, u.id).await?;
    let n = tx
        .execute(
            "UPDATE users SET display_name = $3, language = $4, active = $5, \
             password_hash = COALESCE($6, password_hash), version = version + 1 \
             WHERE region_id = $1 AND id = $2 AND version = $7",
            args![
                ctx.region,
                u.id,
                u.display_name.clone(),
                u.language.clone(),
                u.active,
                password_hash.map(str::to_owned),
                expected
            ],
        )
        .await?;
    check_versioned_update(tx, n, "user", "users", ctx.region, u.id.as_uuid(), expected).await?;
    write_grants(tx, ctx.region, u.id, &u.grants).await?;
    if password_hash.is_some() || !u.active {
        // A new password or a deactivation ends every session of the user.
        tx.execute(
            "DELETE FROM sessions WHERE region_id = $1 AND user_id = $2",
            args![ctx.region, u.id],
        )
        .await?;
    }
    let mut after = user_json(u);
    if password_hash.is_some() {
        after["password"] = json!("changed");
    }
    audit::record(
        tx,
        ctx,
        "update",
        "user",
        &u.id.to_string(),
        Some(user_json(&before.0)),
        Some(after),
    )
    .await?;
    Ok(expected + 1)
}

async fn get_tx(tx: &mut Tx, region: RegionId, id: UserId) -> Result<(User, i64), StoreError> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE region_id = $1 AND id = $2");
    let row = tx
        .fetch_optional(&sql, args![region, id], user_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "user" })?;
    let grants = tx
        .fetch("SELECT user_id, role, unit_id FROM user_grants WHERE region_id = $1 AND user_id = $2 ORDER BY position", args![region, id], grant_row)
        .await?;
    let mut user = row.user;
    user.grants = grants.into_iter().map(|(_, g)| g).collect();
    Ok((user, row.version))
}

pub async fn get(db: &Db, region: RegionId, id: UserId) -> Result<(User, i64), StoreError> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE region_id = $1 AND id = $2");
    let row = db
        .fetch_optional(&sql, args![region, id], user_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "user" })?;
    let grants = db
        .fetch("SELECT user_id, role, unit_id FROM user_grants WHERE region_id = $1 AND user_id = $2 ORDER BY position", args![region, id], grant_row)
        .await?;
    let mut user = row.user;
    user.grants = grants.into_iter().map(|(_, g)| g).collect();
    Ok((user, row.version))
}

/// Find an account by username for login: the user and the stored password hash.
pub async fn find_for_login(db: &Db, username: &str) -> Result<Option<(User, String)>, StoreError> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE username = $1");
    let Some(row) = db.fetch_optional(&sql, args![username], user_row).await? else {
        return Ok(None);
    };
    let (user, _) = get(db, row.user.region, row.user.id).await?;
    Ok(Some((user, row.hash)))
}

pub async fn list(db: &Db, region: RegionId) -> Result<Vec<(User, i64)>, StoreError> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE region_id = $1 ORDER BY username");
    let rows = db.fetch(&sql, args![region], user_row).await?;
    let grants = db
        .fetch("SELECT user_id, role, unit_id FROM user_grants WHERE region_id = $1 ORDER BY user_id, position", args![region], grant_row)
        .await?;
    let mut by_user: HashMap<UserId, Vec<Grant>> = HashMap::new();
    for (u, g) in grants {
        by_user.entry(u).or_default().push(g);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut u = r.user;
            u.grants = by_user.remove(&u.id).unwrap_or_default();
            (u, r.version)
        })
        .collect())
}

/// Whether any user exists (a new installation has none).
pub async fn any_exist(db: &Db) -> Result<bool, StoreError> {
    Ok(db
        .fetch_optional("SELECT 1 AS one FROM users LIMIT 1", vec![], |r| {
            r.i32("one")
        })
        .await?
        .is_some())
}

/// Store a new session under the hash of its token.
pub async fn create_session(
    tx: &mut Tx,
    token_hash: &str,
    user: &User,
    kind: &str,
    now: OffsetDateTime,
    expires: OffsetDateTime,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO sessions (token_hash, region_id, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![token_hash, user.region, user.id, kind, now, expires],
    )
    .await?;
    Ok(())
}

/// The active user behind a session token hash, if the session is live. One query.
pub async fn session_user(
    db: &Db,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<User>, StoreError> {
    let rows = db
        .fetch(
            "SELECT u.id, u.region_id, u.username, u.display_name, u.language, u.active, g.role, g.unit_id \
             FROM sessions s JOIN users u ON u.region_id = s.region_id AND u.id = s.user_id \
             LEFT JOIN user_grants g ON g.region_id = u.region_id AND g.user_id = u.id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3 ORDER BY g.position",
            args![token_hash, now, true],
            |r| {
                let user = User {
                    id: r.id("id")?,
                    region: r.id("region_id")?,
                    username: r.text("username")?,
                    display_name: r.text("display_name")?,
                    language: r.text("language")?,
                    active: r.bool("active")?,
                    grants: vec![],
                };
                let grant = match r.text_opt("role")? {
                    Some(role) => Some(Grant {
                        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?,
                        unit: r.uuid_opt("unit_id")?.map(UnitId::from),
                    }),
                    None => None,
                };
                Ok((user, grant))
            },
        )
        .await?;
    let mut out: Option<User> = None;
    for (u, g) in rows {
        let user = out.get_or_insert(u);
        user.grants.extend(g);
    }
    Ok(out)
}

pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM sessions WHERE token_hash = $1",
        args![token_hash],
    )
    .await?;
    Ok(())
}

pub async fn delete_expired_sessions(tx: &mut Tx, now: OffsetDateTime) -> Result<u64, StoreError> {
    tx.execute("DELETE FROM sessions WHERE expires_at <= $1", args![now])
        .await
}
