//! The policy editor's use cases: read the region's supervision policy with its version and
//! history (the supervision office and admins), and save a new version against the version the
//! editor was shown (administrators only; a stale version changes nothing and is a 409).

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission, Role};
use luoshi_domain::supervision::SupervisionPolicy;
use luoshi_store::supervision::{self as store, PolicyVersion};

/// The policy as the editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyState {
    /// The saved version (0: none saved yet, the defaults apply).
    pub version: i64,
    pub policy: SupervisionPolicy,
    /// Every saved version, newest first.
    pub history: Vec<PolicyVersion>,
}

/// Whether the actor may change the policy (administrators).
pub fn may_edit_policy(actor: &Actor) -> bool {
    actor.grants.iter().any(|g| g.role == Role::Admin)
}

impl App {
    /// The region's policy, its version and history (the supervision office, administrators).
    pub async fn policy_state(&self, actor: &Actor) -> Result<PolicyState, AppError> {
        require(actor, Permission::ReviewTask)?;
        let current = store::current_policy(&self.db, actor.region).await?;
        let history = store::policy_history(&self.db, actor.region).await?;
        let (version, policy) = current.unwrap_or_default();
        Ok(PolicyState {
            version,
            policy,
            history,
        })
    }

    /// Save `policy` as the next version if the latest is still `expected` (administrators).
    /// Errors name the field at fault; a stale `expected` is a `version_conflict`.
    pub async fn edit_supervision_policy(
        &self,
        actor: &Actor,
        policy: &SupervisionPolicy,
        expected: i64,
    ) -> Result<i64, AppError> {
        if !may_edit_policy(actor) {
            return Err(AppError::Forbidden);
        }
        policy.validate()?;
        let mut tx = self.db.begin().await?;
        store::check_policy_version(&mut tx, actor.region, expected).await?;
        let v = match store::save_policy(&mut tx, &self.ctx(actor), policy).await {
            Err(luoshi_store::StoreError::Duplicate { .. }) => {
                return Err(AppError::Conflict {
                    code: "version_conflict",
                    message: "the policy was changed by someone else; reload it".into(),
                });
            }
            other => other?,
        };
        tx.commit().await?;
        Ok(v)
    }
}
