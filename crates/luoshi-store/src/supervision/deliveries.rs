//! Outgoing deliveries (e-mail, chat webhooks): queued once per (dedup key, channel, recipient),
//! then sent, retried with the caller's backoff, or given up, with a log a supervisor can read.

use crate::{Db, StoreError, Tx, args};
use luoshi_domain::ids::RegionId;
use time::OffsetDateTime;
use uuid::Uuid;

/// A message to deliver on a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub dedup_key: String,
    /// `email`, `dingtalk`, `wecom`, `feishu`, …
    pub channel: String,
    /// Who it is for (a user id, a unit id): one delivery per recipient and channel.
    pub recipient: String,
    /// Where it goes (an address, a webhook URL).
    pub target: String,
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
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// Queue a delivery unless the same one exists; `true` when queued.
pub async fn enqueue(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    d: &NewDelivery,
) -> Result<bool, StoreError> {
    let n = tx
        .execute(
            "INSERT INTO deliveries (region_id, id, dedup_key, channel, recipient, target, body, status, attempts, \
             next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10) ON CONFLICT DO NOTHING",
            args![
                region,
                Uuid::now_v7(),
                d.dedup_key.clone(),
                d.channel.clone(),
                d.recipient.clone(),
                d.target.clone(),
                d.body.clone(),
                DeliveryStatus::Pending.as_str(),
                d.not_before,
                at
            ],
        )
        .await?;
    Ok(n == 1)
}

const COLS: &str =
    "id, region_id, dedup_key, channel, recipient, target, body, status, attempts, last_error";

fn from_row(r: &dyn crate::Get) -> Result<Delivery, StoreError> {
    let status = r.text("status")?;
    Ok(Delivery {
        id: r.uuid("id")?,
        region: r.id("region_id")?,
        dedup_key: r.text("dedup_key")?,
        channel: r.text("channel")?,
        recipient: r.text("recipient")?,
        target: r.text("target")?,
        body: r.text("body")?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("delivery status {status}")))?,
        attempts: r.i32("attempts")?,
        last_error: r.text_opt("last_error")?,
    })
}

/// Pending deliveries (all regions) due at `now`, oldest first.
pub async fn due(db: &Db, now: OffsetDateTime, limit: i64) -> Result<Vec<Delivery>, StoreError> {
    db.fetch(
        &format!(
            "SELECT {COLS} FROM deliveries WHERE status = $1 AND next_attempt_at <= $2 \
             ORDER BY next_attempt_at, id LIMIT $3"
        ),
        args![DeliveryStatus::Pending.as_str(), now, limit],
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
                "UPDATE deliveries SET status = $3, attempts = attempts + 1, sent_at = $4, next_attempt_at = NULL \
                 WHERE region_id = $1 AND id = $2 AND status = 'pending' AND attempts = $5",
                args![d.region, d.id, DeliveryStatus::Sent.as_str(), at, d.attempts],
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
                "UPDATE deliveries SET status = $3, attempts = attempts + 1, last_error = $4, next_attempt_at = $5 \
                 WHERE region_id = $1 AND id = $2 AND status = 'pending' AND attempts = $6",
                vec![
                    d.region.into(),
                    d.id.into(),
                    status.as_str().into(),
                    error.into(),
                    match retry_at {
                        Some(t) => t.into(),
                        None => crate::Arg::Ts(at),
                    },
                    d.attempts.into(),
                ],
            )
            .await?
        }
    };
    Ok(n == 1)
}

/// The region's delivery log, newest first.
pub async fn log(db: &Db, region: RegionId, limit: i64) -> Result<Vec<Delivery>, StoreError> {
    db.fetch(
        &format!(
            "SELECT {COLS} FROM deliveries WHERE region_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ),
        args![region, limit],
        from_row,
    )
    .await
}
