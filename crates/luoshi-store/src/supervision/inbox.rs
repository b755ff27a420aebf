//! The in-app inbox: one message per occurrence (dedup key), kept once, and one recipient row
//! per user holding that user's read mark.

use crate::{Db, Page, StoreError, Tx, args};
use luoshi_domain::ids::{NoticeId, RegionId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

/// A message to put in its recipients' inboxes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// The recipients; a message with none is not stored.
    pub to: Vec<UserId>,
    /// The occurrence; a user gets one message per key.
    pub dedup_key: String,
    pub event: Option<Uuid>,
    pub notice: Option<NoticeId>,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: Uuid,
    pub dedup_key: String,
    pub event: Option<Uuid>,
    pub notice: Option<NoticeId>,
    pub title: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    /// When this user read it.
    pub read_at: Option<OffsetDateTime>,
}

/// Put each message in its recipients' inboxes, skipping a recipient who already has one with
/// its key; returns how many recipients got a new message.
///
/// A key seen before keeps its first text: new recipients of a known key get that message.
pub async fn insert_messages(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    messages: &[NewMessage],
) -> Result<u64, StoreError> {
    let messages: Vec<(Uuid, &NewMessage)> = messages
        .iter()
        .filter(|m| !m.to.is_empty())
        .map(|m| (Uuid::now_v7(), m))
        .collect();
    let rows = messages
        .iter()
        .map(|(id, m)| {
            args![
                region,
                *id,
                m.dedup_key.clone(),
                m.event,
                m.notice,
                m.title.clone(),
                m.body.clone(),
                at
            ]
        })
        .collect();
    let n = tx
        .insert_many(
            "INSERT INTO inbox_messages (region_id, id, dedup_key, event_id, notice_id, title, body, created_at)",
            rows,
            "ON CONFLICT DO NOTHING",
        )
        .await?;
    // The usual case: every key was new and each message keeps the id it was given. Otherwise
    // the stored ids of the keys are read (a key may also repeat within `messages`).
    let ids: Vec<Uuid> = if n == messages.len() as u64 {
        messages.iter().map(|(id, _)| *id).collect()
    } else {
        let keys: Vec<&str> = messages.iter().map(|(_, m)| m.dedup_key.as_str()).collect();
        let stored = super::ids_of_keys(tx, "inbox_messages", region, &keys).await?;
        messages
            .iter()
            .map(|(_, m)| {
                stored.get(&m.dedup_key).copied().ok_or_else(|| {
                    StoreError::Corrupt(format!("inbox message {} was not stored", m.dedup_key))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let rows = messages
        .iter()
        .zip(ids)
        .flat_map(|((_, m), id)| m.to.iter().map(move |u| args![region, *u, id]))
        .collect();
    tx.insert_many(
        "INSERT INTO inbox_recipients (region_id, user_id, message_id)",
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await
}

/// A user's messages, newest first.
pub async fn inbox(
    db: &Db,
    region: RegionId,
    user: UserId,
    page: Page,
) -> Result<Vec<Message>, StoreError> {
    db.fetch(
        "SELECT m.id, m.dedup_key, m.event_id, m.notice_id, m.title, m.body, m.created_at, r.read_at, \
         CASE WHEN r.read_at IS NULL THEN 0 ELSE 1 END AS is_read \
         FROM inbox_recipients r JOIN inbox_messages m ON m.region_id = r.region_id AND m.id = r.message_id \
         WHERE r.region_id = $1 AND r.user_id = $2 \
         ORDER BY m.created_at DESC, m.id DESC LIMIT $3 OFFSET $4",
        args![region, user, page.limit, page.offset],
        |r| {
            Ok(Message {
                id: r.uuid("id")?,
                dedup_key: r.text("dedup_key")?,
                event: r.uuid_opt("event_id")?,
                notice: r.uuid_opt("notice_id")?.map(NoticeId::from),
                title: r.text("title")?,
                body: r.text("body")?,
                created_at: r.ts("created_at")?,
                read_at: if r.i32("is_read")? == 1 {
                    Some(r.ts("read_at")?)
                } else {
                    None
                },
            })
        },
    )
    .await
}

/// How many of a user's messages are unread.
pub async fn unread_count(db: &Db, region: RegionId, user: UserId) -> Result<i64, StoreError> {
    db.fetch_optional(
        "SELECT COUNT(*) AS n FROM inbox_recipients WHERE region_id = $1 AND user_id = $2 AND read_at IS NULL",
        args![region, user],
        |r| r.i64("n"),
    )
    .await
    .map(|n| n.unwrap_or(0))
}

/// Mark a user's message read (once). `false` when it is not theirs or already read.
pub async fn mark_read(
    tx: &mut Tx,
    region: RegionId,
    user: UserId,
    id: Uuid,
    at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = tx
        .execute(
            "UPDATE inbox_recipients SET read_at = $4 \
             WHERE region_id = $1 AND user_id = $2 AND message_id = $3 AND read_at IS NULL",
            args![region, user, id, at],
        )
        .await?;
    Ok(n == 1)
}
