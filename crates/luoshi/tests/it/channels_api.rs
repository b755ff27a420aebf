//! `/api/v1/me/contact`, `/api/v1/units/{id}/robots` and `/api/v1/deliveries` on both databases:
//! versions, field errors, per-unit authorization, and a robot's secret never sent back.

use crate::support::world;
use luoshi_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::json;

db_test!(contacts_robots_and_the_delivery_log_over_json, |t| {
    let w = world(t).await;
    let app = &w.app;
    // The contact: blank at version 0; a write needs the version, a valid address, and is
    // refused when stale.
    let c = app.get("/api/v1/me/contact", &w.reporter_a).await;
    assert_eq!(
        (c["version"].as_i64(), c["email"].is_null()),
        (Some(0), true)
    );
    let put = |body| {
        app.call(
            Method::PUT,
            "/api/v1/me/contact",
            Some(&w.reporter_a),
            Some(body),
        )
    };
    let (s, b) = put(json!({"email": "a@example.cn", "email_on": true})).await;
    assert_eq!(
        (s, b["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("version"))
    );
    let (s, b) = put(json!({"email": "not an address", "email_on": true, "version": 0})).await;
    assert_eq!(
        (s, b["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("email"))
    );
    let (s, b) = put(json!({"email": "a@example.cn", "email_on": true, "version": 0})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (b["email"].as_str(), b["version"].as_i64()),
        (Some("a@example.cn"), Some(1))
    );
    let (s, _) = put(json!({"email": "b@example.cn", "email_on": true, "version": 0})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Robots: the unit's manager adds one; the token and the secret never come back.
    let robots = format!("/api/v1/units/{}/robots", w.unit_a);
    let url = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN-1234567890";
    let body =
        json!({"platform": "dingtalk", "name": "值班群", "url": url, "secret": "SEC-very-secret"});
    let (s, r) = app
        .call(
            Method::POST,
            &robots,
            Some(&w.manager_a),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let text = r.to_string();
    assert!(
        !text.contains("TOKEN-1234567890") && !text.contains("SEC-very-secret"),
        "{text}"
    );
    assert_eq!(
        (r["secret_set"].as_bool(), r["enabled"].as_bool()),
        (Some(true), Some(true))
    );
    let id = r["id"].as_str().unwrap().to_owned();
    let list = app.get(&robots, &w.manager_a).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // Another unit's manager cannot see or add; a bad platform names the field.
    let other = format!("/api/v1/units/{}/robots", w.unit_b);
    let (s, _) = app
        .call(Method::POST, &other, Some(&w.manager_a), Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .call(Method::GET, &other, Some(&w.manager_a), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let bad = json!({"platform": "telegram", "name": "x", "url": url});
    let (s, b) = app
        .call(Method::POST, &robots, Some(&w.manager_a), Some(bad))
        .await;
    assert_eq!(
        (s, b["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("platform"))
    );

    // Editing: leaving the secret out (or empty) keeps it; a stale version is 409.
    let one = format!("{robots}/{id}");
    let edit = |secret: Option<&str>, version: i64| {
        let mut b =
            json!({"platform": "dingtalk", "name": "督办群", "url": url, "version": version});
        if let Some(s) = secret {
            b["secret"] = json!(s);
        }
        app.call(Method::PUT, &one, Some(&w.manager_a), Some(b))
    };
    let (s, r) = edit(None, 1).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["name"].as_str(), r["secret_set"].as_bool()),
        (Some("督办群"), Some(true))
    );
    let (s, _) = edit(Some(""), 1).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let v = r["version"].as_i64().unwrap();
    let (s, r) = edit(Some(""), v).await;
    assert_eq!((s, r["secret_set"].as_bool()), (StatusCode::OK, Some(true)));
    assert!(!r.to_string().contains("SEC-very-secret"));
    // A robot of another unit is not reachable under this unit's path.
    let elsewhere = format!("/api/v1/units/{}/robots/{id}", w.unit_b);
    let (s, _) = app
        .call(
            Method::PUT,
            &elsewhere,
            Some(&w.supervisor),
            Some(json!({"platform": "dingtalk", "name": "x", "url": url, "version": v + 1})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The delivery log is the office's: a reporter is refused; a bad status names the field.
    let (s, _) = app
        .call(Method::GET, "/api/v1/deliveries", Some(&w.reporter_a), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let log = app.get("/api/v1/deliveries?limit=10", &w.supervisor).await;
    assert!(log["items"].is_array(), "{log}");
    let (s, b) = app
        .call(
            Method::GET,
            "/api/v1/deliveries?status=lost",
            Some(&w.supervisor),
            None,
        )
        .await;
    assert_eq!(
        (s, b["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("status"))
    );
});
