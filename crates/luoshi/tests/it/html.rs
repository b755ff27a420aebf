//! Pages without a browser: sign-in, CSRF, headers, assets.

use crate::support::world;
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

db_test!(forms_without_their_csrf_token_are_refused, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let cookie = format!("luoshi_session={}", w.reporter_a);
    let form = [
        ("action", "progress"),
        ("version", "1"),
        ("percent", "10"),
        ("summary", "x"),
    ];
    let r = c
        .post(format!("{base}/tasks/{}/act", w.task))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(format!("{base}/tasks/{}/act", w.task))
        .header("cookie", &cookie)
        .form(&[
            ("_csrf", "0".repeat(64).as_str()),
            ("action", "progress"),
            ("version", "1"),
            ("percent", "10"),
            ("summary", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a token of another session is refused"
    );
    let detail = w
        .app
        .get(&format!("/api/v1/tasks/{}", w.task), &w.supervisor)
        .await;
    assert_eq!(
        detail["reports"].as_array().unwrap().len(),
        0,
        "nothing was written"
    );
    // With the page's own token the same form is accepted.
    let page = c
        .get(format!("{base}/tasks/{}", w.task))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = c
        .post(format!("{base}/tasks/{}/act", w.task))
        .header("cookie", &cookie)
        .form(&[
            ("_csrf", token.as_str()),
            ("action", "progress"),
            ("version", "1"),
            ("percent", "10"),
            ("summary", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
});

db_test!(pages_need_a_session_and_send_secure_headers, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let r = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    // A bearer token is for scripts: pages want the cookie.
    let r = c
        .get(format!("{base}/tasks"))
        .bearer_auth(&w.supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Sign in: the cookie is HttpOnly and SameSite.
    let r = c
        .post(format!("{base}/login"))
        .form(&[("username", "sup"), ("password", "password-123")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();
    let r = c
        .get(format!("{base}/"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("onclick="),
        "no inline scripts"
    );
    assert!(html.contains("工作驾驶舱") || html.contains("2026年目标任务"));
    // A wrong password shows the form again, in Chinese.
    let r = c
        .post(format!("{base}/login"))
        .form(&[("username", "sup"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("用户名或密码错误"));
    // Sign-in posts from another site are refused.
    let r = c
        .post(format!("{base}/login"))
        .header("origin", "http://evil.example")
        .form(&[("username", "sup"), ("password", "password-123")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Another unit's task page is refused.
    let r = c
        .get(format!("{base}/tasks/{}", w.task))
        .header("cookie", format!("luoshi_session={}", w.reporter_b))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "B cooperates on this task and may read it"
    );
});

db_test!(vendored_assets_are_served_from_the_binary, |t| {
    let w = world(t).await;
    let c = client();
    for (file, needle) in [
        ("htmx.min.js", "htmx"),
        ("echarts.min.js", "echarts"),
        ("app.js", "data-chart"),
        ("app.css", ".lamp"),
    ] {
        let r = c
            .get(format!("{}/assets/{file}", w.app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        assert!(r.text().await.unwrap().contains(needle), "{file}");
    }
    let r = c
        .get(format!("{}/assets/../../etc/passwd", w.app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
});
