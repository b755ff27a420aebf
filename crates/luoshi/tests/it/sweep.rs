//! Supervision over a fixed-clock year: one task slides past its deadline; every day two
//! sweepers run at once, then a third runs alone. The exact events (hand-checked below) are
//! recorded once each, each recipient gets one message per event, and a sweep with nothing new
//! writes nothing.

use luoshi_app::{App, ManualClock, NewTask, NewUser, Sweeper};
use luoshi_domain::authz::{Actor, Grant, Role};
use luoshi_domain::ids::RegionId;
use luoshi_domain::ids::TaskId;
use luoshi_domain::measure::Decimal;
use luoshi_domain::org::{PersonFields, UnitFields};
use luoshi_domain::plan::PlanFields;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_domain::task::{ProgressInput, TaskFields, TaskSource};
use luoshi_store::audit::{self, AuditFilter};
use luoshi_store::{Db, Page};
use luoshi_testkit::db_test;
use std::collections::HashSet;
use std::sync::Arc;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

pub fn at(d: Date) -> OffsetDateTime {
    d.with_hms(9, 0, 0).unwrap().assume_utc()
}

pub struct Setup {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub admin: Actor,
    pub reporter: Actor,
    pub manager: Actor,
    pub vice: Actor,
    pub supervisor: Actor,
    pub task: TaskId,
}

