//! Supervision: the sweep (facts → events, stored once, with inbox messages), supervision
//! notices (issue, respond, accept, follow up) and the inbox.
//!
//! The sweep loads what the domain's [`luoshi_domain::supervision::sweep()`] needs, runs it, and
//! writes in ONE transaction the events that are new, the lamps that changed, the new monthly
//! checkpoints and one inbox message per recipient and event. Every insert is keyed (event dedup
//! key; user + key for messages), so repeated or concurrent sweeps add nothing. A sweep that finds
//! nothing new rolls its transaction back: no audit row, no data-version bump.

mod channels;
mod facts;
mod notices;
mod outbox;
mod policy_edit;
mod remind;

pub use channels::RobotInput;
pub use luoshi_store::supervision::channels::{Contact, Robot, redact_url};
pub use luoshi_store::supervision::deliveries::{Delivery, DeliveryStatus};
pub use notices::{Inbox, NoticeInput};
pub use policy_edit::{PolicyState, may_edit_policy};

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{RegionId, TaskId, UserId};
use luoshi_domain::lamp::{Lamp, LampPolicy};
use luoshi_domain::supervision::{
    EscalationTarget, EventKind, Subject, SupervisionEvent, SupervisionPolicy, SweepFacts,
    TaskFacts,
};
use luoshi_domain::task::Task;
use luoshi_store::supervision::{self as store, NewMessage};
use luoshi_store::{AuditCtx, audit};
use serde_json::json;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// Who runs a sweep: the server's own sweeper (for a region) or a signed-in supervisor.
#[derive(Debug, Clone, Copy)]
pub enum Sweeper<'a> {
    System(RegionId),
    Actor(&'a Actor),
}

/// An event recorded by a sweep, with its stored id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    pub id: Uuid,
    pub event: SupervisionEvent,
}

/// A short Chinese title for an event kind (message titles).
fn kind_title(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::DeadlineApproaching { .. } => "临近截止提醒",
        EventKind::Overdue { .. } => "逾期催办",
        EventKind::ReportMissing { .. } => "进度未按时报送",
        EventKind::LampChanged { .. } => "亮灯变化",
        EventKind::CardIssued { .. } => "红黄牌警示",
        EventKind::Escalated { .. } => "升级督办",
    }
}

impl App {
    /// The region's supervision policy (the saved current version, or the default).
    pub async fn supervision_policy(
        &self,
        region: RegionId,
    ) -> Result<SupervisionPolicy, AppError> {
        Ok(store::current_policy(&self.db, region)
            .await?
            .map(|(_, p)| p)
            .unwrap_or_default())
    }

    /// The region's lamp thresholds: its supervision policy's (the defaults until one is saved).
    pub(crate) async fn lamp_policy(&self, region: RegionId) -> Result<LampPolicy, AppError> {
        Ok(self.supervision_policy(region).await?.lamps)
    }

