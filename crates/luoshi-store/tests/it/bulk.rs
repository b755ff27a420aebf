//! Region-wide reads folded into one document on SQLite (`Db::fetch_bulk`), multi-row inserts
//! (`Tx::insert_many`) and the per-task report days: the same answers as the row-by-row paths.

use crate::fixtures::{World, ctx, world};
use luoshi_domain::ids::*;
use luoshi_domain::lamp::Lamp;
use luoshi_domain::measure::Decimal;
use luoshi_domain::org::Person;
use luoshi_domain::supervision::{LampObservation, Subject};
use luoshi_domain::task::*;
use luoshi_store::supervision as sv;
use luoshi_store::tasks::{self, TaskFilter};
use luoshi_store::{AuditCtx, Db, progress, units};
use luoshi_testkit::db_test;
use std::str::FromStr;
use time::macros::{date, datetime};
use uuid::Uuid;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn insert(db: &Db, w: &World, title: &str, deadline: time::Date, rich: bool) -> TaskId {
    let official = PersonId::from_uuid(Uuid::now_v7());
    if rich {
        let p = Person {
            id: official,
            region: w.region,
            name: "王副区长".into(),
            post: "副区长".into(),
            unit: None,
            phone: String::new(),
        };
        let mut tx = db.begin().await.unwrap();
        units::insert_person(&mut tx, &ctx(w.region), &p)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let fields = TaskFields {
        section: None,
        external_id: rich.then(|| format!("B-{title}")),
        title: title.into(),
        description: if rich {
            "第一行\n第二行：\"引号\" 与反斜杠 \\ 以及 tab\t和 emoji 🚧".into()
        } else {
            String::new()
        },
        source: TaskSource::Plan,
        lead_unit: w.unit_a,
        co_units: if rich { vec![w.unit_b] } else { vec![] },
        lead_official: rich.then_some(official),
        responsible_person: None,
        liaison: None,
        start: date!(2026 - 01 - 01),
        deadline,
        milestones: if rich {
            vec![
                Milestone {
                    title: "过半 \"中期\"".into(),
                    due: date!(2026 - 06 - 30),
                    target_pct: d("50.5"),
                },
                Milestone {
                    title: "三季度".into(),
                    due: date!(2026 - 09 - 30),
                    target_pct: d("80"),
                },
            ]
            .into_iter()
            .filter(|m| m.due <= deadline)
            .collect()
        } else {
            vec![]
        },
        quantity: rich.then(|| QuantityTarget {
            min: d("12.25"),
            max: Some(d("15")),
            unit: "公里".into(),
        }),
        weight: d("7.5"),
    }
    .validate()
    .unwrap();
    let t = Task {
        id: TaskId::from_uuid(Uuid::now_v7()),
        region: w.region,
        plan: w.plan,
        fields,
        status: TaskStatus::Assigned,
        requested_deadline: rich.then_some(date!(2027 - 01 - 31)),
        progress_pct: d("33.3"),
        quantity_done: rich.then(|| d("4.5")),
        last_report_on: rich.then_some(date!(2026 - 05 - 20)),
        done_reported_on: None,
        closed_on: None,
        version: 1,
    };
    let mut tx = db.begin().await.unwrap();
    tasks::insert(&mut tx, &ctx(w.region), &t).await.unwrap();
    tx.commit().await.unwrap();
    t.id
}

db_test!(bulk_task_reads_match_row_reads, |t| {
    let w = world(&t.db).await;
    let mut ids = vec![
        insert(
            &t.db,
            &w,
            "修建\"环城\"道路 \\ 二期",
            date!(2026 - 12 - 31),
            true,
        )
        .await,
        insert(&t.db, &w, "plain", date!(2026 - 03 - 31), false).await,
        insert(&t.db, &w, "同日截止甲", date!(2026 - 06 - 30), false).await,
        insert(&t.db, &w, "同日截止乙", date!(2026 - 06 - 30), true).await,
    ];
    let all = tasks::all_complete(&t.db, w.region, &TaskFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    for task in &all {
        let one = tasks::get(&t.db, w.region, task.id).await.unwrap();
        assert_eq!(
            task, &one,
            "bulk and row reads differ for {}",
            one.fields.title
        );
    }
    // By deadline, then id (ids are time-ordered: insertion order on a tie).
    let deadline = |id: &TaskId| all.iter().find(|x| x.id == *id).unwrap().fields.deadline;
    ids.sort_by_key(|id| (deadline(id), *id));
    assert_eq!(all.iter().map(|x| x.id).collect::<Vec<_>>(), ids);
    let rich = all.iter().find(|x| x.fields.quantity.is_some()).unwrap();
    assert_eq!(rich.fields.milestones[0].target_pct, d("50.5"));
    assert!(rich.fields.description.contains("\"引号\" 与反斜杠 \\"));
    // Without cooperating units (the sweep's read), everything else is the same.
    let lean = tasks::all(&t.db, w.region, &TaskFilter::default())
        .await
        .unwrap();
    assert!(lean.iter().all(|x| x.fields.co_units.is_empty()));
    assert_eq!(lean.len(), 4);
});

db_test!(
    multi_row_writes_cross_statements_and_keep_the_last_lamp,
    |t| {
        let w = world(&t.db).await;
        // More rows than one statement takes on either backend (4,096 on SQLite).
        const N: usize = 4100;
        let subjects: Vec<Subject> = (0..N)
            .map(|_| Subject::Task(TaskId::from_uuid(Uuid::now_v7())))
            .collect();
        let obs = |s: &Subject, lamp| LampObservation {
            subject: s.clone(),
            lamp,
        };
        let on = date!(2026 - 06 - 15);
        let write = |list: Vec<LampObservation>| {
            let db = t.db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                let n = sv::observe_lamps(&mut tx, w.region, on, &list)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                n
            }
        };
        let greens: Vec<_> = subjects.iter().map(|s| obs(s, Lamp::Green)).collect();
        assert_eq!(
            write(greens.clone()).await,
            N as u64,
            "every row, in several statements"
        );
        assert_eq!(write(greens).await, 0, "an unchanged lamp is not rewritten");
        // The first 100 turn red; one subject is listed twice in one call: the last entry wins.
        let mut change: Vec<_> = subjects[..100].iter().map(|s| obs(s, Lamp::Red)).collect();
        change.insert(0, obs(&subjects[0], Lamp::Yellow));
        assert_eq!(write(change).await, 100);
        let lamps = sv::last_lamps(&t.db, w.region).await.unwrap();
        assert_eq!(lamps.len(), N);
        let reds = lamps.values().filter(|l| **l == Lamp::Red).count();
        assert_eq!(reds, 100);
        assert_eq!(lamps[&subjects[0].to_string()], Lamp::Red);
        assert_eq!(lamps[&subjects[N - 1].to_string()], Lamp::Green);
    }
);

db_test!(first_report_days_are_utc_days_kept_with_each_report, |t| {
    let w = world(&t.db).await;
    let a = insert(&t.db, &w, "甲", date!(2026 - 12 - 31), false).await;
    let b = insert(&t.db, &w, "乙", date!(2026 - 12 - 31), false).await;
    let report = ProgressReport {
        percent: d("10"),
        quantity_done: None,
        summary: "进展".into(),
        problems: String::new(),
        next_steps: String::new(),
    };
    // Written out of order (an earlier day of a month comes later); one instant carries China's
    // offset (still 31 March in UTC).
    for (task, at) in [
        (a, datetime!(2026-04-02 01:00 UTC)),
        (a, datetime!(2026-03-31 23:30 UTC)),
        (a, datetime!(2026-04-01 07:00 +08:00)),
        (b, datetime!(2026-05-20 12:00 UTC)),
        (b, datetime!(2026-05-05 12:00 UTC)),
    ] {
        let c = AuditCtx {
            at,
            ..ctx(w.region)
        };
        let mut tx = t.db.begin().await.unwrap();
        progress::append(
            &mut tx,
            &c,
            ReportId::from_uuid(Uuid::now_v7()),
            task,
            &report,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    // Each task keeps the first UTC day of each month it reported on, written with the report
    // (out of order here) and rebuilt from the reports by the migration that added it.
    let first_days = || async {
        let outlines = luoshi_store::assessment::task_outlines(&t.db, w.region)
            .await
            .unwrap();
        outlines
            .into_iter()
            .map(|o| (o.id, o.first_report_days))
            .collect::<std::collections::HashMap<_, _>>()
    };
    let want = |task| match task {
        x if x == a => vec![date!(2026 - 03 - 31), date!(2026 - 04 - 02)],
        _ => vec![date!(2026 - 05 - 05)],
    };
    let kept = first_days().await;
    assert_eq!(kept[&a], want(a));
    assert_eq!(kept[&b], want(b));
    let migration = match t.db.backend() {
        luoshi_store::Backend::Sqlite => {
            include_str!("../../migrations/sqlite/0010_report_months.sql")
        }
        luoshi_store::Backend::Postgres => {
            include_str!("../../migrations/postgres/0010_report_months.sql")
        }
    };
    let backfill = &migration[migration.find("UPDATE").unwrap()..];
    let mut tx = t.db.begin().await.unwrap();
    tx.execute("UPDATE tasks SET report_months = ''", luoshi_store::args![])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(first_days().await[&a].is_empty());
    let mut tx = t.db.begin().await.unwrap();
    tx.execute(backfill, luoshi_store::args![]).await.unwrap();
    tx.commit().await.unwrap();
    let rebuilt = first_days().await;
    assert_eq!(rebuilt, kept);
    // The sweep reads the same column with the tasks; a task that never reported has none.
    let c = insert(&t.db, &w, "丙", date!(2026 - 12 - 31), false).await;
    let swept: std::collections::HashMap<_, _> = tasks::all_with_report_days(&t.db, w.region)
        .await
        .unwrap()
        .into_iter()
        .map(|(task, days)| (task.id, days))
        .collect();
    assert_eq!(swept.len(), 3);
    assert_eq!((&swept[&a], &swept[&b]), (&want(a), &want(b)));
    assert!(swept[&c].is_empty());
    assert!(first_days().await[&c].is_empty());
});
