//! The dispatcher against the real HTTP receiver: signatures and shapes, retries with backoff,
//! a hanging robot, and two dispatchers on one database sending each message once.

use crate::receiver::{DING_SECRET, FEISHU_SECRET, Receiver};
use crate::world::world;
use luoshi_domain::ids::RegionId;
use luoshi_domain::supervision::RobotPlatform;
use luoshi_notify::{DispatchConfig, DispatchReport, Dispatcher, Webhooks};
use luoshi_store::Db;
use luoshi_store::supervision::deliveries::{self, DeliveryStatus, NewDelivery};
use luoshi_testkit::db_test;
use std::time::Duration;
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

const T0: OffsetDateTime = datetime!(2026-10-01 02:00 UTC);

fn dispatcher(db: &Db, timeout_s: u64) -> Dispatcher {
    let config = DispatchConfig {
        send_timeout: Duration::from_secs(timeout_s),
        ..DispatchConfig::default()
    };
    Dispatcher::new(
        db.clone(),
        None,
        Webhooks::new(Duration::from_secs(10)).unwrap(),
        config,
    )
}

async fn enqueue(db: &Db, region: RegionId, robot: Uuid, platform: RobotPlatform, key: &str) {
    let mut tx = db.begin().await.unwrap();
    let d = NewDelivery {
        dedup_key: key.into(),
        channel: platform.as_str().into(),
        recipient: robot.to_string(),
        target: "(robot)".into(),
        title: format!("标题 {key}"),
        body: format!("正文 {key}"),
        not_before: T0,
    };
    assert!(deliveries::enqueue(&mut tx, region, T0, &d).await.unwrap());
    tx.commit().await.unwrap();
}

db_test!(each_platform_is_signed_and_shaped_as_it_expects, |t| {
    let w = world(t.db.clone()).await;
    let rx = Receiver::start().await;
    let ding = w
        .add_robot(
            RobotPlatform::DingTalk,
            format!("{}/hook/ding?access_token=tok", rx.base),
            Some(DING_SECRET),
        )
        .await;
    let wecom = w
        .add_robot(
            RobotPlatform::WeCom,
            format!("{}/hook/wecom?key=wecom-key", rx.base),
            None,
        )
        .await;
    let feishu = w
        .add_robot(
            RobotPlatform::Feishu,
            format!("{}/hook/feishu", rx.base),
            Some(FEISHU_SECRET),
        )
        .await;
    // A Feishu robot with the wrong secret: HTTP 200 with code 19021 is still a failure.
    let wrong = w
        .add_robot(
            RobotPlatform::Feishu,
            format!("{}/hook/feishu", rx.base),
            Some("wrong"),
        )
        .await;
    for (r, p) in [
        (ding, RobotPlatform::DingTalk),
        (wecom, RobotPlatform::WeCom),
        (feishu, RobotPlatform::Feishu),
        (wrong, RobotPlatform::Feishu),
    ] {
        enqueue(&t.db, w.region, r, p, "k1").await;
    }
    let report = dispatcher(&t.db, 10).run_once(T0).await.unwrap();
    assert_eq!(
        report,
        DispatchReport {
            sent: 3,
            retried: 1,
            failed: 0,
            lost: 0
        }
    );
    let hits = rx.hits();
    let mut seen: Vec<(String, bool)> =
        hits.iter().map(|h| (h.path.clone(), h.signed_ok)).collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("ding".into(), true),
            ("feishu".into(), false),
            ("feishu".into(), true),
            ("wecom".into(), true)
        ]
    );
    let ding_hit = hits.iter().find(|h| h.path == "ding").unwrap();
    assert_eq!(
        ding_hit.query.get("access_token").map(String::as_str),
        Some("tok")
    );
    assert_eq!(
        ding_hit.query.get("timestamp").map(String::as_str),
        Some("1790820000000")
    );
    assert_eq!(ding_hit.body["markdown"]["title"], "标题 k1");
    assert_eq!(ding_hit.body["markdown"]["text"], "### 标题 k1\n\n正文 k1");
    let feishu_hit = hits
        .iter()
        .find(|h| h.path == "feishu" && h.signed_ok)
        .unwrap();
    assert_eq!(feishu_hit.body["timestamp"], "1790820000");
    assert_eq!(feishu_hit.body["content"]["text"], "标题 k1\n正文 k1");
    let log = deliveries::log(&t.db, w.region, Some(DeliveryStatus::Pending), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].recipient, wrong.to_string());
    assert_eq!(
        log[0].last_error.as_deref(),
        Some("platform error 19021: sign match fail")
    );
});

