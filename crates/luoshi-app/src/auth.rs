//! Accounts: argon2id password hashes, sessions stored as token hashes, user administration.

use crate::{App, AppError, require};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use luoshi_domain::authz::{Actor, Grant, Permission, User, parse_language, parse_username};
use luoshi_domain::error::required_text;
use luoshi_domain::ids::UserId;
use luoshi_store::{AuditCtx, users};
use sha2::{Digest, Sha256};
use time::Duration;
use uuid::Uuid;

/// How a session is carried: a browser cookie or a bearer token for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Cookie,
    Token,
}

impl SessionKind {
    fn as_str(&self) -> &'static str {
        match self {
            Self::Cookie => "cookie",
            Self::Token => "token",
        }
    }
    fn lifetime(&self) -> Duration {
        match self {
            Self::Cookie => Duration::hours(12),
            Self::Token => Duration::days(30),
        }
    }
}

/// Hash a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sessions are stored under the SHA-256 of their token, so a database leak reveals no tokens.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn check_password_strength(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 8 {
        return Err(AppError::invalid(
            "password",
            "weak_password",
            "a password has at least 8 characters",
        ));
    }
    if password.len() > 1024 {
        return Err(AppError::invalid(
            "password",
            "too_long",
            "a password has at most 1024 bytes",
        ));
    }
    Ok(())
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub language: String,
    pub grants: Vec<Grant>,
}

/// Changes to a user; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub password: Option<String>,
    pub language: Option<String>,
    pub active: Option<bool>,
    pub grants: Option<Vec<Grant>>,
}

// A fixed hash to verify against when the username is unknown, so timing does not reveal
// which usernames exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2O3rrUmNJWr3ZQDKOz1fObRjtOaDHS8e0EYEYzHCb4Q";

