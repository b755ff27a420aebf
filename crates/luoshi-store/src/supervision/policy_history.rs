//! Who saved which version of a region's supervision policy, and when (the policy editor's
//! history); and the stale-version check the editor's save needs.

use crate::{Db, StoreError, Tx, args};
use luoshi_domain::ids::{RegionId, UserId};
use time::OffsetDateTime;

/// One saved version.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyVersion {
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<UserId>,
}

/// Every saved version of the region's policy, newest first.
pub async fn policy_history(db: &Db, region: RegionId) -> Result<Vec<PolicyVersion>, StoreError> {
    db.fetch(
        "SELECT version, created_at, created_by FROM supervision_policies WHERE region_id = $1 ORDER BY version DESC",
        args![region],
        |r| {
            Ok(PolicyVersion {
                version: r.i64("version")?,
                created_at: r.ts("created_at")?,
                created_by: r.uuid_opt("created_by")?.map(UserId::from),
            })
        },
    )
    .await
}

/// Refuse (`Conflict`) unless the region's latest saved version is `expected` (0: none saved),
/// inside the caller's transaction. Two saves racing past this check still cannot both land:
/// the second one's version collides on the primary key (`Duplicate`).
pub async fn check_policy_version(
    tx: &mut Tx,
    region: RegionId,
    expected: i64,
) -> Result<(), StoreError> {
    let current = tx
        .fetch_optional(
            "SELECT COALESCE(MAX(version), 0) AS v FROM supervision_policies WHERE region_id = $1",
            args![region],
            |r| r.i64("v"),
        )
        .await?
        .unwrap_or(0);
    if current == expected {
        Ok(())
    } else {
        Err(StoreError::Conflict {
            entity: "supervision policy",
            expected,
            current,
        })
    }
}
