//! Supervision: the region's policy (versioned), the events recorded by the sweeper, the lamps and
//! monthly checkpoints it observed, notices (in `notices`), the inbox (in `inbox`) and outgoing
//! [`deliveries`].
//!
//! Exactly once: events are inserted with `ON CONFLICT DO NOTHING` against the unique index on
//! (region, dedup key), so a second sweep, a restart or a concurrent sweeper on another server
//! records nothing twice; [`insert_events`] returns only the rows this transaction inserted.

pub mod channels;
pub mod deliveries;
mod inbox;
mod notices;
mod obligations;
mod policy_history;
mod policy_json;

pub use inbox::{Message, NewMessage, inbox, insert_messages, mark_read, unread_count};
pub use notices::{
    get_notice, insert_notice, insert_response, list_notices, next_notice_sequence, open_notices,
    update_notice,
};
pub use obligations::{FirstReports, IndicatorDuty, first_reports, indicator_duties};
pub use policy_history::{PolicyVersion, check_policy_version, policy_history};
pub use policy_json::{policy_from_json, policy_to_json};

use crate::row::placeholders;
use crate::{Arg, AuditCtx, Db, Get, StoreError, Tx, args, audit};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{PersonId, RegionId, TaskId, UnitId, UserId};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::supervision::{
    Checkpoint, EventKind, LampObservation, SupervisionEvent, SupervisionPolicy,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The current policy of a region and its version, or `None` when none was saved (use the
/// default).
pub async fn current_policy(
    db: &Db,
    region: RegionId,
) -> Result<Option<(i64, SupervisionPolicy)>, StoreError> {
    let row = db
        .fetch_optional(
            "SELECT version, body FROM supervision_policies WHERE region_id = $1 ORDER BY version DESC LIMIT 1",
            args![region],
            |r| Ok((r.i64("version")?, r.text("body")?)),
        )
        .await?;
    match row {
        None => Ok(None),
        Some((v, body)) => {
            let value: Value = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("supervision policy: {e}")))?;
            Ok(Some((v, policy_from_json(&value)?)))
        }
    }
}

/// Save a new version of the region's policy (the caller validated it); returns the version.
pub async fn save_policy(
    tx: &mut Tx,
    ctx: &AuditCtx,
    policy: &SupervisionPolicy,
) -> Result<i64, StoreError> {
    let version = tx
        .fetch_optional(
            "SELECT COALESCE(MAX(version), 0) AS v FROM supervision_policies WHERE region_id = $1",
            args![ctx.region],
            |r| r.i64("v"),
        )
        .await?
        .unwrap_or(0)
        + 1;
    let body = policy_to_json(policy);
    tx.execute(
        "INSERT INTO supervision_policies (region_id, version, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
        args![ctx.region, version, body.to_string(), ctx.at, ctx.actor],
    )
    .await?;
    audit::record(
        tx,
        ctx,
        "save",
        "supervision_policy",
        &version.to_string(),
        None,
        Some(body),
    )
    .await?;
    Ok(version)
}

/// The stored detail of an event: the description and the kind's parameters.
pub fn event_detail(e: &SupervisionEvent) -> Value {
    let params = match &e.kind {
        EventKind::DeadlineApproaching { days_left } => json!({ "days_left": days_left }),
        EventKind::Overdue { days_over } => json!({ "days_over": days_over }),
        EventKind::ReportMissing { period } => json!({ "period": period.to_string() }),
        EventKind::LampChanged { from, to } => json!({ "from": from.as_str(), "to": to.as_str() }),
        EventKind::CardIssued { colour, points } => {
            json!({ "colour": colour.as_str(), "points": points.normalize().to_string() })
        }
        EventKind::Escalated {
            level,
            target,
            summons,
        } => json!({ "level": level, "target": target.as_str(), "summons": summons }),
    };
    json!({ "text": e.detail, "params": params })
}