db_test!(a_failing_receiver_is_retried_with_backoff_and_logged, |t| {
    let w = world(t.db.clone()).await;
    let rx = Receiver::start().await;
    let flaky = w
        .add_robot(
            RobotPlatform::WeCom,
            format!("{}/hook/flaky", rx.base),
            None,
        )
        .await;
    enqueue(&t.db, w.region, flaky, RobotPlatform::WeCom, "k").await;
    let d = dispatcher(&t.db, 10);
    let s = time::Duration::seconds;
    // (when, sent, retried, attempts after, status after, last error)
    let steps = [
        (
            T0,
            0,
            1,
            1,
            DeliveryStatus::Pending,
            Some("HTTP 500: down #1"),
        ),
        // The first retry waits 60 s: nothing at 59 s.
        (
            T0 + s(59),
            0,
            0,
            1,
            DeliveryStatus::Pending,
            Some("HTTP 500: down #1"),
        ),
        (
            T0 + s(60),
            0,
            1,
            2,
            DeliveryStatus::Pending,
            Some("HTTP 500: down #2"),
        ),
        // The second waits 120 s more.
        (
            T0 + s(179),
            0,
            0,
            2,
            DeliveryStatus::Pending,
            Some("HTTP 500: down #2"),
        ),
        (
            T0 + s(180),
            1,
            0,
            3,
            DeliveryStatus::Sent,
            Some("HTTP 500: down #2"),
        ),
        (
            T0 + s(10_000),
            0,
            0,
            3,
            DeliveryStatus::Sent,
            Some("HTTP 500: down #2"),
        ),
    ];
    for (at, sent, retried, attempts, status, error) in steps {
        let r = d.run_once(at).await.unwrap();
        assert_eq!((r.sent, r.retried, r.failed), (sent, retried, 0), "{at}");
        let log = deliveries::log(&t.db, w.region, None, 10).await.unwrap();
        assert_eq!(
            (log[0].attempts, log[0].status, log[0].last_error.as_deref()),
            (attempts, status, error),
            "{at}"
        );
    }
    assert_eq!(rx.hits().len(), 3);
});

db_test!(
    a_hanging_robot_times_out_without_holding_up_the_others,
    |t| {
        let w = world(t.db.clone()).await;
        let rx = Receiver::start().await;
        let hang = w
            .add_robot(RobotPlatform::WeCom, format!("{}/hook/hang", rx.base), None)
            .await;
        let ok = w
            .add_robot(
                RobotPlatform::WeCom,
                format!("{}/hook/wecom?key=wecom-key", rx.base),
                None,
            )
            .await;
        enqueue(&t.db, w.region, hang, RobotPlatform::WeCom, "k").await;
        enqueue(&t.db, w.region, ok, RobotPlatform::WeCom, "k").await;
        let started = std::time::Instant::now();
        let r = dispatcher(&t.db, 1).run_once(T0).await.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!((r.sent, r.retried), (1, 1));
        let pending = deliveries::log(&t.db, w.region, Some(DeliveryStatus::Pending), 10)
            .await
            .unwrap();
        assert_eq!(
            pending[0].last_error.as_deref(),
            Some("timed out after 1 s")
        );
    }
);

db_test!(
    two_dispatchers_on_one_database_send_each_message_once,
    |t| {
        let w = world(t.db.clone()).await;
        let rx = Receiver::start().await;
        let robot = w
            .add_robot(
                RobotPlatform::WeCom,
                format!("{}/hook/wecom?key=wecom-key", rx.base),
                None,
            )
            .await;
        for i in 0..40 {
            enqueue(
                &t.db,
                w.region,
                robot,
                RobotPlatform::WeCom,
                &format!("k{i:02}"),
            )
            .await;
        }
        let small = DispatchConfig {
            batch: 4,
            ..DispatchConfig::default()
        };
        let webhooks = Webhooks::new(Duration::from_secs(10)).unwrap();
        let a = Dispatcher::new(t.db.clone(), None, webhooks.clone(), small.clone());
        let b = Dispatcher::new(t.db.clone(), None, webhooks, small);
        let (ra, rb) = tokio::join!(
            tokio::spawn({
                let a = a.clone();
                async move { a.run_once(T0).await.unwrap() }
            }),
            tokio::spawn({
                let b = b.clone();
                async move { b.run_once(T0).await.unwrap() }
            }),
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.sent + rb.sent, 40, "{ra:?} {rb:?}");
        assert_eq!(
            ra.lost + rb.lost + ra.retried + rb.retried + ra.failed + rb.failed,
            0
        );
        let mut bodies: Vec<String> = rx
            .hits()
            .iter()
            .map(|h| h.body["markdown"]["content"].as_str().unwrap().to_owned())
            .collect();
        bodies.sort();
        let want: Vec<String> = (0..40)
            .map(|i| format!("### 标题 k{i:02}\n正文 k{i:02}"))
            .collect();
        assert_eq!(bodies, want, "each message exactly once");
        // Nothing is left for either.
        assert_eq!(a.run_once(T0).await.unwrap(), DispatchReport::default());
    }
);
