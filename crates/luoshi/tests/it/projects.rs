//! Key projects through the API (issue #7): lamps as of the fixed day (15 June 2026), investment
//! revisions, issues, the roll-up with its cross-check, and who may write.

use crate::support::{World, world};
use luoshi_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// (who, body, status, field at fault, (lamp, completion, gap) after)
type Step<'a> = (
    &'a str,
    Value,
    StatusCode,
    Option<&'a str>,
    Option<(&'a str, &'a str, &'a str)>,
);

async fn create(w: &World, body: Value) -> Value {
    let (s, out) = w
        .app
        .call(
            Method::POST,
            "/api/v1/projects",
            Some(&w.supervisor),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    out
}

fn lamp(p: &Value) -> (&str, Option<&str>, Option<&str>, Option<&str>) {
    let s = &p["standing"];
    (
        s["lamp"].as_str().unwrap(),
        s["completion_pct"].as_str(),
        s["expected_pct"].as_str(),
        s["gap_pp"].as_str(),
    )
}

db_test!(issue_7_projects_lamps_investments_issues_and_rollup, |t| {
    let w = world(t).await;
    let a = &w.app;
    // Under construction since March; 12,000 万元 planned this year.
    let p1 = create(
        &w,
        json!({"plan_id": w.plan, "name": "新材料产业园一期", "park": "东区产业园", "total_investment": "32000",
               "year": 2026, "annual_investment": "12000", "planned_start": "2026-03", "stage": "under_construction",
               "started_on": "2026-03-18", "responsible_unit_id": w.unit_a,
               "issues": [{"text": "施工用电需扩容", "owner_unit_id": w.unit_b, "raised_on": "2026-05-10", "due": "2026-06-01"}]}),
    )
    .await;
    // Planned for February, still not started: red on both counts.
    let p2 = create(
        &w,
        json!({"plan_id": w.plan, "name": "冷链物流中心", "park": "西区物流园", "total_investment": "8000",
               "year": 2026, "annual_investment": "6000", "planned_start": "2026-02", "responsible_unit_id": w.unit_b}),
    )
    .await;
    // Below the 500 万元 statistical threshold: left out of the roll-up.
    let p3 = create(
        &w,
        json!({"plan_id": w.plan, "name": "村级光伏电站", "park": "中滩镇", "total_investment": "300",
               "year": 2026, "annual_investment": "300", "planned_start": "2026-06", "responsible_unit_id": w.unit_a}),
    )
    .await;
    let (id1, id2, id3) = (
        p1["id"].as_str().unwrap(),
        p2["id"].as_str().unwrap(),
        p3["id"].as_str().unwrap(),
    );
    // Nothing recorded by the end of May: 0% against 5/12 = 41.67% expected.
    assert_eq!(lamp(&p1), ("red", Some("0"), Some("41.67"), Some("-41.67")));
    assert_eq!(p1["issues"][0]["overdue"], true);
    assert_eq!(p1["version"], 1);
    let reasons: Vec<(&str, Option<&str>, Option<i64>)> = p2["standing"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap(),
                r["behind_pp"].as_str(),
                r["months_over"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("behind_investment", Some("41.67"), None),
            ("not_started", None, Some(4))
        ]
    );
    assert_eq!(p2["standing"]["lamp"], "red");

    // Investment: the responsible unit's reporter records; each step is checked by hand.
    let inv = format!("/api/v1/projects/{id1}/investments");
    // (who, body, status, field at fault, lamp after: (lamp, completion, gap))
    let steps: Vec<Step> = vec![
        // 4,000 of 12,000 by May is 33.33% against 41.67%: 8.34 points behind, still green.
        (
            w.reporter_a.as_str(),
            json!({"period": "2026-05", "value": "4000", "source": "项目单位"}),
            StatusCode::CREATED,
            None,
            Some(("green", "33.33", "-8.34")),
        ),
        // A revision down to 2,400 is 20%: 21.67 points behind, yellow.
        (
            w.manager_a.as_str(),
            json!({"period": "2026-05", "value": "2400"}),
            StatusCode::CREATED,
            None,
            Some(("yellow", "20", "-21.67")),
        ),
        // April cannot exceed May's cumulative total.
        (
            w.reporter_a.as_str(),
            json!({"period": "2026-04", "value": "3000"}),
            StatusCode::BAD_REQUEST,
            Some("value"),
            None,
        ),
        (
            w.reporter_a.as_str(),
            json!({"period": "2026-04", "value": "-1"}),
            StatusCode::BAD_REQUEST,
            Some("value"),
            None,
        ),
        // July has not begun on 15 June.
        (
            w.reporter_a.as_str(),
            json!({"period": "2026-07", "value": "9000"}),
            StatusCode::BAD_REQUEST,
            Some("period"),
            None,
        ),
        (
            w.reporter_a.as_str(),
            json!({"period": "2026-13", "value": "9000"}),
            StatusCode::BAD_REQUEST,
            Some("period"),
            None,
        ),
        // Another unit's reporter may not record for unit A's project.
        (
            w.reporter_b.as_str(),
            json!({"period": "2026-05", "value": "5000"}),
            StatusCode::FORBIDDEN,
            None,
            None,
        ),
    ];
    for (n, (who, body, status, field, after)) in steps.into_iter().enumerate() {
        let (s, out) = a.call(Method::POST, &inv, Some(who), Some(body)).await;
        assert_eq!(s, status, "step {n}: {out}");
        if let Some(f) = field {
            assert_eq!(out["error"]["field"], f, "step {n}: {out}");
        }
        if let Some((l, c, g)) = after {
            let d = a
                .get(&format!("/api/v1/projects/{id1}"), &w.reporter_b)
                .await;
            let p = &d["project"];
            assert_eq!(
                (lamp(p).0, lamp(p).1, lamp(p).3),
                (l, Some(c), Some(g)),
                "step {n}"
            );
        }
    }
    let d = a
        .get(&format!("/api/v1/projects/{id1}"), &w.supervisor)
        .await;
    let revs: Vec<(&str, i64, &str)> = d["investments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["period"].as_str().unwrap(),
                v["revision"].as_i64().unwrap(),
                v["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(revs, vec![("2026-05", 1, "4000"), ("2026-05", 2, "2400")]);

    // Editing: only plan managers; the version guards against stale edits.
    let edit = json!({"plan_id": w.plan, "name": "新材料产业园一期", "park": "东区产业园", "total_investment": "32000",
                      "year": 2026, "annual_investment": "6000", "planned_start": "2026-03", "stage": "under_construction",
                      "started_on": "2026-03-18", "responsible_unit_id": w.unit_a, "version": 1});
    let path1 = format!("/api/v1/projects/{id1}");
    let (s, _) = a
        .call(Method::PUT, &path1, Some(&w.reporter_a), Some(edit.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, out) = a
        .call(Method::PUT, &path1, Some(&w.supervisor), Some(edit.clone()))
        .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    // Halving the annual plan: 2,400 of 6,000 is 40%, 1.67 points behind: green. Issues stay.
    assert_eq!(
        lamp(&out),
        ("green", Some("40"), Some("41.67"), Some("-1.67"))
    );
    assert_eq!(
        (
            out["version"].as_i64(),
            out["issues"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1))
    );
    let (s, out) = a
        .call(Method::PUT, &path1, Some(&w.supervisor), Some(edit))
        .await;
    assert_eq!(
        (s, out["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("version_conflict"))
    );

    // Issues: resolve the overdue one; a new one with its due date before it was raised is refused.
    let issue = p1["issues"][0]["id"].as_str().unwrap();
    let out = a
        .post(
            &format!("/api/v1/projects/{id1}/issues/{issue}/resolve"),
            &w.supervisor,
            json!({"version": 2}),
        )
        .await;
    assert_eq!(
        (
            out["issues"][0]["resolved_on"].as_str(),
            &out["issues"][0]["overdue"],
            out["version"].as_i64()
        ),
        (Some("2026-06-15"), &json!(false), Some(3))
    );
    let (s, out) = a
        .call(
            Method::POST,
            &format!("/api/v1/projects/{id1}/issues"),
            Some(&w.supervisor),
            Some(json!({"text": "征地补偿", "owner_unit_id": w.unit_a, "raised_on": "2026-06-10", "due": "2026-06-01", "version": 3})),
        )
        .await;
    assert_eq!(
        (s, out["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("issues[1].due"))
    );
    let (s, out) = a
        .call(
            Method::POST,
            &format!("/api/v1/projects/{id1}/issues"),
            Some(&w.reporter_a),
            Some(json!({"text": "征地补偿", "owner_unit_id": w.unit_a, "due": "2026-07-01", "version": 3})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{out}");

    // Creation errors name the field; reporters may not create.
    let bad = [
        (
            json!({"name": "x", "park": "p", "total_investment": "100", "year": 2026, "annual_investment": "200", "planned_start": "2026-01", "responsible_unit_id": w.unit_a}),
            "annual_investment",
        ),
        (
            json!({"name": "x", "park": "p", "total_investment": "100", "year": 2026, "annual_investment": "50", "planned_start": "2026-01", "investment_unit": "%", "responsible_unit_id": w.unit_a}),
            "investment_unit",
        ),
        (
            json!({"name": "x", "park": "p", "total_investment": "100", "year": 2026, "annual_investment": "50", "planned_start": "2026-01", "stage": "under_construction", "responsible_unit_id": w.unit_a}),
            "started_on",
        ),
        (
            json!({"plan_id": w.plan, "name": "x", "park": "p", "total_investment": "100", "year": 2025, "annual_investment": "50", "planned_start": "2025-01", "responsible_unit_id": w.unit_a}),
            "year",
        ),
        (
            json!({"name": "x", "park": "p", "total_investment": "100", "year": 2026, "annual_investment": "50", "planned_start": "2026-01", "responsible_unit_id": w.plan}),
            "responsible_unit_id",
        ),
    ];
    for (body, field) in bad {
        let (s, out) = a
            .call(
                Method::POST,
                "/api/v1/projects",
                Some(&w.supervisor),
                Some(body),
            )
            .await;
        assert_eq!(
            (s, out["error"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{out}"
        );
    }
    let (s, _) = a
        .call(Method::POST, "/api/v1/projects", Some(&w.reporter_a), Some(json!({"name": "x", "park": "p", "total_investment": "100", "year": 2026, "annual_investment": "50", "planned_start": "2026-01", "responsible_unit_id": w.unit_a})))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Listing and filters: everyone of the region reads.
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = a.get("/api/v1/projects", &w.reporter_b).await;
    assert_eq!(
        names(&all),
        vec!["冷链物流中心", "新材料产业园一期", "村级光伏电站"]
    );
    let of_a = a
        .get(
            &format!("/api/v1/projects?unit_id={}", w.unit_a),
            &w.reporter_b,
        )
        .await;
    assert_eq!(names(&of_a), vec!["新材料产业园一期", "村级光伏电站"]);

    // Roll-up for May without a fixed-asset-investment indicator: no cross-check.
    let rollup = format!("/api/v1/projects/rollup?plan_id={}&period=2026-05", w.plan);
    let r = a.get(&rollup, &w.reporter_a).await;
    assert_eq!(r["total"], "0.24", "2,400 万元 is 0.24 亿元");
    assert_eq!(r["counted"].as_array().unwrap().len(), 2);
    assert_eq!(r["not_counted"], json!([id3]));
    assert_eq!(r["unreported"], json!([id2]));
    assert_eq!(
        (&r["indicator_id"], &r["cross_check"]),
        (&Value::Null, &Value::Null)
    );

    // With the indicator and its May figure of 1.6 亿元: the projects are 15% of it.
    let fai = a
        .post(
            &format!("/api/v1/plans/{}/indicators", w.plan),
            &w.supervisor,
            json!({"name": "固定资产投资", "unit": "亿元", "target_value": "4"}),
        )
        .await;
    a.post(
        &format!("/api/v1/indicators/{}/values", fai["id"].as_str().unwrap()),
        &w.supervisor,
        json!({"period": "2026-05", "value": "1.6"}),
    )
    .await;
    let r = a.get(&rollup, &w.reporter_a).await;
    assert_eq!(r["indicator_id"], fai["id"]);
    assert_eq!(
        r["cross_check"],
        json!({"projects": "0.24", "reported": "1.6", "difference": "-1.36", "projects_share_pct": "15"})
    );
    let (s, out) = a
        .call(
            Method::GET,
            &format!("/api/v1/projects/rollup?plan_id={}&period=2026-5x", w.plan),
            Some(&w.reporter_a),
            None,
        )
        .await;
    assert_eq!(
        (s, out["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("period"))
    );

    // Pages: lamps by colour class, symbol and words; the detail carries its chart data.
    let c = reqwest::Client::new();
    let cookie = format!("luoshi_session={}", w.reporter_b);
    let page = |path: String| {
        let (c, cookie) = (c.clone(), cookie.clone());
        async move {
            let r = c.get(path).header("cookie", cookie).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };
    let list = page(format!("{}/projects", a.base)).await;
    for want in [
        "lamp-red",
        "■",
        "红灯·严重滞后",
        "lamp-green",
        "绿灯·正常",
        "新材料产业园一期",
        "未按计划开工 (2026-02)",
        // The overview: May's roll-up (today is 15 June) against the reported 1.6 亿元.
        "id=\"projects-overview\"",
        "<th>东区产业园</th><td>1</td><td>0.6 亿元</td><td>0.24 亿元</td><td>40%</td>",
        "<td>2026-05</td>",
        "<td>0.24 亿元</td>",
        "<td id=\"rollup-difference\">-1.36 亿元</td>",
        "<td>15%</td>",
    ] {
        assert!(list.contains(want), "{want} missing from the list");
    }
    // The list as XLSX: a workbook whose sheet names every project.
    let r = c
        .get(format!("{}/projects.xlsx", a.base))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    for want in [
        "项目名称",
        "年度计划投资",
        "新材料产业园一期",
        "冷链物流中心",
        "村级光伏电站",
        "在建",
    ] {
        assert!(strings.contains(want), "{want} missing from the workbook");
    }
    let detail = page(format!("{}/projects/{id1}", a.base)).await;
    for want in [
        "id=\"investment-chart\"",
        "data-chart=",
        "2400 万元",
        "施工用电需扩容",
        "已解决 2026-06-15",
    ] {
        assert!(detail.contains(want), "{want} missing from the detail");
    }
});
