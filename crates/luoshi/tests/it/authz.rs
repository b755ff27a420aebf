//! Every API route, called by another unit's reporter: each is refused (or, for region-wide
//! reads, answered without the restricted data).

use crate::support::world;
use luoshi_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::json;

db_test!(every_route_checks_authorization, |t| {
    let w = world(t).await;
    let a = &w.app;
    // A task of unit A only, and a person of unit A with a phone number.
    let task_a = a
        .post("/api/v1/tasks", &w.supervisor, json!({"plan_id": w.plan, "title": "仅中滩镇", "lead_unit_id": w.unit_a, "deadline": "2026-09-30"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let person_a = a
        .post(
            "/api/v1/people",
            &w.supervisor,
            json!({"name": "张三", "post": "镇长", "unit_id": w.unit_a, "phone": "13800000000"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let users = a.get("/api/v1/users", &a.admin).await;
    let admin_id = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "admin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let u = |s: &str| {
        s.replace("{task}", &task_a)
            .replace("{plan}", &w.plan)
            .replace("{unit}", &w.unit_a)
            .replace("{ind}", &w.indicator)
            .replace("{section}", &w.section)
            .replace("{person}", &person_a)
            .replace("{admin}", &admin_id)
    };
    let task_body = json!({"title": "x", "lead_unit_id": w.unit_a, "deadline": "2026-12-31", "version": 1, "plan_id": w.plan});
    let forbidden: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::GET, u("/api/v1/users"), None),
        (
            Method::POST,
            u("/api/v1/users"),
            Some(
                json!({"username": "x1", "display_name": "x", "password": "password-123", "grants": []}),
            ),
        ),
        (Method::GET, u("/api/v1/users/{admin}"), None),
        (
            Method::PUT,
            u("/api/v1/users/{admin}"),
            Some(json!({"version": 1, "active": false})),
        ),
        (Method::GET, u("/api/v1/audit"), None),
        (
            Method::POST,
            u("/api/v1/units"),
            Some(json!({"code": "x", "name": "x", "kind": "township"})),
        ),
        (
            Method::PUT,
            u("/api/v1/units/{unit}"),
            Some(json!({"code": "x", "name": "x", "kind": "township", "version": 1})),
        ),
        (
            Method::POST,
            u("/api/v1/people"),
            Some(json!({"name": "x", "unit_id": w.unit_a})),
        ),
        (
            Method::PUT,
            u("/api/v1/people/{person}"),
            Some(json!({"name": "x", "unit_id": w.unit_a, "version": 1})),
        ),
        (
            Method::POST,
            u("/api/v1/plans"),
            Some(json!({"year": 2026, "title": "x"})),
        ),
        (
            Method::PUT,
            u("/api/v1/plans/{plan}"),
            Some(json!({"year": 2026, "title": "x", "version": 1})),
        ),
        (
            Method::POST,
            u("/api/v1/plans/{plan}/sections"),
            Some(json!({"title": "x"})),
        ),
        (
            Method::PUT,
            u("/api/v1/sections/{section}"),
            Some(json!({"title": "x", "version": 1})),
        ),
        (
            Method::POST,
            u("/api/v1/plans/{plan}/indicators"),
            Some(json!({"name": "x", "unit": "亿元", "target_value": 1})),
        ),
        (
            Method::PUT,
            u("/api/v1/indicators/{ind}"),
            Some(json!({"name": "x", "unit": "亿元", "target_value": 1, "version": 1})),
        ),
        (
            Method::POST,
            u("/api/v1/indicators/{ind}/values"),
            Some(json!({"period": "2026-05", "value": "1"})),
        ),
        (
            Method::POST,
            u("/api/v1/indicators/{ind}/values"),
            Some(json!({"period": "2026-05", "value": "1", "unit_id": w.unit_a})),
        ),
        (
            Method::PUT,
            u("/api/v1/indicators/{ind}/splits/{unit}"),
            Some(json!({"target_value": "1"})),
        ),
        (Method::POST, u("/api/v1/tasks"), Some(task_body.clone())),
        (Method::GET, u("/api/v1/tasks/{task}"), None),
        (Method::PUT, u("/api/v1/tasks/{task}"), Some(task_body)),
        (
            Method::POST,
            u("/api/v1/tasks/{task}/transitions"),
            Some(json!({"action": "acknowledge", "version": 1})),
        ),
        (
            Method::POST,
            u("/api/v1/tasks/{task}/progress"),
            Some(json!({"percent": 5, "summary": "x"})),
        ),
    ];
    for (m, path, body) in forbidden {
        let (s, e) = a.call(m.clone(), &path, Some(&w.reporter_b), body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{m} {path}: {e}");
    }
    // Region-wide reads are open to every signed-in user of the region…
    for path in [
        "/api/v1/me",
        "/api/v1/units",
        "/api/v1/units/{unit}",
        "/api/v1/people",
        "/api/v1/plans",
        "/api/v1/plans/{plan}",
        "/api/v1/plans/{plan}/summary",
        "/api/v1/plans/{plan}/sections",
        "/api/v1/plans/{plan}/indicators",
        "/api/v1/indicators/{ind}",
        "/api/v1/tasks",
    ] {
        let (s, e) = a
            .call(Method::GET, &u(path), Some(&w.reporter_b), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{path}: {e}");
    }
    // …but another unit's contact details are blanked, while the unit's own reporter sees them.
    assert_eq!(
        a.get(&u("/api/v1/people/{person}"), &w.reporter_b).await["phone"],
        ""
    );
    assert_eq!(
        a.get(&u("/api/v1/people/{person}"), &w.reporter_a).await["phone"],
        "13800000000"
    );
    let listed = a.get("/api/v1/people", &w.reporter_b).await;
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["phone"] == "")
    );
    // The reporter may change its own language, and nothing else about itself.
    let me = a.get("/api/v1/me", &w.reporter_b).await;
    let (s, _) = a
        .call(
            Method::PUT,
            "/api/v1/me",
            Some(&w.reporter_b),
            Some(json!({"language": "en", "version": me["version"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = a
        .call(
            Method::PUT,
            &format!("/api/v1/users/{}", me["id"].as_str().unwrap()),
            Some(&w.reporter_b),
            Some(json!({"version": 2, "grants": [{"role": "admin"}]})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

db_test!(cookie_writes_from_other_origins_are_refused, |t| {
    let w = world(t).await;
    let a = &w.app;
    let path = format!("{}/api/v1/tasks/{}/progress", a.base, w.task);
    let body = json!({"percent": 5, "summary": "x"});
    let r = a
        .client
        .post(&path)
        .header("cookie", format!("luoshi_session={}", w.reporter_a))
        .header("origin", "http://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let origin = a.base.clone();
    let r = a
        .client
        .post(&path)
        .header("cookie", format!("luoshi_session={}", w.reporter_a))
        .header("origin", origin)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
});

db_test!(logout_ends_the_session, |t| {
    let w = world(t).await;
    let a = &w.app;
    let (s, _) = a
        .call(Method::POST, "/api/v1/logout", Some(&w.reporter_a), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = a
        .call(Method::GET, "/api/v1/tasks", Some(&w.reporter_a), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Deactivating a user ends their sessions at once.
    let users = a.get("/api/v1/users", &a.admin).await;
    let b = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "rep-b")
        .unwrap()
        .clone();
    a.ok(
        Method::PUT,
        &format!("/api/v1/users/{}", b["id"].as_str().unwrap()),
        &a.admin,
        Some(json!({"version": b["version"], "active": false})),
    )
    .await;
    let (s, _) = a
        .call(Method::GET, "/api/v1/tasks", Some(&w.reporter_b), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = a
        .call(
            Method::POST,
            "/api/v1/login",
            None,
            Some(json!({"username": "rep-b", "password": "password-123"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
});
