//! Delivery adapters for supervision messages (issue #5): e-mail over SMTP (lettre, rustls with
//! the ring provider) and chat robot webhooks (DingTalk, WeCom, Feishu; reqwest with rustls), driven by a
//! [`Dispatcher`] that claims queued deliveries from the store, sends each with a timeout and
//! records the attempt with exponential backoff.
//!
//! ```ignore
//! let smtp = SmtpConfig::from_url("smtp://robot@mail.example.org:587", Some(password), "督查室 <robot@example.org>")?;
//! let d = Dispatcher::new(db, Some(Mailer::new(&smtp)?), Webhooks::new()?, DispatchConfig::default());
//! let report = d.run_once(OffsetDateTime::now_utc()).await?;
//! ```
//!
//! This crate depends on the domain and the store, never on the web crate; the `luoshi` binary
//! runs the dispatcher beside the sweeper.

mod config;
mod dispatch;
mod mail;
mod webhook;

pub use config::{ConfigError, Secret, SmtpConfig, TlsMode};
pub use dispatch::{DispatchConfig, DispatchReport, Dispatcher};
pub use mail::Mailer;
pub use webhook::{WebhookMessage, Webhooks, dingtalk_sign, feishu_sign, percent_encode};

/// Why one send failed. `permanent` failures are not retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl SendError {
    pub fn retry(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }
}

/// Install the ring crypto provider as rustls' process default (once; later calls do nothing),
/// so code that asks rustls for "the default" gets one deterministic answer. (lettre uses ring;
/// reqwest's `rustls` feature brings its own aws-lc-rs provider, which it uses explicitly.)
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
