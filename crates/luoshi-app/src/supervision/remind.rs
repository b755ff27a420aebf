//! The workbench's one-click reminder: an in-app message to the lead unit's people about one
//! task. The dedup key names the task and the day, so a double click (or two clerks clicking)
//! sends once a day.

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::TaskId;
use luoshi_store::audit;
use luoshi_store::supervision::{self as store, NewMessage};
use serde_json::json;

impl App {
    /// Remind the task's lead unit (the supervision office); returns how many messages were
    /// new (0 when today's reminder was already sent).
    pub async fn remind_task(&self, actor: &Actor, id: TaskId) -> Result<u64, AppError> {
        require(actor, Permission::ReviewTask)?;
        let task = luoshi_store::tasks::get(&self.db, actor.region, id).await?;
        let today = self.today();
        let users = store::unit_recipients(&self.db, actor.region)
            .await?
            .remove(&task.fields.lead_unit)
            .unwrap_or_default();
        let key = format!("remind:task:{id}:{today}");
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        let m = NewMessage {
            to: users,
            dedup_key: key.clone(),
            event: None,
            notice: None,
            title: format!("督办提醒：{}", task.fields.title),
            body: format!("请抓紧推进并及时报送进度（截止 {}）", task.fields.deadline),
        };
        let sent =
            store::insert_messages(&mut tx, actor.region, ctx.at, std::slice::from_ref(&m)).await?;
        if sent == 0 {
            return Ok(0);
        }
        audit::record(
            &mut tx,
            &ctx,
            "remind",
            "task",
            &id.to_string(),
            None,
            Some(json!({ "dedup_key": key, "messages": sent })),
        )
        .await?;
        tx.commit().await?;
        Ok(sent)
    }
}
