//! A region with the people a petition case involves, for the petition tests.

use luoshi_app::{App, ManualClock, NewUser, PetitionKey};
use luoshi_domain::authz::{Actor, Grant, Role};
use luoshi_domain::ids::{PersonId, PetitionId, RegionId, UnitId};
use luoshi_domain::org::{PersonFields, UnitFields};
use luoshi_domain::petition::*;
use luoshi_domain::region::{Region, RegionCode};
use std::sync::Arc;
use time::macros::datetime;
use time::{Date, OffsetDateTime};

pub const NAME: &str = "王小五";
pub const ID_NUMBER: &str = "11010519491231002X";
pub const PHONE: &str = "13912345678";
pub const ADDRESS: &str = "中滩镇东街3号";

pub struct World {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub admin: Actor,
    pub officer: Actor,
    /// Unit manager of unit `a`.
    pub handler: Actor,
    /// Reporter of unit `b`: a handler, but not of `a`'s cases.
    pub other_unit: Actor,
    pub viewer: Actor,
    pub supervisor: Actor,
    /// The user of the case leader `leader`.
    pub leader_user: Actor,
    pub leader: PersonId,
    pub a: UnitId,
    pub b: UnitId,
}

pub fn at(d: Date) -> OffsetDateTime {
    d.with_hms(2, 0, 0).unwrap().assume_utc()
}

pub fn key() -> PetitionKey {
    PetitionKey::parse(&"5a".repeat(32)).unwrap()
}

pub async fn world(db: luoshi_app::Db) -> World {
    let clock = Arc::new(ManualClock::new(datetime!(2026-01-05 02:00 UTC)));
    let app = App::new(db, clock.clone()).with_petition_key(Some(key()));
    let code = format!("62{:04}", uuid::Uuid::now_v7().as_u128() % 10000);
    let region = Region::new(
        RegionId::from_uuid(uuid::Uuid::now_v7()),
        RegionCode::parse("code", &code).unwrap(),
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
    let unit = |code: &str, name: &str| UnitFields::parse(code, name, "township", None).unwrap();
    let (a, _) = app.create_unit(&admin, unit("aaa", "甲镇")).await.unwrap();
    let (b, _) = app.create_unit(&admin, unit("bbb", "乙镇")).await.unwrap();
    let (leader, _) = app
        .create_person(
            &admin,
            PersonFields::parse("赵副区长", "副区长", None, "").unwrap(),
        )
        .await
        .unwrap();
    let mk = |name: &str, role: Role, unit: Option<UnitId>| NewUser {
        username: name.into(),
        display_name: name.into(),
        password: String::new(),
        language: "zh-Hans".into(),
        grants: vec![Grant::new(role, unit).unwrap()],
    };
    let mut users: Vec<Actor> = vec![];
    for (name, role, unit) in [
        ("officer", Role::PetitionOfficer, None),
        ("handler", Role::UnitManager, Some(a.id)),
        ("otherunit", Role::Reporter, Some(b.id)),
        ("viewer", Role::Viewer, None),
        ("supervisor", Role::Supervisor, None),
        ("leaderuser", Role::Leader, None),
    ] {
        let (u, _) = app
            .insert_user(&admin, mk(name, role, unit), &hash)
            .await
            .unwrap();
        users.push(u.actor());
    }
    app.link_user_person(&admin, users[5].user, Some(leader.id))
        .await
        .unwrap();
    let [
        officer,
        handler,
        other_unit,
        viewer,
        supervisor,
        leader_user,
    ] = <[Actor; 6]>::try_from(users).unwrap();
    World {
        app,
        clock,
        admin,
        officer,
        handler,
        other_unit,
        viewer,
        supervisor,
        leader_user,
        leader: leader.id,
        a: a.id,
        b: b.id,
    }
}

pub fn fields(matter: &str, on: Date) -> PetitionFields {
    PetitionFields {
        channel: Channel::Visit,
        personal: PersonalData {
            petitioners: vec![Petitioner {
                name: NAME.into(),
                id_number: Some(ID_NUMBER.into()),
                phone: Some(PHONE.into()),
                address: ADDRESS.into(),
            }],
        },
        petitioner_count: 1,
        matter: matter.into(),
        category: "劳资纠纷".into(),
        registered_on: on,
    }
}

impl World {
    pub async fn act(&self, who: &Actor, id: PetitionId, action: PetitionAction, on: Date) -> i64 {
        self.clock.set(at(on));
        let v = self.app.petition(&self.officer, id, "").await.unwrap();
        self.app
            .petition_action(who, id, action, on, v.view.case.version)
            .await
            .unwrap()
            .case
            .version
    }

    pub async fn register(&self, matter: &str, on: Date) -> PetitionId {
        self.clock.set(at(on));
        self.app
            .register_petition(&self.officer, fields(matter, on))
            .await
            .unwrap()
            .case
            .id
    }

    /// A case registered on `registered`, routed to unit A with the case leader assigned on
    /// `routed`.
    pub async fn routed(&self, matter: &str, registered: Date, routed: Date) -> PetitionId {
        let id = self.register(matter, registered).await;
        let route = PetitionAction::Route { unit: self.a };
        self.act(&self.officer, id, route, routed).await;
        let assign = PetitionAction::AssignLeader {
            person: self.leader,
        };
        self.act(&self.officer, id, assign, routed).await;
        id
    }
}
