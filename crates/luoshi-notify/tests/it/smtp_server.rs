//! A real SMTP server for tests: EHLO, STARTTLS (tokio-rustls with the committed test
//! certificate), AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT. It records every
//! message with how it was authenticated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub const CA_PEM: &[u8] = include_bytes!("../fixtures/ca.pem");
const CERT_PEM: &[u8] = include_bytes!("../fixtures/server.pem");
const KEY_PEM: &[u8] = include_bytes!("../fixtures/server-key.pem");

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Received {
    /// (user, password) and whether the session was already encrypted when it authenticated.
    pub auth: Option<(String, String, bool)>,
    pub tls: bool,
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
}

fn acceptor() -> TlsAcceptor {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT_PEM)
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(KEY_PEM).unwrap();
    let config = ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    TlsAcceptor::from(Arc::new(config))
}

impl SmtpServer {
    /// Listen on 127.0.0.1 (a free port). `implicit_tls`: TLS from the first byte (port 465 style).
    pub async fn start(implicit_tls: bool) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let rec = received.clone();
        let tls = acceptor();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let rec = rec.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    if implicit_tls {
                        let Ok(s) = tls.accept(sock).await else {
                            return;
                        };
                        session(s, true, true, &rec).await;
                    } else if let Some(sock) = session(sock, false, true, &rec).await {
                        let Ok(s) = tls.accept(sock).await else {
                            return;
                        };
                        // After STARTTLS the client speaks first (EHLO again).
                        session(s, true, false, &rec).await;
                    }
                });
            }
        });
        SmtpServer { port, received }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// One session over a plain or TLS stream; returns the plain stream when the client asked for
/// STARTTLS (the caller upgrades it and runs a new session).
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    tls: bool,
    greet: bool,
    rec: &Mutex<Vec<Received>>,
) -> Option<S> {
    let mut io = BufReader::new(stream);
    if greet {
        io.get_mut()
            .write_all(b"220 test.local ESMTP ready\r\n")
            .await
            .ok()?;
    }
    let mut cur = Received {
        tls,
        ..Received::default()
    };
    let mut auth = None;
    loop {
        let mut line = String::new();
        if io.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            if tls {
                "250-test.local\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n".into()
            } else {
                // AUTH is offered before STARTTLS too, so a client that logs in early would be seen.
                "250-test.local\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n".into()
            }
        } else if upper == "STARTTLS" && !tls {
            io.get_mut().write_all(b"220 go ahead\r\n").await.ok()?;
            return Some(io.into_inner());
        } else if let Some(rest) = upper.strip_prefix("AUTH PLAIN") {
            let b64 = if rest.trim().is_empty() {
                io.get_mut().write_all(b"334 \r\n").await.ok()?;
                let mut l = String::new();
                io.read_line(&mut l).await.ok()?;
                l.trim().to_owned()
            } else {
                cmd["AUTH PLAIN".len()..].trim().to_owned()
            };
            let raw = B64.decode(b64).ok()?;
            let parts: Vec<String> = raw
                .split(|b| *b == 0)
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            auth = Some((parts.get(1)?.clone(), parts.get(2)?.clone(), tls));
            "235 2.7.0 authenticated\r\n".into()
        } else if upper.starts_with("AUTH LOGIN") {
            let mut ask = async |prompt: &[u8]| -> Option<String> {
                io.get_mut().write_all(prompt).await.ok()?;
                let mut l = String::new();
                io.read_line(&mut l).await.ok()?;
                String::from_utf8(B64.decode(l.trim()).ok()?).ok()
            };
            let user = ask(b"334 VXNlcm5hbWU6\r\n").await?;
            let pass = ask(b"334 UGFzc3dvcmQ6\r\n").await?;
            auth = Some((user, pass, tls));
            "235 2.7.0 authenticated\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            cur.from = cmd[10..].trim().to_owned();
            "250 ok\r\n".into()
        } else if upper.starts_with("RCPT TO:") {
            cur.to.push(cmd[8..].trim().to_owned());
            "250 ok\r\n".into()
        } else if upper == "DATA" {
            io.get_mut().write_all(b"354 end with .\r\n").await.ok()?;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if io.read_line(&mut l).await.ok()? == 0 {
                    return None;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(
                    l.strip_prefix('.')
                        .filter(|_| l.starts_with(".."))
                        .unwrap_or(&l),
                );
            }
            cur.data = data;
            cur.auth = auth.clone();
            rec.lock().unwrap().push(cur.clone());
            cur = Received {
                tls,
                ..Received::default()
            };
            "250 queued\r\n".into()
        } else if upper == "RSET" {
            cur = Received {
                tls,
                ..Received::default()
            };
            "250 ok\r\n".into()
        } else if upper == "NOOP" {
            "250 ok\r\n".into()
        } else if upper == "QUIT" {
            io.get_mut().write_all(b"221 bye\r\n").await.ok()?;
            return None;
        } else {
            "502 not implemented\r\n".into()
        };
        io.get_mut().write_all(reply.as_bytes()).await.ok()?;
    }
}

/// Decode a received message's `Subject` (RFC 2047 words) and body (by its transfer encoding).
pub fn decode(data: &str) -> (String, String) {
    let (head, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    // Unfold header lines.
    let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let subject = header("Subject")
        .split(' ')
        .map(decode_word)
        .collect::<Vec<_>>()
        .join("");
    let cte = header("Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match cte.as_str() {
        "base64" => String::from_utf8(B64.decode(body.replace("\r\n", "")).unwrap()).unwrap(),
        "quoted-printable" => quoted_printable(body),
        _ => body.to_owned(),
    };
    (subject, body.replace("\r\n", "\n"))
}

fn decode_word(w: &str) -> String {
    let Some(inner) = w.strip_prefix("=?").and_then(|x| x.strip_suffix("?=")) else {
        return w.to_owned();
    };
    let mut parts = inner.splitn(3, '?');
    let (_charset, enc, text) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    if enc.eq_ignore_ascii_case("b") {
        String::from_utf8(B64.decode(text).unwrap()).unwrap()
    } else {
        quoted_printable(&text.replace('_', " "))
    }
}

fn quoted_printable(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
