use crate::fixtures::{World, add_user, ctx, world};
use crate::tasks::add_task;
use luoshi_domain::authz::{Grant, Role};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::*;
use luoshi_domain::lamp::Lamp;
use luoshi_domain::measure::Decimal;
use luoshi_domain::supervision::notice::Response;
use luoshi_domain::supervision::*;
use luoshi_store::supervision as sv;
use luoshi_store::{Db, Page, StoreError};
use luoshi_testkit::db_test;
use serde_json::json;
use time::macros::{date, datetime};
use uuid::Uuid;

fn event(w: &World, task: TaskId, key: &str, kind: EventKind, on: time::Date) -> SupervisionEvent {
    SupervisionEvent {
        kind,
        subject: Subject::Task(task),
        unit: w.unit_a,
        dedup_key: format!("task:{task}:{key}"),
        occurred_on: on,
        detail: format!("detail {key}"),
    }
}

db_test!(events_are_recorded_once_and_only_new_ones_returned, |t| {
    let w = world(&t.db).await;
    let task = add_task(&t.db, &w, "修路", w.unit_a, vec![], date!(2026 - 09 - 30)).await;
    let at = datetime!(2026-09-23 01:00 UTC);
    let a = event(
        &w,
        task.id,
        "due:2026-09-30:approaching:7d",
        EventKind::DeadlineApproaching { days_left: 7 },
        date!(2026 - 09 - 23),
    );
    let b = event(
        &w,
        task.id,
        "card:red:2026-08",
        EventKind::CardIssued {
            colour: CardColour::Red,
            points: Decimal::from(-2),
        },
        date!(2026 - 08 - 31),
    );
    let c = event(
        &w,
        task.id,
        "report-missing:2026-08",
        EventKind::ReportMissing {
            period: Period::new("p", 2026, 8).unwrap(),
        },
        date!(2026 - 08 - 26),
    );

    let mut tx = t.db.begin().await.unwrap();
    let new = sv::insert_events(&mut tx, w.region, at, &[a.clone(), b.clone()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        new.iter()
            .map(|(_, e)| e.dedup_key.clone())
            .collect::<Vec<_>>(),
        vec![a.dedup_key.clone(), b.dedup_key.clone()]
    );

    let mut tx = t.db.begin().await.unwrap();
    let new = sv::insert_events(&mut tx, w.region, at, &[a.clone(), c.clone(), b.clone()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].1, c);

    let stored = sv::list_events(
        &t.db,
        w.region,
        date!(2026 - 01 - 01),
        date!(2026 - 12 - 31),
    )
    .await
    .unwrap();
    let keys: Vec<(&str, time::Date)> = stored
        .iter()
        .map(|e| (e.kind.as_str(), e.occurred_on))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("report_missing", date!(2026 - 08 - 26)),
            ("card_issued", date!(2026 - 08 - 31)),
            ("deadline_approaching", date!(2026 - 09 - 23)),
        ]
    );
    assert_eq!(
        stored[1].detail,
        json!({"text": "detail card:red:2026-08", "params": {"colour": "red", "points": "-2"}})
    );
    assert_eq!(stored[0].detail["params"], json!({"period": "2026-08"}));
    assert_eq!(stored[2].subject, format!("task:{}", task.id));
    // The window is inclusive and filters.
    let sept = sv::list_events(
        &t.db,
        w.region,
        date!(2026 - 09 - 01),
        date!(2026 - 09 - 23),
    )
    .await
    .unwrap();
    assert_eq!(sept.len(), 1);
    // One kind only.
    let cards = sv::list_events_of_kind(
        &t.db,
        w.region,
        date!(2026 - 01 - 01),
        date!(2026 - 12 - 31),
        "card_issued",
    )
    .await
    .unwrap();
    assert_eq!(cards, stored[1..2]);
});

