//! The workbench's one-click reminder (sent once per task and day, however often clicked; the
//! office only; CSRF) and the notice list as XLSX within the user's scope.

use crate::support::{page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use std::io::Read;

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

/// The first sheet and the shared strings of a workbook, as one text.
fn sheet_text(bytes: Vec<u8>) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut out = String::new();
    for name in [
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
    ] {
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut out).unwrap();
        }
    }
    out
}

db_test!(a_one_click_reminder_is_sent_once_a_day, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let rep = format!("luoshi_session={}", w.reporter_a);
    let (s, html) = text(&c, &format!("{base}/supervision"), &sup).await;
    assert_eq!(s, StatusCode::OK);
    let action = format!("action=\"/supervision/remind/{}\"", w.task);
    assert!(html.contains(&action), "{html}");
    let url = format!("{base}/supervision/remind/{}", w.task);
    let send = |cookie: &str, token: &str| {
        let (c, url) = (c.clone(), url.clone());
        let (cookie, token) = (cookie.to_owned(), token.to_owned());
        async move {
            c.post(url)
                .header("cookie", cookie)
                .form(&[("_csrf", token)])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(send(&sup, "").await.status(), StatusCode::FORBIDDEN);
    let rep_token = page_token(&c, &format!("{base}/inbox"), &rep).await;
    assert_eq!(send(&rep, &rep_token).await.status(), StatusCode::FORBIDDEN);

    // Unit A has two people (its reporter and its head): two messages, then none.
    let token = page_token(&c, &format!("{base}/supervision"), &sup).await;
    let first = send(&sup, &token).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], "/supervision?reminded=2");
    let second = send(&sup, &token).await;
    assert_eq!(second.headers()["location"], "/supervision?reminded=0");
    let (_, html) = text(&c, &format!("{base}/supervision?reminded=2"), &sup).await;
    assert!(html.contains("id=\"reminded\""));

    let (_, inbox) = text(&c, &format!("{base}/inbox"), &rep).await;
    assert_eq!(
        inbox.matches("督办提醒：建成3—5个新农村示范村").count(),
        1,
        "{inbox}"
    );
    assert!(inbox.contains("未读消息 <strong>1</strong>"), "{inbox}");
    // Unit B's reporter got nothing.
    let (_, other) = text(
        &c,
        &format!("{base}/inbox"),
        &format!("luoshi_session={}", w.reporter_b),
    )
    .await;
    assert!(!other.contains("督办提醒"));
});

db_test!(the_notice_list_exports_within_the_users_scope, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let token = page_token(&c, &format!("{base}/notices/new?task={}", w.task), &sup).await;
    let r = c
        .post(format!("{base}/notices"))
        .header("cookie", &sup)
        .form(&[
            ("_csrf", token.as_str()),
            ("task", w.task.as_str()),
            ("requirement", "请书面说明进度滞后原因"),
            ("respond_by", "2026-06-25"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = text(&c, &format!("{base}/notices"), &sup).await;
    assert!(list.contains("href=\"/notices.xlsx\""));
    let get = |who: &str| {
        let c = c.clone();
        let (url, cookie) = (
            format!("{base}/notices.xlsx"),
            format!("luoshi_session={who}"),
        );
        async move { c.get(url).header("cookie", cookie).send().await.unwrap() }
    };
    // The office and unit A see the notice; unit B, not addressed, gets the header row only.
    for (who, sees) in [
        (&w.supervisor, true),
        (&w.reporter_a, true),
        (&w.reporter_b, false),
    ] {
        let r = get(who).await;
        assert_eq!(r.status(), StatusCode::OK);
        let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.contains("spreadsheetml"), "{ct}");
        let xml = sheet_text(r.bytes().await.unwrap().to_vec());
        assert!(xml.contains("name=\"督办单\""), "the sheet: {xml}");
        assert!(xml.contains("督办单编号") || xml.contains("编号"), "{xml}");
        assert_eq!(xml.contains("督办〔2026〕1号"), sees, "{who}: {xml}");
        assert_eq!(xml.contains("请书面说明进度滞后原因"), sees);
        assert_eq!(xml.contains("2026-06-25"), sees);
    }
});
