use luoshi_domain::authz::{Grant, User};
use luoshi_domain::ids::*;
use luoshi_domain::org::{Unit, UnitCode, UnitKind};
use luoshi_domain::plan::Plan;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_store::{AuditCtx, Db, plans, regions, units, users};
use time::macros::datetime;
use uuid::Uuid;

pub fn ctx(region: RegionId) -> AuditCtx {
    AuditCtx {
        region,
        actor: None,
        at: datetime!(2026-06-15 09:00 UTC),
    }
}

pub struct World {
    pub region: RegionId,
    pub plan: PlanId,
    pub unit_a: UnitId,
    pub unit_b: UnitId,
}

/// A region with a plan and two units.
pub async fn world(db: &Db) -> World {
    let region = RegionId::from_uuid(Uuid::now_v7());
    let c = ctx(region);
    let mut tx = db.begin().await.unwrap();
    let code = format!("62{:04}", Uuid::now_v7().as_u128() % 10000);
    let r = Region::new(
        region,
        RegionCode::parse("code", &code).unwrap(),
        "测试区",
        None,
    )
    .unwrap();
    regions::insert(&mut tx, &c, &r).await.unwrap();
    let mk = |code: &str, name: &str, kind| Unit {
        id: UnitId::from_uuid(Uuid::now_v7()),
        region,
        code: UnitCode::parse("code", code).unwrap(),
        name: name.into(),
        kind,
        category: "townships".into(),
    };
    let a = mk("zhongtan", "中滩镇", UnitKind::Township);
    let b = mk("jsj", "建设局", UnitKind::Department);
    units::insert(&mut tx, &c, &a).await.unwrap();
    units::insert(&mut tx, &c, &b).await.unwrap();
    let plan = Plan {
        id: PlanId::from_uuid(Uuid::now_v7()),
        region,
        year: 2026,
        title: "2026年工作要点".into(),
        source: String::new(),
    };
    plans::insert(&mut tx, &c, &plan).await.unwrap();
    tx.commit().await.unwrap();
    World {
        region,
        plan: plan.id,
        unit_a: a.id,
        unit_b: b.id,
    }
}

/// An active user of the region with `grants`.
pub async fn add_user(db: &Db, w: &World, name: &str, grants: Vec<Grant>) -> UserId {
    add_user_with(db, w, name, grants, true).await
}

/// A user of the region with `grants`, active or not.
pub async fn add_user_with(
    db: &Db,
    w: &World,
    name: &str,
    grants: Vec<Grant>,
    active: bool,
) -> UserId {
    let u = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        region: w.region,
        username: format!("{name}{}", Uuid::now_v7().simple()),
        display_name: name.into(),
        language: "zh-Hans".into(),
        active,
        grants,
    };
    let mut tx = db.begin().await.unwrap();
    users::insert(&mut tx, &ctx(w.region), &u, "x")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    u.id
}
