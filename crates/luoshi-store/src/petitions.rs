//! Petition cases (信访, migration `0008`): the case as one versioned row with every node date,
//! its personal data as an opaque sealed blob, and (in [`log`]) the append-only case events, the
//! personal-data read log and handlers' decisions on proposed repeats.
//!
//! This module never sees personal data in the clear: the app seals them before
//! [`insert`] and opens what [`sealed`] returns. Cases come back with `personal: None`. Audit rows
//! carry the case without its personal data.

use crate::audit::check_versioned_update;
use crate::{AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::ValidationError;
use luoshi_domain::ids::{PersonId, PetitionId, RegionId, UnitId, UserId};
use luoshi_domain::petition::{
    CaseLeader, Channel, Extension, NodeDates, PetitionCase, PetitionStatus, Rating, ReviewOutcome,
    Satisfaction,
};
use serde_json::{Value, json};
use time::Date;

pub mod log;

/// Which cases to list. Every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetitionFilter {
    pub status: Option<PetitionStatus>,
    pub handling_unit: Option<UnitId>,
    pub leader: Option<PersonId>,
    pub category: Option<String>,
    /// Registered on or after.
    pub registered_from: Option<Date>,
    /// Registered on or before.
    pub registered_to: Option<Date>,
}

const COLS: &str = "id, region_id, channel, petitioner_count, matter, category, status, handling_unit_id, \
    registered_on, routed_on, received_on, accepted_on, declined_on, objected_on, replied_on, \
    review_requested_on, review_decided_on, rereview_requested_on, rereview_decided_on, closed_on, \
    extension_approved_on, extension_notice_on, extension_days, extension_reason, review_outcome, \
    rereview_outcome, leader_id, leader_assigned_on, leader_extended_to, leader_resolved_on, \
    repeat_of_id, rating, rated_on, version";

fn corrupt(e: ValidationError) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn outcome(s: Option<String>) -> Result<Option<ReviewOutcome>, StoreError> {
    match s.as_deref() {
        None => Ok(None),
        Some("upheld") => Ok(Some(ReviewOutcome::Upheld)),
        Some("changed") => Ok(Some(ReviewOutcome::Changed)),
        Some(other) => Err(StoreError::Corrupt(format!("review outcome {other}"))),
    }
}

fn from_row(r: &dyn Get) -> Result<PetitionCase, StoreError> {
    let status = r.text("status")?;
    let extension = match r.date_opt("extension_approved_on")? {
        Some(approved_on) => Some(Extension {
            approved_on,
            notice_on: r.date("extension_notice_on")?,
            days: r.i64("extension_days")?,
            reason: r.text("extension_reason")?,
        }),
        None => None,
    };
    let leader = match r.uuid_opt("leader_id")? {
        Some(p) => Some(CaseLeader {
            person: p.into(),
            assigned_on: r.date("leader_assigned_on")?,
            extended_to: r.date_opt("leader_extended_to")?,
            resolved_on: r.date_opt("leader_resolved_on")?,
        }),
        None => None,
    };
    let rating = match r.text_opt("rating")? {
        Some(v) => Some(Rating {
            value: Satisfaction::parse("rating", &v).map_err(corrupt)?,
            rated_on: r.date("rated_on")?,
        }),
        None => None,
    };
    Ok(PetitionCase {
        id: r.id("id")?,
        region: r.id("region_id")?,
        channel: Channel::parse("channel", &r.text("channel")?).map_err(corrupt)?,
        personal: None,
        petitioner_count: u32::try_from(r.i64("petitioner_count")?)
            .map_err(|_| StoreError::Corrupt("petitioner_count".into()))?,
        matter: r.text("matter")?,
        category: r.text("category")?,
        status: PetitionStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("petition status {status}")))?,
        dates: NodeDates {
            registered_on: r.date("registered_on")?,
            routed_on: r.date_opt("routed_on")?,
            received_on: r.date_opt("received_on")?,
            accepted_on: r.date_opt("accepted_on")?,
            declined_on: r.date_opt("declined_on")?,
            objected_on: r.date_opt("objected_on")?,
            replied_on: r.date_opt("replied_on")?,
            review_requested_on: r.date_opt("review_requested_on")?,
            review_decided_on: r.date_opt("review_decided_on")?,
            rereview_requested_on: r.date_opt("rereview_requested_on")?,
            rereview_decided_on: r.date_opt("rereview_decided_on")?,
            closed_on: r.date_opt("closed_on")?,
        },
        handling_unit: r.uuid_opt("handling_unit_id")?.map(UnitId::from),
        extension,
        leader,
        review_outcome: outcome(r.text_opt("review_outcome")?)?,
        rereview_outcome: outcome(r.text_opt("rereview_outcome")?)?,
        repeat_of: r.uuid_opt("repeat_of_id")?.map(PetitionId::from),
        rating,
        version: r.i64("version")?,
    })
}

