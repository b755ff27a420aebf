//! Tasks: creation (one or a batch, all or nothing), edits, lifecycle, progress, listings.

use crate::{App, AppError, require};
use luoshi_domain::authz::{self, Actor, Permission, TaskScope};
use luoshi_domain::ids::{PersonId, PlanId, ReportId, SectionId, TaskId, UnitId};
use luoshi_domain::lamp::{Lamp, LampPolicy};
use luoshi_domain::task::{
    self, ProgressInput, Task, TaskAction, TaskFields, TaskStanding, TaskStatus,
};
use luoshi_store::tasks::{self as store, TaskEvent, TaskFilter, TaskSort};
use luoshi_store::{Page, progress};
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

/// A file uploaded with a progress report.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub filename: String,
    pub bytes: Vec<u8>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A task to create; `assign` sends it to the lead unit at once (otherwise it stays a draft).
#[derive(Debug, Clone)]
pub struct NewTask {
    pub fields: TaskFields,
    pub assign: bool,
}

/// A task with its standing today.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    pub task: Task,
    pub standing: TaskStanding,
}

/// A task with its history.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDetail {
    pub view: TaskView,
    pub reports: Vec<progress::StoredReport>,
    pub events: Vec<TaskEvent>,
    pub attachments: Vec<luoshi_store::attachments::AttachmentMeta>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub plan: Option<PlanId>,
    pub lead_unit: Option<UnitId>,
    pub section: Option<SectionId>,
    pub statuses: Vec<TaskStatus>,
    pub lamps: Vec<Lamp>,
    pub overdue: bool,
    pub deadline_from: Option<Date>,
    pub deadline_to: Option<Date>,
    pub lead_official: Option<PersonId>,
    pub sort: TaskSort,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskListing {
    pub items: Vec<TaskView>,
    pub total: i64,
}

/// The references a batch of tasks may use, loaded once.
struct Refs {
    units: HashSet<UnitId>,
    people: HashSet<PersonId>,
    sections: HashSet<SectionId>,
}

impl Refs {
    fn check(&self, f: &TaskFields) -> Result<(), luoshi_domain::ValidationError> {
        use luoshi_domain::ValidationError as E;
        if !self.units.contains(&f.lead_unit) {
            return Err(E::new(
                "lead_unit_id",
                "not_found",
                "no such unit in this region",
            ));
        }
        for (i, u) in f.co_units.iter().enumerate() {
            if !self.units.contains(u) {
                return Err(E::new(
                    format!("co_unit_ids[{i}]"),
                    "not_found",
                    "no such unit in this region",
                ));
            }
        }
        for (field, p) in [
            ("lead_official_id", f.lead_official),
            ("responsible_person_id", f.responsible_person),
            ("liaison_id", f.liaison),
        ] {
            if p.is_some_and(|p| !self.people.contains(&p)) {
                return Err(E::new(field, "not_found", "no such person in this region"));
            }
        }
        if f.section.is_some_and(|s| !self.sections.contains(&s)) {
            return Err(E::new(
                "section_id",
                "not_found",
                "no such section in this plan",
            ));
        }
        Ok(())
    }
}

impl App {
    async fn refs(&self, actor: &Actor, plan: PlanId) -> Result<Refs, AppError> {
        let units = luoshi_store::units::list(&self.db, actor.region)
            .await?
            .into_iter()
            .map(|(u, _)| u.id)
            .collect();
        let people = luoshi_store::units::list_people(&self.db, actor.region, None)
            .await?
            .into_iter()
            .map(|(p, _)| p.id)
            .collect();
        let sections = luoshi_store::plans::sections(&self.db, actor.region, plan)
            .await?
            .into_iter()
            .map(|(s, _)| s.id)
            .collect();
        Ok(Refs {
            units,
            people,
            sections,
        })
    }

    /// The task's standing today under the region's lamp thresholds.
    pub fn standing(&self, t: &Task, lamps: &LampPolicy) -> TaskStanding {
        task::standing(t, self.today(), lamps)
    }

