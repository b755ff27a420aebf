//! End-to-end tests in a real headless Chromium against a real server on a random port.
//! Screenshots go to `$LUOSHI_SCREENSHOTS` when set (`docs/screenshots` for the README).

use crate::support::{World, world};
use crate::webdriver::{self, Browser};
use luoshi_testkit::TestDb;
use reqwest::Method;
use serde_json::json;

async fn shot(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("LUOSHI_SCREENSHOTS") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        b.screenshot(&dir.join(format!("{name}.png"))).await;
    }
}

async fn login(b: &Browser, w: &World, user: &str, password: &str) {
    b.goto(&format!("{}/login", w.app.base)).await;
    b.type_into("#username", user).await;
    b.type_into("#password", password).await;
    b.click("#login-submit").await;
    b.find("header.top").await;
}

/// No horizontal scrolling: the page is no wider than the window.
async fn assert_fits(b: &Browser, what: &str) {
    let fits = b
        .exec("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    let widths = b
        .exec("return [document.documentElement.scrollWidth, window.innerWidth];")
        .await;
    assert_eq!(fits, json!(true), "{what} overflows horizontally: {widths}");
}

async fn add_leader(w: &World) {
    w.app.post("/api/v1/users", &w.app.admin, json!({"username": "leader", "display_name": "区领导", "password": "password-123", "grants": [{"role": "leader"}]})).await;
}

#[tokio::test]
async fn leader_reads_the_dashboard_in_chinese_switches_to_english_and_clicks_through() {
    let Some(b) = webdriver::start().await else {
        return;
    };
    let w = world(TestDb::sqlite().await).await;
    add_leader(&w).await;
    login(&b, &w, "leader", "password-123").await;
    assert_eq!(b.text("#nav-dashboard").await, "驾驶舱");
    assert!(b.text("h1").await.contains("2026年目标任务"));
    assert!(b.text("#who").await.contains("区领导"));
    let card = b.text("#indicator-cards").await;
    assert!(
        card.contains("大口径财政收入") && card.contains("亿元"),
        "{card}"
    );
    // The red cell of unit A leads to that unit's red tasks.
    assert_eq!(b.text("#heat-units td.heat-red a").await, "1");
    b.click("#heat-units td.heat-red a").await;
    b.wait_url("lamp=red").await;
    assert!(b.text("#task-count").await.contains('1'));
    assert!(
        b.text("table.tasks")
            .await
            .contains("建成3—5个新农村示范村")
    );
    // Switch language: the choice sticks to the user.
    b.click("#lang-switch").await;
    for _ in 0..50 {
        if b.text("#nav-tasks").await == "Tasks" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(b.text("#nav-tasks").await, "Tasks");
    b.goto(&format!("{}/", w.app.base)).await;
    assert_eq!(b.text("#nav-dashboard").await, "Dashboard");
    b.quit().await;
}

#[tokio::test]
async fn reporter_on_a_phone_reports_progress_and_the_dashboard_changes() {
    let Some(b) = webdriver::start().await else {
        return;
    };
    let w = world(TestDb::sqlite().await).await;
    b.resize(375, 812).await;
    login(&b, &w, "rep-a", "password-123").await;
    b.wait_url("/my").await;
    assert!(
        b.text("#my-acknowledge")
            .await
            .contains("建成3—5个新农村示范村")
    );
    assert_fits(&b, "my work").await;
    b.goto(&format!("{}/", w.app.base)).await;
    assert_eq!(
        b.text("#heat-units td.heat-red a").await,
        "1",
        "the task starts red"
    );
    assert_fits(&b, "dashboard").await;
    b.goto(&format!("{}/tasks", w.app.base)).await;
    assert_fits(&b, "task list").await;
    b.goto(&format!("{}/tasks/{}", w.app.base, w.task)).await;
    assert_fits(&b, "task page").await;
    b.type_into("#percent", "50").await;
    b.type_into("#summary", "示范村规划已完成，两个村开工")
        .await;
    b.click("#progress-submit").await;
    b.find("#task-saved").await;
    assert_eq!(b.text("#task-progress").await, "50%");
    assert!(b.text("#task-lamp").await.contains("绿灯"));
    assert!(b.text("#reports").await.contains("两个村开工"));
    // The dashboard now counts the task green.
    b.goto(&format!("{}/", w.app.base)).await;
    assert_eq!(b.text("#heat-units td.heat-green a").await, "1");
    assert_eq!(
        b.exec("return document.querySelectorAll('#heat-units td.heat-red').length;")
            .await,
        json!(0)
    );
    b.quit().await;
}

#[tokio::test]
async fn supervisor_returns_a_task_and_the_reporter_sees_it_under_my_work() {
    let Some(b) = webdriver::start().await else {
        return;
    };
    let w = world(TestDb::sqlite().await).await;
    let a = &w.app;
    a.post(
        &format!("/api/v1/tasks/{}/progress", w.task),
        &w.reporter_a,
        json!({"percent": 100, "summary": "全部完成"}),
    )
    .await;
    let v = a
        .get(&format!("/api/v1/tasks/{}", w.task), &w.manager_a)
        .await["version"]
        .clone();
    a.ok(
        Method::POST,
        &format!("/api/v1/tasks/{}/transitions", w.task),
        &w.manager_a,
        Some(json!({"action": "report_done", "version": v})),
    )
    .await;
    login(&b, &w, "sup", "password-123").await;
    b.goto(&format!("{}/tasks/{}", a.base, w.task)).await;
    b.type_into("#act-return input[name=reason]", "缺少验收材料")
        .await;
    b.click("#act-return button").await;
    b.find("#task-saved").await;
    assert!(b.text("#events").await.contains("缺少验收材料"));
    b.click("form[action='/logout'] button").await;
    b.wait_url("/login").await;
    login(&b, &w, "rep-a", "password-123").await;
    b.wait_url("/my").await;
    assert!(
        b.text("#my-returned")
            .await
            .contains("建成3—5个新农村示范村")
    );
    b.quit().await;
}

/// The real binary's demo district: long names and real volumes must fit a phone too.
#[tokio::test]
async fn the_demo_district_reads_well_on_desktop_and_phone() {
    let Some(b) = webdriver::start().await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("luoshi-demo-{}", uuid::Uuid::new_v4().simple()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut demo = std::process::Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["demo", "--port", &port.to_string()])
        .env("LUOSHI_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut up = false;
    for _ in 0..300 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the demo did not start");
    let login = |user: &'static str| {
        let b = &b;
        let base = base.clone();
        async move {
            b.goto(&format!("{base}/login")).await;
            b.type_into("#username", user).await;
            b.type_into("#password", "demo").await;
            b.click("#login-submit").await;
            b.find("header.top").await;
        }
    };
    login("leader").await;
    b.resize(1280, 1400).await;
    let cards = b.text("#indicator-cards").await;
    for name in [
        "地区生产总值",
        "大口径财政收入",
        "固定资产投资",
        "城镇居民人均可支配收入",
    ] {
        assert!(cards.contains(name), "{name} missing from {cards}");
    }
    assert!(
        cards.contains("49.4 亿元"),
        "the GDP target as the speech set it: {cards}"
    );
    shot(&b, "demo-dashboard").await;
    b.goto(&format!("{base}/tasks?lamp=red")).await;
    shot(&b, "demo-tasks").await;
    b.click("table.tasks td.title a").await;
    b.find("#task-title").await;
    shot(&b, "demo-task").await;
    b.goto(&format!("{base}/")).await;
    b.click("#lang-switch").await;
    for _ in 0..50 {
        if b.text("#nav-tasks").await == "Tasks" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    shot(&b, "demo-dashboard-en").await;
    b.resize(375, 812).await;
    for path in ["/", "/tasks", "/tasks?lamp=yellow"] {
        b.goto(&format!("{base}{path}")).await;
        b.find("header.top").await;
        assert_fits(&b, path).await;
    }
    b.click("form[action='/logout'] button").await;
    b.wait_url("/login").await;
    login("jsj").await;
    b.wait_url("/my").await;
    assert!(
        b.text("#my-due").await.contains("建设局"),
        "建设局 owes this month's reports"
    );
    assert_fits(&b, "my work (demo)").await;
    shot(&b, "demo-my-phone").await;
    b.click("#my-due td.title a").await;
    b.find("#progress-form").await;
    assert_fits(&b, "task page (demo)").await;
    shot(&b, "demo-task-phone").await;
    b.quit().await;
    let _ = demo.kill();
    let _ = demo.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_reviewer_turns_a_speech_into_a_plan_in_the_browser() {
    let Some(b) = webdriver::start().await else {
        return;
    };
    let w = world(TestDb::sqlite().await).await;
    login(&b, &w, "sup", "password-123").await;
    b.click("#nav-new-plan").await;
    b.find("#draft-form").await;
    b.type_into("#draft-form input[name='title']", "2027年目标任务")
        .await;
    b.type_into("#draft-form input[name='year']", "2027").await;
    b.type_into(
        "#draft-form textarea[name='text']",
        "一、發展經濟\n今年全區生產總值達到52億元，增長10%。\n中灘鎮要在年內建成3—5個新農村示範村。\n6月底前完成通村道路硬化10公里。\n",
    )
    .await;
    b.click("#draft-form button[type='submit']").await;
    b.find("#review-form").await;
    assert!(b.text("#draft-task-0 mark.quantity").await.contains("3—5"));
    assert!(b.text("#draft-indicators").await.contains("52"));
    shot(&b, "plan-review").await;
    // The second task names no unit; the reviewer assigns one and creates the plan.
    b.type_into("input[name='t1.unit']", "中滩镇").await;
    b.click("#create-plan").await;
    b.wait_url("plan_id=").await;
    assert!(b.text("#task-count").await.contains('2'));
    b.quit().await;
}
