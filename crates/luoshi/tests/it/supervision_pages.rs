//! Supervision pages over HTTP: the inbox, the workbench and the notice pages (issue from the
//! page, the unit answers, the office accepts), with authorisation and CSRF.

use crate::support::{page_token, world};
use luoshi_app::{App, FixedClock, Sweeper};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use std::sync::Arc;
use time::macros::{date, datetime};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn text(c: &reqwest::Client, url: &str, cookie: &str) -> (StatusCode, String) {
    let r = c.get(url).header("cookie", cookie).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The first value of `attr="…"` after `marker` in `html`.
fn after(html: &str, marker: &str) -> String {
    html.split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no {marker} in {html}"))
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

db_test!(the_inbox_shows_a_sweeps_message_and_marks_it_read, |t| {
    let db = t.db.clone();
    let w = world(t).await;
    // The server's own sweeper, run on 1 October: the task led by unit A is far behind.
    let sweeper = App::new(
        db.clone(),
        Arc::new(FixedClock(datetime!(2026-10-01 01:00 UTC))),
    );
    let now = App::new(db, Arc::new(FixedClock(datetime!(2026-06-15 02:00 UTC))));
    let sup = now.authenticate(&w.supervisor).await.unwrap().actor();
    let events = sweeper
        .sweep(Sweeper::Actor(&sup), date!(2026 - 10 - 01))
        .await
        .unwrap();
    assert!(!events.is_empty());
    let c = client();
    let base = &w.app.base;
    let cookie = format!("luoshi_session={}", w.reporter_a);
    let (s, html) = text(&c, &format!("{base}/inbox"), &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<strong>进度未按时报送：建成3—5个新农村示范村</strong>"),
        "{html}"
    );
    assert!(html.contains("monthly report for 2026-09 due 2026-09-25"));
    assert!(html.contains("未读消息 <strong>1</strong>"), "{html}");
    let (_, badge) = text(&c, &format!("{base}/inbox/badge"), &cookie).await;
    assert!(badge.contains(">1</span>"), "{badge}");
    let id = after(&html, "id=\"read-");
    // Without the page's token the form is refused and the message stays unread.
    let r = c
        .post(format!("{base}/inbox/{id}/read"))
        .header("cookie", &cookie)
        .form(&[("_csrf", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let token = page_token(&c, &format!("{base}/inbox"), &cookie).await;
    let r = c
        .post(format!("{base}/inbox/{id}/read"))
        .header("cookie", &cookie)
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&c, &format!("{base}/inbox"), &cookie).await;
    assert!(html.contains("未读消息 <strong>0</strong>"), "{html}");
    assert!(!html.contains("id=\"read-"), "no mark-read button left");
    let (_, badge) = text(&c, &format!("{base}/inbox/badge"), &cookie).await;
    assert_eq!(badge, "");
    // Another user's message is not theirs to mark.
    let other = format!("luoshi_session={}", w.supervisor);
    let token = page_token(&c, &format!("{base}/inbox"), &other).await;
    let r = c
        .post(format!("{base}/inbox/{id}/read"))
        .header("cookie", &other)
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
});

async fn post_form(
    c: &reqwest::Client,
    url: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let r = c
        .post(url)
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

db_test!(
    a_notice_is_issued_from_the_page_answered_and_accepted,
    |t| {
        let w = world(t).await;
        let c = client();
        let base = &w.app.base;
        let sup = format!("luoshi_session={}", w.supervisor);
        let rep = format!("luoshi_session={}", w.reporter_a);
        let head = format!("luoshi_session={}", w.manager_a);

        // The workbench: the office and nobody below it.
        let (s, html) = text(&c, &format!("{base}/supervision"), &sup).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("督查督办工作台"), "{html}");
        let (s, _) = text(&c, &format!("{base}/supervision"), &rep).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // A reporter may neither open the form nor post it, even with a valid token.
        let form_url = format!("{base}/notices/new?task={}", w.task);
        let (s, _) = text(&c, &form_url, &rep).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let rep_token = page_token(&c, &format!("{base}/inbox"), &rep).await;
        let notice_form = |token: &str, by: &str| {
            vec![
                ("_csrf".to_owned(), token.to_owned()),
                ("task".to_owned(), w.task.clone()),
                (
                    "requirement".to_owned(),
                    "请书面说明进度滞后原因及整改措施".to_owned(),
                ),
                ("respond_by".to_owned(), by.to_owned()),
            ]
        };
        let r = c
            .post(format!("{base}/notices"))
            .header("cookie", &rep)
            .form(&notice_form(&rep_token, "2026-06-25"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        // The office: a form without its token is refused; a date before the issue date names
        // the field; then the notice is issued and numbered.
        let (s, html) = text(&c, &form_url, &sup).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("建成3—5个新农村示范村") && html.contains("中滩镇"),
            "{html}"
        );
        let r = c
            .post(format!("{base}/notices"))
            .header("cookie", &sup)
            .form(&notice_form("", "2026-06-25"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let (_, list) = text(&c, &format!("{base}/notices"), &sup).await;
        assert!(list.contains("id=\"notices-none\""), "nothing was issued");
        let token = page_token(&c, &form_url, &sup).await;
        let r = c
            .post(format!("{base}/notices"))
            .header("cookie", &sup)
            .form(&notice_form(&token, "2026-06-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("respond_by: "));
        let r = c
            .post(format!("{base}/notices"))
            .header("cookie", &sup)
            .form(&notice_form(&token, "2026-06-25"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(page.starts_with("/notices/"), "{page}");
        let url = format!("{base}{page}");
        let (_, html) = text(&c, &url, &sup).await;
        assert!(html.contains("督办〔2026〕1号"), "{html}");
        assert!(html.contains("2026-06-15") && html.contains("2026-06-25"));
        assert!(html.contains("id=\"notice-status\">已签发<"), "{html}");
        assert!(
            !html.contains("id=\"respond-form\""),
            "the office does not answer"
        );
        let (_, list) = text(&c, &format!("{base}/notices?status=issued"), &sup).await;
        assert!(list.contains("督办〔2026〕1号"));
        let (_, list) = text(&c, &format!("{base}/notices?status=accepted"), &sup).await;
        assert!(!list.contains("督办〔2026〕1号"));

        // The unit's manager sees it in the inbox and answers; a reporter of the unit cannot.
        let (_, inbox) = text(&c, &format!("{base}/inbox"), &head).await;
        assert!(inbox.contains("督办单 督办〔2026〕1号"), "{inbox}");
        let (_, html) = text(&c, &url, &rep).await;
        assert!(!html.contains("id=\"respond-form\""));
        let act = format!("{url}/act");
        let rep_token = page_token(&c, &url, &rep).await;
        let (s, _, _) = post_form(
            &c,
            &act,
            &rep,
            &[
                ("_csrf", &rep_token),
                ("action", "respond"),
                ("version", "1"),
                ("text", "已整改"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, html) = text(&c, &url, &head).await;
        assert!(html.contains("id=\"respond-form\""), "{html}");
        let head_token = page_token(&c, &url, &head).await;
        let (s, _, body) = post_form(
            &c,
            &act,
            &head,
            &[
                ("_csrf", &head_token),
                ("action", "respond"),
                ("version", "1"),
                ("text", " "),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(body.contains("text: "), "{body}");
        let (s, loc, _) = post_form(
            &c,
            &act,
            &head,
            &[
                ("_csrf", &head_token),
                ("action", "respond"),
                ("version", "1"),
                ("text", "已加派施工力量，月底前完成"),
            ],
        )
        .await;
        assert_eq!((s, loc.as_str()), (StatusCode::SEE_OTHER, page.as_str()));

        // The office accepts.
        let (_, html) = text(&c, &url, &sup).await;
        assert!(html.contains("已加派施工力量，月底前完成") && html.contains("id=\"accept-form\""));
        let (s, _, _) = post_form(
            &c,
            &act,
            &sup,
            &[("_csrf", &token), ("action", "accept"), ("version", "1")],
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "a stale version is refused");
        let (s, _, _) = post_form(
            &c,
            &act,
            &sup,
            &[("_csrf", &token), ("action", "accept"), ("version", "2")],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = text(&c, &url, &sup).await;
        assert!(html.contains("id=\"notice-status\">已验收<"), "{html}");
        assert!(!html.contains("id=\"accept-form\"") && !html.contains("id=\"follow-up-form\""));

        // A second notice is answered unsatisfactorily: the office follows it up with a third,
        // which names the second; the second shows as followed up.
        let r = c
            .post(format!("{base}/notices"))
            .header("cookie", &sup)
            .form(&notice_form(&token, "2026-06-30"))
            .send()
            .await
            .unwrap();
        let second = r.headers()["location"].to_str().unwrap().to_owned();
        let act = format!("{base}{second}/act");
        let (s, _, _) = post_form(
            &c,
            &act,
            &head,
            &[
                ("_csrf", &head_token),
                ("action", "respond"),
                ("version", "1"),
                ("text", "正在推进"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, third, _) = post_form(
            &c,
            &act,
            &sup,
            &[
                ("_csrf", &token),
                ("action", "follow_up"),
                ("version", "2"),
                ("reason", "答复未说明完成时间"),
                ("requirement", "请明确完成时间并每周报告进展"),
                ("respond_by", "2026-06-22"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_ne!(third, second);
        let (_, html) = text(&c, &format!("{base}{third}"), &sup).await;
        assert!(
            html.contains("督办〔2026〕3号") && html.contains("请明确完成时间并每周报告进展"),
            "{html}"
        );
        assert!(
            html.contains(&format!("href=\"{second}\"")),
            "links the notice it follows"
        );
        let (_, html) = text(&c, &format!("{base}{second}"), &sup).await;
        assert!(
            html.contains("督办〔2026〕2号") && html.contains("id=\"notice-status\">已再次督办<"),
            "{html}"
        );
    }
);

db_test!(
    the_workbench_groups_lagging_work_for_the_office_and_leaders,
    |t| {
        let w = world(t).await;
        let mut ids = Vec::new();
        for (title, start, deadline) in [
            ("修通中滩镇道路", "2026-01-01", "2026-06-10"),
            ("建成农贸市场", "2026-01-01", "2026-12-31"),
            ("完成年度培训", "2026-06-01", "2026-12-31"),
        ] {
            let t = w
            .app
            .post(
                "/api/v1/tasks",
                &w.supervisor,
                serde_json::json!({"plan_id": w.plan, "title": title, "lead_unit_id": w.unit_b, "start": start, "deadline": deadline}),
            )
            .await;
            ids.push(t["id"].as_str().unwrap().to_owned());
        }
        w.app
        .post(
            "/api/v1/users",
            &w.app.admin,
            serde_json::json!({"username": "lead", "display_name": "lead", "password": "password-123", "grants": [{"role": "leader", "unit_id": null}]}),
        )
        .await;
        let leader = w.app.login("lead", "password-123").await;
        let c = client();
        let base = &w.app.base;
        let (s, html) = text(
            &c,
            &format!("{base}/supervision"),
            &format!("luoshi_session={}", w.supervisor),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        // The long-overdue road and the market (started in January, nothing done by mid-June) are
        // red; the training (started 1 June) is not lagging yet. The world's own task is red too.
        assert!(html.contains("id=\"lagging-count\">3<"), "{html}");
        assert!(!html.contains("完成年度培训"));
        let by_unit = html.split("id=\"by-official\"").next().unwrap();
        let jsj = by_unit.split("<strong>建设局</strong>").nth(1).unwrap();
        assert!(
            jsj.contains("红灯·严重滞后</span> 2<") && jsj.contains("逾期 1<"),
            "{jsj}"
        );
        let (road, market) = (
            jsj.find("修通中滩镇道路").unwrap(),
            jsj.find("建成农贸市场").unwrap(),
        );
        assert!(road < market, "overdue work first");
        let by_official = html.split("id=\"by-official\"").nth(1).unwrap();
        assert!(by_official.contains("<strong>未明确牵头领导</strong>"));
        for id in &ids[..2] {
            assert!(
                html.contains(&format!("href=\"/notices/new?task={id}\"")),
                "{id}"
            );
        }
        // Leaders read the same workbench without the notice links.
        let (s, html) = text(
            &c,
            &format!("{base}/supervision"),
            &format!("luoshi_session={leader}"),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("id=\"lagging-count\">3<") && html.contains("修通中滩镇道路"));
        assert!(!html.contains("/notices/new"), "{html}");
    }
);
