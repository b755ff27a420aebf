//! Plans and sections.

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{PlanId, SectionId};
use luoshi_domain::plan::{self, Plan, PlanFields, Section, SectionFields};
use luoshi_store::plans;
use uuid::Uuid;

impl App {
    pub async fn create_plan(&self, actor: &Actor, f: PlanFields) -> Result<(Plan, i64), AppError> {
        require(actor, Permission::ManagePlans)?;
        let p = Plan {
            id: PlanId::from_uuid(Uuid::now_v7()),
            region: actor.region,
            year: f.year,
            title: f.title,
            source: f.source,
        };
        let mut tx = self.db.begin().await?;
        plans::insert(&mut tx, &self.ctx(actor), &p).await?;
        tx.commit().await?;
        Ok((p, 1))
    }

    pub async fn update_plan(
        &self,
        actor: &Actor,
        id: PlanId,
        f: PlanFields,
        expected: i64,
    ) -> Result<(Plan, i64), AppError> {
        require(actor, Permission::ManagePlans)?;
        let mut tx = self.db.begin().await?;
        let out = plans::update(&mut tx, &self.ctx(actor), id, &f, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn get_plan(&self, actor: &Actor, id: PlanId) -> Result<(Plan, i64), AppError> {
        require(actor, Permission::ReadRegion)?;
        Ok(plans::get(&self.db, actor.region, id).await?)
    }

    pub async fn list_plans(&self, actor: &Actor) -> Result<Vec<(Plan, i64)>, AppError> {
        require(actor, Permission::ReadRegion)?;
        Ok(plans::list(&self.db, actor.region).await?)
    }

    pub async fn create_section(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        f: SectionFields,
    ) -> Result<(Section, i64), AppError> {
        require(actor, Permission::ManagePlans)?;
        plans::get(&self.db, actor.region, plan_id).await?;
        let existing: Vec<Section> = plans::sections(&self.db, actor.region, plan_id)
            .await?
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        plan::check_parent(&existing, None, f.parent)?;
        let s = Section {
            id: SectionId::from_uuid(Uuid::now_v7()),
            plan: plan_id,
            parent: f.parent,
            number: f.number,
            title: f.title,
            position: f.position,
        };
        let mut tx = self.db.begin().await?;
        plans::insert_section(&mut tx, &self.ctx(actor), &s).await?;
        tx.commit().await?;
        Ok((s, 1))
    }

    pub async fn update_section(
        &self,
        actor: &Actor,
        id: SectionId,
        f: SectionFields,
        expected: i64,
    ) -> Result<(Section, i64), AppError> {
        require(actor, Permission::ManagePlans)?;
        let (current, _) = plans::get_section(&self.db, actor.region, id).await?;
        let existing: Vec<Section> = plans::sections(&self.db, actor.region, current.plan)
            .await?
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        plan::check_parent(&existing, Some(id), f.parent)?;
        let mut tx = self.db.begin().await?;
        let out = plans::update_section(&mut tx, &self.ctx(actor), id, &f, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn list_sections(
        &self,
        actor: &Actor,
        plan_id: PlanId,
    ) -> Result<Vec<(Section, i64)>, AppError> {
        require(actor, Permission::ReadRegion)?;
        plans::get(&self.db, actor.region, plan_id).await?;
        Ok(plans::sections(&self.db, actor.region, plan_id).await?)
    }
}
