use luoshi_app::{App, FixedClock};
use luoshi_domain::ids::RegionId;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_testkit::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use time::macros::datetime;

pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// A server on 127.0.0.1:0 over a fresh database, with the clock fixed at 15 June 2026.
pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub admin: String,
    /// The app behind the server (for what no route shows, e.g. the personal-data read log).
    pub core: App,
    _db: TestDb,
}

pub async fn spawn(t: TestDb) -> TestApp {
    let clock = Arc::new(FixedClock(datetime!(2026-06-15 02:00 UTC)));
    let key = luoshi_app::PetitionKey::parse(&"5a".repeat(32)).unwrap();
    let app = App::new(t.db.clone(), clock).with_petition_key(Some(key));
    let region = Region::new(
        RegionId::from_uuid(uuid::Uuid::now_v7()),
        RegionCode::parse("code", "620503").unwrap(),
        "测试区",
        None,
    )
    .unwrap();
    let hash = luoshi_app::hash_password(ADMIN_PASSWORD).unwrap();
    app.bootstrap_region(region, "admin", "管理员", &hash)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let core = app.clone();
    let router = luoshi_web::router(app, luoshi_web::WebConfig::default());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = Client::new();
    let mut ta = TestApp {
        base: format!("http://{addr}"),
        client,
        admin: String::new(),
        core,
        _db: t,
    };
    ta.admin = ta.login("admin", ADMIN_PASSWORD).await;
    ta
}

impl TestApp {
    pub async fn login(&self, user: &str, password: &str) -> String {
        let (s, body) = self
            .call(
                Method::POST,
                "/api/v1/login",
                None,
                Some(json!({"username": user, "password": password})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "login {user}: {body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// Send a request; returns the status and the JSON body (Null when empty).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn ok(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
        let (s, b) = self.call(method.clone(), path, Some(token), body).await;
        assert!(s.is_success(), "{method} {path}: {s} {b}");
        b
    }

    pub async fn get(&self, path: &str, token: &str) -> Value {
        self.ok(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Value {
        self.ok(Method::POST, path, token, Some(body)).await
    }
}

/// A district set up through the API: two units, a supervisor and a reporter for each unit,
/// a plan with a section, an indicator and a task led by unit A.
pub struct World {
    pub app: TestApp,
    pub supervisor: String,
    pub reporter_a: String,
    pub reporter_b: String,
    pub manager_a: String,
    pub unit_a: String,
    pub unit_b: String,
    pub plan: String,
    pub section: String,
    pub indicator: String,
    pub task: String,
}

pub async fn world(t: TestDb) -> World {
    let app = spawn(t).await;
    let admin = app.admin.clone();
    let unit_a = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "zhongtan", "name": "中滩镇", "kind": "township"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let unit_b = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "jsj", "name": "建设局", "kind": "department"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mk = |u: &str, role: &str, unit: Option<&str>| json!({"username": u, "display_name": u, "password": "password-123", "grants": [{"role": role, "unit_id": unit}]});
    for (u, role, unit) in [
        ("sup", "supervisor", None),
        ("rep-a", "reporter", Some(unit_a.as_str())),
        ("rep-b", "reporter", Some(unit_b.as_str())),
        ("head-a", "unit_manager", Some(unit_a.as_str())),
    ] {
        app.post("/api/v1/users", &admin, mk(u, role, unit)).await;
    }
    let supervisor = app.login("sup", "password-123").await;
    let reporter_a = app.login("rep-a", "password-123").await;
    let reporter_b = app.login("rep-b", "password-123").await;
    let manager_a = app.login("head-a", "password-123").await;
    let plan = app
        .post(
            "/api/v1/plans",
            &supervisor,
            json!({"year": 2026, "title": "2026年目标任务"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let section = app
        .post(
            &format!("/api/v1/plans/{plan}/sections"),
            &supervisor,
            json!({"number": "第二", "title": "新农村建设"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let indicator = app
        .post(
            &format!("/api/v1/plans/{plan}/indicators"),
            &supervisor,
            json!({"name": "大口径财政收入", "unit": "亿元", "price_basis": "current", "baseline": "2.63", "target_value": "3", "target_growth_pct": 14.1}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let task = app
        .post(
            "/api/v1/tasks",
            &supervisor,
            json!({"plan_id": plan, "section_id": section, "title": "建成3—5个新农村示范村", "lead_unit_id": unit_a, "co_unit_ids": [unit_b],
                   "deadline": "2026-12-31", "quantity": {"min": "3", "max": "5", "unit": "个"}, "weight": "10"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    World {
        app,
        supervisor,
        reporter_a,
        reporter_b,
        manager_a,
        unit_a,
        unit_b,
        plan,
        section,
        indicator,
        task,
    }
}

/// The CSRF token a page hands to its forms.
pub async fn page_token(c: &reqwest::Client, url: &str, cookie: &str) -> String {
    let page = c
        .get(url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}
