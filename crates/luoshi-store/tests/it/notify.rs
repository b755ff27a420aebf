//! Contacts, unit robots and claiming deliveries (migration 0006).

use crate::fixtures::{World, add_user_with, ctx, world};
use luoshi_domain::ids::*;
use luoshi_domain::supervision::RobotPlatform;
use luoshi_store::supervision::channels::{self, Contact, Robot};
use luoshi_store::supervision::deliveries::{self, DeliveryStatus, NewDelivery};
use luoshi_store::{Db, StoreError};
use luoshi_testkit::db_test;
use time::Duration;
use time::macros::datetime;
use uuid::Uuid;

const CH: &[&str] = &["email", "dingtalk"];

async fn add_user(db: &Db, w: &World, name: &str, active: bool) -> UserId {
    add_user_with(db, w, name, vec![], active).await
}

async fn save(db: &Db, w: &World, c: &Contact) -> Result<i64, StoreError> {
    let mut tx = db.begin().await.unwrap();
    let v = channels::save_contact(&mut tx, &ctx(w.region), c).await?;
    tx.commit().await.unwrap();
    Ok(v)
}

db_test!(
    contacts_are_versioned_and_only_wanted_addresses_are_used,
    |t| {
        let w = world(&t.db).await;
        let a = add_user(&t.db, &w, "甲", true).await;
        let b = add_user(&t.db, &w, "乙", true).await;
        let gone = add_user(&t.db, &w, "丙", false).await;
        let blank = channels::contact(&t.db, w.region, a).await.unwrap();
        assert_eq!(
            (blank.email.clone(), blank.email_on, blank.version),
            (None, false, 0)
        );

        let c = |user, email: &str, on, version| Contact {
            user,
            email: Some(email.into()),
            email_on: on,
            version,
        };
        assert_eq!(
            save(&t.db, &w, &c(a, "a@example.org", true, 0))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            save(&t.db, &w, &c(b, "b@example.org", false, 0))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            save(&t.db, &w, &c(gone, "c@example.org", true, 0))
                .await
                .unwrap(),
            1
        );
        // A second "first save" and a stale version are both conflicts naming the current version.
        for stale in [0, 5] {
            match save(&t.db, &w, &c(a, "x@example.org", true, stale)).await {
                Err(StoreError::Conflict {
                    entity: "contact",
                    expected,
                    current: 1,
                }) => assert_eq!(expected, stale),
                other => panic!("stale {stale}: {other:?}"),
            }
        }
        assert_eq!(
            save(&t.db, &w, &c(a, "a2@example.org", true, 1))
                .await
                .unwrap(),
            2
        );
        let got = channels::contact(&t.db, w.region, a).await.unwrap();
        assert_eq!(
            (got.email.as_deref(), got.email_on, got.version),
            (Some("a2@example.org"), true, 2)
        );
        // b turned e-mail off, the third user is inactive: only a's address is used.
        let wanted = channels::email_addresses(&t.db, w.region).await.unwrap();
        assert_eq!(
            wanted.into_iter().collect::<Vec<_>>(),
            vec![(a, "a2@example.org".to_owned())]
        );
    }
);