    fn view(&self, t: Task, lamps: &LampPolicy) -> TaskView {
        TaskView {
            standing: self.standing(&t, lamps),
            task: t,
        }
    }

    pub async fn create_task(
        &self,
        actor: &Actor,
        plan: PlanId,
        new: NewTask,
    ) -> Result<TaskView, AppError> {
        let mut out = self
            .create_tasks(actor, plan, vec![new])
            .await
            .map_err(|(_, e)| e)?;
        out.pop()
            .ok_or(AppError::Internal("no task created".into()))
    }

    /// Create many tasks in one transaction: all are created, or none (the error names the
    /// index of the failing task).
    pub async fn create_tasks(
        &self,
        actor: &Actor,
        plan: PlanId,
        new: Vec<NewTask>,
    ) -> Result<Vec<TaskView>, (usize, AppError)> {
        require(actor, Permission::ManagePlans).map_err(|e| (0, e))?;
        luoshi_store::plans::get(&self.db, actor.region, plan)
            .await
            .map_err(|e| (0, e.into()))?;
        let refs = self.refs(actor, plan).await.map_err(|e| (0, e))?;
        let mut tasks = Vec::with_capacity(new.len());
        for (i, n) in new.into_iter().enumerate() {
            let fields = n.fields.validate().map_err(|e| (i, e.into()))?;
            refs.check(&fields).map_err(|e| (i, e.into()))?;
            tasks.push(Task::new(
                TaskId::from_uuid(Uuid::now_v7()),
                actor.region,
                plan,
                fields,
                n.assign,
            ));
        }
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await.map_err(|e| (0, e.into()))?;
        for (i, t) in tasks.iter().enumerate() {
            store::insert(&mut tx, &ctx, t)
                .await
                .map_err(|e| (i, e.into()))?;
        }
        tx.commit().await.map_err(|e| (0, e.into()))?;
        let lamps = self.lamp_policy(actor.region).await.map_err(|e| (0, e))?;
        Ok(tasks.into_iter().map(|t| self.view(t, &lamps)).collect())
    }

    pub async fn update_task(
        &self,
        actor: &Actor,
        id: TaskId,
        f: TaskFields,
        expected: i64,
    ) -> Result<TaskView, AppError> {
        require(actor, Permission::ManagePlans)?;
        let f = f.validate()?;
        let current = store::get(&self.db, actor.region, id).await?;
        self.refs(actor, current.plan).await?.check(&f)?;
        let mut tx = self.db.begin().await?;
        let t = store::update_fields(&mut tx, &self.ctx(actor), id, &f, expected).await?;
        tx.commit().await?;
        Ok(self.view(t, &self.lamp_policy(actor.region).await?))
    }

    fn can_read(actor: &Actor, t: &Task) -> bool {
        authz::allowed(
            actor,
            Permission::ReadTask {
                lead: t.fields.lead_unit,
                co_units: &t.fields.co_units,
            },
        )
    }

    pub async fn get_task(&self, actor: &Actor, id: TaskId) -> Result<TaskDetail, AppError> {
        let t = store::get(&self.db, actor.region, id).await?;
        if !Self::can_read(actor, &t) {
            return Err(AppError::Forbidden);
        }
        let reports = progress::for_task(&self.db, actor.region, id).await?;
        let events = store::events(&self.db, actor.region, id).await?;
        let attachments = luoshi_store::attachments::for_task(&self.db, actor.region, id).await?;
        let lamps = self.lamp_policy(actor.region).await?;
        Ok(TaskDetail {
            view: self.view(t, &lamps),
            reports,
            events,
            attachments,
        })
    }

