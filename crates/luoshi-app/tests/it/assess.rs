use luoshi_app::{App, AppError, FactInput, FactKind, ManualClock};
use luoshi_domain::assess::ResultSet;
use luoshi_domain::authz::{Actor, Grant, Role};
use luoshi_domain::ids::{PlanId, RegionId, TaskId, UnitId, UserId};
use luoshi_domain::measure::Decimal;
use luoshi_domain::org::UnitFields;
use luoshi_domain::plan::PlanFields;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_domain::task::{ProgressInput, TaskAction};
use luoshi_testkit::db_test;
use std::sync::Arc;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

/// Tasks 60 (late closings count half), on-time reporting 20, leaders' evaluation 20.
const SCHEME: &str = r#"
id = "2026-townships"
version = 1
name = "Township book"
category = "townships"
full_points = 100

[[items]]
key = "tasks"
title = "Key tasks"
points = 60
kind = "task_completion"
on_time_pct = 100
late = { share_pct = 50 }

[[items]]
key = "reporting"
title = "Reporting on time"
points = 20
kind = "rate_times_points"
metric = "reporting.on_time_rate"

[[items]]
key = "leaders"
title = "Leaders' evaluation"
points = 20
kind = "manual"
"#;

struct World {
    app: App,
    clock: Arc<ManualClock>,
    admin: Actor,
    plan: PlanId,
    a: UnitId,
    b: UnitId,
}

fn at(d: Date) -> OffsetDateTime {
    d.with_hms(2, 0, 0).unwrap().assume_utc()
}

async fn world(db: luoshi_app::Db) -> World {
    let clock = Arc::new(ManualClock::new(datetime!(2026-01-05 02:00 UTC)));
    let app = App::new(db, clock.clone());
    let region = Region::new(
        RegionId::from_uuid(uuid::Uuid::now_v7()),
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
    let unit = |code: &str, name: &str| UnitFields::parse(code, name, "township", None).unwrap();
    let (a, _) = app.create_unit(&admin, unit("aaa", "甲镇")).await.unwrap();
    let (b, _) = app.create_unit(&admin, unit("bbb", "乙镇")).await.unwrap();
    let (plan, _) = app
        .create_plan(
            &admin,
            PlanFields::parse(2026, "2026年工作要点", "").unwrap(),
        )
        .await
        .unwrap();
    app.store_scheme(&admin, SCHEME).await.unwrap();
    World {
        app,
        clock,
        admin,
        plan: plan.id,
        a: a.id,
        b: b.id,
    }
}

impl World {
    async fn task(&self, lead: UnitId, title: &str, deadline: Date) -> TaskId {
        let new = crate::support::assigned_task(lead, title, deadline);
        self.app
            .create_task(&self.admin, self.plan, new)
            .await
            .unwrap()
            .task
            .id
    }

    async fn act(&self, id: TaskId, action: TaskAction) {
        let v = self
            .app
            .get_task(&self.admin, id)
            .await
            .unwrap()
            .view
            .task
            .version;
        self.app
            .transition_task(&self.admin, id, action, v)
            .await
            .unwrap();
    }

    async fn close(&self, id: TaskId, on: Date) {
        self.clock.set(at(on));
        let status = self
            .app
            .get_task(&self.admin, id)
            .await
            .unwrap()
            .view
            .task
            .status;
        if status == luoshi_domain::task::TaskStatus::Assigned {
            self.act(id, TaskAction::Acknowledge).await;
        }
        self.act(id, TaskAction::ReportDone).await;
        self.act(id, TaskAction::Close).await;
    }

    async fn report(&self, id: TaskId, on: Date) {
        self.clock.set(at(on));
        let input = ProgressInput {
            percent: Some(Decimal::from(30)),
            quantity_done: None,
            summary: "under way".into(),
            problems: String::new(),
            next_steps: String::new(),
        };
        self.app
            .report_progress(&self.admin, id, input)
            .await
            .unwrap();
    }

    async fn manual(&self, unit: UnitId, points: i64, on: Date) {
        self.clock.set(at(on));
        let input = FactInput {
            kind: FactKind::Manual,
            unit,
            item: "leaders".into(),
            points: Some(Decimal::from(points)),
            text: "annual evaluation".into(),
            on,
        };
        self.app
            .enter_assessment_fact(&self.admin, input)
            .await
            .unwrap();
    }
}

/// (unit code, total, rank, grade) of each sheet.
fn standings(sets: &[ResultSet]) -> Vec<(String, Decimal, u32, String)> {
    sets.iter()
        .flat_map(|rs| &rs.sheets)
        .map(|s| (s.code.clone(), s.total, s.rank, s.grade.clone()))
        .collect()
}

fn row(code: &str, total: i64, rank: u32, grade: &str) -> (String, Decimal, u32, String) {
    (code.into(), Decimal::from(total), rank, grade.into())
}

db_test!(a_score_as_of_a_date_ignores_later_data, |t| {
    let w = world(t.db.clone()).await;
    let t1 = w.task(w.a, "paving", date!(2026 - 06 - 25)).await;
    let t2 = w.task(w.b, "water", date!(2026 - 06 - 15)).await;
    w.report(t1, date!(2026 - 03 - 10)).await;
    w.report(t2, date!(2026 - 03 - 20)).await;
    w.close(t1, date!(2026 - 06 - 20)).await;
    w.manual(w.a, 18, date!(2026 - 06 - 28)).await;

    let june = date!(2026 - 06 - 30);
    let before = w.app.assess(&w.admin, june).await.unwrap();
    // By hand, as of 30 June:
    // aaa: paving closed on time → 60; reports owed Feb–May (closed before 25 June), one made
    //      (10 March) → 1/4 × 20 = 5; leaders 18 → 83, 良好.
    // bbb: water overdue since 15 June → 0; owed Feb–Jun, one made → 1/5 × 20 = 4; no
    //      evaluation yet → 4, 一般.
    let expected_june = vec![row("aaa", 83, 1, "良好"), row("bbb", 4, 2, "一般")];
    assert_eq!(standings(&before), expected_june);

    // July brings a late closing and an evaluation for bbb.
    w.close(t2, date!(2026 - 07 - 10)).await;
    w.manual(w.b, 15, date!(2026 - 07 - 05)).await;
    let again = w.app.assess(&w.admin, june).await.unwrap();
    assert_eq!(again, before, "the same date gives the same result");

    // As of 31 July bbb's task counts half (closed late): 30 + 4 + 15 = 49.
    let july = w.app.assess(&w.admin, date!(2026 - 07 - 31)).await.unwrap();
    assert_eq!(
        standings(&july),
        vec![row("aaa", 83, 1, "良好"), row("bbb", 49, 2, "一般")]
    );
});

db_test!(publishing_freezes_and_a_correction_keeps_both, |t| {
    let w = world(t.db.clone()).await;
    let t1 = w.task(w.a, "paving", date!(2026 - 06 - 25)).await;
    w.close(t1, date!(2026 - 06 - 20)).await;
    w.clock.set(datetime!(2026-07-02 02:00 UTC));
    let june = date!(2026 - 06 - 30);
    let first = w.app.publish_assessment(&w.admin, june).await.unwrap();
    assert_eq!(first.schemes, "2026-townships@1");
    assert_eq!(first.digest.len(), 64);
    let sets = w.app.assess(&w.admin, june).await.unwrap();
    assert_eq!(first.digest, luoshi_app::assessment_digest(&sets));

    // A backdated evaluation arrives; the correction recomputes as of 30 June.
    w.manual(w.b, 20, date!(2026 - 06 - 30)).await;
    let second = w
        .app
        .correct_assessment(&w.admin, first.id, "leaders' evaluation of bbb was missing")
        .await
        .unwrap();
    assert_eq!(second.supersedes, Some(first.id));
    assert_eq!(second.as_of, june);
    assert_ne!(second.digest, first.digest);
    let all = w.app.published_assessments(&w.admin).await.unwrap();
    let mut ids: Vec<_> = all.iter().map(|p| p.id).collect();
    ids.sort();
    assert_eq!(ids, vec![first.id, second.id]);
    // The first one is unchanged.
    let kept = all.iter().find(|p| p.id == first.id).unwrap();
    assert_eq!(kept, &first);

    let err = w
        .app
        .correct_assessment(&w.admin, first.id, "")
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("reason"));
});