    /// Save a new version of the actor's region's supervision policy (administrators).
    pub async fn save_supervision_policy(
        &self,
        actor: &Actor,
        policy: &SupervisionPolicy,
    ) -> Result<i64, AppError> {
        require(actor, Permission::ManagePlans)?;
        policy.validate()?;
        let mut tx = self.db.begin().await?;
        let v = store::save_policy(&mut tx, &self.ctx(actor), policy).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Record which person (e.g. a lead official) a user account belongs to, so escalations
    /// about that person's tasks reach the account (administrators).
    pub async fn link_user_person(
        &self,
        actor: &Actor,
        user: UserId,
        person: Option<luoshi_domain::ids::PersonId>,
    ) -> Result<(), AppError> {
        require(actor, Permission::ManageUsers)?;
        let mut tx = self.db.begin().await?;
        store::link_person(&mut tx, &self.ctx(actor), user, person).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sweep a region as of `as_of` and record what is new; returns the new events, oldest first.
    pub async fn sweep(
        &self,
        who: Sweeper<'_>,
        as_of: Date,
    ) -> Result<Vec<RecordedEvent>, AppError> {
        let (region, actor) = match who {
            Sweeper::System(r) => (r, None),
            Sweeper::Actor(a) => {
                require(a, Permission::ReviewTask)?;
                (a.region, Some(a.user))
            }
        };
        let policy = self.supervision_policy(region).await?;
        let db = &self.db;
        let (tasks, reports): (Vec<Task>, Vec<Vec<Date>>) =
            luoshi_store::tasks::all_with_report_days(db, region)
                .await?
                .into_iter()
                .unzip();
        let lamps = store::last_lamps(db, region).await?;
        let checkpoints = store::checkpoints(db, region).await?;
        let notices = store::open_notices(db, region).await?;
        let mut other = facts::OtherFacts::default();
        facts::indicator_obligations(db, region, &policy, as_of, &mut other).await?;
        facts::project_items(db, region, &self.project_policy, &lamps, as_of, &mut other).await?;
        facts::petition_items(self, region, &lamps, as_of, &mut other).await?;
        // Tasks' lamps by id: one lookup per task and per observation, no key to format.
        let task_lamps: HashMap<TaskId, Lamp> = lamps
            .iter()
            .filter_map(|(k, l)| Subject::task_of_key(k).map(|t| (t, *l)))
            .collect();
        let facts: Vec<TaskFacts<'_>> = tasks
            .iter()
            .zip(&reports)
            .map(|(t, report_dates)| TaskFacts {
                task: t,
                report_dates,
                last_lamp: task_lamps.get(&t.id).copied(),
                checkpoints: checkpoints.get(&t.id).map_or(&[], Vec::as_slice),
            })
            .collect();
        let out = luoshi_domain::supervision::sweep(
            &policy,
            as_of,
            &SweepFacts {
                tasks: &facts,
                notices: &notices,
                indicators: &other.indicators,
                items: &other.items,
            },
        );
        // Events already recorded (the usual case for a re-run) are dropped before any write.
        let keys: Vec<&str> = out.events.iter().map(|e| e.dedup_key.as_str()).collect();
        let known = store::known_keys(db, region, &keys).await?;
        let mut out = out;
        out.events.retain(|e| !known.contains(&e.dedup_key));
        let changed: Vec<_> = out
            .lamps
            .iter()
            .filter(|o| {
                let last = match &o.subject {
                    Subject::Task(t) => task_lamps.get(t),
                    other => lamps.get(&other.to_string()),
                };
                last != Some(&o.lamp)
            })
            .cloned()
            .collect();
        if out.events.is_empty() && changed.is_empty() && out.checkpoints.is_empty() {
            return Ok(vec![]);
        }
        let ctx = AuditCtx {
            region,
            actor,
            at: self.now(),
        };
        // Everything the transaction writes is prepared before it begins, so the one SQLite
        // writer is held only for the inserts: each event gets its id now, its messages and
        // deliveries refer to it.
        let units = store::unit_recipients(db, region).await?;
        let people = store::person_users(db, region).await?;
        let outbox = outbox::Outbox::load(db, region, &policy).await?;
        let events: Vec<(Uuid, SupervisionEvent)> = out
            .events
            .into_iter()
            .map(|e| (Uuid::now_v7(), e))
            .collect();
        let by_id: HashMap<TaskId, &Task> = tasks.iter().map(|t| (t.id, t)).collect();
        // Per event: its messages and deliveries (kept only if the event turns out to be new).
        let mut prepared: Vec<(NewMessage, Vec<_>)> = Vec::with_capacity(events.len());
        for (id, e) in &events {
            let task = match &e.subject {
                Subject::Task(t) | Subject::Milestone { task: t, .. } => by_id.get(t).copied(),
                _ => None,
            };
            let mut to: Vec<UserId> = units.get(&e.unit).cloned().unwrap_or_default();
            // The lead official hears when the task slides past its deadline (the first overdue
            // mark), when it turns red, and when it is escalated to them; not every re-reminder.
            let on_task = matches!(e.subject, Subject::Task(_));
            let to_official = match &e.kind {
                EventKind::Escalated {
                    target: EscalationTarget::LeadOfficial,
                    ..
                } => true,
                EventKind::Overdue { days_over: 1 } => on_task,
                EventKind::LampChanged { to: Lamp::Red, .. } => on_task,
                _ => false,
            };
            if let Some(u) = task
                .and_then(|t| t.fields.lead_official)
                .and_then(|p| people.get(&p))
                .filter(|_| to_official)
            {
                to.push(*u);
            }
            to.sort();
            to.dedup();
            let label = task
                .map(|t| &t.fields.title)
                .or_else(|| other.labels.get(&e.subject.to_string()));
            let title = match label {
                Some(l) => format!("{}：{l}", kind_title(&e.kind)),
                None => kind_title(&e.kind).to_owned(),
            };
            let link =
                task.map_or_else(|| "/supervision".to_owned(), |t| format!("/tasks/{}", t.id));
            let out = outbox::Outgoing {
                dedup_key: &e.dedup_key,
                unit: e.unit,
                title: &title,
                body: &e.detail,
                link: &link,
            };
            let queued = outbox.deliveries(ctx.at, &to, &out);
            let inbox = NewMessage {
                to,
                dedup_key: e.dedup_key.clone(),
                event: Some(*id),
                notice: None,
                title,
                body: e.detail.clone(),
            };
            prepared.push((inbox, queued));
        }
        let identified: Vec<(Uuid, &SupervisionEvent)> =
            events.iter().map(|(id, e)| (*id, e)).collect();
        let mut tx = self.db.begin().await?;
        let new = store::insert_identified_events(&mut tx, region, ctx.at, &identified).await?;
        let lamps_written = store::observe_lamps(&mut tx, region, as_of, &changed).await?;
        let cps = store::insert_checkpoints(&mut tx, region, ctx.at, &out.checkpoints).await?;
        if new.is_empty() && lamps_written == 0 && cps == 0 {
            // Someone else recorded all of it first: write nothing.
            return Ok(vec![]);
        }
        // Messages and deliveries of the events this sweep recorded (a concurrent sweeper that
        // recorded an event first also sent its messages).
        let (mut inbox, mut queued) = (Vec::new(), Vec::new());
        for ((id, _), (m, d)) in events.iter().zip(prepared) {
            if new.contains(id) {
                inbox.push(m);
                queued.extend(d);
            }
        }
        let messages = store::insert_messages(&mut tx, region, ctx.at, &inbox).await?;
        store::deliveries::enqueue_many(&mut tx, region, ctx.at, &queued).await?;
        audit::record(
            &mut tx,
            &ctx,
            "sweep",
            "supervision",
            &as_of.to_string(),
            None,
            Some(json!({
                "events": new.len(), "lamps": lamps_written, "checkpoints": cps, "messages": messages,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(events
            .into_iter()
            .filter(|(id, _)| new.contains(id))
            .map(|(id, event)| RecordedEvent { id, event })
            .collect())
    }
}