    /// Tasks matching the query within what the actor may read. Lamp filters are applied to the
    /// derived lamps (never computed in SQL), then paged.
    /// The store filter for a query, narrowed to what the actor may read.
    pub(crate) fn filter_of(&self, actor: &Actor, q: &TaskQuery) -> TaskFilter {
        let visible_to_units = match authz::task_scope(actor) {
            TaskScope::All => None,
            TaskScope::Units(u) => Some(u),
        };
        TaskFilter {
            plan: q.plan,
            lead_unit: q.lead_unit,
            section: q.section,
            statuses: q.statuses.clone(),
            lead_official: q.lead_official,
            deadline_from: q.deadline_from,
            deadline_to: q.deadline_to,
            overdue_on: q.overdue.then(|| self.today()),
            visible_to_units,
            external_id: None,
        }
    }

    /// Every task matching the query (no paging), complete with cooperating units: for exports.
    pub async fn export_tasks(
        &self,
        actor: &Actor,
        q: &TaskQuery,
    ) -> Result<Vec<TaskView>, AppError> {
        let filter = self.filter_of(actor, q);
        let lamps = self.lamp_policy(actor.region).await?;
        let mut all: Vec<TaskView> = store::all_complete(&self.db, actor.region, &filter)
            .await?
            .into_iter()
            .map(|t| self.view(t, &lamps))
            .filter(|v| q.lamps.is_empty() || v.standing.lamp.is_some_and(|l| q.lamps.contains(&l)))
            .collect();
        sort_views(&mut all, q.sort);
        Ok(all)
    }

    /// A page of tasks (memoised per data version and day; see [`crate::Snapshot`]).
    pub async fn list_tasks(
        &self,
        actor: &Actor,
        q: &TaskQuery,
    ) -> Result<std::sync::Arc<TaskListing>, AppError> {
        let snap = self.snapshot(actor).await?;
        self.list_tasks_in(actor, &snap, q).await
    }

    pub(crate) async fn list_tasks_uncached(
        &self,
        actor: &Actor,
        q: &TaskQuery,
        lamps: &LampPolicy,
    ) -> Result<TaskListing, AppError> {
        let filter = self.filter_of(actor, q);
        let limit = q.limit.clamp(1, 500);
        let offset = q.offset.max(0);
        if q.lamps.is_empty() {
            let (rows, total) = store::list(
                &self.db,
                actor.region,
                &filter,
                q.sort,
                Page { limit, offset },
            )
            .await?;
            return Ok(TaskListing {
                items: rows.into_iter().map(|t| self.view(t, lamps)).collect(),
                total,
            });
        }
        let mut all: Vec<TaskView> = store::all(&self.db, actor.region, &filter)
            .await?
            .into_iter()
            .map(|t| self.view(t, lamps))
            .filter(|v| v.standing.lamp.is_some_and(|l| q.lamps.contains(&l)))
            .collect();
        sort_views(&mut all, q.sort);
        let total = all.len() as i64;
        let items: Vec<TaskView> = all
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .collect();
        // Pages carry cooperating units, which the bulk load leaves out: one query for the page.
        let ids: Vec<TaskId> = items.iter().map(|v| v.task.id).collect();
        let full: Vec<TaskView> = store::get_many(&self.db, actor.region, &ids)
            .await?
            .into_iter()
            .map(|t| self.view(t, lamps))
            .collect();
        Ok(TaskListing { items: full, total })
    }

    /// Apply a lifecycle action; `expected` is the task version the actor saw.
    pub async fn transition_task(
        &self,
        actor: &Actor,
        id: TaskId,
        action: TaskAction,
        expected: i64,
    ) -> Result<TaskView, AppError> {
        let mut tx = self.db.begin().await?;
        let before = store::get_for_update(&mut tx, actor.region, id).await?;
        if !Self::can_read(actor, &before) {
            return Err(AppError::Forbidden);
        }
        let perm = authz::action_permission(&action, before.fields.lead_unit);
        require(actor, perm)?;
        if before.version != expected {
            return Err(AppError::Conflict {
                code: "version_conflict",
                message: format!(
                    "task was changed by someone else; reload it (your version {expected}, current {})",
                    before.version
                ),
            });
        }
        let after = before.after(&action, self.today())?;
        let saved = store::transition(
            &mut tx,
            &self.ctx(actor),
            &before,
            &after,
            action.name(),
            action.reason().unwrap_or(""),
        )
        .await?;
        tx.commit().await?;
        Ok(self.view(saved, &self.lamp_policy(actor.region).await?))
    }

