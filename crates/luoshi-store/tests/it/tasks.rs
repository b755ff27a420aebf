use crate::fixtures::{World, ctx, world};
use luoshi_domain::ids::*;
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::*;
use luoshi_store::tasks::{TaskFilter, TaskSort};
use luoshi_store::{Db, Page, progress, tasks};
use luoshi_testkit::db_test;
use std::str::FromStr;
use time::macros::date;
use uuid::Uuid;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub(crate) async fn add_task(
    db: &Db,
    w: &World,
    title: &str,
    lead: UnitId,
    co: Vec<UnitId>,
    deadline: time::Date,
) -> Task {
    let fields = TaskFields {
        section: None,
        external_id: None,
        title: title.into(),
        description: String::new(),
        source: TaskSource::Plan,
        lead_unit: lead,
        co_units: co,
        lead_official: None,
        responsible_person: None,
        liaison: None,
        start: date!(2026 - 01 - 01),
        deadline,
        milestones: if deadline > date!(2026 - 06 - 30) {
            vec![Milestone {
                title: "半年".into(),
                due: date!(2026 - 06 - 30),
                target_pct: d("50"),
            }]
        } else {
            vec![]
        },
        quantity: None,
        weight: d("5"),
    }
    .validate()
    .unwrap();
    let t = Task {
        id: TaskId::from_uuid(Uuid::now_v7()),
        region: w.region,
        plan: w.plan,
        fields,
        status: TaskStatus::Assigned,
        requested_deadline: None,
        progress_pct: Decimal::ZERO,
        quantity_done: None,
        last_report_on: None,
        done_reported_on: None,
        closed_on: None,
        version: 1,
    };
    let mut tx = db.begin().await.unwrap();
    tasks::insert(&mut tx, &ctx(w.region), &t).await.unwrap();
    tx.commit().await.unwrap();
    t
}

db_test!(tasks_round_trip_and_filter, |t| {
    let w = world(&t.db).await;
    let t1 = add_task(
        &t.db,
        &w,
        "修建道路",
        w.unit_a,
        vec![w.unit_b],
        date!(2026 - 03 - 31),
    )
    .await;
    add_task(
        &t.db,
        &w,
        "建设示范村",
        w.unit_b,
        vec![],
        date!(2026 - 12 - 31),
    )
    .await;
    add_task(
        &t.db,
        &w,
        "招商引资",
        w.unit_b,
        vec![],
        date!(2026 - 05 - 31),
    )
    .await;

    let got = tasks::get(&t.db, w.region, t1.id).await.unwrap();
    assert_eq!(got.fields, t1.fields);
    assert_eq!(got.status, TaskStatus::Assigned);

    let page = Page {
        limit: 10,
        offset: 0,
    };
    let by_unit = TaskFilter {
        lead_unit: Some(w.unit_b),
        ..Default::default()
    };
    let (rows, total) = tasks::list(&t.db, w.region, &by_unit, TaskSort::Deadline, page)
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(
        rows.iter()
            .map(|t| t.fields.title.as_str())
            .collect::<Vec<_>>(),
        ["招商引资", "建设示范村"]
    );

    // Unit B sees the task it cooperates on, too.
    let visible = TaskFilter {
        visible_to_units: Some(vec![w.unit_b]),
        ..Default::default()
    };
    assert_eq!(
        tasks::list(&t.db, w.region, &visible, TaskSort::Title, page)
            .await
            .unwrap()
            .1,
        3
    );
    let visible_a = TaskFilter {
        visible_to_units: Some(vec![w.unit_a]),
        ..Default::default()
    };
    assert_eq!(
        tasks::list(&t.db, w.region, &visible_a, TaskSort::Title, page)
            .await
            .unwrap()
            .1,
        1
    );

    let overdue = TaskFilter {
        overdue_on: Some(date!(2026 - 06 - 01)),
        ..Default::default()
    };
    let (rows, total) = tasks::list(&t.db, w.region, &overdue, TaskSort::DeadlineDesc, page)
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(rows[0].fields.title, "招商引资");

    let range = TaskFilter {
        deadline_from: Some(date!(2026 - 04 - 01)),
        deadline_to: Some(date!(2026 - 06 - 30)),
        ..Default::default()
    };
    assert_eq!(
        tasks::list(&t.db, w.region, &range, TaskSort::Deadline, page)
            .await
            .unwrap()
            .1,
        1
    );
    let second = Page {
        limit: 1,
        offset: 1,
    };
    let (rows, total) = tasks::list(
        &t.db,
        w.region,
        &TaskFilter::default(),
        TaskSort::Deadline,
        second,
    )
    .await
    .unwrap();
    assert_eq!(
        (rows.len(), total, rows[0].fields.title.as_str()),
        (1, 3, "招商引资")
    );
});

db_test!(transitions_are_versioned_and_recorded, |t| {
    let w = world(&t.db).await;
    let task = add_task(
        &t.db,
        &w,
        "修建道路",
        w.unit_a,
        vec![],
        date!(2026 - 12 - 31),
    )
    .await;
    let c = ctx(w.region);
    let mut after = task.clone();
    after.status = apply(task.status, task.fields.deadline, &TaskAction::Acknowledge).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let saved = tasks::transition(&mut tx, &c, &task, &after, "acknowledge", "")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((saved.status, saved.version), (TaskStatus::InProgress, 2));

    // The same transition from the stale copy conflicts.
    let mut tx = t.db.begin().await.unwrap();
    let err = tasks::transition(&mut tx, &c, &task, &after, "acknowledge", "")
        .await
        .unwrap_err();
    assert!(
        matches!(err, luoshi_store::StoreError::Conflict { .. }),
        "{err:?}"
    );
    drop(tx);
    let events = tasks::events(&t.db, w.region, task.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].from, events[0].to),
        (TaskStatus::Assigned, TaskStatus::InProgress)
    );
});

db_test!(progress_is_appended_and_cached, |t| {
    let w = world(&t.db).await;
    let task = add_task(
        &t.db,
        &w,
        "修建道路",
        w.unit_a,
        vec![],
        date!(2026 - 12 - 31),
    )
    .await;
    for pct in ["20", "45.5"] {
        let r = ProgressReport {
            percent: d(pct),
            quantity_done: None,
            summary: format!("完成{pct}%"),
            problems: String::new(),
            next_steps: String::new(),
        };
        let mut tx = t.db.begin().await.unwrap();
        progress::append(
            &mut tx,
            &ctx(w.region),
            ReportId::from_uuid(Uuid::now_v7()),
            task.id,
            &r,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let reports = progress::for_task(&t.db, w.region, task.id).await.unwrap();
    assert_eq!(
        reports.iter().map(|r| r.report.percent).collect::<Vec<_>>(),
        [d("20"), d("45.5")]
    );
    let got = tasks::get(&t.db, w.region, task.id).await.unwrap();
    assert_eq!(
        (got.progress_pct, got.version),
        (d("45.5"), 1),
        "progress is history, not an edit"
    );
    assert_eq!(got.last_report_on, Some(date!(2026 - 06 - 15)));
});
