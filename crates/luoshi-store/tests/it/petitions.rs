use crate::fixtures::{ctx, world};
use luoshi_domain::ids::*;
use luoshi_domain::measure::Decimal;
use luoshi_domain::petition::*;
use luoshi_store::petitions::{self, PetitionFilter, log};
use luoshi_store::{AuditCtx, StoreError};
use luoshi_testkit::db_test;
use serde_json::json;
use time::macros::{date, datetime};
use uuid::Uuid;

fn case(region: RegionId, matter: &str, on: time::Date) -> PetitionCase {
    let fields = PetitionFields {
        channel: Channel::Visit,
        personal: PersonalData {
            petitioners: vec![Petitioner {
                name: "张三".into(),
                id_number: None,
                phone: None,
                address: String::new(),
            }],
        },
        petitioner_count: 3,
        matter: matter.into(),
        category: "劳资纠纷".into(),
        registered_on: on,
    }
    .validate()
    .unwrap();
    PetitionCase::register(PetitionId::from_uuid(Uuid::now_v7()), region, fields)
}

fn user_ctx(region: RegionId, user: UserId) -> AuditCtx {
    AuditCtx {
        region,
        actor: Some(user),
        at: datetime!(2026-06-15 09:00 UTC),
    }
}

db_test!(a_case_round_trips_with_every_node_and_version_checks, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let registered = case(w.region, "拖欠工资三个月", date!(2026 - 01 - 31));
    let mut tx = t.db.begin().await.unwrap();
    petitions::insert(&mut tx, &c, &registered, vec![1, 2, 3])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let got = petitions::get(&t.db, w.region, registered.id)
        .await
        .unwrap();
    assert_eq!(got.personal, None);
    assert_eq!(got, registered.redacted());
    assert_eq!(
        petitions::sealed(&t.db, w.region, registered.id)
            .await
            .unwrap(),
        Some(vec![1, 2, 3])
    );

    // Every optional part filled in survives the round trip.
    let mut after = got.clone();
    after.status = PetitionStatus::Replied;
    after.handling_unit = Some(w.unit_a);
    after.dates.routed_on = Some(date!(2026 - 02 - 02));
    after.dates.received_on = Some(date!(2026 - 02 - 03));
    after.dates.accepted_on = Some(date!(2026 - 02 - 10));
    after.dates.replied_on = Some(date!(2026 - 04 - 20));
    after.extension = Some(Extension {
        approved_on: date!(2026 - 03 - 30),
        notice_on: date!(2026 - 03 - 31),
        days: 20,
        reason: "需补充调查".into(),
    });
    after.review_outcome = Some(ReviewOutcome::Upheld);
    after.rating = Some(Rating {
        value: Satisfaction::BasicallySatisfied,
        rated_on: date!(2026 - 04 - 25),
    });
    let mut tx = t.db.begin().await.unwrap();
    let v = petitions::update(&mut tx, &c, &got, &after, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(v, 2);
    let stored = petitions::get(&t.db, w.region, after.id).await.unwrap();
    assert_eq!(
        stored,
        PetitionCase {
            version: 2,
            ..after.clone()
        }
    );

    // A stale version is a conflict naming the current one.
    let mut tx = t.db.begin().await.unwrap();
    let err = petitions::update(&mut tx, &c, &got, &after, 1)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict {
            expected: 1,
            current: 2,
            ..
        }
    ));
});