db_test!(robots_keep_their_secret_and_refuse_stale_edits, |t| {
    let w = world(&t.db).await;
    let robot = |unit, platform, name: &str, enabled| Robot {
        id: Uuid::now_v7(),
        region: w.region,
        unit,
        platform,
        name: name.into(),
        url: format!("https://robots.example/{name}?access_token=TOKEN"),
        secret: Some("SECsecret".into()),
        enabled,
        version: 1,
    };
    let ding = robot(w.unit_a, RobotPlatform::DingTalk, "ding", true);
    let wecom = robot(w.unit_a, RobotPlatform::WeCom, "wecom", false);
    let feishu = robot(w.unit_b, RobotPlatform::Feishu, "feishu", true);
    let mut tx = t.db.begin().await.unwrap();
    for r in [&ding, &wecom, &feishu] {
        channels::insert_robot(&mut tx, &ctx(w.region), r)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    // Debug output never shows the secret nor the URL's query.
    let dbg = format!("{ding:?}");
    assert!(
        !dbg.contains("SECsecret") && !dbg.contains("TOKEN"),
        "{dbg}"
    );
    assert!(dbg.contains("https://robots.example/ding?…"), "{dbg}");

    let of_a = channels::robots(&t.db, w.region, Some(w.unit_a))
        .await
        .unwrap();
    assert_eq!(
        of_a.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        vec!["ding", "wecom"]
    );
    let enabled = channels::enabled_robots(&t.db, w.region).await.unwrap();
    let names = |u| {
        enabled
            .get(&u)
            .map(|rs| rs.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(
        (names(w.unit_a), names(w.unit_b)),
        (vec!["ding".into()], vec!["feishu".into()])
    );

    // An edit without a secret keeps the stored one; a stale version is a conflict.
    let edit = Robot {
        name: "ding2".into(),
        secret: None,
        enabled: false,
        ..ding.clone()
    };
    let mut tx = t.db.begin().await.unwrap();
    assert_eq!(
        channels::update_robot(&mut tx, &ctx(w.region), &edit)
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    let got = channels::robot(&t.db, w.region, ding.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            got.name.as_str(),
            got.secret.as_deref(),
            got.enabled,
            got.version
        ),
        ("ding2", Some("SECsecret"), false, 2)
    );
    let mut tx = t.db.begin().await.unwrap();
    match channels::update_robot(&mut tx, &ctx(w.region), &edit).await {
        Err(StoreError::Conflict {
            entity: "robot",
            expected: 1,
            current: 2,
        }) => {}
        other => panic!("{other:?}"),
    }
});

db_test!(claims_are_exclusive_until_the_lease_runs_out, |t| {
    let w = world(&t.db).await;
    let at = datetime!(2026-10-01 01:00 UTC);
    let mut tx = t.db.begin().await.unwrap();
    for r in ["u1", "u2", "u3"] {
        let d = NewDelivery {
            dedup_key: "k".into(),
            channel: "email".into(),
            recipient: r.into(),
            target: format!("{r}@example.org"),
            title: "标题".into(),
            body: "正文".into(),
            // Given in China Standard Time: stored and compared in UTC.
            not_before: datetime!(2026-10-01 09:00 +8),
        };
        assert!(
            deliveries::enqueue(&mut tx, w.region, at, &d)
                .await
                .unwrap()
        );
    }
    tx.commit().await.unwrap();
    let lease = Duration::seconds(120);
    let t0 = datetime!(2026-10-01 01:00 UTC);
    // A sender without e-mail configured does not take e-mail deliveries; none is due earlier.
    assert!(
        deliveries::claim(&t.db, "z", &["feishu"], t0, lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        deliveries::claim(&t.db, "z", CH, t0 - Duration::seconds(1), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let a = deliveries::claim(&t.db, "a", CH, t0, lease, 2)
        .await
        .unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].title, "标题");
    let b = deliveries::claim(&t.db, "b", CH, t0, lease, 10)
        .await
        .unwrap();
    assert_eq!(b.len(), 1, "only the unclaimed one is left");
    assert!(a.iter().all(|d| d.id != b[0].id));
    assert!(
        deliveries::claim(&t.db, "c", CH, t0 + Duration::seconds(119), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // a sends its first; b records a failure with a retry; a "crashes" holding its second.
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        deliveries::record_attempt(&mut tx, &a[0], t0, Ok(()))
            .await
            .unwrap()
    );
    let retry = t0 + Duration::seconds(60);
    assert!(
        deliveries::record_attempt(&mut tx, &b[0], t0, Err(("HTTP 500", Some(retry))))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    // At 01:01 the retry is due again (its lease was cleared); a's second is still leased.
    let c = deliveries::claim(&t.db, "c", CH, retry, lease, 10)
        .await
        .unwrap();
    assert_eq!(c.iter().map(|d| d.id).collect::<Vec<_>>(), vec![b[0].id]);
    // After a's lease ran out (01:02), its second delivery is claimed by d.
    let d = deliveries::claim(&t.db, "d", CH, t0 + lease, lease, 10)
        .await
        .unwrap();
    assert_eq!(d.iter().map(|x| x.id).collect::<Vec<_>>(), vec![a[1].id]);
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        deliveries::record_attempt(&mut tx, &d[0], t0 + lease, Ok(()))
            .await
            .unwrap()
    );
    // a wakes up and tries to record the same attempt: nothing changes.
    assert!(
        !deliveries::record_attempt(&mut tx, &a[1], t0 + lease, Ok(()))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let sent = deliveries::log(&t.db, w.region, Some(DeliveryStatus::Sent), 10)
        .await
        .unwrap();
    let mut ids: Vec<Uuid> = sent.iter().map(|d| d.id).collect();
    ids.sort();
    let mut want = vec![a[0].id, a[1].id];
    want.sort();
    assert_eq!(ids, want);
    assert!(
        sent.iter()
            .all(|d| d.sent_at.is_some() && d.next_attempt_at.is_none())
    );
    let pending = deliveries::log(&t.db, w.region, Some(DeliveryStatus::Pending), 10)
        .await
        .unwrap();
    assert_eq!(
        (
            pending.len(),
            pending[0].attempts,
            pending[0].next_attempt_at
        ),
        (1, 1, Some(retry))
    );
});
