//! Queueing deliveries beside inbox messages: an e-mail to each recipient who has an address and
//! wants e-mail, and one message to each enabled robot of the unit concerned. Deliveries wait for
//! the end of the policy's quiet hours (China Standard Time); the inbox never waits. A sender
//! (`luoshi-notify`) claims and sends them later.

use crate::AppError;
use luoshi_domain::ids::{RegionId, UnitId, UserId};
use luoshi_domain::supervision::{SupervisionPolicy, not_before};
use luoshi_store::supervision::channels::{self, Robot, redact_url};
use luoshi_store::supervision::deliveries::{self, NewDelivery};
use luoshi_store::{Db, Tx};
use std::collections::HashMap;
use time::OffsetDateTime;

/// What one message says, and where in the app it points.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing<'a> {
    pub dedup_key: &'a str,
    pub unit: UnitId,
    pub title: &'a str,
    pub body: &'a str,
    /// A path in the app, e.g. `/tasks/<id>`.
    pub link: &'a str,
}

/// The region's e-mail addresses and robots, loaded before the write transaction (a
/// one-connection SQLite pool would wait on a read inside it).
#[derive(Debug, Clone)]
pub(crate) struct Outbox {
    emails: HashMap<UserId, String>,
    robots: HashMap<UnitId, Vec<Robot>>,
    policy: SupervisionPolicy,
}

impl Outbox {
    pub(crate) async fn load(
        db: &Db,
        region: RegionId,
        policy: &SupervisionPolicy,
    ) -> Result<Self, AppError> {
        Ok(Self {
            emails: channels::email_addresses(db, region).await?,
            robots: channels::enabled_robots(db, region).await?,
            policy: policy.clone(),
        })
    }

    /// Queue the e-mails to `users` and the robot messages of `m.unit`; returns how many were
    /// new (a delivery already queued for the same key, channel and recipient is not repeated).
    pub(crate) async fn enqueue(
        &self,
        tx: &mut Tx,
        region: RegionId,
        at: OffsetDateTime,
        users: &[UserId],
        m: &Outgoing<'_>,
    ) -> Result<u64, AppError> {
        let list = self.deliveries(at, users, m);
        Ok(deliveries::enqueue_many(tx, region, at, &list).await?)
    }

    /// The e-mails to `users` and the robot messages of `m.unit`, to queue.
    pub(crate) fn deliveries(
        &self,
        at: OffsetDateTime,
        users: &[UserId],
        m: &Outgoing<'_>,
    ) -> Vec<NewDelivery> {
        let when = not_before(&self.policy, at);
        let mut out = Vec::new();
        for u in users {
            let Some(address) = self.emails.get(u) else {
                continue;
            };
            out.push(NewDelivery {
                dedup_key: m.dedup_key.to_owned(),
                channel: "email".into(),
                recipient: u.to_string(),
                target: address.clone(),
                title: m.title.to_owned(),
                body: email_body(m),
                not_before: when,
            });
        }
        for r in self.robots.get(&m.unit).map_or(&[][..], Vec::as_slice) {
            out.push(NewDelivery {
                dedup_key: m.dedup_key.to_owned(),
                channel: r.platform.as_str().into(),
                recipient: r.id.to_string(),
                target: redact_url(&r.url),
                title: m.title.to_owned(),
                body: robot_body(m),
                not_before: when,
            });
        }
        out
    }
}

/// The plain-text e-mail: the message, then where to read more.
pub(crate) fn email_body(m: &Outgoing<'_>) -> String {
    format!(
        "{}\n\n{}\n\n请登录落实系统查看：{}\n（本邮件由系统自动发送，请勿直接回复。）\n",
        m.title, m.body, m.link
    )
}

/// The robot message (Markdown where the platform renders it): heading, message, link path.
pub(crate) fn robot_body(m: &Outgoing<'_>) -> String {
    format!("{}\n\n系统链接：{}", m.body, m.link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_carry_title_text_and_link() {
        let m = Outgoing {
            dedup_key: "k",
            unit: UnitId::from_uuid(uuid::Uuid::nil()),
            title: "逾期催办：修路",
            body: "已逾期 1 天",
            link: "/tasks/42",
        };
        assert_eq!(
            email_body(&m),
            "逾期催办：修路\n\n已逾期 1 天\n\n请登录落实系统查看：/tasks/42\n（本邮件由系统自动发送，请勿直接回复。）\n"
        );
        assert_eq!(robot_body(&m), "已逾期 1 天\n\n系统链接：/tasks/42");
    }
}
