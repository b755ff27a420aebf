//! Supervision notices (督办单) and the inbox, as use cases with authorisation, audit and
//! versions.

use super::outbox::{Outbox, Outgoing};
use crate::{App, AppError, require};
use luoshi_domain::authz::{self, Actor, Permission};
use luoshi_domain::ids::{NoticeId, RegionId, TaskId, UnitId};
use luoshi_domain::supervision::notice::{NoticeError, issue_permission};
use luoshi_domain::supervision::{Notice, NoticeAction, NoticeFields, NoticeStatus, NoticeSubject};
use luoshi_store::supervision::{self as store, Message, NewMessage};
use luoshi_store::{Page, Tx, audit};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What the supervision office writes on a new notice.
#[derive(Debug, Clone)]
pub struct NoticeInput {
    /// The task the notice is about; `None` addresses `unit`'s work as a whole.
    pub task: Option<TaskId>,
    /// The addressed unit; for a task it must be the task's lead unit (or left `None`).
    pub unit: Option<UnitId>,
    pub requirement: String,
    pub respond_by: Date,
}

/// A user's inbox page and unread count.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbox {
    pub messages: Vec<Message>,
    pub unread: i64,
}

impl From<NoticeError> for AppError {
    fn from(e: NoticeError) -> Self {
        match e {
            NoticeError::Invalid(v) => AppError::Validation(v),
            NoticeError::NotAllowed { .. } => AppError::Conflict {
                code: "invalid_transition",
                message: e.to_string(),
            },
        }
    }
}

/// Tell the addressed unit's people about a notice (once per user and notice), in-app and on
/// the unit's other channels.
async fn notify_unit(
    tx: &mut Tx,
    region: RegionId,
    at: OffsetDateTime,
    users: &[luoshi_domain::ids::UserId],
    outbox: &Outbox,
    n: &Notice,
) -> Result<(), AppError> {
    let dedup_key = format!("notice:{}:issued", n.id);
    let title = format!("督办单 {}", n.number);
    let m = NewMessage {
        to: users.to_vec(),
        dedup_key: dedup_key.clone(),
        event: None,
        notice: Some(n.id),
        title: title.clone(),
        body: n.fields.requirement.clone(),
    };
    store::insert_messages(tx, region, at, std::slice::from_ref(&m)).await?;
    let link = format!("/notices/{}", n.id);
    let out = Outgoing {
        dedup_key: &dedup_key,
        unit: n.fields.unit,
        title: &title,
        body: &n.fields.requirement,
        link: &link,
    };
    outbox.enqueue(tx, region, at, users, &out).await?;
    Ok(())
}

impl App {
    async fn notice_fields(
        &self,
        actor: &Actor,
        input: &NoticeInput,
        follows: Option<NoticeId>,
    ) -> Result<NoticeFields, AppError> {
        let (subject, unit) = match input.task {
            Some(t) => {
                let task = luoshi_store::tasks::get(&self.db, actor.region, t).await?;
                let lead = task.fields.lead_unit;
                if input.unit.is_some_and(|u| u != lead) {
                    return Err(AppError::invalid(
                        "unit_id",
                        "not_lead_unit",
                        "a notice on a task is addressed to the task's lead unit",
                    ));
                }
                (NoticeSubject::Task(t), lead)
            }
            None => {
                let unit = input.unit.ok_or_else(|| {
                    AppError::invalid("unit_id", "required", "name the task or the unit")
                })?;
                luoshi_store::units::get(&self.db, actor.region, unit)
                    .await
                    .map_err(|_| AppError::invalid("unit_id", "not_found", "no such unit"))?;
                (NoticeSubject::Unit, unit)
            }
        };
        Ok(NoticeFields {
            subject,
            unit,
            requirement: input.requirement.clone(),
            issued_on: self.today(),
            respond_by: input.respond_by,
            follows,
        }
        .validate()?)
    }

    async fn insert_new_notice(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        fields: NoticeFields,
        prefix: &str,
        users: &[luoshi_domain::ids::UserId],
        outbox: &Outbox,
    ) -> Result<Notice, AppError> {
        let seq = store::next_notice_sequence(tx, actor.region, fields.issued_on.year()).await?;
        let n = Notice::issue(
            NoticeId::from_uuid(Uuid::now_v7()),
            actor.region,
            prefix,
            seq,
            fields,
        )?;
        let ctx = self.ctx(actor);
        store::insert_notice(tx, &ctx, &n).await?;
        notify_unit(tx, actor.region, ctx.at, users, outbox, &n).await?;
        Ok(n)
    }

