//! Outgoing deliveries (e-mail, chat webhooks): queued once per (dedup key, channel, recipient),
//! then sent, retried with the caller's backoff, or given up, with a log a supervisor can read.
//!
//! A sender first [`claim`]s due deliveries: a conditional UPDATE sets `claimed_by` and a lease
//! on rows that are pending, due and not leased (or whose lease expired), so two senders never
//! hold the same delivery; a crashed sender's lease runs out and the delivery is claimed again.
//! [`record_attempt`] then records the outcome only if the attempt count is still the one
//! claimed, and clears the lease. Timestamps are stored in UTC (SQLite compares them as text).

use crate::{Db, StoreError, Tx, args};
use luoshi_domain::ids::RegionId;
use time::{Duration, OffsetDateTime, UtcOffset};
use uuid::Uuid;

fn utc(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(UtcOffset::UTC)
}

/// A message to deliver on a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub dedup_key: String,
    /// `email`, `dingtalk`, `wecom`, `feishu`, …
    pub channel: String,
    /// Who it is for (a user id, a unit id): one delivery per recipient and channel.
    pub recipient: String,
    /// Where it goes (an address; for a robot, its URL without the query, for the log).
    pub target: String,
    /// An e-mail's subject, a robot message's heading.
    pub title: String,
    pub body: String,
    /// Not before this moment (quiet hours).
    pub not_before: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Pending,
    Sent,
    /// Given up after too many attempts.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Sent, Self::Failed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: Uuid,
    pub region: RegionId,
    pub dedup_key: String,
    pub channel: String,
    pub recipient: String,
    pub target: String,
    pub title: String,
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
    /// Pending: the next attempt; failed: when it was given up; sent: none.
    pub next_attempt_at: Option<OffsetDateTime>,
    pub sent_at: Option<OffsetDateTime>,
}

/// Queue a delivery unless one with the same key, channel and recipient exists; `true` when new.
pub async fn enqueue(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    d: &NewDelivery,
) -> Result<bool, StoreError> {
    Ok(enqueue_many(tx, region, at, std::slice::from_ref(d)).await? == 1)
}

/// Queue each delivery unless one with the same key, channel and recipient exists; returns how
/// many were new.
pub async fn enqueue_many(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    list: &[NewDelivery],
) -> Result<u64, StoreError> {
    let rows = list
        .iter()
        .map(|d| {
            args![
                region,
                Uuid::now_v7(),
                d.dedup_key.clone(),
                d.channel.clone(),
                d.recipient.clone(),
                d.target.clone(),
                d.body.clone(),
                DeliveryStatus::Pending.as_str(),
                0_i32,
                utc(d.not_before),
                utc(at),
                d.title.clone()
            ]
        })
        .collect();
    tx.insert_many(
        "INSERT INTO deliveries (region_id, id, dedup_key, channel, recipient, target, body, status, attempts, \
         next_attempt_at, created_at, title)",
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await
}

const COLS: &str = "id, region_id, dedup_key, channel, recipient, target, title, body, status, attempts, \
     last_error, created_at, next_attempt_at, sent_at, \
     CASE WHEN next_attempt_at IS NULL THEN 0 ELSE 1 END AS has_next, CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END AS has_sent";

fn from_row(r: &dyn crate::Get) -> Result<Delivery, StoreError> {
    let status = r.text("status")?;
    Ok(Delivery {
        id: r.uuid("id")?,
        region: r.id("region_id")?,
        dedup_key: r.text("dedup_key")?,
        channel: r.text("channel")?,
        recipient: r.text("recipient")?,
        target: r.text("target")?,
        title: r.text("title")?,
        body: r.text("body")?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("delivery status {status}")))?,
        attempts: r.i32("attempts")?,
        last_error: r.text_opt("last_error")?,
        created_at: r.ts("created_at")?,
        next_attempt_at: if r.i32("has_next")? == 1 {
            Some(r.ts("next_attempt_at")?)
        } else {
            None
        },
        sent_at: if r.i32("has_sent")? == 1 {
            Some(r.ts("sent_at")?)
        } else {
            None
        },
    })
}

/// Pending deliveries (all regions) due at `now`, oldest first.
pub async fn due(db: &Db, now: OffsetDateTime, limit: i64) -> Result<Vec<Delivery>, StoreError> {
    db.fetch(
        &format!(
            "SELECT {COLS} FROM deliveries WHERE status = $1 AND next_attempt_at <= $2 \
             ORDER BY next_attempt_at, id LIMIT $3"
        ),
        args![DeliveryStatus::Pending.as_str(), utc(now), limit],
        from_row,
    )
    .await
}

