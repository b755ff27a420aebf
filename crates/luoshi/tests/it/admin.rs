//! Administration forms: units, people and users are created and edited from pages, with CSRF,
//! versions (a stale form is refused), errors naming the field, and per-role authorization.

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

db_test!(
    admin_creates_and_edits_units_people_and_users_from_pages,
    |t| {
        let w = world(t).await;
        let c = client();
        let base = &w.app.base;
        let admin = format!("luoshi_session={}", w.app.admin);
        let token = page_token(&c, &format!("{base}/admin/units/new"), &admin).await;

        // A bad code is refused naming the field, and nothing is written.
        let before = w.app.get("/api/v1/units", &w.app.admin).await;
        let r = c
            .post(format!("{base}/admin/units"))
            .header("cookie", &admin)
            .form(&[
                ("_csrf", token.as_str()),
                ("code", "bad code!"),
                ("name", "伯阳镇"),
                ("kind", "township"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body = r.text().await.unwrap();
        assert!(body.contains("code:"), "the error names the field: {body}");
        assert!(
            body.contains("value=\"伯阳镇\""),
            "the form keeps what was typed"
        );
        assert_eq!(w.app.get("/api/v1/units", &w.app.admin).await, before);

        // A good one is created and listed.
        let r = c
            .post(format!("{base}/admin/units"))
            .header("cookie", &admin)
            .form(&[
                ("_csrf", token.as_str()),
                ("code", "boyang"),
                ("name", "伯阳镇"),
                ("kind", "乡镇"),
                ("category", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap()
        );
        let units = w.app.get("/api/v1/units", &w.app.admin).await;
        let boyang = units["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == "boyang")
            .expect("created")
            .clone();
        assert_eq!(boyang["kind"], "township");
        let id = boyang["id"].as_str().unwrap();
        let admin_page = c
            .get(format!("{base}/admin"))
            .header("cookie", &admin)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(admin_page.contains(&format!("/admin/units/{id}")));

        // Edit it; the form carries version 1. A second submit of the same form is stale: 409.
        let edit = c
            .get(format!("{base}/admin/units/{id}"))
            .header("cookie", &admin)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(edit.contains("name=\"_version\" value=\"1\""), "{edit}");
        let form = [
            ("_csrf", token.as_str()),
            ("_version", "1"),
            ("code", "boyang"),
            ("name", "伯阳镇人民政府"),
            ("kind", "township"),
            ("category", "乡镇"),
        ];
        let r = c
            .post(format!("{base}/admin/units/{id}"))
            .header("cookie", &admin)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = c
            .post(format!("{base}/admin/units/{id}"))
            .header("cookie", &admin)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT, "a stale form is refused");
        let u = w
            .app
            .get(&format!("/api/v1/units/{id}"), &w.app.admin)
            .await;
        assert_eq!(u["name"], "伯阳镇人民政府");
        assert_eq!(u["version"], 2);

        // A person with a post in that unit.
        let r = c
            .post(format!("{base}/admin/people"))
            .header("cookie", &admin)
            .form(&[
                ("_csrf", token.as_str()),
                ("name", "王敏"),
                ("post", "党委书记"),
                ("unit_id", id),
                ("phone", "0938-1234567"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let people = w.app.get("/api/v1/people", &w.app.admin).await;
        assert!(
            people["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "王敏" && p["post"] == "党委书记" && p["unit_id"] == id)
        );

        // A user: a reporter of the new unit, who can then sign in.
        let r = c
            .post(format!("{base}/admin/users"))
            .header("cookie", &admin)
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "boyang"),
                ("display_name", "伯阳联络员"),
                ("password", "a-long-password-9"),
                ("language", "en"),
                ("role0", "reporter"),
                ("unit0", id),
                ("role1", ""),
                ("unit1", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap()
        );
        let tok = w.app.login("boyang", "a-long-password-9").await;
        let me = w.app.get("/api/v1/me", &tok).await;
        assert_eq!(me["grants"][0]["role"], "reporter");
        assert_eq!(me["grants"][0]["unit_id"], id);
        assert_eq!(me["language"], "en");

        // A user form without a role names the grant.
        let r = c
            .post(format!("{base}/admin/users"))
            .header("cookie", &admin)
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "nobody"),
                ("display_name", "无角色"),
                ("password", "a-long-password-9"),
                ("language", "zh-Hans"),
                ("role0", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("grants[0].role"));

        // Every change is in the audit log.
        let audit = w.app.get("/api/v1/audit?entity=unit", &w.app.admin).await;
        assert!(audit["items"].as_array().unwrap().len() >= 4);
    }
);

db_test!(admin_forms_refuse_other_roles_and_missing_tokens, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let reporter = format!("luoshi_session={}", w.reporter_a);
    for path in [
        "/admin/units/new".to_owned(),
        "/admin/users/new".to_owned(),
        "/admin/people/new".to_owned(),
        format!("/admin/units/{}", w.unit_a),
        format!("/admin/users/{}", w.unit_a),
    ] {
        let r = c
            .get(format!("{base}{path}"))
            .header("cookie", &reporter)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // A unit manager may keep the people of the unit, not units or users.
    let manager = format!("luoshi_session={}", w.manager_a);
    for (path, status) in [
        ("/admin/people/new", StatusCode::OK),
        ("/admin/units/new", StatusCode::FORBIDDEN),
        ("/admin/users/new", StatusCode::FORBIDDEN),
    ] {
        let r = c
            .get(format!("{base}{path}"))
            .header("cookie", &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{path}");
    }
    // On /admin the manager sees the unit's own people only (with edit links), nothing else.
    for (name, unit) in [("张三", &w.unit_a), ("李四", &w.unit_b)] {
        w.app
            .post(
                "/api/v1/people",
                &w.app.admin,
                serde_json::json!({"name": name, "post": "干部", "unit_id": unit}),
            )
            .await;
    }
    let r = c
        .get(format!("{base}/admin"))
        .header("cookie", &manager)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"nav-admin\""), "the nav links the page");
    assert!(
        html.contains("张三") && html.contains("/admin/people/"),
        "{html}"
    );
    for absent in ["李四", "id=\"audit\"", "id=\"users\"", "id=\"units\""] {
        assert!(!html.contains(absent), "{absent} shown to a unit manager");
    }
    let token = page_token(&c, &format!("{base}/my"), &reporter).await;
    let r = c
        .post(format!("{base}/admin/units"))
        .header("cookie", &reporter)
        .form(&[
            ("_csrf", token.as_str()),
            ("code", "sneaky"),
            ("name", "伪造单位"),
            ("kind", "department"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let admin = format!("luoshi_session={}", w.app.admin);
    let r = c
        .post(format!("{base}/admin/units"))
        .header("cookie", &admin)
        .form(&[
            ("code", "notoken"),
            ("name", "无令牌"),
            ("kind", "department"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let units = w.app.get("/api/v1/units", &w.app.admin).await;
    assert!(
        !units["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["code"] == "sneaky" || u["code"] == "notoken"),
        "nothing was written"
    );
});
