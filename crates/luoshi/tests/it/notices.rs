//! Supervision notices (督办单) through the use cases: numbering, who may do what, versions,
//! the inbox message to the addressed unit, and the sweep's reminder of an unanswered notice.

use crate::sweep::{at, setup};
use luoshi_app::{NoticeInput, Sweeper};
use luoshi_domain::supervision::{NoticeStatus, NoticeSubject};
use luoshi_store::Page;
use luoshi_testkit::db_test;
use time::macros::date;

db_test!(a_notice_is_issued_answered_accepted_and_followed_up, |t| {
    let s = setup(t.db.clone()).await;
    s.clock.set(at(date!(2026 - 10 - 08)));
    let input = NoticeInput {
        task: Some(s.task),
        unit: None,
        requirement: "请于十日内书面说明滞后原因及整改措施".into(),
        respond_by: date!(2026 - 10 - 18),
    };
    let err = s.app.issue_notice(&s.reporter, &input).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let bad = NoticeInput {
        respond_by: date!(2026 - 10 - 07),
        ..input.clone()
    };
    let err = s.app.issue_notice(&s.supervisor, &bad).await.unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("before_issue", Some("respond_by"))
    );

    let n = s.app.issue_notice(&s.supervisor, &input).await.unwrap();
    assert_eq!(n.number, "督办〔2026〕1号");
    assert_eq!((n.status, n.version), (NoticeStatus::Issued, 1));
    assert_eq!(n.fields.subject, NoticeSubject::Task(s.task));
    let page = Page {
        limit: 10,
        offset: 0,
    };
    for who in [&s.reporter, &s.manager] {
        let inbox = s.app.inbox(who, page).await.unwrap();
        assert_eq!(inbox.unread, 1);
        assert_eq!(inbox.messages[0].title, "督办单 督办〔2026〕1号");
        assert_eq!(inbox.messages[0].notice, Some(n.id));
    }

    // Only the unit's manager answers, with the current version.
    s.clock.set(at(date!(2026 - 10 - 15)));
    let err = s
        .app
        .respond_to_notice(&s.reporter, n.id, 1, "已整改")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = s
        .app
        .respond_to_notice(&s.manager, n.id, 0, "已整改")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "version_conflict");
    let err = s
        .app
        .respond_to_notice(&s.manager, n.id, 1, "  ")
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("text"));
    let r = s
        .app
        .respond_to_notice(&s.manager, n.id, 1, "已加派施工力量")
        .await
        .unwrap();
    assert_eq!((r.status, r.version), (NoticeStatus::Responded, 2));
    let got = s.app.notice(&s.reporter, n.id).await.unwrap();
    assert_eq!(
        got.response
            .as_ref()
            .map(|x| (x.text.as_str(), x.responded_on)),
        Some(("已加派施工力量", date!(2026 - 10 - 15)))
    );

    let err = s.app.accept_notice(&s.manager, n.id, 2).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let a = s.app.accept_notice(&s.supervisor, n.id, 2).await.unwrap();
    assert_eq!(
        (a.status, a.version, a.decided_on),
        (NoticeStatus::Accepted, 3, Some(date!(2026 - 10 - 15)))
    );
    let err = s
        .app
        .accept_notice(&s.supervisor, n.id, 3)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_transition");

    // A second notice goes unanswered: the sweep reminds the unit, then a further notice
    // replaces it.
    s.clock.set(at(date!(2026 - 10 - 20)));
    let second = s
        .app
        .issue_notice(
            &s.supervisor,
            &NoticeInput {
                respond_by: date!(2026 - 10 - 25),
                ..input.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(second.number, "督办〔2026〕2号");
    s.clock.set(at(date!(2026 - 10 - 26)));
    let events = s
        .app
        .sweep(Sweeper::System(s.admin.region), date!(2026 - 10 - 26))
        .await
        .unwrap();
    let reminder = events
        .iter()
        .find(|e| {
            e.event.dedup_key == format!("notice:{}:respond-by:2026-10-25:overdue:1d", second.id)
        })
        .expect("overdue notice reminder");
    assert_eq!(reminder.event.occurred_on, date!(2026 - 10 - 26));
    let err = s
        .app
        .follow_up_notice(
            &s.supervisor,
            second.id,
            1,
            "",
            "再次督办",
            date!(2026 - 11 - 02),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let (closed, third) = s
        .app
        .follow_up_notice(
            &s.supervisor,
            second.id,
            1,
            "逾期未反馈",
            "再次督办：三日内反馈",
            date!(2026 - 10 - 29),
        )
        .await
        .unwrap();
    assert_eq!(
        (closed.status, closed.version),
        (NoticeStatus::FollowedUp, 2)
    );
    assert_eq!(
        (third.number.as_str(), third.fields.follows),
        ("督办〔2026〕3号", Some(second.id))
    );
    let all = s.app.notices(&s.manager, None).await.unwrap();
    let listed: Vec<(&str, NoticeStatus)> =
        all.iter().map(|n| (n.number.as_str(), n.status)).collect();
    assert_eq!(
        listed,
        vec![
            ("督办〔2026〕3号", NoticeStatus::Issued),
            ("督办〔2026〕2号", NoticeStatus::FollowedUp),
            ("督办〔2026〕1号", NoticeStatus::Accepted),
        ]
    );
    assert_eq!(
        s.app
            .notices(&s.supervisor, Some(NoticeStatus::Issued))
            .await
            .unwrap()
            .len(),
        1
    );
});
