//! Issue #5's path on a fixed clock: the task slides past its deadline (30 Sep 2026); after the
//! sweep of 1 October and a dispatch, the unit's people and the task's lead official get the
//! overdue reminder once in-app and once by e-mail, and each robot of the unit posts it once; a
//! second sweep and dispatch send nothing.

use crate::receiver::{DING_SECRET, FEISHU_SECRET, Receiver};
use crate::smtp_server::{CA_PEM, SmtpServer, decode};
use crate::world::world;
use luoshi_app::Sweeper;
use luoshi_domain::supervision::RobotPlatform;
use luoshi_notify::{DispatchConfig, Dispatcher, Mailer, Secret, SmtpConfig, Webhooks};
use luoshi_store::Page;
use luoshi_store::supervision::deliveries::{self, DeliveryStatus};
use luoshi_testkit::db_test;
use std::time::Duration;
use time::macros::{date, datetime};

db_test!(an_overdue_task_is_reminded_once_on_every_channel, |t| {
    let w = world(t.db.clone()).await;
    let rx = Receiver::start().await;
    let smtp = SmtpServer::start(false).await;
    w.set_email(&w.reporter, "rep@example.org").await;
    w.set_email(&w.manager, "head@example.org").await;
    w.set_email(&w.vice, "vice@example.org").await;
    w.add_robot(
        RobotPlatform::DingTalk,
        format!("{}/hook/ding?access_token=tok", rx.base),
        Some(DING_SECRET),
    )
    .await;
    w.add_robot(
        RobotPlatform::WeCom,
        format!("{}/hook/wecom?key=wecom-key", rx.base),
        None,
    )
    .await;
    w.add_robot(
        RobotPlatform::Feishu,
        format!("{}/hook/feishu", rx.base),
        Some(FEISHU_SECRET),
    )
    .await;
    let mut cfg = SmtpConfig::from_url(
        &format!("smtp://robot@localhost:{}", smtp.port),
        Some(Secret::new("pw")),
        "督查室 <duban@example.org>",
        None,
    )
    .unwrap();
    cfg.extra_root_pem = Some(CA_PEM.to_vec());
    let dispatcher = Dispatcher::new(
        t.db.clone(),
        Some(Mailer::new(&cfg).unwrap()),
        Webhooks::new(Duration::from_secs(10)).unwrap(),
        DispatchConfig::default(),
    );

    // The day before the deadline (evening in China: quiet hours from 22:00 CST = 14:00 UTC).
    w.clock.set(datetime!(2026-09-29 15:00 UTC));
    let early = w
        .app
        .sweep(Sweeper::System(w.region), date!(2026 - 09 - 29))
        .await
        .unwrap();
    let mut early_kinds: Vec<String> = early
        .iter()
        .map(|e| {
            e.event
                .dedup_key
                .split(':')
                .skip(2)
                .collect::<Vec<_>>()
                .join(":")
        })
        .collect();
    early_kinds.sort();
    // The 1-day reminder, and no progress report in September by the 25th.
    assert_eq!(
        early_kinds,
        vec!["due:2026-09-30:approaching:1d", "report-missing:2026-09"]
    );
    // Nothing goes out during quiet hours; at 07:00 CST (23:00 UTC) it does.
    assert_eq!(
        dispatcher
            .run_once(datetime!(2026-09-29 22:59 UTC))
            .await
            .unwrap()
            .sent,
        0
    );
    let before = dispatcher
        .run_once(datetime!(2026-09-29 23:00 UTC))
        .await
        .unwrap();
    // Two events × (2 e-mails + 3 robot messages); neither is the lead official's business.
    assert_eq!(before.sent, 10, "{before:?}");

    // 1 October 10:00 CST: the task is overdue and red.
    let now = datetime!(2026-10-01 02:00 UTC);
    w.clock.set(now);
    let events = w
        .app
        .sweep(Sweeper::System(w.region), date!(2026 - 10 - 01))
        .await
        .unwrap();
    let mut kinds: Vec<&str> = events.iter().map(|e| e.event.kind.name()).collect();
    kinds.sort();
    // Already red on 29 September (no progress against ~97 % expected), so only "overdue" is new.
    assert_eq!(kinds, vec!["overdue"]);
    let overdue_key = format!("task:{}:due:2026-09-30:overdue:1d", w.task);
    let r = dispatcher.run_once(now).await.unwrap();
    // One event × (3 e-mails: reporter, head, lead official + 3 robots).
    assert_eq!((r.sent, r.retried, r.failed), (6, 0, 0));

    // In-app: one message per event each for the reporter and the head.
    let page = Page {
        limit: 100,
        offset: 0,
    };
    for who in [&w.reporter, &w.manager, &w.vice] {
        let inbox = w.app.inbox(who, page).await.unwrap();
        let overdue: Vec<_> = inbox
            .messages
            .iter()
            .filter(|m| m.dedup_key == overdue_key)
            .collect();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].title, "逾期催办：建成文化广场");
    }
    // E-mail: exactly one overdue reminder to each, over TLS, decoded subject and body.
    let mails = smtp.messages();
    assert_eq!(mails.len(), 4 + 3);
    for to in [
        "<rep@example.org>",
        "<head@example.org>",
        "<vice@example.org>",
    ] {
        let mine: Vec<(String, String)> = mails
            .iter()
            .filter(|m| m.to == vec![to.to_owned()])
            .map(|m| decode(&m.data))
            .filter(|(s, _)| s == "逾期催办：建成文化广场")
            .collect();
        assert_eq!(mine.len(), 1, "{to}");
        assert!(
            mine[0].1.starts_with("逾期催办：建成文化广场\n\n"),
            "{}",
            mine[0].1
        );
        assert!(
            mine[0]
                .1
                .contains(&format!("请登录落实系统查看：/tasks/{}\n", w.task)),
            "{}",
            mine[0].1
        );
    }
    assert!(
        mails
            .iter()
            .all(|m| m.tls && m.auth.as_ref().is_some_and(|a| a.2))
    );
    // Robots: one overdue message each, all correctly signed.
    let hits = rx.hits();
    assert!(hits.iter().all(|h| h.signed_ok));
    for path in ["ding", "wecom", "feishu"] {
        let n = hits
            .iter()
            .filter(|h| h.path == path && h.body.to_string().contains("逾期催办：建成文化广场"))
            .count();
        assert_eq!(n, 1, "{path}");
    }
    let sent = deliveries::log(&t.db, w.region, Some(DeliveryStatus::Sent), 100)
        .await
        .unwrap();
    assert_eq!(
        sent.iter().filter(|d| d.dedup_key == overdue_key).count(),
        6
    );

    // A second sweep and dispatch the same day send nothing more.
    assert!(
        w.app
            .sweep(Sweeper::System(w.region), date!(2026 - 10 - 01))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(dispatcher.run_once(now).await.unwrap().sent, 0);
    assert_eq!((smtp.messages().len(), rx.hits().len()), (7, 9));
});