db_test!(concurrent_inserts_record_each_event_once, |t| {
    let w = world(&t.db).await;
    let task = add_task(&t.db, &w, "修路", w.unit_a, vec![], date!(2026 - 09 - 30)).await;
    let events: Vec<SupervisionEvent> = (1..=20)
        .map(|i| {
            event(
                &w,
                task.id,
                &format!("overdue:{i}d"),
                EventKind::Overdue { days_over: i },
                date!(2026 - 10 - 01),
            )
        })
        .collect();
    let run = |db: Db, events: Vec<SupervisionEvent>, region| async move {
        let mut tx = db.begin().await.unwrap();
        let new = sv::insert_events(&mut tx, region, datetime!(2026-10-02 00:00 UTC), &events)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        new.len()
    };
    let (x, y) = tokio::join!(
        tokio::spawn(run(t.db.clone(), events.clone(), w.region)),
        tokio::spawn(run(t.db.clone(), events[5..15].to_vec(), w.region)),
    );
    assert_eq!(x.unwrap() + y.unwrap(), 20);
    let stored = sv::list_events(
        &t.db,
        w.region,
        date!(2026 - 01 - 01),
        date!(2026 - 12 - 31),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 20);
});

db_test!(lamps_and_checkpoints_write_only_changes, |t| {
    let w = world(&t.db).await;
    let task = add_task(&t.db, &w, "修路", w.unit_a, vec![], date!(2026 - 09 - 30)).await;
    let obs = |lamp| LampObservation {
        subject: Subject::Task(task.id),
        lamp,
    };
    let on = date!(2026 - 05 - 10);
    let mut tx = t.db.begin().await.unwrap();
    assert_eq!(
        sv::observe_lamps(&mut tx, w.region, on, &[obs(Lamp::Green)])
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sv::observe_lamps(&mut tx, w.region, on, &[obs(Lamp::Green)])
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sv::observe_lamps(&mut tx, w.region, on, &[obs(Lamp::Red)])
            .await
            .unwrap(),
        1
    );
    let p = |m| Period::new("p", 2026, m).unwrap();
    let cps = [
        (
            task.id,
            Checkpoint {
                period: p(4),
                lamp: Lamp::Yellow,
            },
        ),
        (
            task.id,
            Checkpoint {
                period: p(5),
                lamp: Lamp::Red,
            },
        ),
    ];
    assert_eq!(
        sv::insert_checkpoints(&mut tx, w.region, datetime!(2026-06-01 00:00 UTC), &cps)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        sv::insert_checkpoints(
            &mut tx,
            w.region,
            datetime!(2026-06-01 00:00 UTC),
            &cps[1..]
        )
        .await
        .unwrap(),
        0
    );
    tx.commit().await.unwrap();
    let lamps = sv::last_lamps(&t.db, w.region).await.unwrap();
    assert_eq!(lamps.get(&format!("task:{}", task.id)), Some(&Lamp::Red));
    assert_eq!(lamps.len(), 1);
    let stored = sv::checkpoints(&t.db, w.region).await.unwrap();
    assert_eq!(
        stored[&task.id],
        vec![
            Checkpoint {
                period: p(4),
                lamp: Lamp::Yellow
            },
            Checkpoint {
                period: p(5),
                lamp: Lamp::Red
            }
        ]
    );
});

db_test!(notices_number_per_year_version_and_respond, |t| {
    let w = world(&t.db).await;
    let task = add_task(&t.db, &w, "修路", w.unit_a, vec![], date!(2026 - 09 - 30)).await;
    let c = ctx(w.region);
    let mut tx = t.db.begin().await.unwrap();
    let s1 = sv::next_notice_sequence(&mut tx, w.region, 2026)
        .await
        .unwrap();
    let s2 = sv::next_notice_sequence(&mut tx, w.region, 2026)
        .await
        .unwrap();
    let s3 = sv::next_notice_sequence(&mut tx, w.region, 2027)
        .await
        .unwrap();
    assert_eq!((s1, s2, s3), (1, 2, 1));
    let fields = NoticeFields {
        subject: NoticeSubject::Task(task.id),
        unit: w.unit_a,
        requirement: "十日内书面说明滞后原因".into(),
        issued_on: date!(2026 - 10 - 08),
        respond_by: date!(2026 - 10 - 18),
        follows: None,
    };
    let n = Notice::issue(
        NoticeId::from_uuid(Uuid::now_v7()),
        w.region,
        "督办",
        s2,
        fields,
    )
    .unwrap();
    sv::insert_notice(&mut tx, &c, &n).await.unwrap();
    tx.commit().await.unwrap();

    let got = sv::get_notice(&t.db, w.region, n.id).await.unwrap();
    assert_eq!(got, n);
    assert_eq!(got.number, "督办〔2026〕2号");
    assert_eq!(sv::open_notices(&t.db, w.region).await.unwrap().len(), 1);

    let action = NoticeAction::Respond {
        text: "已加派人手".into(),
    };
    let after = n.after(&action, date!(2026 - 10 - 15)).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    sv::insert_response(&mut tx, &c, n.id, after.response.as_ref().unwrap())
        .await
        .unwrap();
    let stored = sv::update_notice(&mut tx, &c, "respond", &n, &after)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stored.version, 2);
    let got = sv::get_notice(&t.db, w.region, n.id).await.unwrap();
    assert_eq!(got.status, NoticeStatus::Responded);
    assert_eq!(
        got.response,
        Some(Response {
            text: "已加派人手".into(),
            responded_on: date!(2026 - 10 - 15)
        })
    );
    assert_eq!(got.version, 2);
    assert!(sv::open_notices(&t.db, w.region).await.unwrap().is_empty());

    // A stale version changes nothing.
    let mut tx = t.db.begin().await.unwrap();
    let err = sv::update_notice(&mut tx, &c, "accept", &n, &after)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{err:?}"
    );
});