db_test!(lists_filter_by_status_unit_and_registration_dates, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let a = case(w.region, "征地补偿", date!(2026 - 03 - 01));
    let mut b = case(w.region, "噪音扰民", date!(2026 - 04 - 01));
    b.status = PetitionStatus::Routed;
    b.handling_unit = Some(w.unit_b);
    b.dates.routed_on = Some(date!(2026 - 04 - 02));
    let mut tx = t.db.begin().await.unwrap();
    petitions::insert(&mut tx, &c, &a, vec![0]).await.unwrap();
    petitions::insert(&mut tx, &c, &b, vec![0]).await.unwrap();
    tx.commit().await.unwrap();
    let ids = |v: Vec<PetitionCase>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let cases = [
        (PetitionFilter::default(), vec![b.id, a.id]),
        (
            PetitionFilter {
                status: Some(PetitionStatus::Registered),
                ..Default::default()
            },
            vec![a.id],
        ),
        (
            PetitionFilter {
                handling_unit: Some(w.unit_b),
                ..Default::default()
            },
            vec![b.id],
        ),
        (
            PetitionFilter {
                registered_to: Some(date!(2026 - 03 - 31)),
                ..Default::default()
            },
            vec![a.id],
        ),
        (
            PetitionFilter {
                registered_from: Some(date!(2026 - 04 - 01)),
                category: Some("劳资纠纷".into()),
                ..Default::default()
            },
            vec![b.id],
        ),
    ];
    for (filter, want) in cases {
        let got = ids(petitions::list(&t.db, w.region, &filter).await.unwrap());
        assert_eq!(got, want, "{filter:?}");
    }
});

db_test!(events_and_reads_are_append_only_and_listed_in_order, |t| {
    let w = world(&t.db).await;
    let user = UserId::from_uuid(Uuid::now_v7());
    let c = user_ctx(w.region, user);
    let a = case(w.region, "征地补偿", date!(2026 - 03 - 01));
    let mut tx = t.db.begin().await.unwrap();
    petitions::insert(&mut tx, &c, &a, vec![0]).await.unwrap();
    log::append_event(
        &mut tx,
        &c,
        a.id,
        "register",
        date!(2026 - 03 - 01),
        json!({}),
    )
    .await
    .unwrap();
    log::append_event(
        &mut tx,
        &c,
        a.id,
        "decline",
        date!(2026 - 03 - 05),
        json!({"reason": "不属于信访事项"}),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let ev = log::events(&t.db, w.region, a.id).await.unwrap();
    let got: Vec<(&str, time::Date)> = ev.iter().map(|e| (e.action.as_str(), e.on)).collect();
    assert_eq!(
        got,
        [
            ("register", date!(2026 - 03 - 01)),
            ("decline", date!(2026 - 03 - 05))
        ]
    );
    assert_eq!(ev[1].detail, json!({"reason": "不属于信访事项"}));
    assert_eq!(ev[1].actor, Some(user));

    log::log_reads(&t.db, &c, &[a.id], "GET /petitions/x")
        .await
        .unwrap();
    let reads = log::reads(&t.db, w.region, Some(a.id)).await.unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(
        (reads[0].user, reads[0].route.as_str()),
        (user, "GET /petitions/x")
    );

    for sql in [
        "UPDATE petition_events SET action = 'x' WHERE region_id = $1",
        "DELETE FROM petition_events WHERE region_id = $1",
        "UPDATE petition_reads SET route = 'x' WHERE region_id = $1",
        "DELETE FROM petition_reads WHERE region_id = $1",
    ] {
        let mut tx = t.db.begin().await.unwrap();
        let r = tx.execute(sql, luoshi_store::args![w.region]).await;
        assert!(r.is_err(), "{sql} must be refused");
    }
});

db_test!(a_repeat_decision_is_taken_once, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let a = case(w.region, "征地补偿款未发放", date!(2026 - 03 - 01));
    let b = case(w.region, "征地补偿款仍未发放", date!(2026 - 05 - 01));
    let mut tx = t.db.begin().await.unwrap();
    petitions::insert(&mut tx, &c, &a, vec![0]).await.unwrap();
    petitions::insert(&mut tx, &c, &b, vec![0]).await.unwrap();
    log::decide_repeat(&mut tx, &c, b.id, a.id, true, Decimal::new(7143, 2))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let d = log::repeat_decisions(&t.db, w.region, b.id).await.unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].earlier, d[0].confirmed, d[0].score_pct),
        (a.id, true, Decimal::new(7143, 2))
    );
    let mut tx = t.db.begin().await.unwrap();
    let err = log::decide_repeat(&mut tx, &c, b.id, a.id, false, Decimal::ZERO)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
});
