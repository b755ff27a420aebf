//! The supervision policy over JSON: the office reads it, administrators save a new version
//! against the version read; bad values name their field, a stale version is a 409, and saved
//! lamp thresholds relight the region's tasks.

use crate::support::world;
use luoshi_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

db_test!(the_policy_api_reads_validates_and_saves_versions, |t| {
    let w = world(t).await;
    let a = &w.app;
    let admin = a.admin.clone();
    let path = "/api/v1/supervision/policy";

    // The domain notes' defaults, never saved.
    let read = a.get(path, &w.supervisor).await;
    assert_eq!(read["version"], 0);
    assert_eq!(read["reporting_day"], 25);
    assert_eq!(read["reminder_offsets_days"], json!([7, 3, 1]));
    assert_eq!(read["cards"]["red_points"], "-2");
    assert_eq!(
        read["quiet_hours"],
        json!({"start_hour": 22, "end_hour": 7})
    );
    assert_eq!(
        read["lamps"],
        json!({"blue_within_days": 3, "yellow_behind_pp": "10", "red_behind_pp": "30",
               "growth_yellow_behind_pp": "1", "growth_red_behind_pp": "3",
               "expected_basis": "month_share", "seasonal_profile": true})
    );
    assert_eq!(read["history"], json!([]));
    let (s, _) = a.call(Method::GET, path, Some(&w.reporter_a), None).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a unit's reporter does not read it"
    );
    let (s, _) = a.call(Method::GET, path, Some(&w.manager_a), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "nor does a unit's manager");
    let (s, _) = a.call(Method::GET, path, None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "nor does anyone signed out");

    // The policy as read, with changes, as a PUT body.
    let body = |version: Option<i64>, edit: &dyn Fn(&mut Value)| {
        let mut b = read.clone();
        let o = b.as_object_mut().unwrap();
        o.remove("history");
        match version {
            Some(v) => o.insert("version".into(), json!(v)),
            None => o.remove("version"),
        };
        edit(&mut b);
        b
    };
    let put = |token: String, b: Value| async move {
        a.call(Method::PUT, path, Some(&token), Some(b)).await
    };
    let (s, _) = put(w.supervisor.clone(), body(Some(0), &|_| {})).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the office reads, administrators save"
    );

    let bad: Vec<(Value, &str)> = vec![
        (body(None, &|_| {}), "version"),
        (
            body(Some(0), &|b| b["lamps"]["red_behind_pp"] = json!("5")),
            "lamps.red_behind_pp",
        ),
        (
            body(Some(0), &|b| b["lamps"]["expected_basis"] = json!("weekly")),
            "lamps.expected_basis",
        ),
        (
            body(Some(0), &|b| b["escalations"][0]["target"] = json!("mayor")),
            "escalations[0].target",
        ),
        (
            body(Some(0), &|b| b["reporting_day"] = json!(40)),
            "reporting_day",
        ),
        (
            body(Some(0), &|b| b["notice_prefix"] = json!(" ")),
            "notice_prefix",
        ),
    ];
    for (b, field) in bad {
        let (s, e) = put(admin.clone(), b).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{e}"
        );
    }
    // An empty body, and a body that is not JSON, are refused; nothing is saved.
    let (s, e) = put(admin.clone(), json!({})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{e}"
    );
    let raw = a
        .client
        .put(format!("{}{path}", a.base))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    // A hostile prefix is refused by its length (and the pages escape what they show).
    let (s, e) = put(
        admin.clone(),
        body(Some(0), &|b| {
            b["notice_prefix"] = json!("<script>".repeat(4))
        }),
    )
    .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("notice_prefix")),
        "{e}"
    );
    // A wrong type is refused before anything is checked.
    let (s, e) = put(
        admin.clone(),
        body(Some(0), &|b| b["reporting_day"] = json!("x")),
    )
    .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reporting_day")),
        "{e}"
    );
    assert_eq!(a.get(path, &admin).await["version"], 0, "nothing was saved");

    // The task is red by the defaults; widening the red band to 60 points makes it yellow.
    let task = format!("/api/v1/tasks/{}", w.task);
    assert_eq!(a.get(&task, &w.supervisor).await["lamp"], "red");
    let wide = body(Some(0), &|b| b["lamps"]["red_behind_pp"] = json!("60"));
    let (s, saved) = put(admin.clone(), wide.clone()).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["lamps"]["red_behind_pp"], "60");
    assert_eq!(saved["history"].as_array().map(Vec::len), Some(1));
    assert_eq!(a.get(&task, &w.supervisor).await["lamp"], "yellow");
    // The same body again carries version 0: stale.
    let (s, e) = put(admin.clone(), wide).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(a.get(path, &w.supervisor).await["version"], 1);
});