db_test!(inbox_keeps_one_message_per_key_and_counts_unread, |t| {
    let w = world(&t.db).await;
    let u = add_user(
        &t.db,
        &w,
        "联络员",
        vec![Grant::new(Role::Reporter, Some(w.unit_a)).unwrap()],
    )
    .await;
    let other = add_user(
        &t.db,
        &w,
        "局长",
        vec![Grant::new(Role::UnitManager, Some(w.unit_b)).unwrap()],
    )
    .await;
    let m = |key: &str, to: Vec<UserId>| sv::NewMessage {
        to,
        dedup_key: key.into(),
        event: None,
        notice: None,
        title: format!("title {key}"),
        body: "body".into(),
    };
    let insert = |at, messages: Vec<sv::NewMessage>| {
        let db = &t.db;
        async move {
            let mut tx = db.begin().await.unwrap();
            let n = sv::insert_messages(&mut tx, w.region, at, &messages)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            n
        }
    };
    let at = datetime!(2026-09-23 01:00 UTC);
    assert_eq!(insert(at, vec![m("k1", vec![u])]).await, 1);
    // The same key again (also twice in one call) gives the user nothing new; a message
    // without recipients is not stored.
    assert_eq!(
        insert(
            at,
            vec![m("k1", vec![u]), m("k1", vec![u]), m("k3", vec![])]
        )
        .await,
        0
    );
    assert_eq!(
        insert(
            datetime!(2026-09-24 01:00 UTC),
            vec![m("k2", vec![u, other])]
        )
        .await,
        2
    );
    assert_eq!(sv::unread_count(&t.db, w.region, u).await.unwrap(), 2);
    assert_eq!(sv::unread_count(&t.db, w.region, other).await.unwrap(), 1);
    let page = Page {
        limit: 10,
        offset: 0,
    };
    let msgs = sv::inbox(&t.db, w.region, u, page).await.unwrap();
    assert_eq!(
        msgs.iter()
            .map(|m| m.dedup_key.as_str())
            .collect::<Vec<_>>(),
        vec!["k2", "k1"]
    );
    assert!(msgs.iter().all(|m| m.read_at.is_none()));
    assert_eq!(msgs[1].title, "title k1");

    let mut tx = t.db.begin().await.unwrap();
    let read = datetime!(2026-09-25 02:00 UTC);
    assert!(
        !sv::mark_read(&mut tx, w.region, other, msgs[1].id, read)
            .await
            .unwrap()
    );
    assert!(
        sv::mark_read(&mut tx, w.region, u, msgs[1].id, read)
            .await
            .unwrap()
    );
    assert!(
        !sv::mark_read(&mut tx, w.region, u, msgs[1].id, read)
            .await
            .unwrap()
    );
    // A shared message: each recipient keeps their own read mark.
    assert!(
        sv::mark_read(&mut tx, w.region, u, msgs[0].id, read)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert_eq!(sv::unread_count(&t.db, w.region, u).await.unwrap(), 0);
    assert_eq!(sv::unread_count(&t.db, w.region, other).await.unwrap(), 1);
    let msgs = sv::inbox(&t.db, w.region, u, page).await.unwrap();
    assert_eq!(msgs[1].read_at, Some(read));
    let theirs = sv::inbox(&t.db, w.region, other, page).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!((theirs[0].id, theirs[0].read_at), (msgs[0].id, None));
    // A later recipient of a known key gets the message as first written.
    let mut again = m("k1", vec![u, other]);
    again.title = "changed".into();
    assert_eq!(insert(at, vec![again]).await, 1);
    let theirs = sv::inbox(&t.db, w.region, other, page).await.unwrap();
    assert_eq!(theirs[1].id, msgs[1].id);
    assert_eq!(theirs[1].title, "title k1");

    // Recipients: managers and reporters by unit.
    let r = sv::unit_recipients(&t.db, w.region).await.unwrap();
    assert_eq!(r[&w.unit_a], vec![u]);
    assert_eq!(r[&w.unit_b], vec![other]);
    let official = PersonId::from_uuid(Uuid::now_v7());
    let mut tx = t.db.begin().await.unwrap();
    sv::link_person(&mut tx, &ctx(w.region), other, Some(official))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let p = sv::person_users(&t.db, w.region).await.unwrap();
    assert_eq!(p.into_iter().collect::<Vec<_>>(), vec![(official, other)]);
});

db_test!(deliveries_are_queued_once_retried_and_logged, |t| {
    use sv::deliveries::{self, DeliveryStatus, NewDelivery};
    let w = world(&t.db).await;
    let d = |recipient: &str, channel: &str| NewDelivery {
        dedup_key: "task:x:due:2026-09-30:overdue:1d".into(),
        channel: channel.into(),
        recipient: recipient.into(),
        target: "https://hooks.example/robot".into(),
        title: "逾期催办".into(),
        body: "逾期催办".into(),
        not_before: datetime!(2026-10-01 07:00 UTC),
    };
    let at = datetime!(2026-10-01 01:00 UTC);
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        deliveries::enqueue(&mut tx, w.region, at, &d("u1", "dingtalk"))
            .await
            .unwrap()
    );
    assert!(
        !deliveries::enqueue(&mut tx, w.region, at, &d("u1", "dingtalk"))
            .await
            .unwrap()
    );
    assert!(
        deliveries::enqueue(&mut tx, w.region, at, &d("u1", "email"))
            .await
            .unwrap()
    );
    assert!(
        deliveries::enqueue(&mut tx, w.region, at, &d("u2", "dingtalk"))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    // Quiet hours: nothing is due before 07:00.
    assert!(
        deliveries::due(&t.db, datetime!(2026-10-01 06:59 UTC), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = deliveries::due(&t.db, datetime!(2026-10-01 07:00 UTC), 10)
        .await
        .unwrap();
    assert_eq!(due.len(), 3);

    let now = datetime!(2026-10-01 07:00 UTC);
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        deliveries::record_attempt(&mut tx, &due[0], now, Ok(()))
            .await
            .unwrap()
    );
    // A second sender holding the same snapshot records nothing.
    assert!(
        !deliveries::record_attempt(&mut tx, &due[0], now, Ok(()))
            .await
            .unwrap()
    );
    let retry = datetime!(2026-10-01 07:05 UTC);
    assert!(
        deliveries::record_attempt(&mut tx, &due[1], now, Err(("HTTP 500", Some(retry))))
            .await
            .unwrap()
    );
    assert!(
        deliveries::record_attempt(&mut tx, &due[2], now, Err(("connection refused", None)))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert!(
        deliveries::due(&t.db, datetime!(2026-10-01 07:04 UTC), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = deliveries::due(&t.db, retry, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(
        (
            again[0].id,
            again[0].attempts,
            again[0].last_error.as_deref()
        ),
        (due[1].id, 1, Some("HTTP 500"))
    );

    let log = deliveries::log(&t.db, w.region, None, 10).await.unwrap();
    let mut statuses: Vec<(String, String, DeliveryStatus, i32)> = log
        .into_iter()
        .map(|d| (d.recipient, d.channel, d.status, d.attempts))
        .collect();
    statuses.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let by_id = |id| {
        due.iter()
            .find(|d| d.id == id)
            .map(|d| (d.recipient.clone(), d.channel.clone()))
            .unwrap()
    };
    let (sent, retried, failed) = (by_id(due[0].id), by_id(due[1].id), by_id(due[2].id));
    let mut want = vec![
        (sent.0, sent.1, DeliveryStatus::Sent, 1),
        (retried.0, retried.1, DeliveryStatus::Pending, 1),
        (failed.0, failed.1, DeliveryStatus::Failed, 1),
    ];
    want.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(statuses, want);
});
