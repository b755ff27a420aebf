//! The in-app inbox: one message per user and occurrence (dedup key).

use crate::{Db, Page, StoreError, Tx, args};
use luoshi_domain::ids::{NoticeId, RegionId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

/// A message to put in a user's inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub user: UserId,
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
    pub read_at: Option<OffsetDateTime>,
}

/// Insert a message unless the user already has one for the key; `true` when inserted.
pub async fn insert_message(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    m: &NewMessage,
) -> Result<bool, StoreError> {
    Ok(insert_messages(tx, region, at, std::slice::from_ref(m)).await? == 1)
}

/// Insert each message unless its user already has one for its key; returns how many were new.
pub async fn insert_messages(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    messages: &[NewMessage],
) -> Result<u64, StoreError> {
    let rows = messages
        .iter()
        .map(|m| {
            args![
                region,
                Uuid::now_v7(),
                m.user,
                m.dedup_key.clone(),
                m.event,
                m.notice,
                m.title.clone(),
                m.body.clone(),
                at
            ]
        })
        .collect();
    tx.insert_many(
        "INSERT INTO inbox_messages (region_id, id, user_id, dedup_key, event_id, notice_id, title, body, created_at)",
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
        "SELECT id, dedup_key, event_id, notice_id, title, body, created_at, read_at, \
         CASE WHEN read_at IS NULL THEN 0 ELSE 1 END AS is_read FROM inbox_messages \
         WHERE region_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
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
        "SELECT COUNT(*) AS n FROM inbox_messages WHERE region_id = $1 AND user_id = $2 AND read_at IS NULL",
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
            "UPDATE inbox_messages SET read_at = $4 WHERE region_id = $1 AND user_id = $2 AND id = $3 AND read_at IS NULL",
            args![region, user, id, at],
        )
        .await?;
    Ok(n == 1)
}
