//! Delivery pages over HTTP: "my notifications" (versioned, 409 on a stale form), a unit's robots
//! (the secret is never shown back), and the delivery log with its status filter, with
//! authorisation and CSRF.

use crate::support::{page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

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

async fn post(c: &reqwest::Client, url: &str, cookie: &str, form: &[(&str, &str)]) -> StatusCode {
    c.post(url)
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
        .status()
}

db_test!(a_user_sets_their_email_and_a_stale_form_is_refused, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let cookie = format!("luoshi_session={}", w.reporter_a);
    let (s, inbox) = text(&c, &format!("{base}/inbox"), &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        inbox.contains("href=\"/me/notifications\""),
        "linked from the inbox"
    );
    let url = format!("{base}/me/notifications");
    let token = page_token(&c, &url, &cookie).await;
    // Without the token: refused.
    let form = |csrf: &'static str, version: &'static str| {
        [
            ("_csrf", csrf),
            ("email", "rep-a@example.org"),
            ("email_on", "1"),
            ("version", version),
        ]
    };
    assert_eq!(
        post(&c, &url, &cookie, &form("", "0")).await,
        StatusCode::FORBIDDEN
    );
    let token: &'static str = Box::leak(token.into_boxed_str());
    assert_eq!(
        post(&c, &url, &cookie, &form(token, "0")).await,
        StatusCode::SEE_OTHER
    );
    let (_, html) = text(&c, &format!("{url}?saved=1"), &cookie).await;
    assert!(html.contains("value=\"rep-a@example.org\""), "{html}");
    assert!(html.contains("name=\"version\" value=\"1\""), "{html}");
    assert!(
        html.contains("id=\"email-on\" value=\"1\" checked"),
        "{html}"
    );
    // The same form again carries version 0: someone saved in between → 409.
    assert_eq!(
        post(&c, &url, &cookie, &form(token, "0")).await,
        StatusCode::CONFLICT
    );
    // A bad address names the problem (422 or 400 from the validation mapping).
    let bad = [
        ("_csrf", token),
        ("email", "not-an-address"),
        ("email_on", "1"),
        ("version", "1"),
    ];
    assert!(post(&c, &url, &cookie, &bad).await.is_client_error());
});

db_test!(robots_are_kept_by_managers_and_secrets_never_shown, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let url = format!("{base}/units/{}/robots", w.unit_a);
    // A reporter may not see or add robots; another unit's manager neither.
    let rep = format!("luoshi_session={}", w.reporter_a);
    assert_eq!(text(&c, &url, &rep).await.0, StatusCode::FORBIDDEN);
    let head = format!("luoshi_session={}", w.manager_a);
    let token = page_token(&c, &url, &head).await;
    let add = [
        ("_csrf", token.as_str()),
        ("platform", "dingtalk"),
        ("name", "中滩镇工作群"),
        ("url", "https://oapi.example/robot/send?access_token=abc"),
        ("secret", "SECtop-secret-value"),
        ("enabled", "1"),
    ];
    assert_eq!(post(&c, &url, &head, &add).await, StatusCode::SEE_OTHER);
    let (s, html) = text(&c, &url, &head).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"中滩镇工作群\""), "{html}");
    assert!(
        !html.contains("SECtop-secret-value"),
        "the secret is never shown back"
    );
    assert!(html.contains("placeholder=\"已设置\""), "{html}");
    // Disable it (secret left blank: kept), then a stale version is refused.
    let id = html
        .split("id=\"robot-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let edit_url = format!("{url}/{id}");
    let edit = |version: &'static str| {
        vec![
            ("_csrf", token.clone()),
            ("platform", "dingtalk".into()),
            ("name", "中滩镇工作群".into()),
            (
                "url",
                "https://oapi.example/robot/send?access_token=abc".into(),
            ),
            ("secret", String::new()),
            ("version", version.into()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let c = c.clone();
        let edit_url = edit_url.clone();
        let head = head.clone();
        async move {
            c.post(edit_url)
                .header("cookie", head)
                .form(&f)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(send(edit("1")).await, StatusCode::SEE_OTHER);
    assert_eq!(send(edit("1")).await, StatusCode::CONFLICT);
    let (_, html) = text(&c, &url, &head).await;
    assert!(html.contains("name=\"version\" value=\"2\""), "{html}");
    // The robot's own form (before the "add" form) shows it disabled.
    let own = html.split("id=\"robot-new\"").next().unwrap();
    assert!(own.contains("name=\"enabled\" value=\"1\">"), "{own}");
    assert!(
        !own.contains("name=\"enabled\" value=\"1\" checked"),
        "{own}"
    );
});

db_test!(
    the_delivery_log_is_for_supervisors_and_filters_by_status,
    |t| {
        let w = world(t).await;
        let c = client();
        let base = &w.app.base;
        let rep = format!("luoshi_session={}", w.reporter_a);
        assert_eq!(
            text(&c, &format!("{base}/supervision/deliveries"), &rep)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let sup = format!("luoshi_session={}", w.supervisor);
        let (_, bench) = text(&c, &format!("{base}/supervision"), &sup).await;
        assert!(bench.contains("href=\"/supervision/deliveries\""));
        let (s, html) = text(
            &c,
            &format!("{base}/supervision/deliveries?status=failed"),
            &sup,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("<option value=\"failed\" selected>失败</option>"),
            "{html}"
        );
        assert!(html.contains("暂无投递记录。"), "{html}");
    }
);