db_test!(who_may_publish_and_read, |t| {
    let w = world(t.db.clone()).await;
    let june = date!(2026 - 06 - 30);
    let actor = |role, unit: Option<UnitId>| Actor {
        user: UserId::from_uuid(uuid::Uuid::now_v7()),
        region: w.admin.region,
        grants: vec![Grant::new(role, unit).unwrap()],
    };
    let supervisor = actor(Role::Supervisor, None);
    let leader = actor(Role::Leader, None);
    let unit_a = actor(Role::UnitManager, Some(w.a));
    w.app.publish_assessment(&supervisor, june).await.unwrap();
    for who in [&leader, &unit_a] {
        let err = w.app.publish_assessment(who, june).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden), "{err:?}");
    }
    let codes = |sets: Vec<ResultSet>| -> Vec<String> {
        standings(&sets).into_iter().map(|r| r.0).collect()
    };
    assert_eq!(
        codes(w.app.assess(&leader, june).await.unwrap()),
        ["aaa", "bbb"]
    );
    assert_eq!(codes(w.app.assess(&unit_a, june).await.unwrap()), ["aaa"]);
    let err = w.app.published_assessments(&unit_a).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden), "{err:?}");
    // Entering a manual score for an item that is not a manual item is refused, naming it.
    let input = FactInput {
        kind: FactKind::Manual,
        unit: w.a,
        item: "tasks".into(),
        points: Some(Decimal::ONE),
        text: "x".into(),
        on: june,
    };
    let err = w
        .app
        .enter_assessment_fact(&w.admin, input)
        .await
        .unwrap_err();
    assert_eq!((err.code(), err.field()), ("unknown_item", Some("item")));
});
