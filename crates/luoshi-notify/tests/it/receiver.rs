//! A real HTTP receiver for robot webhooks (axum on 127.0.0.1). It checks the DingTalk and
//! Feishu signatures itself (HMAC-SHA256 computed here, not by the code under test) and answers
//! like the platforms: HTTP 200 with a non-zero code on a bad signature. `/flaky` answers 500
//! twice, then 200.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const DING_SECRET: &str = "SECding-test-secret";
pub const FEISHU_SECRET: &str = "feishu-test-secret";

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub path: String,
    pub query: HashMap<String, String>,
    pub body: Value,
    /// Whether the signature (where the platform has one) was right.
    pub signed_ok: bool,
}

#[derive(Clone, Default)]
pub struct Receiver {
    pub base: String,
    pub hits: Arc<Mutex<Vec<Hit>>>,
    flaky_calls: Arc<Mutex<u32>>,
}

fn hmac(key: &[u8], msg: &[u8]) -> String {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    m.update(msg);
    B64.encode(m.finalize().into_bytes())
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

async fn hook(
    State(r): State<Receiver>,
    Path(kind): Path<String>,
    RawQuery(q): RawQuery,
    body: String,
) -> (StatusCode, String) {
    let query: HashMap<String, String> = q
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), unescape(v)))
        .collect();
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let (signed_ok, reply) = match kind.as_str() {
        "ding" => {
            let ts = query.get("timestamp").cloned().unwrap_or_default();
            let want = hmac(
                DING_SECRET.as_bytes(),
                format!("{ts}\n{DING_SECRET}").as_bytes(),
            );
            let ok = query.get("sign") == Some(&want)
                && body["msgtype"] == "markdown"
                && body["markdown"]["title"].is_string()
                && body["markdown"]["text"].is_string();
            (
                ok,
                if ok {
                    json!({"errcode": 0, "errmsg": "ok"})
                } else {
                    json!({"errcode": 310000, "errmsg": "sign not match"})
                },
            )
        }
        "feishu" => {
            let ts = body["timestamp"].as_str().unwrap_or_default().to_owned();
            let want = hmac(format!("{ts}\n{FEISHU_SECRET}").as_bytes(), b"");
            let ok = body["sign"].as_str() == Some(want.as_str())
                && body["msg_type"] == "text"
                && body["content"]["text"].is_string();
            (
                ok,
                if ok {
                    json!({"code": 0, "msg": "success"})
                } else {
                    json!({"code": 19021, "msg": "sign match fail"})
                },
            )
        }
        "wecom" => {
            let ok = query.get("key").map(String::as_str) == Some("wecom-key")
                && body["msgtype"] == "markdown"
                && body["markdown"]["content"].is_string();
            (
                ok,
                if ok {
                    json!({"errcode": 0, "errmsg": "ok"})
                } else {
                    json!({"errcode": 93000, "errmsg": "invalid webhook url"})
                },
            )
        }
        "flaky" => {
            let mut n = r.flaky_calls.lock().unwrap();
            *n += 1;
            if *n <= 2 {
                r.hits.lock().unwrap().push(Hit {
                    path: kind,
                    query,
                    body,
                    signed_ok: true,
                });
                return (StatusCode::INTERNAL_SERVER_ERROR, format!("down #{n}"));
            }
            (true, json!({"errcode": 0, "errmsg": "ok"}))
        }
        "hang" => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            (true, json!({}))
        }
        _ => return (StatusCode::NOT_FOUND, "no such robot".into()),
    };
    r.hits.lock().unwrap().push(Hit {
        path: kind,
        query,
        body,
        signed_ok,
    });
    (StatusCode::OK, reply.to_string())
}

impl Receiver {
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let r = Receiver {
            base: format!("http://{}", listener.local_addr().unwrap()),
            ..Receiver::default()
        };
        let app = Router::new()
            .route("/hook/{kind}", post(hook))
            .with_state(r.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        r
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}
