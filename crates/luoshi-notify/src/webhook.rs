//! Chat robot webhooks: the DingTalk, WeCom and Feishu message formats and signatures.
//!
//! Each platform answers HTTP 200 with its own error code in the body (`errcode` for DingTalk
//! and WeCom, `code` for Feishu): a non-zero code is a failure whatever the status says.

use crate::SendError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use luoshi_domain::supervision::RobotPlatform;
use luoshi_store::supervision::channels::redact_url;
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => Vec::new(),
    }
}

/// DingTalk: Base64(HMAC-SHA256(key = secret, message = "{timestamp_ms}\n{secret}")), not yet
/// URL-encoded.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    BASE64.encode(hmac_sha256(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    ))
}

/// Feishu: Base64(HMAC-SHA256(key = "{timestamp_s}\n{secret}", message = empty)).
pub fn feishu_sign(secret: &str, timestamp_s: i64) -> String {
    BASE64.encode(hmac_sha256(
        format!("{timestamp_s}\n{secret}").as_bytes(),
        b"",
    ))
}

/// Percent-encode everything but RFC 3986's unreserved characters (for query values).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One robot message, ready to post.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookMessage {
    pub url: String,
    pub body: Value,
}

impl WebhookMessage {
    /// Build the request for `platform` at `now_ms` (milliseconds since the Unix epoch; the
    /// platforms refuse signatures more than about an hour off their clock).
    pub fn build(
        platform: RobotPlatform,
        url: &str,
        secret: Option<&str>,
        title: &str,
        text: &str,
        now_ms: i64,
    ) -> Self {
        let secret = secret.filter(|s| !s.is_empty());
        match platform {
            RobotPlatform::DingTalk => {
                let url = match secret {
                    Some(s) => {
                        let sep = if url.contains('?') { '&' } else { '?' };
                        format!(
                            "{url}{sep}timestamp={now_ms}&sign={}",
                            percent_encode(&dingtalk_sign(s, now_ms))
                        )
                    }
                    None => url.to_owned(),
                };
                Self {
                    url,
                    body: json!({
                        "msgtype": "markdown",
                        "markdown": {"title": title, "text": format!("### {title}\n\n{text}")},
                    }),
                }
            }
            RobotPlatform::WeCom => Self {
                url: url.to_owned(),
                body: json!({
                    "msgtype": "markdown",
                    "markdown": {"content": format!("### {title}\n{text}")},
                }),
            },
            RobotPlatform::Feishu => {
                let mut body = json!({
                    "msg_type": "text",
                    "content": {"text": format!("{title}\n{text}")},
                });
                if let (Some(s), Some(obj)) = (secret, body.as_object_mut()) {
                    let ts = now_ms.div_euclid(1000);
                    obj.insert("timestamp".into(), Value::String(ts.to_string()));
                    obj.insert("sign".into(), Value::String(feishu_sign(s, ts)));
                }
                Self {
                    url: url.to_owned(),
                    body,
                }
            }
        }
    }
}

/// Read a platform's answer: HTTP status, then its `errcode` or `code`.
pub(crate) fn check_reply(status: u16, body: &str) -> Result<(), SendError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let code = parsed
        .as_ref()
        .and_then(|v| v.get("errcode").or_else(|| v.get("code")))
        .and_then(Value::as_i64);
    let msg = parsed
        .as_ref()
        .and_then(|v| v.get("errmsg").or_else(|| v.get("msg")))
        .and_then(Value::as_str)
        .unwrap_or("");
    let short: String = body.chars().take(200).collect();
    if !(200..300).contains(&status) {
        let e = format!("HTTP {status}: {short}");
        // 4xx other than 429 (rate limited) will fail the same way again.
        return Err(if (400..500).contains(&status) && status != 429 {
            SendError::permanent(e)
        } else {
            SendError::retry(e)
        });
    }
    match code {
        Some(0) | None => Ok(()),
        Some(c) => Err(SendError::retry(format!("platform error {c}: {msg}"))),
    }
}

/// An HTTP client for robot webhooks (reqwest's rustls; no proxy lookups).
#[derive(Debug, Clone)]
pub struct Webhooks {
    http: reqwest::Client,
}

impl Webhooks {
    pub fn new(timeout: Duration) -> Result<Self, SendError> {
        crate::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| SendError::permanent(format!("HTTP client: {e}")))?;
        Ok(Self { http })
    }

    /// Post one message; the error never contains the URL's query (keys, tokens).
    pub async fn post(&self, m: &WebhookMessage) -> Result<(), SendError> {
        let resp = self
            .http
            .post(&m.url)
            .json(&m.body)
            .send()
            .await
            .map_err(|e| {
                SendError::retry(format!("POST {}: {}", redact_url(&m.url), e.without_url()))
            })?;
        let status = resp.status().as_u16();
        let text = resp
            .text()
            .await
            .map_err(|e| SendError::retry(format!("reading the reply: {}", e.without_url())))?;
        check_reply(status, &text)
    }
}

#[cfg(test)]
mod tests;