/// Insert events, ignoring those already recorded (same region and dedup key). Returns the new
/// ones with their ids, in input order. Writes no audit row: the caller records the sweep.
pub async fn insert_events(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    events: &[SupervisionEvent],
) -> Result<Vec<(Uuid, SupervisionEvent)>, StoreError> {
    let identified: Vec<(Uuid, &SupervisionEvent)> =
        events.iter().map(|e| (Uuid::now_v7(), e)).collect();
    let new = insert_identified_events(tx, region, at, &identified).await?;
    Ok(identified
        .into_iter()
        .filter(|(id, _)| new.contains(id))
        .map(|(id, e)| (id, e.clone()))
        .collect())
}

/// Like [`insert_events`], each event under the id given (a fresh UUIDv7), so a caller can
/// prepare what refers to the events before its transaction. Returns the ids inserted: those of
/// the events not already recorded.
///
/// Events go in multi-row `INSERT … ON CONFLICT DO NOTHING` statements. When every row went in
/// (the usual case: the caller dropped known keys first) all are new; when a concurrent sweeper
/// recorded some first, a read of the ids tells which. (`RETURNING` would say so too, but hands
/// back every row one at a time, which cost a province's first sweep most of a second.)
pub async fn insert_identified_events(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    events: &[(Uuid, &SupervisionEvent)],
) -> Result<HashSet<Uuid>, StoreError> {
    let rows = events
        .iter()
        .map(|(id, e)| {
            vec![
                region.into(),
                (*id).into(),
                e.dedup_key.clone().into(),
                e.kind.name().into(),
                e.subject.to_string().into(),
                e.unit.into(),
                e.occurred_on.into(),
                Arg::Json(Some(event_detail(e))),
                at.into(),
            ]
        })
        .collect();
    let n = tx
        .insert_many(
            "INSERT INTO supervision_events (region_id, id, dedup_key, kind, subject, unit_id, occurred_on, detail, recorded_at)",
            rows,
            "ON CONFLICT DO NOTHING",
        )
        .await?;
    if n == events.len() as u64 {
        return Ok(events.iter().map(|(id, _)| *id).collect());
    }
    let keys: Vec<&str> = events.iter().map(|(_, e)| e.dedup_key.as_str()).collect();
    let stored = ids_of_keys(tx, "supervision_events", region, &keys).await?;
    Ok(events
        .iter()
        .filter(|(id, e)| stored.get(&e.dedup_key) == Some(id))
        .map(|(id, _)| *id)
        .collect())
}

/// The stored id of each of `keys` in `table` (`supervision_events` or `inbox_messages`, both
/// unique on region and dedup key). After an `INSERT … ON CONFLICT DO NOTHING` under ids the
/// caller chose wrote fewer rows than it sent, this tells which id each key has.
pub(crate) async fn ids_of_keys(
    tx: &mut Tx,
    table: &'static str,
    region: RegionId,
    keys: &[&str],
) -> Result<HashMap<String, Uuid>, StoreError> {
    let mut out = HashMap::new();
    for chunk in keys.chunks(crate::db::MAX_PARAMS - 1) {
        let mut a = args![region];
        let list = placeholders(chunk.iter().map(|k| Arg::from(*k)).collect(), &mut a);
        let sql = format!(
            "SELECT id, dedup_key FROM {table} WHERE region_id = $1 AND dedup_key IN ({list})"
        );
        let found = tx.fetch(&sql, a, |r| Ok((r.text("dedup_key")?, r.uuid("id")?)));
        out.extend(found.await?);
    }
    Ok(out)
}

/// Which of `keys` the region has already recorded (a read: a sweep that finds only known
/// events opens no write transaction).
pub async fn known_keys(
    db: &Db,
    region: RegionId,
    keys: &[&str],
) -> Result<HashSet<String>, StoreError> {
    let mut out = HashSet::new();
    for chunk in keys.chunks(crate::db::MAX_PARAMS - 1) {
        let mut a = args![region];
        let list = placeholders(chunk.iter().map(|k| Arg::from(*k)).collect(), &mut a);
        let sql = format!(
            "SELECT dedup_key FROM supervision_events WHERE region_id = $1 AND dedup_key IN ({list})"
        );
        out.extend(
            db.fetch_bulk(&sql, a, (&[], &["dedup_key"]), |r| r.text("dedup_key"))
                .await?,
        );
    }
    Ok(out)
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: Uuid,
    pub dedup_key: String,
    pub kind: String,
    pub subject: String,
    pub unit: UnitId,
    pub occurred_on: Date,
    /// `{"text": …, "params": {…}}`, see [`event_detail`].
    pub detail: Value,
    pub recorded_at: OffsetDateTime,
}