/// The audit shape of a case: everything but the personal data.
pub fn case_json(c: &PetitionCase) -> Value {
    let d = |x: Option<Date>| x.map(|d| d.to_string());
    let n = &c.dates;
    json!({
        "channel": c.channel.as_str(), "petitioner_count": c.petitioner_count, "matter": c.matter,
        "category": c.category, "status": c.status.as_str(),
        "handling_unit_id": c.handling_unit.map(|u| u.to_string()),
        "registered_on": n.registered_on.to_string(), "routed_on": d(n.routed_on),
        "received_on": d(n.received_on), "accepted_on": d(n.accepted_on),
        "declined_on": d(n.declined_on), "objected_on": d(n.objected_on),
        "replied_on": d(n.replied_on), "review_requested_on": d(n.review_requested_on),
        "review_decided_on": d(n.review_decided_on),
        "rereview_requested_on": d(n.rereview_requested_on),
        "rereview_decided_on": d(n.rereview_decided_on), "closed_on": d(n.closed_on),
        "extension": c.extension.as_ref().map(|e| json!({
            "approved_on": e.approved_on.to_string(), "notice_on": e.notice_on.to_string(),
            "days": e.days, "reason": e.reason,
        })),
        "review_outcome": c.review_outcome.map(|o| o.as_str()),
        "rereview_outcome": c.rereview_outcome.map(|o| o.as_str()),
        "leader": c.leader.as_ref().map(|l| json!({
            "person_id": l.person.to_string(), "assigned_on": l.assigned_on.to_string(),
            "extended_to": d(l.extended_to), "resolved_on": d(l.resolved_on),
        })),
        "repeat_of": c.repeat_of.map(|p| p.to_string()),
        "rating": c.rating.map(|r| json!({"value": r.value.as_str(), "rated_on": r.rated_on.to_string()})),
    })
}

/// The values of every column after `id, region_id` in [`COLS`] order (without `version`).
fn values(c: &PetitionCase) -> Vec<crate::Arg> {
    let n = &c.dates;
    let e = c.extension.as_ref();
    let l = c.leader.as_ref();
    args![
        c.channel.as_str(),
        i64::from(c.petitioner_count),
        c.matter.clone(),
        c.category.clone(),
        c.status.as_str(),
        c.handling_unit,
        n.registered_on,
        n.routed_on,
        n.received_on,
        n.accepted_on,
        n.declined_on,
        n.objected_on,
        n.replied_on,
        n.review_requested_on,
        n.review_decided_on,
        n.rereview_requested_on,
        n.rereview_decided_on,
        n.closed_on,
        e.map(|e| e.approved_on),
        e.map(|e| e.notice_on),
        e.map_or(0, |e| e.days),
        e.map(|e| e.reason.clone()),
        c.review_outcome.map(|o| o.as_str().to_owned()),
        c.rereview_outcome.map(|o| o.as_str().to_owned()),
        l.map(|l| l.person),
        l.map(|l| l.assigned_on),
        l.and_then(|l| l.extended_to),
        l.and_then(|l| l.resolved_on),
        c.repeat_of,
        c.rating.map(|r| r.value.as_str().to_owned()),
        c.rating.map(|r| r.rated_on),
    ]
}

/// Insert a registered case (version 1) with its sealed personal data. `c.personal` is ignored.
pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    c: &PetitionCase,
    sealed: Vec<u8>,
) -> Result<(), StoreError> {
    let mut a = args![c.id, ctx.region];
    a.extend(values(c));
    let placeholders: Vec<String> = (1..=a.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO petitions ({COLS}) VALUES ({}, 1)",
        placeholders.join(", ")
    );
    tx.execute(&sql, a).await?;
    tx.execute(
        "INSERT INTO petition_personal (region_id, petition_id, sealed) VALUES ($1, $2, $3)",
        vec![ctx.region.into(), c.id.into(), crate::Arg::Bytes(sealed)],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "create",
        "petition",
        &c.id.to_string(),
        None,
        Some(case_json(c)),
    )
    .await
}

