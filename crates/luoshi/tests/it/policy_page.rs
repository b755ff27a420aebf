//! The supervision policy editor over HTTP: the defaults of the domain notes, validation naming
//! the field (400), a stale version (409), administrators only (403 for the office, which reads),
//! CSRF, the history of versions, and the region's lamp thresholds taking effect once saved.

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

/// The default policy as the form posts it, with `changes` applied.
fn form(token: &str, version: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("_csrf", token),
        ("version", version),
        ("reminder_offsets_days", "7,3,1"),
        ("overdue_interval_days", "3"),
        ("reporting_day", "25"),
        ("indicator_report_lag_months", "1"),
        ("cards.yellow_streak", "2"),
        ("cards.yellow_points", "-1"),
        ("cards.red_streak", "2"),
        ("cards.red_points", "-2"),
        ("notice_prefix", "督办"),
        ("escalations[0].red_streak", "3"),
        ("escalations[0].level", "1"),
        ("escalations[0].target", "lead_official"),
        ("escalations[0].summons", "1"),
        ("escalations[1].red_streak", ""),
        ("escalations[1].level", ""),
        ("escalations[1].target", "lead_official"),
        ("quiet_hours.enabled", "1"),
        ("quiet_hours.start_hour", "22"),
        ("quiet_hours.end_hour", "7"),
        ("lamps.blue_within_days", "3"),
        ("lamps.yellow_behind_pp", "10"),
        ("lamps.red_behind_pp", "30"),
        ("lamps.growth_yellow_behind_pp", "1"),
        ("lamps.growth_red_behind_pp", "3"),
        ("lamps.expected_basis", "month_share"),
        ("lamps.seasonal_profile", "1"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (k, v) in changes {
        match f.iter_mut().find(|(x, _)| x == k) {
            Some(pair) => pair.1 = (*v).to_owned(),
            None => f.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    f
}

db_test!(the_policy_editor_validates_versions_and_permissions, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let url = format!("{base}/supervision/policy");
    let admin = format!("luoshi_session={}", w.app.admin);
    let sup = format!("luoshi_session={}", w.supervisor);
    let rep = format!("luoshi_session={}", w.reporter_a);

    // The defaults of the domain notes, never saved yet.
    let (s, html) = text(&c, &url, &admin).await;
    assert_eq!(s, StatusCode::OK);
    for want in [
        "id=\"policy-version\">0<",
        "name=\"reminder_offsets_days\" value=\"7,3,1\"",
        "name=\"overdue_interval_days\" value=\"3\"",
        "name=\"reporting_day\" value=\"25\"",
        "name=\"indicator_report_lag_months\" value=\"1\"",
        "name=\"cards.yellow_streak\" value=\"2\"",
        "name=\"cards.yellow_points\" value=\"-1\"",
        "name=\"cards.red_streak\" value=\"2\"",
        "name=\"cards.red_points\" value=\"-2\"",
        "name=\"notice_prefix\" value=\"督办\"",
        "name=\"escalations[0].red_streak\" value=\"3\"",
        "name=\"quiet_hours.start_hour\" value=\"22\"",
        "name=\"quiet_hours.end_hour\" value=\"7\"",
        "name=\"lamps.blue_within_days\" value=\"3\"",
        "name=\"lamps.yellow_behind_pp\" value=\"10\"",
        "name=\"lamps.red_behind_pp\" value=\"30\"",
        "name=\"lamps.growth_yellow_behind_pp\" value=\"1\"",
        "name=\"lamps.growth_red_behind_pp\" value=\"3\"",
        "<option value=\"month_share\" selected>",
        "name=\"lamps.seasonal_profile\" value=\"1\" checked",
    ] {
        assert!(html.contains(want), "{want} in {html}");
    }
    // The office reads it without a save button; a reporter may not open it.
    let (s, html) = text(&c, &url, &sup).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("只读") && !html.contains("保存为新版本"),
        "{html}"
    );
    let (s, _) = text(&c, &url, &rep).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let sup_token = page_token(&c, &url, &sup).await;
    let r = c
        .post(&url)
        .header("cookie", &sup)
        .form(&form(&sup_token, "0", &[("reporting_day", "20")]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a supervisor cannot edit"
    );

    let token = page_token(&c, &url, &admin).await;
    let post = |f: Vec<(String, String)>| {
        let c = c.clone();
        let (url, admin) = (url.clone(), admin.clone());
        async move {
            c.post(url)
                .header("cookie", admin)
                .form(&f)
                .send()
                .await
                .unwrap()
        }
    };
    let r = post(form("", "0", &[("reporting_day", "20")])).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");

    // Bad values: 400, the page names the field and keeps what was typed.
    let bad = [
        (("reporting_day", "40"), "reporting_day: "),
        (("reporting_day", "x"), "reporting_day: "),
        (
            ("reminder_offsets_days", "7,x"),
            "reminder_offsets_days[1]: ",
        ),
        (
            ("reminder_offsets_days", "7,7"),
            "reminder_offsets_days[1]: ",
        ),
        (("cards.red_points", "5"), "cards.red_points: "),
        (("escalations[0].level", "0"), "escalations[0].level: "),
        (("quiet_hours.end_hour", "22"), "quiet_hours.end_hour: "),
        (("notice_prefix", ""), "notice_prefix: "),
        (("lamps.blue_within_days", "-1"), "lamps.blue_within_days: "),
        (
            ("lamps.yellow_behind_pp", "ten"),
            "lamps.yellow_behind_pp: ",
        ),
        (("lamps.red_behind_pp", "5"), "lamps.red_behind_pp: "),
        (
            ("lamps.growth_red_behind_pp", "101"),
            "lamps.growth_red_behind_pp: ",
        ),
        (("lamps.expected_basis", "weekly"), "lamps.expected_basis: "),
    ];
    for ((field, value), want) in bad {
        let r = post(form(&token, "0", &[(field, value)])).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{field}={value}");
        let html = r.text().await.unwrap();
        assert!(html.contains(want), "{want} in {html}");
        assert!(
            html.contains(&format!("name=\"{field}\" value=\"{value}\""))
                || field.starts_with("escalations")
                || field == "lamps.expected_basis",
            "{field} keeps what was typed"
        );
    }

    // A good save: version 1, with a second escalation rule and no quiet hours.
    let mut good = form(
        &token,
        "0",
        &[
            ("reporting_day", "20"),
            ("escalations[1].red_streak", "6"),
            ("escalations[1].level", "2"),
            ("escalations[1].target", "principal_leader"),
        ],
    );
    good.retain(|(k, _)| k != "quiet_hours.enabled");
    let r = post(good.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&c, &url, &admin).await;
    for want in [
        "id=\"policy-version\">1<",
        "name=\"reporting_day\" value=\"20\"",
        "name=\"escalations[1].red_streak\" value=\"6\"",
        "<option value=\"principal_leader\" selected>",
        "<td>1</td>",
        "<td>管理员</td>",
    ] {
        assert!(html.contains(want), "{want} in {html}");
    }
    assert!(!html.contains("name=\"quiet_hours.enabled\" value=\"1\" checked"));
    // The same form again carries version 0: stale, 409, nothing saved.
    let r = post(good).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, html) = text(&c, &url, &admin).await;
    assert!(html.contains("id=\"policy-version\">1<"));
    assert!(!html.contains("<td>2</td>"));
});

/// The task's lamp and gap as the API shows them.
async fn lamp_of(w: &crate::support::World) -> (Option<String>, String) {
    let t = w
        .app
        .get(&format!("/api/v1/tasks/{}", w.task), &w.supervisor)
        .await;
    (
        t["lamp"].as_str().map(str::to_owned),
        t["gap_pp"].as_str().unwrap_or_default().to_owned(),
    )
}

db_test!(saved_lamp_thresholds_relight_the_regions_tasks, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let url = format!("{base}/supervision/policy");
    let admin = format!("luoshi_session={}", w.app.admin);
    // On 15 June the unreported task is 45 points behind its schedule: red by the defaults
    // (more than 30 behind).
    let (lamp, gap) = lamp_of(&w).await;
    assert_eq!(lamp.as_deref(), Some("red"), "gap {gap}");
    let gap: f64 = gap.parse().unwrap();
    assert!((-50.0..-40.0).contains(&gap), "gap {gap}");
    let listed = |lamp: &'static str| {
        let w = &w;
        async move {
            let path = format!("/api/v1/tasks?lamp={lamp}");
            w.app.get(&path, &w.supervisor).await["total"].as_i64()
        }
    };
    assert_eq!(listed("red").await, Some(1));
    // The dashboard counts it red, which warms the region's snapshot.
    let summary = w
        .app
        .get(&format!("/api/v1/plans/{}/summary", w.plan), &w.supervisor)
        .await;
    assert_eq!(
        summary["totals"]["by_lamp"]["red"].as_i64(),
        Some(1),
        "{summary}"
    );

    // The administrator widens the red band to 60 points: the task is yellow on every read,
    // the dashboard included, with no restart.
    let token = page_token(&c, &url, &admin).await;
    let r = c
        .post(&url)
        .header("cookie", &admin)
        .form(&form(&token, "0", &[("lamps.red_behind_pp", "60")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&c, &url, &admin).await;
    assert!(
        html.contains("name=\"lamps.red_behind_pp\" value=\"60\""),
        "{html}"
    );
    assert_eq!(lamp_of(&w).await.0.as_deref(), Some("yellow"));
    assert_eq!(listed("red").await, Some(0));
    assert_eq!(listed("yellow").await, Some(1));
    let summary = w
        .app
        .get(&format!("/api/v1/plans/{}/summary", w.plan), &w.supervisor)
        .await;
    let by_lamp = &summary["totals"]["by_lamp"];
    assert_eq!(by_lamp["yellow"].as_i64(), Some(1), "{summary}");
    assert_eq!(by_lamp["red"].as_i64().unwrap_or(0), 0, "{summary}");

    // A red band from 40 points: red again. A stale form (version 1 again) changes nothing.
    let f = form(
        &token,
        "1",
        &[
            ("lamps.yellow_behind_pp", "20"),
            ("lamps.red_behind_pp", "40"),
        ],
    );
    let r = c
        .post(&url)
        .header("cookie", &admin)
        .form(&f)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(lamp_of(&w).await.0.as_deref(), Some("red"));
    let r = c
        .post(&url)
        .header("cookie", &admin)
        .form(&form(&token, "1", &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(lamp_of(&w).await.0.as_deref(), Some("red"));
});
