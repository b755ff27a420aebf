use crate::support::{spawn, world};
use luoshi_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::json;

db_test!(issue_2_core_loop_progress_changes_lamp_and_summary, |t| {
    let w = world(t).await;
    let a = &w.app;
    // 15 June, nothing reported on a task due 31 December: 45 pp behind, red.
    let summary = a
        .get(&format!("/api/v1/plans/{}/summary", w.plan), &w.supervisor)
        .await;
    assert_eq!(summary["totals"]["by_lamp"], json!({"red": 1}));
    assert_eq!(summary["totals"]["by_status"], json!({"assigned": 1}));
    let task = a
        .get(&format!("/api/v1/tasks/{}", w.task), &w.reporter_a)
        .await;
    assert_eq!(
        (
            task["lamp"].as_str(),
            task["expected_pct"].as_str(),
            task["gap_pp"].as_str()
        ),
        (Some("red"), Some("45.33"), Some("-45.33"))
    );

    // The lead unit's reporter reports 2 of at least 3 villages: 66.67%, ahead of schedule.
    let body = json!({"quantity_done": 2, "summary": "两个村已完成规划建设", "problems": "资金缺口", "next_steps": "争取项目资金"});
    let (s, out) = a
        .call(
            Method::POST,
            &format!("/api/v1/tasks/{}/progress", w.task),
            Some(&w.reporter_a),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    assert_eq!(out["task"]["progress_pct"], "66.67");
    assert_eq!(out["task"]["lamp"], "green");
    assert_eq!(
        out["task"]["status"], "in_progress",
        "reporting acknowledges an assigned task"
    );

    let summary = a
        .get(&format!("/api/v1/plans/{}/summary", w.plan), &w.supervisor)
        .await;
    assert_eq!(summary["totals"]["by_lamp"], json!({"green": 1}));
    assert_eq!(summary["by_unit"][0]["name"], "中滩镇");
    assert_eq!(summary["by_section"][0]["name"], "第二 新农村建设");

    let detail = a
        .get(&format!("/api/v1/tasks/{}", w.task), &w.supervisor)
        .await;
    assert_eq!(detail["reports"].as_array().unwrap().len(), 1);
    assert_eq!(detail["reports"][0]["problems"], "资金缺口");
    assert_eq!(detail["events"][0]["action"], "acknowledge");

    // Indicator: 1.2 of 3 亿元 by May is 40% against 41.67% expected: green; a revision to 0.5 is 25 pp behind: yellow.
    let path = format!("/api/v1/indicators/{}/values", w.indicator);
    a.post(
        &path,
        &w.supervisor,
        json!({"period": "2026-05", "value": "1.2", "status": "flash"}),
    )
    .await;
    let s1 = a
        .get(&format!("/api/v1/plans/{}/summary", w.plan), &w.supervisor)
        .await;
    let ind = &s1["indicators"][0]["latest"];
    assert_eq!(
        (
            ind["attainment_pct"].as_str(),
            ind["expected_pct"].as_str(),
            ind["lamp"].as_str()
        ),
        (Some("40"), Some("41.67"), Some("green"))
    );
    let rev = a
        .post(
            &path,
            &w.supervisor,
            json!({"period": "2026-05", "value": 0.5, "status": "preliminary"}),
        )
        .await;
    assert_eq!(rev["revision"], 2);
    let s2 = a
        .get(&format!("/api/v1/plans/{}/summary", w.plan), &w.supervisor)
        .await;
    assert_eq!(s2["indicators"][0]["latest"]["lamp"], "yellow");
    assert_eq!(s2["indicators"][0]["latest"]["gap_pp"], "-25");
    let detail = a
        .get(
            &format!("/api/v1/indicators/{}", w.indicator),
            &w.reporter_b,
        )
        .await;
    assert_eq!(
        detail["values"].as_array().unwrap().len(),
        2,
        "both revisions stay readable"
    );
});

db_test!(another_units_reporter_is_refused, |t| {
    let w = world(t).await;
    let a = &w.app;
    let body = json!({"percent": 10, "summary": "x"});
    let (s, e) = a
        .call(
            Method::POST,
            &format!("/api/v1/tasks/{}/progress", w.task),
            Some(&w.reporter_b),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(e["error"]["code"], "forbidden");
    // A task of unit A alone is invisible to B's reporter, in full and in lists.
    let own = a
        .post("/api/v1/tasks", &w.supervisor, json!({"plan_id": w.plan, "title": "镇区污水管网", "lead_unit_id": w.unit_a, "deadline": "2026-09-30"}))
        .await;
    let (s, _) = a
        .call(
            Method::GET,
            &format!("/api/v1/tasks/{}", own["id"].as_str().unwrap()),
            Some(&w.reporter_b),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let list = a.get("/api/v1/tasks", &w.reporter_b).await;
    assert_eq!(list["total"], 1, "B sees only the task it cooperates on");
    assert_eq!(a.get("/api/v1/tasks", &w.reporter_a).await["total"], 2);
    // Nothing was written by the refused report.
    let detail = a
        .get(&format!("/api/v1/tasks/{}", w.task), &w.supervisor)
        .await;
    assert_eq!(detail["reports"].as_array().unwrap().len(), 0);
});

db_test!(stale_writes_get_409_and_change_nothing, |t| {
    let w = world(t).await;
    let a = &w.app;
    let path = format!("/api/v1/tasks/{}", w.task);
    let v = a.get(&path, &w.supervisor).await["version"]
        .as_i64()
        .unwrap();
    let edit = |title: &str, version: i64| json!({"title": title, "lead_unit_id": w.unit_a, "co_unit_ids": [w.unit_b], "deadline": "2026-12-31", "section_id": w.section, "version": version});
    let first = a
        .ok(
            Method::PUT,
            &path,
            &w.supervisor,
            Some(edit("第一次修改", v)),
        )
        .await;
    assert_eq!(first["version"], v + 1);
    let (s, e) = a
        .call(
            Method::PUT,
            &path,
            Some(&w.supervisor),
            Some(edit("过时的修改", v)),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(e["error"]["code"], "version_conflict");
    assert_eq!(a.get(&path, &w.supervisor).await["title"], "第一次修改");
    let (s, _) = a
        .call(
            Method::POST,
            &format!("{path}/transitions"),
            Some(&w.manager_a),
            Some(json!({"action": "acknowledge", "version": v})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // The audit log shows the accepted edit, before and after.
    let log = a
        .get(
            &format!(
                "/api/v1/audit?entity=task&entity_id={}&action=update",
                w.task
            ),
            &w.supervisor,
        )
        .await;
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["before"]["title"], "建成3—5个新农村示范村");
    assert_eq!(items[0]["after"]["title"], "第一次修改");
    assert_eq!(items[0]["actor_name"], "sup");
});

db_test!(lifecycle_through_the_api, |t| {
    let w = world(t).await;
    let a = &w.app;
    let path = format!("/api/v1/tasks/{}/transitions", w.task);
    let step = |token: &str, body: serde_json::Value| {
        let token = token.to_owned();
        let path = path.clone();
        async move { a.call(Method::POST, &path, Some(&token), Some(body)).await }
    };
    let (s, t1) = step(&w.manager_a, json!({"action": "acknowledge", "version": 1})).await;
    assert_eq!(
        (s, t1["status"].as_str()),
        (StatusCode::OK, Some("in_progress"))
    );
    let (s, e) = step(&w.manager_a, json!({"action": "close", "version": 2})).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "units cannot close their own tasks"
    );
    let (s, e) = step(&w.supervisor, json!({"action": "close", "version": 2})).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition"))
    );
    let (s, e) = step(&w.manager_a, json!({"action": "request_extension", "version": 2, "reason": "征地滞后", "new_deadline": "2026-06-01"})).await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("new_deadline"))
    );
    let (s, t2) = step(&w.manager_a, json!({"action": "request_extension", "version": 2, "reason": "征地滞后", "new_deadline": "2027-03-31"})).await;
    assert_eq!(
        (s, t2["requested_deadline"].as_str()),
        (StatusCode::OK, Some("2027-03-31"))
    );
    let (_, t3) = step(
        &w.supervisor,
        json!({"action": "approve_extension", "version": 3}),
    )
    .await;
    assert_eq!(
        (t3["deadline"].as_str(), t3["status"].as_str()),
        (Some("2027-03-31"), Some("in_progress"))
    );
    let (_, t4) = step(&w.manager_a, json!({"action": "report_done", "version": 4})).await;
    assert_eq!(t4["done_reported_on"], "2026-06-15");
    let (s, e) = step(&w.supervisor, json!({"action": "return", "version": 5})).await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason"))
    );
    let (_, t5) = step(
        &w.supervisor,
        json!({"action": "return", "version": 5, "reason": "缺少验收材料"}),
    )
    .await;
    assert_eq!(t5["status"], "in_progress");
    let detail = a
        .get(&format!("/api/v1/tasks/{}", w.task), &w.supervisor)
        .await;
    let actions: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "acknowledge",
            "request_extension",
            "approve_extension",
            "report_done",
            "return"
        ]
    );
    assert_eq!(detail["events"][4]["reason"], "缺少验收材料");
});

