//! The append-only records around a petition case: its events (every action, who, when), the
//! personal-data read log, and handlers' decisions on proposed repeats. Triggers refuse any
//! UPDATE or DELETE of events and reads.

use crate::{AuditCtx, Db, StoreError, Tx, args, audit};
use luoshi_domain::ids::{PetitionId, RegionId, UserId};
use luoshi_domain::measure::Decimal;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One action on a case as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionEvent {
    pub id: Uuid,
    pub case: PetitionId,
    /// `register` or a `PetitionAction` name.
    pub action: String,
    /// The date the action happened (the node date).
    pub on: Date,
    /// The action's arguments (never personal data).
    pub detail: Value,
    pub actor: Option<UserId>,
    pub recorded_at: OffsetDateTime,
}

/// One read of a case's personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalRead {
    pub case: PetitionId,
    pub user: UserId,
    /// The route (page, API path or export) through which the data were shown.
    pub route: String,
    pub at: OffsetDateTime,
}

/// A handler's decision on a proposed repeat.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatDecision {
    pub case: PetitionId,
    pub earlier: PetitionId,
    pub confirmed: bool,
    pub score_pct: Decimal,
    pub decided_by: Option<UserId>,
    pub decided_at: OffsetDateTime,
}

/// Append an event to a case's history.
pub async fn append_event(
    tx: &mut Tx,
    ctx: &AuditCtx,
    case: PetitionId,
    action: &str,
    on: Date,
    detail: Value,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO petition_events (region_id, id, petition_id, action, happened_on, detail, actor_id, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            ctx.region.into(),
            Uuid::now_v7().into(),
            case.into(),
            action.into(),
            on.into(),
            crate::Arg::Json(Some(detail)),
            ctx.actor.into(),
            ctx.at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// A case's events, oldest first.
pub async fn events(
    db: &Db,
    region: RegionId,
    case: PetitionId,
) -> Result<Vec<PetitionEvent>, StoreError> {
    db.fetch(
        "SELECT id, petition_id, action, happened_on, detail, actor_id, recorded_at FROM petition_events \
         WHERE region_id = $1 AND petition_id = $2 ORDER BY recorded_at, id",
        args![region, case],
        |r| {
            Ok(PetitionEvent {
                id: r.uuid("id")?,
                case: r.id("petition_id")?,
                action: r.text("action")?,
                on: r.date("happened_on")?,
                detail: r.json("detail")?.unwrap_or(Value::Null),
                actor: r.uuid_opt("actor_id")?.map(UserId::from),
                recorded_at: r.ts("recorded_at")?,
            })
        },
    )
    .await
}

/// Log that `ctx.actor` was shown the personal data of `cases` through `route`, in one
/// transaction with nothing else (a read changes no data, so the data version stays).
pub async fn log_reads(
    db: &Db,
    ctx: &AuditCtx,
    cases: &[PetitionId],
    route: &str,
) -> Result<(), StoreError> {
    if cases.is_empty() {
        return Ok(());
    }
    let Some(user) = ctx.actor else {
        return Err(StoreError::Corrupt(
            "a personal-data read needs a user".into(),
        ));
    };
    let mut tx = db.begin().await?;
    for case in cases {
        tx.execute(
            "INSERT INTO petition_reads (region_id, id, petition_id, user_id, route, read_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![ctx.region, Uuid::now_v7(), *case, user, route, ctx.at],
        )
        .await?;
    }
    tx.commit().await
}

/// The personal-data reads of one case (or of every case when `None`), oldest first.
pub async fn reads(
    db: &Db,
    region: RegionId,
    case: Option<PetitionId>,
) -> Result<Vec<PersonalRead>, StoreError> {
    let mut sql = String::from(
        "SELECT petition_id, user_id, route, read_at FROM petition_reads WHERE region_id = $1",
    );
    let mut a = args![region];
    if let Some(c) = case {
        a.push(c.into());
        sql.push_str(" AND petition_id = $2");
    }
    sql.push_str(" ORDER BY read_at, id");
    db.fetch(&sql, a, |r| {
        Ok(PersonalRead {
            case: r.id("petition_id")?,
            user: r.id("user_id")?,
            route: r.text("route")?,
            at: r.ts("read_at")?,
        })
    })
    .await
}

/// Record a handler's decision on a proposed repeat. A second decision on the same pair is a
/// duplicate.
pub async fn decide_repeat(
    tx: &mut Tx,
    ctx: &AuditCtx,
    case: PetitionId,
    earlier: PetitionId,
    confirmed: bool,
    score_pct: Decimal,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO petition_repeat_links (region_id, petition_id, earlier_id, confirmed, score_pct, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![ctx.region, case, earlier, confirmed, score_pct, ctx.actor, ctx.at],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        if confirmed {
            "confirm_repeat"
        } else {
            "reject_repeat"
        },
        "petition",
        &case.to_string(),
        None,
        Some(json!({"earlier_id": earlier.to_string(), "score_pct": score_pct.normalize().to_string()})),
    )
    .await
}

/// The repeat decisions taken on a case, oldest first.
pub async fn repeat_decisions(
    db: &Db,
    region: RegionId,
    case: PetitionId,
) -> Result<Vec<RepeatDecision>, StoreError> {
    db.fetch(
        "SELECT petition_id, earlier_id, confirmed, score_pct, decided_by, decided_at FROM petition_repeat_links \
         WHERE region_id = $1 AND petition_id = $2 ORDER BY decided_at, earlier_id",
        args![region, case],
        |r| {
            Ok(RepeatDecision {
                case: r.id("petition_id")?,
                earlier: r.id("earlier_id")?,
                confirmed: r.bool("confirmed")?,
                score_pct: r.dec("score_pct")?,
                decided_by: r.uuid_opt("decided_by")?.map(UserId::from),
                decided_at: r.ts("decided_at")?,
            })
        },
    )
    .await
}
