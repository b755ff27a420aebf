//! Importing a plan's key-project list from a spreadsheet: all or nothing, in one transaction.
//! A row whose project (by name, in the plan) exists updates it when something changed; its
//! coordination issues and investment figures are kept. New names create projects.

use crate::{App, AppError, ImportOutcome, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{PlanId, ProjectId};
use luoshi_domain::import::{Sheet, basic_fold};
use luoshi_domain::project::Project;
use luoshi_domain::project::import::validate_projects;
use luoshi_store::projects::{self as store, ProjectFilter, StoredProject};
use std::collections::HashMap;
use uuid::Uuid;

fn key(name: &str) -> String {
    basic_fold(&luoshi_extract::normalize_text(name))
}

impl App {
    /// Import a key-project list into a plan (supervision office and administrators). With
    /// `dry_run` everything is checked and nothing is written.
    pub async fn import_projects(
        &self,
        actor: &Actor,
        plan: PlanId,
        sheet: &Sheet,
        dry_run: bool,
    ) -> Result<ImportOutcome, AppError> {
        require(actor, Permission::ManagePlans)?;
        let (plan, _) = luoshi_store::plans::get(&self.db, actor.region, plan).await?;
        // The same names a task-table import resolves (its sections go unused here).
        let dir = self.directory(actor, plan.id).await?;
        let mut outcome = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let rows = match validate_projects(sheet, &dir, luoshi_extract::normalize_text, plan.year) {
            Ok(rows) => rows,
            Err(errors) => {
                outcome.errors = errors;
                return Ok(outcome);
            }
        };
        let filter = ProjectFilter {
            plan: Some(plan.id),
            responsible_unit: None,
        };
        let existing: HashMap<String, StoredProject> = store::list(&self.db, actor.region, filter)
            .await?
            .into_iter()
            .map(|s| (key(&s.project.fields.name), s))
            .collect();
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        for row in rows {
            match existing.get(&key(&row.fields.name)) {
                Some(s) => {
                    let mut fields = row.fields;
                    fields.issues = s.project.fields.issues.clone();
                    if fields == s.project.fields {
                        outcome.unchanged += 1;
                        continue;
                    }
                    if !dry_run {
                        store::update(
                            &mut tx,
                            &ctx,
                            s.project.id,
                            s.plan,
                            &fields,
                            s.project.version,
                        )
                        .await?;
                    }
                    outcome.updated += 1;
                }
                None => {
                    let project = Project {
                        id: ProjectId::from_uuid(Uuid::now_v7()),
                        region: actor.region,
                        fields: row.fields,
                        version: 1,
                    };
                    if !dry_run {
                        let stored = StoredProject {
                            project,
                            plan: Some(plan.id),
                            issue_ids: vec![],
                        };
                        store::insert(&mut tx, &ctx, &stored).await?;
                    }
                    outcome.created += 1;
                }
            }
        }
        if !dry_run {
            tx.commit().await?;
        }
        Ok(outcome)
    }
}