/// Record an attempt. `Ok(())` marks it sent; an error either schedules the next attempt at
/// `retry_at` or, when `None`, gives up. Only a pending delivery changes (`false` otherwise), so
/// two senders never both record the same attempt.
pub async fn record_attempt(
    tx: &mut Tx,
    d: &Delivery,
    at: OffsetDateTime,
    outcome: Result<(), (&str, Option<OffsetDateTime>)>,
) -> Result<bool, StoreError> {
    let n = match outcome {
        Ok(()) => {
            tx.execute(
                "UPDATE deliveries SET status = $3, attempts = attempts + 1, sent_at = $4, next_attempt_at = NULL, \
                 claimed_by = NULL, lease_until = NULL WHERE region_id = $1 AND id = $2 AND status = 'pending' AND attempts = $5",
                args![d.region, d.id, DeliveryStatus::Sent.as_str(), utc(at), d.attempts],
            )
            .await?
        }
        Err((error, retry_at)) => {
            let status = if retry_at.is_some() {
                DeliveryStatus::Pending
            } else {
                DeliveryStatus::Failed
            };
            tx.execute(
                "UPDATE deliveries SET status = $3, attempts = attempts + 1, last_error = $4, next_attempt_at = $5, \
                 claimed_by = NULL, lease_until = NULL WHERE region_id = $1 AND id = $2 AND status = 'pending' AND attempts = $6",
                vec![
                    d.region.into(),
                    d.id.into(),
                    status.as_str().into(),
                    error.into(),
                    match retry_at {
                        Some(t) => utc(t).into(),
                        None => crate::Arg::Ts(utc(at)),
                    },
                    d.attempts.into(),
                ],
            )
            .await?
        }
    };
    Ok(n == 1)
}

/// Claim up to `limit` due deliveries (all regions) on `channels` for `worker` until
/// `now + lease`: each is taken by one conditional UPDATE, so a delivery claimed by another
/// sender (whose lease has not run out) is skipped. Returns the claimed deliveries, oldest due
/// first.
pub async fn claim(
    db: &Db,
    worker: &str,
    channels: &[&str],
    now: OffsetDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    if channels.is_empty() {
        return Ok(vec![]);
    }
    let now = utc(now);
    let mut params = args![DeliveryStatus::Pending.as_str(), now, limit];
    let marks = crate::row::placeholders(
        channels.iter().map(|c| crate::Arg::from(*c)).collect(),
        &mut params,
    );
    let candidates = db
        .fetch(
            &format!(
                "SELECT {COLS} FROM deliveries WHERE status = $1 AND next_attempt_at <= $2 \
                 AND (lease_until IS NULL OR lease_until <= $2) AND channel IN ({marks}) \
                 ORDER BY next_attempt_at, id LIMIT $3"
            ),
            params,
            from_row,
        )
        .await?;
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let mut tx = db.begin().await?;
    let mut out = Vec::with_capacity(candidates.len());
    for d in candidates {
        let n = tx
            .execute(
                "UPDATE deliveries SET claimed_by = $3, lease_until = $4 WHERE region_id = $1 AND id = $2 \
                 AND status = 'pending' AND attempts = $5 AND next_attempt_at <= $6 \
                 AND (lease_until IS NULL OR lease_until <= $6)",
                args![d.region, d.id, worker, now + lease, d.attempts, now],
            )
            .await?;
        if n == 1 {
            out.push(d);
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// Let go of a claim without recording an attempt (a sender shutting down).
pub async fn release(db: &Db, d: &Delivery, worker: &str) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            "UPDATE deliveries SET claimed_by = NULL, lease_until = NULL \
             WHERE region_id = $1 AND id = $2 AND claimed_by = $3 AND status = 'pending'",
            args![d.region, d.id, worker],
        )
        .await?;
    tx.commit().await?;
    Ok(n == 1)
}

/// The region's delivery log (of one status, or all), newest first.
pub async fn log(
    db: &Db,
    region: RegionId,
    status: Option<DeliveryStatus>,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    match status {
        Some(s) => {
            db.fetch(
                &format!(
                    "SELECT {COLS} FROM deliveries WHERE region_id = $1 AND status = $2 \
                     ORDER BY created_at DESC, id DESC LIMIT $3"
                ),
                args![region, s.as_str(), limit],
                from_row,
            )
            .await
        }
        None => {
            db.fetch(
                &format!(
                    "SELECT {COLS} FROM deliveries WHERE region_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
                ),
                args![region, limit],
                from_row,
            )
            .await
        }
    }
}
