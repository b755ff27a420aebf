//! E-mail over SMTP with lettre: STARTTLS (required), implicit TLS or, for a local relay, none.

use crate::{ConfigError, SendError, SmtpConfig, TlsMode};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A configured SMTP sender. Cheap to share (`Arc` it); each send opens a connection.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

fn cfg_err(field: &'static str, e: impl std::fmt::Display) -> ConfigError {
    ConfigError {
        field,
        message: e.to_string(),
    }
}

impl Mailer {
    pub fn new(c: &SmtpConfig) -> Result<Self, ConfigError> {
        crate::install_crypto_provider();
        let from: Mailbox = c.from.parse().map_err(|e| cfg_err("smtp_from", e))?;
        let tls = if c.tls == TlsMode::None {
            Tls::None
        } else {
            let mut b = TlsParameters::builder(c.host.clone());
            if let Some(pem) = &c.extra_root_pem {
                let cert = Certificate::from_pem(pem).map_err(|e| cfg_err("smtp_ca_file", e))?;
                b = b.add_root_certificate(cert);
            }
            let params = b.build_rustls().map_err(|e| cfg_err("smtp_tls", e))?;
            match c.tls {
                TlsMode::Tls => Tls::Wrapper(params),
                _ => Tls::Required(params),
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(c.host.clone())
            .port(c.port)
            .tls(tls)
            .timeout(Some(c.timeout));
        if let (Some(user), Some(password)) = (&c.username, &c.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Send one plain-text message (UTF-8; lettre encodes the Chinese subject and body).
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| SendError::permanent(format!("bad address {to:?}: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // 5xx answers (unknown mailbox, refused) will not get better by retrying.
            Err(e) if e.is_permanent() => Err(SendError::permanent(format!("SMTP: {e}"))),
            Err(e) => Err(SendError::retry(format!("SMTP: {e}"))),
        }
    }
}