/// Write the case's state (everything but its personal data) over the stored one, checking the
/// expected version and bumping it. Returns the new version.
pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: &PetitionCase,
    after: &PetitionCase,
    expected: i64,
) -> Result<i64, StoreError> {
    let cols: Vec<&str> = COLS.split(',').map(str::trim).collect();
    let mut a = args![ctx.region, after.id];
    a.extend(values(after));
    let sets: Vec<String> = cols
        .iter()
        .enumerate()
        .skip(2)
        .filter(|(_, c)| **c != "version")
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    a.push(expected.into());
    let sql = format!(
        "UPDATE petitions SET {}, version = version + 1 WHERE region_id = $1 AND id = $2 AND version = ${}",
        sets.join(", "),
        a.len()
    );
    let n = tx.execute(&sql, a).await?;
    check_versioned_update(
        tx,
        n,
        "petition",
        "petitions",
        ctx.region,
        after.id.as_uuid(),
        expected,
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "update",
        "petition",
        &after.id.to_string(),
        Some(case_json(before)),
        Some(case_json(after)),
    )
    .await?;
    Ok(expected + 1)
}

/// One case, without its personal data.
pub async fn get(db: &Db, region: RegionId, id: PetitionId) -> Result<PetitionCase, StoreError> {
    let sql = format!("SELECT {COLS} FROM petitions WHERE region_id = $1 AND id = $2");
    db.fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "petition" })
}

/// One case inside a write transaction.
pub async fn get_tx(
    tx: &mut Tx,
    region: RegionId,
    id: PetitionId,
) -> Result<PetitionCase, StoreError> {
    let sql = format!("SELECT {COLS} FROM petitions WHERE region_id = $1 AND id = $2");
    tx.fetch_optional(&sql, args![region, id], from_row)
        .await?
        .ok_or(StoreError::NotFound { entity: "petition" })
}

/// The region's cases matching `filter`, newest registration first.
pub async fn list(
    db: &Db,
    region: RegionId,
    filter: &PetitionFilter,
) -> Result<Vec<PetitionCase>, StoreError> {
    let mut cond = String::from("region_id = $1");
    let mut a = args![region];
    let mut push = |a: &mut Vec<crate::Arg>, col: &str, op: &str, v: crate::Arg| {
        a.push(v);
        cond.push_str(&format!(" AND {col} {op} ${}", a.len()));
    };
    if let Some(s) = filter.status {
        push(&mut a, "status", "=", s.as_str().into());
    }
    if let Some(u) = filter.handling_unit {
        push(&mut a, "handling_unit_id", "=", u.into());
    }
    if let Some(p) = filter.leader {
        push(&mut a, "leader_id", "=", p.into());
    }
    if let Some(c) = &filter.category {
        push(&mut a, "category", "=", c.clone().into());
    }
    if let Some(d) = filter.registered_from {
        push(&mut a, "registered_on", ">=", d.into());
    }
    if let Some(d) = filter.registered_to {
        push(&mut a, "registered_on", "<=", d.into());
    }
    let sql = format!("SELECT {COLS} FROM petitions WHERE {cond} ORDER BY registered_on DESC, id");
    db.fetch(&sql, a, from_row).await
}

/// The sealed personal data of a case (`None` when the case has none stored).
pub async fn sealed(
    db: &Db,
    region: RegionId,
    id: PetitionId,
) -> Result<Option<Vec<u8>>, StoreError> {
    db.fetch_optional(
        "SELECT sealed FROM petition_personal WHERE region_id = $1 AND petition_id = $2",
        args![region, id],
        |r| r.bytes("sealed"),
    )
    .await
}

/// The sealed personal data of every case of the region (for repeat detection and exports).
pub async fn sealed_all(
    db: &Db,
    region: RegionId,
) -> Result<Vec<(PetitionId, Vec<u8>)>, StoreError> {
    db.fetch(
        "SELECT petition_id, sealed FROM petition_personal WHERE region_id = $1 ORDER BY petition_id",
        args![region],
        |r| Ok((r.id("petition_id")?, r.bytes("sealed")?)),
    )
    .await
}

/// The person a user account belongs to, if linked.
pub async fn person_of_user(
    db: &Db,
    region: RegionId,
    user: UserId,
) -> Result<Option<PersonId>, StoreError> {
    let p = db
        .fetch_optional(
            "SELECT person_id FROM users WHERE region_id = $1 AND id = $2",
            args![region, user],
            |r| r.uuid_opt("person_id"),
        )
        .await?;
    Ok(p.flatten().map(PersonId::from))
}