pub async fn setup(db: Db) -> Setup {
    let clock = Arc::new(ManualClock::new(datetime!(2026-01-01 09:00 UTC)));
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
    let (unit, _) = app
        .create_unit(
            &admin,
            UnitFields::parse("zhongtan", "中滩镇", "township", None).unwrap(),
        )
        .await
        .unwrap();
    let user = |name: &str, role, unit| NewUser {
        username: name.into(),
        display_name: name.into(),
        password: "password-123".into(),
        language: "zh-Hans".into(),
        grants: vec![Grant::new(role, unit).unwrap()],
    };
    let mut actors = vec![];
    for (name, role, u) in [
        ("rep", Role::Reporter, Some(unit.id)),
        ("head", Role::UnitManager, Some(unit.id)),
        ("vice", Role::Leader, None),
        ("sup", Role::Supervisor, None),
    ] {
        let (x, _) = app.create_user(&admin, user(name, role, u)).await.unwrap();
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
    clock.set(at(date!(2026 - 08 - 31)));
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
    Setup {
        app,
        clock,
        admin,
        reporter,
        manager,
        vice,
        supervisor,
        task: task.task.id,
    }
}

/// Progress reports (day, percent): each keeps the task within 10 points of the linear
/// expectation (start 1 Sep, deadline 30 Sep: 29 days), e.g. on 9 Sep 8/29 = 27.59 % is expected
/// and 25 % was reported.
const REPORTS: [(Date, i64); 4] = [
    (date!(2026 - 09 - 03), 25),
    (date!(2026 - 09 - 10), 50),
    (date!(2026 - 09 - 17), 75),
    (date!(2026 - 09 - 24), 95),
];

/// Every event of the year: (day it occurred, kind, dedup key after `task:<id>:`).
fn expected() -> Vec<(Date, &'static str, &'static str)> {
    let mut v = vec![
        // Reminder marks 7, 3 and 1 days before 30 Sep.
        (
            date!(2026 - 09 - 23),
            "deadline_approaching",
            "due:2026-09-30:approaching:7d",
        ),
        // Three days left: the lamp turns blue.
        (
            date!(2026 - 09 - 27),
            "deadline_approaching",
            "due:2026-09-30:approaching:3d",
        ),
        (
            date!(2026 - 09 - 27),
            "lamp_changed",
            "lamp:green-blue:2026-09-27",
        ),
        (
            date!(2026 - 09 - 29),
            "deadline_approaching",
            "due:2026-09-30:approaching:1d",
        ),
        // Overdue: red, and a reminder on day 1 after the deadline and every 3 days after it.
        (
            date!(2026 - 10 - 01),
            "lamp_changed",
            "lamp:blue-red:2026-10-01",
        ),
        // No report in October by the 25th (nor in November, December).
        (
            date!(2026 - 10 - 26),
            "report_missing",
            "report-missing:2026-10",
        ),
        (
            date!(2026 - 11 - 26),
            "report_missing",
            "report-missing:2026-11",
        ),
        // Checkpoints: September blue, October red, November red → red card (2 in a row).
        (date!(2026 - 11 - 30), "card_issued", "card:red:2026-11"),
        // December red: three reds in a row → escalated to the lead official.
        (
            date!(2026 - 12 - 26),
            "report_missing",
            "report-missing:2026-12",
        ),
        (date!(2026 - 12 - 31), "escalated", "escalated:1:2026-12"),
    ];
    let overdue: [(Date, &str); 31] = [
        (date!(2026 - 10 - 01), "overdue:1d"),
        (date!(2026 - 10 - 04), "overdue:4d"),
        (date!(2026 - 10 - 07), "overdue:7d"),
        (date!(2026 - 10 - 10), "overdue:10d"),
        (date!(2026 - 10 - 13), "overdue:13d"),
        (date!(2026 - 10 - 16), "overdue:16d"),
        (date!(2026 - 10 - 19), "overdue:19d"),
        (date!(2026 - 10 - 22), "overdue:22d"),
        (date!(2026 - 10 - 25), "overdue:25d"),
        (date!(2026 - 10 - 28), "overdue:28d"),
        (date!(2026 - 10 - 31), "overdue:31d"),
        (date!(2026 - 11 - 03), "overdue:34d"),
        (date!(2026 - 11 - 06), "overdue:37d"),
        (date!(2026 - 11 - 09), "overdue:40d"),
        (date!(2026 - 11 - 12), "overdue:43d"),
        (date!(2026 - 11 - 15), "overdue:46d"),
        (date!(2026 - 11 - 18), "overdue:49d"),
        (date!(2026 - 11 - 21), "overdue:52d"),
        (date!(2026 - 11 - 24), "overdue:55d"),
        (date!(2026 - 11 - 27), "overdue:58d"),
        (date!(2026 - 11 - 30), "overdue:61d"),
        (date!(2026 - 12 - 03), "overdue:64d"),
        (date!(2026 - 12 - 06), "overdue:67d"),
        (date!(2026 - 12 - 09), "overdue:70d"),
        (date!(2026 - 12 - 12), "overdue:73d"),
        (date!(2026 - 12 - 15), "overdue:76d"),
        (date!(2026 - 12 - 18), "overdue:79d"),
        (date!(2026 - 12 - 21), "overdue:82d"),
        (date!(2026 - 12 - 24), "overdue:85d"),
        (date!(2026 - 12 - 27), "overdue:88d"),
        (date!(2026 - 12 - 30), "overdue:91d"),
    ];
    for (d, k) in overdue {
        v.push((d, "overdue", k));
    }
    v
}

fn key_suffix(key: &str) -> String {
    // task:<uuid>:rest → rest
    key.splitn(3, ':')
        .nth(2)
        .unwrap()
        .replace("due:2026-09-30:overdue", "overdue")
}

db_test!(a_year_of_sweeps_records_each_event_once, |t| {
    let s = setup(t.db.clone()).await;
    let region = s.admin.region;
    let mut found: Vec<(Date, String, String)> = vec![];
    let mut day = date!(2026 - 01 - 01);
    while day <= date!(2026 - 12 - 31) {
        s.clock.set(at(day));
        if let Some((_, pct)) = REPORTS.iter().find(|(d, _)| *d == day) {
            let input = ProgressInput {
                percent: Some(Decimal::from(*pct)),
                quantity_done: None,
                summary: "按计划推进".into(),
                problems: String::new(),
                next_steps: String::new(),
            };
            s.app
                .report_progress(&s.reporter, s.task, input)
                .await
                .unwrap();
        }
        let (a, b) = tokio::join!(
            s.app.sweep(Sweeper::System(region), day),
            s.app.sweep(Sweeper::Actor(&s.supervisor), day),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let keys_a: HashSet<_> = a.iter().map(|e| e.event.dedup_key.clone()).collect();
        assert!(
            b.iter().all(|e| !keys_a.contains(&e.event.dedup_key)),
            "{day}: both sweepers recorded one event"
        );
        for e in a.iter().chain(&b) {
            found.push((
                e.event.occurred_on,
                e.event.kind.name().to_owned(),
                key_suffix(&e.event.dedup_key),
            ));
        }
        // A third sweep finds nothing new and writes nothing.
        let version = audit::data_version(s.app.db(), region).await.unwrap();
        assert!(
            s.app
                .sweep(Sweeper::System(region), day)
                .await
                .unwrap()
                .is_empty(),
            "{day}"
        );
        assert_eq!(
            audit::data_version(s.app.db(), region).await.unwrap(),
            version,
            "{day}"
        );
        day = day.next_day().unwrap();
    }
    found.sort();
    let mut want: Vec<(Date, String, String)> = expected()
        .into_iter()
        .map(|(d, k, key)| (d, k.to_owned(), key.to_owned()))
        .collect();
    want.sort();
    assert_eq!(found, want);

    // Everything is stored once.
    let stored = luoshi_store::supervision::list_events(
        s.app.db(),
        region,
        date!(2026 - 01 - 01),
        date!(2026 - 12 - 31),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 41);

    // The unit's reporter and head get every event once; the lead official's user the task
    // turning red, its first overdue mark (both on 1 October) and the escalation.
    let page = Page {
        limit: 1000,
        offset: 0,
    };
    for who in [&s.reporter, &s.manager] {
        let inbox = s.app.inbox(who, page).await.unwrap();
        assert_eq!((inbox.messages.len(), inbox.unread), (41, 41));
    }
    let inbox = s.app.inbox(&s.vice, page).await.unwrap();
    let mut titles: Vec<&str> = inbox.messages.iter().map(|m| m.title.as_str()).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "亮灯变化：建成文化广场",
            "升级督办：建成文化广场",
            "逾期催办：建成文化广场"
        ]
    );
    for m in &inbox.messages {
        s.app.mark_read(&s.vice, m.id).await.unwrap();
    }
    assert_eq!(s.app.inbox(&s.vice, page).await.unwrap().unread, 0);
    // The messages the official shared with the unit stay unread for the unit's people.
    assert_eq!(s.app.inbox(&s.reporter, page).await.unwrap().unread, 41);
    assert!(
        s.app
            .inbox(&s.supervisor, page)
            .await
            .unwrap()
            .messages
            .is_empty()
    );

    // Sweeps that recorded something wrote one audit row each, never two for one day.
    let log = audit::list(
        s.app.db(),
        region,
        &AuditFilter {
            entity: Some("supervision".into()),
            ..AuditFilter::default()
        },
        page,
    )
    .await
    .unwrap();
    let days: HashSet<_> = log.iter().map(|e| e.entity_id.clone()).collect();
    assert_eq!(days.len(), log.len());
    // A unit-scoped user may not run a sweep.
    let err = s
        .app
        .sweep(Sweeper::Actor(&s.reporter), date!(2026 - 12 - 31))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
});