/// The region's events that occurred in `[from, to]`, oldest first.
pub async fn list_events(
    db: &Db,
    region: RegionId,
    from: Date,
    to: Date,
) -> Result<Vec<StoredEvent>, StoreError> {
    events_between(db, region, from, to, None).await
}

/// The region's events of one kind (e.g. `card_issued`) that occurred between two days
/// (inclusive), in the order of [`list_events`].
pub async fn list_events_of_kind(
    db: &Db,
    region: RegionId,
    from: Date,
    to: Date,
    kind: &str,
) -> Result<Vec<StoredEvent>, StoreError> {
    events_between(db, region, from, to, Some(kind)).await
}

async fn events_between(
    db: &Db,
    region: RegionId,
    from: Date,
    to: Date,
    kind: Option<&str>,
) -> Result<Vec<StoredEvent>, StoreError> {
    let mut a = args![region, from, to];
    let only = match kind {
        Some(k) => {
            a.push(k.to_owned().into());
            " AND kind = $4"
        }
        None => "",
    };
    let sql = format!(
        "SELECT id, dedup_key, kind, subject, unit_id, occurred_on, detail, recorded_at FROM supervision_events \
         WHERE region_id = $1 AND occurred_on >= $2 AND occurred_on <= $3{only}"
    );
    let mut rows = db
        .fetch_bulk(
            &sql,
            a,
            (
                &["id", "unit_id"],
                &[
                    "dedup_key",
                    "kind",
                    "subject",
                    "occurred_on",
                    "detail",
                    "recorded_at",
                ],
            ),
            |r| {
                Ok(StoredEvent {
                    id: r.uuid("id")?,
                    dedup_key: r.text("dedup_key")?,
                    kind: r.text("kind")?,
                    subject: r.text("subject")?,
                    unit: r.id("unit_id")?,
                    occurred_on: r.date("occurred_on")?,
                    detail: r.json("detail")?.unwrap_or(Value::Null),
                    recorded_at: r.ts("recorded_at")?,
                })
            },
        )
        .await?;
    rows.sort_by(|a, b| (a.occurred_on, &a.dedup_key).cmp(&(b.occurred_on, &b.dedup_key)));
    Ok(rows)
}

fn lamp(r: &dyn Get) -> Result<Lamp, StoreError> {
    let s = r.text("lamp")?;
    Lamp::parse(&s).ok_or_else(|| StoreError::Corrupt(format!("unknown lamp {s}")))
}

/// The last observed lamp of every subject of the region, keyed by the subject's text.
pub async fn last_lamps(db: &Db, region: RegionId) -> Result<HashMap<String, Lamp>, StoreError> {
    let rows = db
        .fetch_bulk(
            "SELECT subject, lamp FROM lamp_observations WHERE region_id = $1",
            args![region],
            (&[], &["subject", "lamp"]),
            |r| Ok((r.text("subject")?, lamp(r)?)),
        )
        .await?;
    Ok(rows.into_iter().collect())
}

/// Keep each subject's lamp; rows whose lamp is unchanged are left alone. Returns rows written.
pub async fn observe_lamps(
    tx: &mut Tx,
    region: RegionId,
    on: Date,
    lamps: &[LampObservation],
) -> Result<u64, StoreError> {
    // One row per subject (a statement may not update a row twice on PostgreSQL).
    let mut seen = HashSet::new();
    let rows = lamps
        .iter()
        .rev()
        .filter(|o| seen.insert(&o.subject))
        .map(|o| args![region, o.subject.to_string(), o.lamp.as_str(), on])
        .collect();
    let n = tx
        .insert_many(
            "INSERT INTO lamp_observations (region_id, subject, lamp, observed_on)",
            rows,
            "ON CONFLICT (region_id, subject) DO UPDATE SET lamp = excluded.lamp, observed_on = excluded.observed_on \
             WHERE lamp_observations.lamp <> excluded.lamp",
        )
        .await?;
    Ok(n)
}

