//! A minimal W3C WebDriver client for Debian's chromium + chromedriver: enough to drive pages,
//! read them, resize the window and take screenshots.

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    http: reqwest::Client,
    base: String,
    driver: Child,
    profile: std::path::PathBuf,
}

/// Start chromedriver and a headless Chromium session; `None` (skip) when they are not installed,
/// except under `CI=true`, where browser tests must run.
pub async fn start() -> Option<Browser> {
    let found = |p: &str| std::path::Path::new(p).exists();
    if !found("/usr/bin/chromium") || !found("/usr/bin/chromedriver") {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but chromium/chromedriver are missing: browser tests must run in CI");
        }
        eprintln!("note: chromium or chromedriver not installed; skipping a browser test");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(format!("{base}/status")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile =
        std::env::temp_dir().join(format!("luoshi-chrome-{}", uuid::Uuid::new_v4().simple()));
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": "/usr/bin/chromium",
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                 "--lang=zh-CN", format!("--user-data-dir={}", profile.display())]
    }}}});
    let r: Value = http
        .post(format!("{base}/session"))
        .json(&caps)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = r["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no WebDriver session: {r}"))
        .to_owned();
    Some(Browser {
        http,
        base: format!("{base}/session/{id}"),
        driver,
        profile,
    })
}

impl Browser {
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        req = req.json(&body.unwrap_or_else(|| json!({})));
        let r: Value = req.send().await.unwrap().json().await.unwrap();
        if r["value"].get("error").is_some() {
            panic!("WebDriver {path}: {}", r["value"]);
        }
        r["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    pub async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Find an element by CSS selector, waiting up to 5 s for it to appear.
    pub async fn find(&self, css: &str) -> String {
        for _ in 0..50 {
            let r: Value = self
                .http
                .post(format!("{}/element", self.base))
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(id) = r["value"][ELEMENT].as_str() {
                return id.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element {css} on {}", self.url().await);
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{el}/click"), None)
            .await;
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{el}/clear"), None)
            .await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{el}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    /// The text of an element; retried while the page is being replaced under it.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            let el = self.find(css).await;
            let r: Value = self
                .http
                .get(format!("{}/element/{el}/text", self.base))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            match r["value"].as_str() {
                Some(t) => return t.to_owned(),
                None => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        panic!("could not read {css}");
    }

    pub async fn exec(&self, script: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// Wait until the page's URL contains `part`.
    pub async fn wait_url(&self, part: &str) {
        for _ in 0..50 {
            if self.url().await.contains(part) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("URL never contained {part}: {}", self.url().await);
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64_png::decode;
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        std::fs::write(path, decode(b64.as_str().unwrap_or(""))).unwrap();
    }

    pub async fn quit(mut self) {
        let _ = self.http.delete(&self.base).send().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Standard base64 decoding for screenshots (no extra dependency).
mod base64_png {
    pub fn decode(s: &str) -> Vec<u8> {
        let val = |c: u8| -> Option<u32> {
            Some(match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return None,
            } as u32)
        };
        let mut out = Vec::with_capacity(s.len() * 3 / 4);
        let mut buf = 0u32;
        let mut bits = 0;
        for c in s.bytes() {
            let Some(v) = val(c) else { continue };
            buf = (buf << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buf >> bits) as u8);
                buf &= (1 << bits) - 1;
            }
        }
        out
    }
}
