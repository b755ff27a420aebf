//! A region with one township, its reporter and head, a vice head (lead official) and a
//! supervisor, and one task due on 30 September 2026; plus robots and e-mail contacts.

use luoshi_app::{App, ManualClock, NewTask, NewUser};
use luoshi_domain::authz::{Actor, Grant, Role};
use luoshi_domain::ids::{RegionId, TaskId, UnitId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::org::{PersonFields, UnitFields};
use luoshi_domain::plan::PlanFields;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_domain::supervision::RobotPlatform;
use luoshi_domain::task::{TaskFields, TaskSource};
use luoshi_store::supervision::channels::{self, Contact, Robot};
use luoshi_store::{AuditCtx, Db};
use std::sync::Arc;
use time::macros::{date, datetime};
use uuid::Uuid;

pub struct World {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub region: RegionId,
    pub unit: UnitId,
    pub reporter: Actor,
    pub manager: Actor,
    /// The user of the task's lead official (王某, 副区长).
    pub vice: Actor,
    pub task: TaskId,
}

pub async fn world(db: Db) -> World {
    let clock = Arc::new(ManualClock::new(datetime!(2026-08-31 09:00 UTC)));
    let app = App::new(db, clock.clone());
    let region = Region::new(
        RegionId::from_uuid(Uuid::now_v7()),
        RegionCode::parse("code", "620503").unwrap(),
        "测试区",
        None,
    )
    .unwrap();
    let hash = luoshi_app::hash_password("admin-password-1").unwrap();
    let admin = app
        .bootstrap_region(region, "admin", "管理员", &hash)
        .await
        .unwrap()
        .actor();
    let (unit, _) = app
        .create_unit(
            &admin,
            UnitFields::parse("zhongtan", "中滩镇", "township", None).unwrap(),
        )
        .await
        .unwrap();
    let mut actors = vec![];
    for (name, role, u) in [
        ("rep", Role::Reporter, Some(unit.id)),
        ("head", Role::UnitManager, Some(unit.id)),
        ("vice", Role::Leader, None),
        ("sup", Role::Supervisor, None),
    ] {
        let new = NewUser {
            username: name.into(),
            display_name: name.into(),
            password: "password-123".into(),
            language: "zh-Hans".into(),
            grants: vec![Grant::new(role, u).unwrap()],
        };
        let (x, _) = app.create_user(&admin, new).await.unwrap();
        actors.push(x.actor());
    }
    let [reporter, manager, vice, supervisor] = <[Actor; 4]>::try_from(actors).unwrap();
    let (official, _) = app
        .create_person(
            &admin,
            PersonFields::parse("王某", "副区长", None, "").unwrap(),
        )
        .await
        .unwrap();
    app.link_user_person(&admin, vice.user, Some(official.id))
        .await
        .unwrap();
    let (plan, _) = app
        .create_plan(
            &admin,
            PlanFields {
                year: 2026,
                title: "2026年工作要点".into(),
                source: String::new(),
            },
        )
        .await
        .unwrap();
    let fields = TaskFields {
        section: None,
        external_id: None,
        title: "建成文化广场".into(),
        description: String::new(),
        source: TaskSource::Plan,
        lead_unit: unit.id,
        co_units: vec![],
        lead_official: Some(official.id),
        responsible_person: None,
        liaison: None,
        start: date!(2026 - 09 - 01),
        deadline: date!(2026 - 09 - 30),
        milestones: vec![],
        quantity: None,
        weight: Decimal::from(5),
    };
    let task = app
        .create_task(
            &supervisor,
            plan.id,
            NewTask {
                fields,
                assign: true,
            },
        )
        .await
        .unwrap();
    World {
        region: admin.region,
        app,
        clock,
        unit: unit.id,
        reporter,
        manager,
        vice,
        task: task.task.id,
    }
}

impl World {
    fn ctx(&self) -> AuditCtx {
        AuditCtx {
            region: self.region,
            actor: None,
            at: datetime!(2026-08-31 09:00 UTC),
        }
    }

    pub async fn set_email(&self, who: &Actor, email: &str) {
        let mut tx = self.app.db().begin().await.unwrap();
        let c = Contact {
            user: who.user,
            email: Some(email.into()),
            email_on: true,
            version: 0,
        };
        channels::save_contact(&mut tx, &self.ctx(), &c)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    pub async fn add_robot(
        &self,
        platform: RobotPlatform,
        url: String,
        secret: Option<&str>,
    ) -> Uuid {
        let r = Robot {
            id: Uuid::now_v7(),
            region: self.region,
            unit: self.unit,
            platform,
            name: platform.label().into(),
            url,
            secret: secret.map(str::to_owned),
            enabled: true,
            version: 1,
        };
        let mut tx = self.app.db().begin().await.unwrap();
        channels::insert_robot(&mut tx, &self.ctx(), &r)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        r.id
    }
}