    /// Append a progress report as the lead unit. Reporting on an assigned task acknowledges it.
    pub async fn report_progress(
        &self,
        actor: &Actor,
        id: TaskId,
        input: ProgressInput,
    ) -> Result<(ReportId, TaskView), AppError> {
        self.report_progress_with_files(actor, id, input, vec![])
            .await
    }

    /// A progress report with files attached (evidence), all in one transaction.
    pub async fn report_progress_with_files(
        &self,
        actor: &Actor,
        id: TaskId,
        input: ProgressInput,
        files: Vec<NewFile>,
    ) -> Result<(ReportId, TaskView), AppError> {
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        let mut t = store::get_for_update(&mut tx, actor.region, id).await?;
        if !Self::can_read(actor, &t) {
            return Err(AppError::Forbidden);
        }
        require(
            actor,
            Permission::ReportProgress {
                lead: t.fields.lead_unit,
            },
        )?;
        let report = task::validate_progress(&t.fields, input)?;
        let mut checked = Vec::with_capacity(files.len());
        for (i, f) in files.into_iter().enumerate() {
            let (name, mime) =
                luoshi_domain::attachment::check_file(i, &f.filename, f.bytes.len())?;
            checked.push((name, mime, f.bytes));
        }
        if let Some(ack) = t.progress_allowed()? {
            let after = t.after(&ack, ctx.at.date())?;
            t = store::transition(&mut tx, &ctx, &t, &after, ack.name(), "").await?;
        }
        let rid = ReportId::from_uuid(Uuid::now_v7());
        progress::append(&mut tx, &ctx, rid, id, &report).await?;
        for (name, mime, bytes) in checked {
            let meta = luoshi_store::attachments::AttachmentMeta {
                id: Uuid::now_v7(),
                task: id,
                report: rid,
                filename: name,
                content_type: mime.to_owned(),
                size: bytes.len() as i64,
                sha256: sha256_hex(&bytes),
            };
            luoshi_store::attachments::insert(&mut tx, &ctx, &meta, bytes).await?;
        }
        tx.commit().await?;
        t.progress_pct = report.percent;
        t.quantity_done = report.quantity_done;
        t.last_report_on = Some(ctx.at.date());
        Ok((rid, self.view(t, &self.lamp_policy(actor.region).await?)))
    }
}

fn sort_views(v: &mut [TaskView], sort: TaskSort) {
    match sort {
        TaskSort::Deadline => v.sort_by(|a, b| {
            (a.task.fields.deadline, a.task.id).cmp(&(b.task.fields.deadline, b.task.id))
        }),
        TaskSort::DeadlineDesc => v.sort_by(|a, b| {
            b.task
                .fields
                .deadline
                .cmp(&a.task.fields.deadline)
                .then(a.task.id.cmp(&b.task.id))
        }),
        TaskSort::Title => v.sort_by(|a, b| {
            (&a.task.fields.title, a.task.id).cmp(&(&b.task.fields.title, b.task.id))
        }),
        TaskSort::Progress => v.sort_by(|a, b| {
            (a.task.progress_pct, a.task.id).cmp(&(b.task.progress_pct, b.task.id))
        }),
        TaskSort::ProgressDesc => v.sort_by(|a, b| {
            b.task
                .progress_pct
                .cmp(&a.task.progress_pct)
                .then(a.task.id.cmp(&b.task.id))
        }),
    }
}

impl App {
    /// An attachment's name, type and content, for those who may read its task.
    pub async fn get_attachment(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<(luoshi_store::attachments::AttachmentMeta, Vec<u8>), AppError> {
        let (meta, bytes) = luoshi_store::attachments::get(&self.db, actor.region, id).await?;
        let t = store::get(&self.db, actor.region, meta.task).await?;
        if !Self::can_read(actor, &t) {
            return Err(AppError::Forbidden);
        }
        Ok((meta, bytes))
    }
}
