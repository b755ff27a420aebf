//! Pages without a browser: sign-in, CSRF, headers, assets.

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

db_test!(
    figures_are_entered_and_confirmed_on_the_indicator_page,
    |t| {
        let w = world(t).await;
        let c = client();
        let base = &w.app.base;
        let page = format!("{base}/indicators/{}", w.indicator);
        let sup = format!("luoshi_session={}", w.supervisor);
        let token = page_token(&c, &page, &sup).await;
        let form = [
            ("_csrf", token.as_str()),
            ("unit_id", ""),
            ("period", "2026-05"),
            ("value", "1.2"),
            ("growth_pct", "12.5"),
            ("status", "flash"),
            ("source", "统计局"),
        ];
        let r = c
            .post(format!("{page}/values"))
            .header("cookie", &sup)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let html = c
            .get(&page)
            .header("cookie", &sup)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("1.2 亿元") && html.contains("快报") && html.contains("确认为最终数"),
            "the figure and a confirm button"
        );
        // Confirming records the same figure again as a final revision: history keeps both.
        let confirm = [
            ("_csrf", token.as_str()),
            ("period", "2026-05"),
            ("value", "1.2"),
            ("growth_pct", "12.5"),
            ("status", "final"),
            ("source", "统计局"),
        ];
        let r = c
            .post(format!("{page}/values"))
            .header("cookie", &sup)
            .form(&confirm)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let detail = w
            .app
            .get(
                &format!("/api/v1/indicators/{}", w.indicator),
                &w.supervisor,
            )
            .await;
        let statuses: Vec<&str> = detail["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["flash", "final"]);
        assert_eq!(detail["indicator"]["latest"]["growth_pct"], "12.5");
        // A bad figure is refused with the field named, and nothing is written.
        let bad = [
            ("_csrf", token.as_str()),
            ("period", "2026-13"),
            ("value", "1"),
        ];
        let r = c
            .post(format!("{page}/values"))
            .header("cookie", &sup)
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("period"));
        // A unit's reporter may not enter the district's figure.
        let rep = format!("luoshi_session={}", w.reporter_a);
        let rtoken = page_token(&c, &page, &rep).await;
        let r = c
            .post(format!("{page}/values"))
            .header("cookie", &rep)
            .form(&[
                ("_csrf", rtoken.as_str()),
                ("period", "2026-05"),
                ("value", "9"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            w.app
                .get(
                    &format!("/api/v1/indicators/{}", w.indicator),
                    &w.supervisor
                )
                .await["values"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
);

db_test!(the_task_list_exports_to_xlsx_within_the_users_scope, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    w.app
        .post("/api/v1/tasks", &w.supervisor, serde_json::json!({"plan_id": w.plan, "title": "建设局独办", "lead_unit_id": w.unit_b, "deadline": "2026-09-30"}))
        .await;
    let sheet_of = |bytes: Vec<u8>| {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let mut shared = String::new();
        if let Ok(mut f) = zip.by_name("xl/sharedStrings.xml") {
            f.read_to_string(&mut shared).unwrap();
        }
        xml + &shared
    };
    let get = |who: &str| {
        let cookie = format!("luoshi_session={who}");
        let c = c.clone();
        let url = format!("{base}/tasks.xlsx");
        async move { c.get(url).header("cookie", cookie).send().await.unwrap() }
    };
    let r = get(&w.supervisor).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let all = sheet_of(r.bytes().await.unwrap().to_vec());
    assert!(
        all.contains("建成3—5个新农村示范村")
            && all.contains("建设局独办")
            && all.contains("中滩镇"),
        "{all}"
    );
    // Unit A's reporter exports only what unit A may read.
    let a = sheet_of(get(&w.reporter_a).await.bytes().await.unwrap().to_vec());
    assert!(a.contains("建成3—5个新农村示范村") && !a.contains("建设局独办"));
});

db_test!(administration_shows_the_audit_log_to_the_office_only, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let r = c
        .get(format!("{base}/admin?entity=task"))
        .header("cookie", &sup)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("审计日志") && html.contains("建成3—5个新农村示范村"),
        "the task's creation is in the log"
    );
    assert!(
        html.contains("中滩镇") && html.contains("建设局"),
        "units are listed"
    );
    let rep = format!("luoshi_session={}", w.reporter_a);
    let r = c
        .get(format!("{base}/admin"))
        .header("cookie", &rep)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
});

db_test!(
    progress_reports_carry_files_that_only_readers_of_the_task_download,
    |t| {
        let w = world(t).await;
        let c = client();
        let base = &w.app.base;
        let rep = format!("luoshi_session={}", w.reporter_a);
        let token = page_token(&c, &format!("{base}/tasks/{}", w.task), &rep).await;
        let pdf = b"%PDF-1.4 acceptance report".to_vec();
        let form = reqwest::multipart::Form::new()
            .text("_csrf", token.clone())
            .text("percent", "40")
            .text("summary", "两个村完成验收")
            .part(
                "files",
                reqwest::multipart::Part::bytes(pdf.clone()).file_name("验收报告.pdf"),
            )
            .part(
                "files",
                reqwest::multipart::Part::bytes(b"photo".to_vec()).file_name("现场照片.jpg"),
            );
        let r = c
            .post(format!("{base}/tasks/{}/progress", w.task))
            .header("cookie", &rep)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = c
            .get(format!("{base}/tasks/{}", w.task))
            .header("cookie", &rep)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("验收报告.pdf") && page.contains("现场照片.jpg"));
        let link = page
            .split("href=\"/attachments/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = c
            .get(format!("{base}/attachments/{link}"))
            .header("cookie", &rep)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("%E9%AA%8C")
        );
        assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
        // Unit B cooperates and may read; a third unit may not.
        w.app
            .post(
                "/api/v1/units",
                &w.app.admin,
                serde_json::json!({"code": "nyj", "name": "农业农村局", "kind": "department"}),
            )
            .await;
        let units = w.app.get("/api/v1/units", &w.app.admin).await;
        let c_unit = units["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == "nyj")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        w.app.post("/api/v1/users", &w.app.admin, serde_json::json!({"username": "rep-c", "display_name": "c", "password": "password-123", "grants": [{"role": "reporter", "unit_id": c_unit}]})).await;
        let rep_c = format!(
            "luoshi_session={}",
            w.app.login("rep-c", "password-123").await
        );
        let r = c
            .get(format!("{base}/attachments/{link}"))
            .header("cookie", &rep_c)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // Executables are refused and nothing of the report is written.
        let form = reqwest::multipart::Form::new()
            .text("_csrf", token)
            .text("percent", "50")
            .text("summary", "x")
            .part(
                "files",
                reqwest::multipart::Part::bytes(b"MZ".to_vec()).file_name("tool.exe"),
            );
        let r = c
            .post(format!("{base}/tasks/{}/progress", w.task))
            .header("cookie", &rep)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let detail = w
            .app
            .get(&format!("/api/v1/tasks/{}", w.task), &w.supervisor)
            .await;
        assert_eq!(detail["reports"].as_array().unwrap().len(), 1);
    }
);