/// Every recorded checkpoint of the region's tasks.
pub async fn checkpoints(
    db: &Db,
    region: RegionId,
) -> Result<HashMap<TaskId, Vec<Checkpoint>>, StoreError> {
    let rows = db
        .fetch_bulk(
            "SELECT task_id, year, month, lamp FROM checkpoints WHERE region_id = $1",
            args![region],
            (&["task_id"], &["year", "month", "lamp"]),
            |r| {
                let (y, m) = (r.i32("year")?, r.i32("month")?);
                let period = u8::try_from(m)
                    .ok()
                    .and_then(|m| Period::new("month", y, m).ok())
                    .ok_or_else(|| StoreError::Corrupt(format!("checkpoint month {y}-{m}")))?;
                Ok((
                    r.id::<TaskId>("task_id")?,
                    Checkpoint {
                        period,
                        lamp: lamp(r)?,
                    },
                ))
            },
        )
        .await?;
    let mut out: HashMap<TaskId, Vec<Checkpoint>> = HashMap::new();
    for (t, c) in rows {
        out.entry(t).or_default().push(c);
    }
    for cs in out.values_mut() {
        cs.sort_by_key(|c| c.period);
    }
    Ok(out)
}

/// Keep checkpoints not yet recorded. Returns how many were new.
pub async fn insert_checkpoints(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    cps: &[(TaskId, Checkpoint)],
) -> Result<u64, StoreError> {
    let rows = cps
        .iter()
        .map(|(task, c)| {
            args![
                region,
                *task,
                c.period.year(),
                i32::from(c.period.month()),
                c.lamp.as_str(),
                at
            ]
        })
        .collect();
    tx.insert_many(
        "INSERT INTO checkpoints (region_id, task_id, year, month, lamp, recorded_at)",
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await
}

/// The active users who answer for each unit: its managers and reporters.
pub async fn unit_recipients(
    db: &Db,
    region: RegionId,
) -> Result<HashMap<UnitId, Vec<UserId>>, StoreError> {
    let rows = db
        .fetch(
            "SELECT DISTINCT g.unit_id, g.user_id FROM user_grants g JOIN users u ON u.region_id = g.region_id AND u.id = g.user_id \
             WHERE g.region_id = $1 AND u.active = $2 AND g.unit_id IS NOT NULL AND g.role IN ('unit_manager', 'reporter') \
             ORDER BY g.unit_id, g.user_id",
            args![region, true],
            |r| Ok((r.id::<UnitId>("unit_id")?, r.id::<UserId>("user_id")?)),
        )
        .await?;
    let mut out: HashMap<UnitId, Vec<UserId>> = HashMap::new();
    for (unit, user) in rows {
        out.entry(unit).or_default().push(user);
    }
    Ok(out)
}

/// The active user account of each person that has one.
pub async fn person_users(
    db: &Db,
    region: RegionId,
) -> Result<HashMap<PersonId, UserId>, StoreError> {
    let rows = db
        .fetch(
            "SELECT person_id, id FROM users WHERE region_id = $1 AND active = $2 AND person_id IS NOT NULL ORDER BY id",
            args![region, true],
            |r| Ok((r.id::<PersonId>("person_id")?, r.id::<UserId>("id")?)),
        )
        .await?;
    Ok(rows.into_iter().collect())
}

/// Record which person a user account belongs to (`None` unlinks).
pub async fn link_person(
    tx: &mut Tx,
    ctx: &AuditCtx,
    user: UserId,
    person: Option<PersonId>,
) -> Result<(), StoreError> {
    let n = tx
        .execute(
            "UPDATE users SET person_id = $3 WHERE region_id = $1 AND id = $2",
            args![ctx.region, user, person],
        )
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound { entity: "user" });
    }
    audit::record(
        tx,
        ctx,
        "link_person",
        "user",
        &user.to_string(),
        None,
        Some(json!({ "person_id": person.map(|p| p.to_string()) })),
    )
    .await
}
