//! Editing scheme books: every stored version stays readable, and an edit is always a new
//! version, so a result published under a version keeps the rules it was computed by.

use super::{first_error, parse_scheme, print_scheme};
use crate::{App, AppError, require};
use luoshi_domain::assess::Scheme;
use luoshi_domain::authz::{Actor, Permission};
pub use luoshi_store::assessment::StoredScheme;
use luoshi_store::assessment::{self as store};

impl App {
    /// Every stored version of every book, by category, key and version (leaders, supervisors,
    /// admins).
    pub async fn scheme_versions(&self, actor: &Actor) -> Result<Vec<StoredScheme>, AppError> {
        require(actor, Permission::ReadAssessment { unit: None })?;
        Ok(store::schemes(self.db(), actor.region).await?)
    }

    /// Store an edited book as the next version of `key` (supervisors, admins). `base` is the
    /// version the editor started from: if a newer one was stored meanwhile the edit is refused
    /// (`stale_version`, a conflict) so nobody overwrites a change unseen. The text is parsed and
    /// validated first (errors name the item, nothing is stored); its `id` and `category` must be
    /// the book's, and its `version` is replaced by the next number.
    pub async fn edit_scheme(
        &self,
        actor: &Actor,
        key: &str,
        base: i32,
        text: &str,
    ) -> Result<Scheme, AppError> {
        require(actor, Permission::ManageAssessment)?;
        let versions: Vec<StoredScheme> = store::schemes(self.db(), actor.region)
            .await?
            .into_iter()
            .filter(|s| s.key == key)
            .collect();
        let Some(latest) = versions.iter().max_by_key(|s| s.version) else {
            return Err(AppError::NotFound { entity: "scheme" });
        };
        if latest.version != base {
            return Err(AppError::Conflict {
                code: "stale_version",
                message: format!(
                    "version {} of {key} was stored after version {base} was opened; reload it",
                    latest.version
                ),
            });
        }
        let mut scheme = parse_scheme(text).map_err(first_error)?;
        if scheme.id != key {
            return Err(AppError::invalid(
                "id",
                "changed",
                format!("the book's id must stay {key:?}"),
            ));
        }
        if scheme.category != latest.category {
            return Err(AppError::invalid(
                "category",
                "changed",
                format!("the book's category must stay {:?}", latest.category),
            ));
        }
        let next = latest.version.saturating_add(1);
        scheme.version = u32::try_from(next)
            .map_err(|_| AppError::invalid("version", "out_of_range", "version is too large"))?;
        let mut tx = self.db().begin().await?;
        store::insert_scheme(
            &mut tx,
            &self.ctx(actor),
            key,
            &scheme.category,
            next,
            &print_scheme(&scheme),
        )
        .await?;
        tx.commit().await?;
        Ok(scheme)
    }

    /// One published result (leaders, supervisors, admins).
    pub async fn published_assessment(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<super::Published, AppError> {
        require(actor, Permission::ReadAssessment { unit: None })?;
        Ok(store::result(self.db(), actor.region, id).await?)
    }
}
