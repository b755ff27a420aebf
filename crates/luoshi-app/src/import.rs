//! Importing a task table into a plan: every row validated first, then all rows written in one
//! transaction, or none. Rows match existing tasks by their external id (序号 or an id column),
//! so importing the same sheet again updates in place and creates no duplicates.

mod read;

pub use read::{decode, read_csv, read_sheet, write_csv};

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{PlanId, TaskId};
use luoshi_domain::import::{
    Directory, ImportPolicy, RowError, Sheet, same_fields, validate_sheet,
};
use luoshi_domain::measure::Decimal;
use luoshi_domain::plan::Plan;
use luoshi_domain::task::{Task, TaskStatus};
use luoshi_store::tasks as store;
use std::collections::HashMap;
use time::{Date, Month};
use uuid::Uuid;

/// What an import did (or, for a dry run, would do). When `errors` is not empty nothing was
/// written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    pub dry_run: bool,
}

impl ImportOutcome {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

impl App {
    /// A plan by its id or its exact title (for the command line).
    pub async fn find_plan(&self, actor: &Actor, id_or_title: &str) -> Result<Plan, AppError> {
        require(actor, Permission::ReadRegion)?;
        let plans = luoshi_store::plans::list(&self.db, actor.region).await?;
        let wanted = id_or_title.trim();
        let mut hits = plans
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.id.to_string() == wanted.to_ascii_lowercase() || p.title == wanted);
        match (hits.next(), hits.next()) {
            (Some(p), None) => Ok(p),
            (Some(_), Some(_)) => Err(AppError::invalid(
                "plan",
                "ambiguous",
                format!("more than one plan is titled {wanted:?}; give its id"),
            )),
            (None, _) => Err(AppError::NotFound { entity: "plan" }),
        }
    }

    /// Import a task table into a plan (supervision office and administrators). With `dry_run`
    /// everything is checked, in the same transaction, and then rolled back.
    pub async fn import_tasks(
        &self,
        actor: &Actor,
        plan: PlanId,
        sheet: &Sheet,
        dry_run: bool,
    ) -> Result<ImportOutcome, AppError> {
        require(actor, Permission::ManagePlans)?;
        let (plan, _) = luoshi_store::plans::get(&self.db, actor.region, plan).await?;
        let policy = ImportPolicy::default();
        let dir = self.directory(actor, plan.id).await?;
        let mut outcome = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let (header, rows) = match validate_sheet(sheet, &dir, plan.year, &policy) {
            Ok(x) => x,
            Err(errors) => {
                outcome.errors = errors;
                return Ok(outcome);
            }
        };
        let start = Date::from_calendar_date(plan.year, Month::January, 1)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        let existing: HashMap<String, Task> =
            store::with_external_ids_for_update(&mut tx, actor.region, plan.id)
                .await?
                .into_iter()
                .filter_map(|t| t.fields.external_id.clone().map(|x| (x, t)))
                .collect();
        for row in &rows {
            match existing.get(&row.external_id) {
                Some(t) => {
                    let fields = match row.apply_to(&t.fields).validate() {
                        Ok(f) => f,
                        Err(e) => {
                            outcome.errors.push(row.error(&header, e));
                            continue;
                        }
                    };
                    if same_fields(&fields, &t.fields) {
                        outcome.unchanged += 1;
                    } else if outcome.errors.is_empty() {
                        store::update_fields(&mut tx, &ctx, t.id, &fields, t.version).await?;
                        outcome.updated += 1;
                    }
                }
                None => {
                    let fields = match row.new_fields(start, &policy).validate() {
                        Ok(f) => f,
                        Err(e) => {
                            outcome.errors.push(row.error(&header, e));
                            continue;
                        }
                    };
                    if outcome.errors.is_empty() {
                        let task = new_task(actor, plan.id, fields);
                        store::insert(&mut tx, &ctx, &task).await?;
                        outcome.created += 1;
                    }
                }
            }
        }
        if outcome.errors.is_empty() && !dry_run {
            tx.commit().await?;
        }
        // Otherwise the transaction is dropped, which rolls it back.
        if !outcome.errors.is_empty() {
            outcome.created = 0;
            outcome.updated = 0;
            outcome.unchanged = 0;
        }
        Ok(outcome)
    }

    /// The units and people of the actor's region and the plan's sections, by name, folded to
    /// simplified characters.
    pub(crate) async fn directory(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<Directory, AppError> {
        let mut dir = Directory::new(luoshi_extract::normalize_text);
        for (u, _) in luoshi_store::units::list(&self.db, actor.region).await? {
            dir.add_unit(u.id, u.code.as_str(), &u.name);
        }
        for (p, _) in luoshi_store::units::list_people(&self.db, actor.region, None).await? {
            dir.add_person(p.id, &p.name);
        }
        for (s, _) in luoshi_store::plans::sections(&self.db, actor.region, plan).await? {
            dir.add_section(s.id, &s.number, &s.title);
        }
        Ok(dir)
    }
}

fn new_task(actor: &Actor, plan: PlanId, fields: luoshi_domain::task::TaskFields) -> Task {
    Task {
        id: TaskId::from_uuid(Uuid::now_v7()),
        region: actor.region,
        plan,
        fields,
        status: TaskStatus::Draft,
        requested_deadline: None,
        progress_pct: Decimal::ZERO,
        quantity_done: None,
        last_report_on: None,
        done_reported_on: None,
        closed_on: None,
        version: 1,
    }
}
