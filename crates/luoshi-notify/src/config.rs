//! SMTP configuration from a URL (`smtp://user@host:587`), a password kept apart from it and a
//! sender address. The password never appears in `Debug` output or logs.

use std::fmt;
use std::time::Duration;

/// A secret string whose `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The secret itself, for the one place that needs it (the SMTP login).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain connection upgraded with STARTTLS, which is required (the default; port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a relay on the local machine or network.
    None,
}

impl TlsMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Self::StartTls => 587,
            Self::Tls => 465,
            Self::None => 25,
        }
    }
}

/// A configuration error naming the setting at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

fn bad(field: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field,
        message: message.into(),
    }
}

/// Where and how to send e-mail.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The sender, e.g. `督查室 <duban@example.org>`.
    pub from: String,
    pub tls: TlsMode,
    /// Extra trusted root certificates (PEM), e.g. a private CA of the local mail relay.
    pub extra_root_pem: Option<Vec<u8>>,
    /// A connection and command timeout (default 20 s).
    pub timeout: Duration,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field(
                "extra_root_pem",
                &self.extra_root_pem.as_ref().map(Vec::len),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

fn percent_decode(s: &str) -> Result<String, ConfigError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| bad("smtp_url", "bad %-escape in the user name"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad("smtp_url", "the user name is not UTF-8"))
}

impl SmtpConfig {
    /// Parse `smtp://[user@]host[:port]` (`smtps://` means implicit TLS). A password in the URL
    /// is refused: it would end up in shell history and process lists; pass it separately.
    pub fn from_url(
        url: &str,
        password: Option<Secret>,
        from: &str,
        tls: Option<TlsMode>,
    ) -> Result<Self, ConfigError> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("smtp_url", "expected smtp://[user@]host[:port]"))?;
        let tls = match (scheme, tls) {
            ("smtp", t) => t.unwrap_or_default(),
            ("smtps", None | Some(TlsMode::Tls)) => TlsMode::Tls,
            ("smtps", Some(_)) => return Err(bad("smtp_tls", "smtps:// always uses implicit TLS")),
            _ => return Err(bad("smtp_url", "the scheme must be smtp or smtps")),
        };
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let username = match user {
            Some(u) if u.contains(':') => {
                return Err(bad(
                    "smtp_url",
                    "do not put the password in the URL; use LUOSHI_SMTP_PASSWORD or a password file",
                ));
            }
            Some(u) if !u.is_empty() => Some(percent_decode(u)?),
            _ => None,
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| bad("smtp_url", format!("bad port {p:?}")))?,
            ),
            None => (hostport, tls.default_port()),
        };
        if host.is_empty() {
            return Err(bad("smtp_url", "no host"));
        }
        if from.trim().is_empty() {
            return Err(bad("smtp_from", "a sender address is required"));
        }
        if password.is_some() && username.is_none() {
            return Err(bad("smtp_url", "a password was given but no user name"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            username,
            password,
            from: from.trim().to_owned(),
            tls,
            extra_root_pem: None,
            timeout: Duration::from_secs(20),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn urls_parse_into_host_port_user_and_mode() {
        type Want<'a> = (&'a str, u16, Option<&'a str>, TlsMode);
        let cases: [(&str, Option<TlsMode>, Want<'_>); 5] = [
            (
                "smtp://robot@mail.example.org:587",
                None,
                ("mail.example.org", 587, Some("robot"), TlsMode::StartTls),
            ),
            (
                "smtp://mail.example.org",
                None,
                ("mail.example.org", 587, None, TlsMode::StartTls),
            ),
            (
                "smtps://a%40b.org@mx.example.org",
                None,
                ("mx.example.org", 465, Some("a@b.org"), TlsMode::Tls),
            ),
            (
                "smtp://127.0.0.1:2525/",
                Some(TlsMode::None),
                ("127.0.0.1", 2525, None, TlsMode::None),
            ),
            (
                "smtp://u@h",
                Some(TlsMode::Tls),
                ("h", 465, Some("u"), TlsMode::Tls),
            ),
        ];
        for (url, mode, (host, port, user, tls)) in cases {
            let c = SmtpConfig::from_url(url, None, "x@example.org", mode).unwrap();
            assert_eq!(
                (c.host.as_str(), c.port, c.username.as_deref(), c.tls),
                (host, port, user, tls),
                "{url}"
            );
        }
    }

    #[test]
    fn bad_settings_name_the_field() {
        let pw = || Some(Secret::new("pw"));
        let cases = [
            ("mail.example.org", None, "x@e.org", "smtp_url"),
            ("http://h", None, "x@e.org", "smtp_url"),
            ("smtp://u:pw@h", None, "x@e.org", "smtp_url"),
            ("smtp://h:99999", None, "x@e.org", "smtp_url"),
            ("smtp://h", pw(), "x@e.org", "smtp_url"),
            ("smtp://u@h", None, " ", "smtp_from"),
        ];
        for (url, password, from, field) in cases {
            let e = SmtpConfig::from_url(url, password, from, None).unwrap_err();
            assert_eq!(e.field, field, "{url}");
        }
        let e =
            SmtpConfig::from_url("smtps://h", None, "x@e.org", Some(TlsMode::None)).unwrap_err();
        assert_eq!(e.field, "smtp_tls");
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let c = SmtpConfig::from_url(
            "smtp://robot@mail.example.org",
            Some(Secret::new("hunter2-秘密")),
            "督查室 <robot@example.org>",
            None,
        )
        .unwrap();
        let shown = format!("{c:?} {:?} {}", c.password, c.password.clone().unwrap());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("password: Some(\"***\")"), "{shown}");
        assert!(shown.contains("username: Some(\"robot\")"), "{shown}");
        assert_eq!(c.password.unwrap().expose(), "hunter2-秘密");
    }
}
