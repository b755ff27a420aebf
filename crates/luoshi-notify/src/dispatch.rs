//! The dispatcher: claim due deliveries, send each in its own task with a timeout, record the
//! attempt (sent; pending again after a backoff; or failed for good).

use crate::{Mailer, SendError, WebhookMessage, Webhooks};
use luoshi_domain::supervision::{RetryPolicy, RobotPlatform};
use luoshi_store::supervision::channels;
use luoshi_store::supervision::deliveries::{self, Delivery};
use luoshi_store::{Db, StoreError};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::task::JoinSet;
use uuid::Uuid;

/// How the dispatcher works. Every number is policy with a documented default.
#[derive(Debug, Clone)]
pub struct DispatchConfig {
    /// Retries, backoff and the claim's lease (see [`RetryPolicy`]'s defaults).
    pub retry: RetryPolicy,
    /// Deliveries claimed at a time (default 16); all of a batch are sent concurrently.
    pub batch: i64,
    /// Batches per run at most (default 20), so one run ends even while messages keep coming.
    pub max_batches: u32,
    /// The longest one send may take (default 30 s; keep it under the lease).
    pub send_timeout: Duration,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            batch: 16,
            max_batches: 20,
            send_timeout: Duration::from_secs(30),
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    /// Failed and scheduled again.
    pub retried: usize,
    /// Failed for good.
    pub failed: usize,
    /// Attempts another sender recorded first (its lease had run out and ours was late).
    pub lost: usize,
}

struct Senders {
    mailer: Option<Mailer>,
    webhooks: Webhooks,
}

/// Sends queued deliveries. Several dispatchers (one per app server) may share a database:
/// claims make each delivery theirs alone until its lease runs out.
#[derive(Clone)]
pub struct Dispatcher {
    db: Db,
    worker: String,
    senders: Arc<Senders>,
    config: DispatchConfig,
}

impl std::fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher")
            .field("worker", &self.worker)
            .field("email", &self.senders.mailer.is_some())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Dispatcher {
    /// A dispatcher; without a mailer it leaves e-mail deliveries queued (never claims them).
    pub fn new(db: Db, mailer: Option<Mailer>, webhooks: Webhooks, config: DispatchConfig) -> Self {
        Self {
            db,
            worker: Uuid::new_v4().to_string(),
            senders: Arc::new(Senders { mailer, webhooks }),
            config,
        }
    }

    /// This dispatcher's name in `claimed_by`.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    fn channels(&self) -> Vec<&'static str> {
        let mut c: Vec<&'static str> = RobotPlatform::ALL.iter().map(|p| p.as_str()).collect();
        if self.senders.mailer.is_some() {
            c.push("email");
        }
        c
    }

    /// Send what is due at `now`: claim a batch, send all of it concurrently (each send in its
    /// own task, bounded by the timeout), record every outcome; repeat until nothing is due or
    /// `max_batches` were sent.
    pub async fn run_once(&self, now: OffsetDateTime) -> Result<DispatchReport, StoreError> {
        let channels = self.channels();
        let lease = time::Duration::seconds(self.config.retry.lease_seconds);
        let mut report = DispatchReport::default();
        for _ in 0..self.config.max_batches {
            let claimed = deliveries::claim(
                &self.db,
                &self.worker,
                &channels,
                now,
                lease,
                self.config.batch,
            )
            .await?;
            if claimed.is_empty() {
                break;
            }
            let mut tasks = JoinSet::new();
            for d in claimed {
                let me = self.clone();
                tasks.spawn(async move {
                    let outcome = match tokio::time::timeout(
                        me.config.send_timeout,
                        me.send(&d, now),
                    )
                    .await
                    {
                        Ok(r) => r,
                        Err(_) => Err(SendError::retry(format!(
                            "timed out after {} s",
                            me.config.send_timeout.as_secs()
                        ))),
                    };
                    let recorded = me.record(&d, now, &outcome).await;
                    (outcome, recorded)
                });
            }
            while let Some(joined) = tasks.join_next().await {
                let Ok((outcome, recorded)) = joined else {
                    // A send task panicked: its lease runs out and the delivery is retried.
                    continue;
                };
                match recorded? {
                    Recorded::Lost => report.lost += 1,
                    Recorded::Retry => report.retried += 1,
                    Recorded::GaveUp => report.failed += 1,
                    Recorded::Sent => report.sent += 1,
                }
                if let Err(e) = outcome {
                    tracing::warn!(error = %e.message, "delivery failed");
                }
            }
        }
        Ok(report)
    }

    async fn send(&self, d: &Delivery, now: OffsetDateTime) -> Result<(), SendError> {
        if d.channel == "email" {
            let Some(mailer) = &self.senders.mailer else {
                return Err(SendError::retry("e-mail is not configured"));
            };
            return mailer.send(&d.target, &d.title, &d.body).await;
        }
        let platform = RobotPlatform::parse(&d.channel)
            .ok_or_else(|| SendError::permanent(format!("unknown channel {}", d.channel)))?;
        let id = Uuid::parse_str(&d.recipient)
            .map_err(|_| SendError::permanent("the recipient is not a robot id"))?;
        let robot = channels::robot(&self.db, d.region, id)
            .await
            .map_err(|e| SendError::retry(format!("loading the robot: {e}")))?
            .filter(|r| r.enabled)
            .ok_or_else(|| SendError::permanent("the robot was removed or disabled"))?;
        let now_ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        let m = WebhookMessage::build(
            platform,
            &robot.url,
            robot.secret.as_deref(),
            &d.title,
            &d.body,
            now_ms,
        );
        self.senders.webhooks.post(&m).await
    }

    async fn record(
        &self,
        d: &Delivery,
        now: OffsetDateTime,
        outcome: &Result<(), SendError>,
    ) -> Result<Recorded, StoreError> {
        let attempts = u32::try_from(d.attempts).unwrap_or(0).saturating_add(1);
        let (arg, kind) = match outcome {
            Ok(()) => (Ok(()), Recorded::Sent),
            Err(e) => {
                let retry_at = if e.permanent {
                    None
                } else {
                    self.config.retry.retry_at(attempts, now)
                };
                let kind = if retry_at.is_some() {
                    Recorded::Retry
                } else {
                    Recorded::GaveUp
                };
                (Err((e.message.as_str(), retry_at)), kind)
            }
        };
        let mut tx = self.db.begin().await?;
        let changed = deliveries::record_attempt(&mut tx, d, now, arg).await?;
        tx.commit().await?;
        Ok(if changed { kind } else { Recorded::Lost })
    }
}

enum Recorded {
    Sent,
    Retry,
    GaveUp,
    Lost,
}