db_test!(the_sweep_command_prints_new_events_once, |t| {
    let s = setup(t.db.clone()).await;
    let _ = (&s.manager, &s.vice, s.task);
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_luoshi"))
            .args([
                "--database-url",
                &t.url,
                "sweep",
                "--as-of",
                "2026-10-01",
                "--format",
                "json",
            ])
            .env("LUOSHI_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let first = run();
    // No report in September by the 25th; one day overdue. (The first look at the lamp records
    // it without an event; the September checkpoint is red but one red earns no card.)
    let got: Vec<(&str, &str, &str)> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["occurred_on"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["region"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-09-26", "report_missing", "620503"),
            ("2026-10-01", "overdue", "620503")
        ]
    );
    assert_eq!(
        first[1]["detail"],
        serde_json::json!({"text": "deadline 2026-09-30", "params": {"days_over": 1}})
    );
    assert_eq!(run(), serde_json::json!([]));
});

db_test!(the_regions_saved_policy_drives_the_sweep, |t| {
    let s = setup(t.db.clone()).await;
    use luoshi_domain::supervision::SupervisionPolicy;
    let ten = SupervisionPolicy {
        reminder_offsets_days: vec![10],
        ..SupervisionPolicy::default()
    };
    let err = s
        .app
        .save_supervision_policy(&s.reporter, &ten)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let bad = SupervisionPolicy {
        reporting_day: 0,
        ..SupervisionPolicy::default()
    };
    let err = s
        .app
        .save_supervision_policy(&s.admin, &bad)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("reporting_day"));
    assert_eq!(
        s.app.save_supervision_policy(&s.admin, &ten).await.unwrap(),
        1
    );
    assert_eq!(s.app.supervision_policy(s.admin.region).await.unwrap(), ten);

    // Ten days before 30 September the only mark is reached; the lamp is seen for the first
    // time (no change event) and no month is due yet.
    s.clock.set(at(date!(2026 - 09 - 20)));
    let events = s
        .app
        .sweep(Sweeper::System(s.admin.region), date!(2026 - 09 - 20))
        .await
        .unwrap();
    let got: Vec<(Date, &str, String)> = events
        .iter()
        .map(|e| {
            (
                e.event.occurred_on,
                e.event.kind.name(),
                key_suffix(&e.event.dedup_key),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(
            date!(2026 - 09 - 20),
            "deadline_approaching",
            "due:2026-09-30:approaching:10d".to_owned()
        )]
    );
});
