//! The server's background dispatcher: sends queued e-mails and robot messages every
//! `--deliver-seconds`. E-mail goes out only when SMTP is configured; without it e-mail
//! deliveries stay queued and robots still get theirs.

use anyhow::{Context, Result};
use luoshi_app::App;
use luoshi_notify::{DispatchConfig, Dispatcher, Mailer, Secret, SmtpConfig, TlsMode, Webhooks};
use std::time::Duration;

#[derive(clap::Args, Debug, Clone)]
pub struct DeliverArgs {
    /// Seconds between delivery runs (0: send nothing).
    #[arg(long, env = "LUOSHI_DELIVER_SECONDS", default_value_t = 30)]
    deliver_seconds: u64,
    /// SMTP server, e.g. smtp://user@mail.example.org:587 (no password in the URL). Unset: no e-mail.
    #[arg(long, env = "LUOSHI_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of e-mails, e.g. "督查室 <duban@example.org>".
    #[arg(long, env = "LUOSHI_SMTP_FROM")]
    smtp_from: Option<String>,
    /// starttls (default), tls (implicit, port 465) or none (a local relay only).
    #[arg(long, env = "LUOSHI_SMTP_TLS", default_value = "starttls")]
    smtp_tls: String,
    /// A file holding the SMTP password (instead of the LUOSHI_SMTP_PASSWORD variable).
    #[arg(long, env = "LUOSHI_SMTP_PASSWORD_FILE")]
    smtp_password_file: Option<std::path::PathBuf>,
    /// Extra trusted CA certificates (PEM) for the SMTP server, e.g. a private relay's.
    #[arg(long, env = "LUOSHI_SMTP_CA_FILE")]
    smtp_ca_file: Option<std::path::PathBuf>,
}

fn smtp_config(a: &DeliverArgs) -> Result<Option<SmtpConfig>> {
    let Some(url) = &a.smtp_url else {
        return Ok(None);
    };
    let password = match (&a.smtp_password_file, std::env::var("LUOSHI_SMTP_PASSWORD")) {
        (Some(f), _) => Some(Secret::new(
            std::fs::read_to_string(f)
                .with_context(|| format!("read --smtp-password-file {}", f.display()))?
                .trim_end_matches(['\r', '\n'])
                .to_owned(),
        )),
        (None, Ok(p)) if !p.is_empty() => Some(Secret::new(p)),
        _ => None,
    };
    let tls = TlsMode::parse(&a.smtp_tls).with_context(|| {
        format!(
            "--smtp-tls: expected starttls, tls or none, not {:?}",
            a.smtp_tls
        )
    })?;
    let from = a
        .smtp_from
        .as_deref()
        .context("--smtp-from is required with --smtp-url")?;
    let mut c = SmtpConfig::from_url(url, password, from, Some(tls))?;
    if let Some(f) = &a.smtp_ca_file {
        c.extra_root_pem =
            Some(std::fs::read(f).with_context(|| format!("read --smtp-ca-file {}", f.display()))?);
    }
    Ok(Some(c))
}

/// Start the dispatcher (`None` when turned off).
pub fn spawn_dispatcher(app: &App, a: &DeliverArgs) -> Result<Option<tokio::task::JoinHandle<()>>> {
    if a.deliver_seconds == 0 {
        return Ok(None);
    }
    let mailer = match smtp_config(a)? {
        Some(c) => {
            tracing::info!(smtp = ?c, "e-mail delivery configured");
            Some(Mailer::new(&c)?)
        }
        None => None,
    };
    let webhooks = Webhooks::new(Duration::from_secs(20)).map_err(|e| anyhow::anyhow!(e))?;
    let d = Dispatcher::new(
        app.db().clone(),
        mailer,
        webhooks,
        DispatchConfig::default(),
    );
    let app = app.clone();
    let every = Duration::from_secs(a.deliver_seconds);
    Ok(Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match d.run_once(app.now()).await {
                Ok(r) if r.sent + r.retried + r.failed > 0 => {
                    tracing::info!(
                        sent = r.sent,
                        retried = r.retried,
                        failed = r.failed,
                        "deliveries"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "delivery run failed"),
            }
        }
    })))
}