db_test!(bad_input_names_the_field, |t| {
    let w = world(t).await;
    let a = &w.app;
    let task = |extra: serde_json::Value| {
        let mut b = json!({"plan_id": w.plan, "title": "t", "lead_unit_id": w.unit_a, "deadline": "2026-12-31"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (task(json!({"colour": "red"})), "colour", "unknown_field"),
        (
            task(json!({"deadline": "2026-02-30"})),
            "deadline",
            "invalid_date",
        ),
        (task(json!({"deadline": 20261231})), "deadline", "invalid"),
        (task(json!({"weight": "heavy"})), "weight", "invalid"),
        (task(json!({"title": " "})), "title", "required"),
        (
            task(json!({"start": "2027-01-01"})),
            "deadline",
            "before_start",
        ),
        (
            task(json!({"lead_unit_id": "0195c3a0-0000-7000-8000-000000000000"})),
            "lead_unit_id",
            "not_found",
        ),
        (
            task(
                json!({"milestones": [{"title": "m", "due": "2026-05-01", "target_pct": "50", "x": 1}]}),
            ),
            "milestones[0].x",
            "unknown_field",
        ),
        (
            task(json!({"milestones": [{"title": "m", "due": "2028-05-01", "target_pct": "50"}]})),
            "milestones[0].due",
            "out_of_range",
        ),
    ];
    for (body, field, code) in cases {
        let (s, e) = a
            .call(
                Method::POST,
                "/api/v1/tasks",
                Some(&w.supervisor),
                Some(body.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert_eq!(
            (e["error"]["field"].as_str(), e["error"]["code"].as_str()),
            (Some(field), Some(code)),
            "{body}: {e}"
        );
        assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    }
    let (s, e) = a
        .call(
            Method::GET,
            "/api/v1/tasks?lamp=purple",
            Some(&w.supervisor),
            None,
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("lamp"))
    );
    let (s, e) = a
        .call(
            Method::GET,
            "/api/v1/tasks?colour=red",
            Some(&w.supervisor),
            None,
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("colour"))
    );
    let (s, e) = a
        .call(
            Method::POST,
            &format!("/api/v1/indicators/{}/values", w.indicator),
            Some(&w.supervisor),
            Some(json!({"period": "2026-13", "value": "1"})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("period"))
    );
    // Oversized bodies get 413; bodies that are not JSON get 415; no credentials get 401.
    let huge = "x".repeat(luoshi_web::MAX_BODY + 10);
    let (s, _) = a
        .call(
            Method::POST,
            "/api/v1/tasks",
            Some(&w.supervisor),
            Some(json!({"title": huge})),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let r = a
        .client
        .post(format!("{}/api/v1/plans", a.base))
        .bearer_auth(&w.supervisor)
        .body("year=2026")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, e) = a.call(Method::GET, "/api/v1/tasks", None, None).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (s, _) = a
        .call(Method::GET, "/api/v1/tasks", Some(&"0".repeat(64)), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, e) = a
        .call(
            Method::POST,
            "/api/v1/login",
            None,
            Some(json!({"username": "sup", "password": "wrong"})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_credentials"))
    );
});

db_test!(listing_filters_sorts_and_pages, |t| {
    let w = world(t).await;
    let a = &w.app;
    let mut ids = vec![];
    for (title, deadline) in [
        ("甲", "2026-03-31"),
        ("乙", "2026-05-31"),
        ("丙", "2026-06-17"),
        ("丁", "2026-11-30"),
    ] {
        let t = a.post("/api/v1/tasks", &w.supervisor, json!({"plan_id": w.plan, "title": title, "lead_unit_id": w.unit_b, "deadline": deadline})).await;
        ids.push(t["id"].as_str().unwrap().to_owned());
    }
    // 丙 is nearly done two days before its deadline: blue, not red.
    a.post(
        &format!("/api/v1/tasks/{}/progress", ids[2]),
        &w.reporter_b,
        json!({"percent": "99", "summary": "收尾"}),
    )
    .await;
    let q = |s: &str| format!("/api/v1/tasks?{s}");
    let titles = |v: &serde_json::Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(&a.get(&q("overdue=true"), &w.supervisor).await),
        ["甲", "乙"]
    );
    assert_eq!(titles(&a.get(&q("lamp=blue"), &w.supervisor).await), ["丙"]);
    let unit_b = a
        .get(
            &q(&format!(
                "unit_id={}&sort=-deadline&per_page=2&page=2",
                w.unit_b
            )),
            &w.supervisor,
        )
        .await;
    assert_eq!(
        (titles(&unit_b), unit_b["total"].as_i64()),
        (vec!["乙".to_owned(), "甲".to_owned()], Some(4))
    );
    let range = a
        .get(
            &q("deadline_from=2026-05-01&deadline_to=2026-07-01"),
            &w.supervisor,
        )
        .await;
    assert_eq!(titles(&range), ["乙", "丙"]);
    let red = a.get(&q("lamp=red&per_page=1"), &w.supervisor).await;
    assert_eq!(
        (
            red["total"].as_i64(),
            red["items"].as_array().unwrap().len()
        ),
        (Some(4), 1)
    );
    assert_eq!(
        a.get(&q(&format!("section_id={}", w.section)), &w.supervisor)
            .await["total"],
        1
    );
    assert_eq!(
        a.get(&q("status=assigned"), &w.supervisor).await["total"],
        4
    );
    assert_eq!(
        a.get(&q("status=assigned,in_progress"), &w.supervisor)
            .await["total"],
        5
    );
    assert_eq!(
        titles(&a.get(&q("sort=-progress&per_page=1"), &w.supervisor).await),
        ["丙"]
    );
});

db_test!(health_and_openapi, |t| {
    let a = spawn(t).await;
    let r = a
        .client
        .get(format!("{}/healthz", a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let doc: serde_json::Value = a
        .client
        .get(format!("{}/api/v1/openapi.json", a.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    for p in [
        "/api/v1/login",
        "/api/v1/tasks",
        "/api/v1/tasks/{id}/progress",
        "/api/v1/plans/{id}/summary",
    ] {
        assert!(doc["paths"][p].is_object(), "openapi lacks {p}");
    }
    let (s, _) = a
        .call(Method::GET, "/api/v1/nothing-here", Some(&a.admin), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});
