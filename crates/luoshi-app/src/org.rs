//! Units and people.

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::ids::{PersonId, UnitId};
use luoshi_domain::org::{Person, PersonFields, Unit, UnitFields};
use luoshi_store::units;
use uuid::Uuid;

impl App {
    pub async fn create_unit(&self, actor: &Actor, f: UnitFields) -> Result<(Unit, i64), AppError> {
        require(actor, Permission::ManageUnits)?;
        let unit = Unit {
            id: UnitId::from_uuid(Uuid::now_v7()),
            region: actor.region,
            code: f.code,
            name: f.name,
            kind: f.kind,
            category: f.category,
        };
        let mut tx = self.db.begin().await?;
        units::insert(&mut tx, &self.ctx(actor), &unit).await?;
        tx.commit().await?;
        Ok((unit, 1))
    }

    pub async fn update_unit(
        &self,
        actor: &Actor,
        id: UnitId,
        f: UnitFields,
        expected: i64,
    ) -> Result<(Unit, i64), AppError> {
        require(actor, Permission::ManageUnits)?;
        let mut tx = self.db.begin().await?;
        let out = units::update(&mut tx, &self.ctx(actor), id, &f, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn get_unit(&self, actor: &Actor, id: UnitId) -> Result<(Unit, i64), AppError> {
        require(actor, Permission::ReadRegion)?;
        Ok(units::get(&self.db, actor.region, id).await?)
    }

    pub async fn list_units(&self, actor: &Actor) -> Result<Vec<(Unit, i64)>, AppError> {
        require(actor, Permission::ReadRegion)?;
        Ok(units::list(&self.db, actor.region).await?)
    }

    pub async fn create_person(
        &self,
        actor: &Actor,
        f: PersonFields,
    ) -> Result<(Person, i64), AppError> {
        require(actor, Permission::ManagePeople { unit: f.unit })?;
        if let Some(u) = f.unit {
            units::get(&self.db, actor.region, u)
                .await
                .map_err(|_| AppError::invalid("unit_id", "not_found", "no such unit"))?;
        }
        let p = Person {
            id: PersonId::from_uuid(Uuid::now_v7()),
            region: actor.region,
            name: f.name,
            post: f.post,
            unit: f.unit,
            phone: f.phone,
        };
        let mut tx = self.db.begin().await?;
        units::insert_person(&mut tx, &self.ctx(actor), &p).await?;
        tx.commit().await?;
        Ok((p, 1))
    }

    pub async fn update_person(
        &self,
        actor: &Actor,
        id: PersonId,
        f: PersonFields,
        expected: i64,
    ) -> Result<(Person, i64), AppError> {
        let (current, _) = units::get_person(&self.db, actor.region, id).await?;
        // Both the old and the new unit must be the actor's to manage.
        require(actor, Permission::ManagePeople { unit: current.unit })?;
        require(actor, Permission::ManagePeople { unit: f.unit })?;
        let mut tx = self.db.begin().await?;
        let out = units::update_person(&mut tx, &self.ctx(actor), id, &f, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A person; the phone number is blanked unless the actor may read the unit's contacts.
    pub async fn get_person(&self, actor: &Actor, id: PersonId) -> Result<(Person, i64), AppError> {
        require(actor, Permission::ReadRegion)?;
        let (mut p, v) = units::get_person(&self.db, actor.region, id).await?;
        redact(actor, &mut p);
        Ok((p, v))
    }

    pub async fn list_people(
        &self,
        actor: &Actor,
        unit: Option<UnitId>,
    ) -> Result<Vec<(Person, i64)>, AppError> {
        require(actor, Permission::ReadRegion)?;
        let mut people = units::list_people(&self.db, actor.region, unit).await?;
        for (p, _) in &mut people {
            redact(actor, p);
        }
        Ok(people)
    }
}

pub(crate) fn redact(actor: &Actor, p: &mut Person) {
    if !luoshi_domain::authz::allowed(actor, Permission::ReadContact { unit: p.unit }) {
        p.phone.clear();
    }
}