impl App {
    /// Check a username and password; on success open a session and return its token.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        kind: SessionKind,
    ) -> Result<(String, User), AppError> {
        let username = username.trim().to_ascii_lowercase();
        let found = users::find_for_login(&self.db, &username).await?;
        let Some((user, hash)) = found.filter(|(u, _)| u.active) else {
            let _ = verify_password(password, DUMMY_HASH);
            return Err(AppError::BadCredentials);
        };
        if !verify_password(password, &hash) {
            return Err(AppError::BadCredentials);
        }
        let token = new_token()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        users::create_session(
            &mut tx,
            &token_hash(&token),
            &user,
            kind.as_str(),
            now,
            now + kind.lifetime(),
        )
        .await?;
        let ctx = AuditCtx {
            region: user.region,
            actor: Some(user.id),
            at: now,
        };
        luoshi_store::audit::record_event(
            &mut tx,
            &ctx,
            "login",
            "session",
            kind.as_str(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok((token, user))
    }

    /// End the session behind `token`.
    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        let hash = token_hash(token);
        self.sessions.evict(&hash);
        let mut tx = self.db.begin().await?;
        users::delete_session(&mut tx, &hash).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user behind a live session token. Answers from a short-lived per-server cache (see
    /// [`SESSION_CACHE_TTL`]); logging out or changing a user on this server evicts at once.
    pub async fn authenticate(&self, token: &str) -> Result<User, AppError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::Unauthenticated);
        }
        let hash = token_hash(token);
        let now = std::time::Instant::now();
        if let Some(user) = self.sessions.get(&hash, now) {
            return Ok(user);
        }
        let user = users::session_user(&self.db, &hash, self.now())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        self.sessions.put(hash, user.clone(), now);
        Ok(user)
    }

    /// Create a user (admins only).
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<(User, i64), AppError> {
        require(actor, Permission::ManageUsers)?;
        check_password_strength(&new.password)?;
        let hash = hash_password(&new.password)?;
        self.insert_user(actor, new, &hash).await
    }

    /// Create a user with a precomputed hash (the demo and first-run setup use this).
    pub async fn insert_user(
        &self,
        actor: &Actor,
        new: NewUser,
        password_hash: &str,
    ) -> Result<(User, i64), AppError> {
        require(actor, Permission::ManageUsers)?;
        self.check_grant_units(actor, &new.grants).await?;
        let user = User {
            id: UserId::from_uuid(Uuid::now_v7()),
            region: actor.region,
            username: parse_username("username", &new.username)?,
            display_name: required_text("display_name", &new.display_name, 50)?,
            language: parse_language("language", &new.language)?,
            active: true,
            grants: new.grants,
        };
        let mut tx = self.db.begin().await?;
        users::insert(&mut tx, &self.ctx(actor), &user, password_hash).await?;
        tx.commit().await?;
        Ok((user, 1))
    }

    async fn check_grant_units(&self, actor: &Actor, grants: &[Grant]) -> Result<(), AppError> {
        for (i, g) in grants.iter().enumerate() {
            if let Some(u) = g.unit
                && luoshi_store::units::get(&self.db, actor.region, u)
                    .await
                    .is_err()
            {
                return Err(AppError::invalid(
                    &format!("grants[{i}].unit_id"),
                    "not_found",
                    "no such unit in this region",
                ));
            }
        }
        Ok(())
    }

    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        changes: UserChanges,
        expected: i64,
    ) -> Result<(User, i64), AppError> {
        let own_language_only = id == actor.user
            && changes.display_name.is_none()
            && changes.password.is_none()
            && changes.active.is_none()
            && changes.grants.is_none();
        if !own_language_only {
            require(actor, Permission::ManageUsers)?;
        }
        let (mut user, _) = users::get(&self.db, actor.region, id).await?;
        if let Some(n) = changes.display_name {
            user.display_name = required_text("display_name", &n, 50)?;
        }
        if let Some(l) = changes.language {
            user.language = parse_language("language", &l)?;
        }
        if let Some(a) = changes.active {
            user.active = a;
        }
        if let Some(g) = changes.grants {
            self.check_grant_units(actor, &g).await?;
            user.grants = g;
        }
        let hash = match changes.password {
            Some(p) => {
                check_password_strength(&p)?;
                Some(hash_password(&p)?)
            }
            None => None,
        };
        let mut tx = self.db.begin().await?;
        let v = users::update(&mut tx, &self.ctx(actor), &user, hash.as_deref(), expected).await?;
        tx.commit().await?;
        self.sessions.evict_user(user.id);
        Ok((user, v))
    }

    pub async fn get_user(&self, actor: &Actor, id: UserId) -> Result<(User, i64), AppError> {
        if id != actor.user {
            require(actor, Permission::ManageUsers)?;
        }
        Ok(users::get(&self.db, actor.region, id).await?)
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<(User, i64)>, AppError> {
        require(actor, Permission::ManageUsers)?;
        Ok(users::list(&self.db, actor.region).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a).len(), 64);
        assert!(check_password_strength("short").is_err());
    }
}

/// How long an authenticated session is served from memory before the database is asked again.
/// A session revoked through another app server stays usable here for at most this long.
pub const SESSION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Per-server memo of recent session lookups, keyed by token hash.
#[derive(Default)]
pub(crate) struct SessionCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (User, std::time::Instant)>>,
}

impl SessionCache {
    fn get(&self, hash: &str, now: std::time::Instant) -> Option<User> {
        let map = self.entries.lock().ok()?;
        let (user, at) = map.get(hash)?;
        (now.duration_since(*at) < SESSION_CACHE_TTL).then(|| user.clone())
    }

    fn put(&self, hash: String, user: User, now: std::time::Instant) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() > 10_000 {
                map.retain(|_, (_, at)| now.duration_since(*at) < SESSION_CACHE_TTL);
            }
            map.insert(hash, (user, now));
        }
    }

    fn evict(&self, hash: &str) {
        if let Ok(mut map) = self.entries.lock() {
            map.remove(hash);
        }
    }

    fn evict_user(&self, user: UserId) {
        if let Ok(mut map) = self.entries.lock() {
            map.retain(|_, (u, _)| u.id != user);
        }
    }
}