    /// Issue a notice (the supervision office), numbered 督办〔year〕n号 by the region's policy.
    pub async fn issue_notice(
        &self,
        actor: &Actor,
        input: &NoticeInput,
    ) -> Result<Notice, AppError> {
        require(actor, issue_permission())?;
        let fields = self.notice_fields(actor, input, None).await?;
        let policy = self.supervision_policy(actor.region).await?;
        let users = self.unit_users(actor.region, fields.unit).await?;
        let outbox = Outbox::load(&self.db, actor.region, &policy).await?;
        let mut tx = self.db.begin().await?;
        let n = self
            .insert_new_notice(
                &mut tx,
                actor,
                fields,
                &policy.notice_prefix,
                &users,
                &outbox,
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn unit_users(
        &self,
        region: RegionId,
        unit: UnitId,
    ) -> Result<Vec<luoshi_domain::ids::UserId>, AppError> {
        Ok(store::unit_recipients(&self.db, region)
            .await?
            .remove(&unit)
            .unwrap_or_default())
    }

    async fn notice_for_action(
        &self,
        actor: &Actor,
        id: NoticeId,
        version: i64,
        action: &NoticeAction,
    ) -> Result<(Notice, Notice), AppError> {
        let n = store::get_notice(&self.db, actor.region, id).await?;
        require(actor, action.permission(n.fields.unit))?;
        if n.version != version {
            return Err(AppError::Conflict {
                code: "version_conflict",
                message: format!(
                    "the notice was changed by someone else; reload it (your version {version}, current {})",
                    n.version
                ),
            });
        }
        let after = n.after(action, self.today())?;
        Ok((n, after))
    }

    /// The addressed unit answers a notice in writing.
    pub async fn respond_to_notice(
        &self,
        actor: &Actor,
        id: NoticeId,
        version: i64,
        text: &str,
    ) -> Result<Notice, AppError> {
        let action = NoticeAction::Respond { text: text.into() };
        let (before, after) = self.notice_for_action(actor, id, version, &action).await?;
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        if let Some(r) = &after.response {
            store::insert_response(&mut tx, &ctx, id, r).await?;
        }
        let n = store::update_notice(&mut tx, &ctx, "respond", &before, &after).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The supervision office accepts the response.
    pub async fn accept_notice(
        &self,
        actor: &Actor,
        id: NoticeId,
        version: i64,
    ) -> Result<Notice, AppError> {
        let (before, after) = self
            .notice_for_action(actor, id, version, &NoticeAction::Accept)
            .await?;
        let mut tx = self.db.begin().await?;
        let n = store::update_notice(&mut tx, &self.ctx(actor), "accept", &before, &after).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Close a notice with a further one on the same subject; returns (closed, new).
    pub async fn follow_up_notice(
        &self,
        actor: &Actor,
        id: NoticeId,
        version: i64,
        reason: &str,
        requirement: &str,
        respond_by: Date,
    ) -> Result<(Notice, Notice), AppError> {
        let action = NoticeAction::FollowUp {
            reason: reason.into(),
        };
        let (before, after) = self.notice_for_action(actor, id, version, &action).await?;
        let fields = before
            .follow_up(requirement, self.today(), respond_by)
            .validate()?;
        let policy = self.supervision_policy(actor.region).await?;
        let users = self.unit_users(actor.region, fields.unit).await?;
        let outbox = Outbox::load(&self.db, actor.region, &policy).await?;
        let mut tx = self.db.begin().await?;
        let closed =
            store::update_notice(&mut tx, &self.ctx(actor), "follow_up", &before, &after).await?;
        let new = self
            .insert_new_notice(
                &mut tx,
                actor,
                fields,
                &policy.notice_prefix,
                &users,
                &outbox,
            )
            .await?;
        tx.commit().await?;
        Ok((closed, new))
    }

    /// Notices the actor may read (unit-scoped users: those addressed to their units).
    pub async fn notices(
        &self,
        actor: &Actor,
        status: Option<NoticeStatus>,
    ) -> Result<Vec<Notice>, AppError> {
        let all = store::list_notices(&self.db, actor.region, status).await?;
        Ok(all
            .into_iter()
            .filter(|n| {
                authz::allowed(
                    actor,
                    Permission::ReadTask {
                        lead: n.fields.unit,
                        co_units: &[],
                    },
                )
            })
            .collect())
    }

    /// One notice, if the actor may read it.
    pub async fn notice(&self, actor: &Actor, id: NoticeId) -> Result<Notice, AppError> {
        let n = store::get_notice(&self.db, actor.region, id).await?;
        require(
            actor,
            Permission::ReadTask {
                lead: n.fields.unit,
                co_units: &[],
            },
        )?;
        Ok(n)
    }

    /// The actor's own inbox, newest first, with the unread count.
    pub async fn inbox(&self, actor: &Actor, page: Page) -> Result<Inbox, AppError> {
        Ok(Inbox {
            messages: store::inbox(&self.db, actor.region, actor.user, page).await?,
            unread: store::unread_count(&self.db, actor.region, actor.user).await?,
        })
    }

    /// Mark one of the actor's messages read; `NotFound` when it is not theirs. Marking a read
    /// message again changes nothing.
    pub async fn mark_read(&self, actor: &Actor, message: Uuid) -> Result<(), AppError> {
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        if store::mark_read(&mut tx, actor.region, actor.user, message, ctx.at).await? {
            audit::record_event(
                &mut tx,
                &ctx,
                "read",
                "inbox_message",
                &message.to_string(),
                None,
                None,
            )
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        drop(tx);
        let mine = store::inbox(
            &self.db,
            actor.region,
            actor.user,
            Page {
                limit: i64::MAX,
                offset: 0,
            },
        )
        .await?;
        if mine.iter().any(|m| m.id == message) {
            Ok(())
        } else {
            Err(AppError::NotFound { entity: "message" })
        }
    }
}
