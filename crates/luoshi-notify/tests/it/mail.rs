//! E-mail through lettre to the test SMTP server: STARTTLS before AUTH, implicit TLS, and a
//! plain local relay.

use crate::smtp_server::{CA_PEM, SmtpServer, decode};
use luoshi_notify::{Mailer, Secret, SmtpConfig, TlsMode};

fn config(port: u16, tls: Option<TlsMode>, user: bool) -> SmtpConfig {
    let url = if user {
        format!("smtp://robot%40example.org@localhost:{port}")
    } else {
        format!("smtp://localhost:{port}")
    };
    let mut c = SmtpConfig::from_url(
        &url,
        user.then(|| Secret::new("s3cret-密码")),
        "督查室 <duban@example.org>",
        tls,
    )
    .unwrap();
    c.extra_root_pem = Some(CA_PEM.to_vec());
    c
}

#[tokio::test]
async fn starttls_then_auth_then_one_message_in_chinese() {
    let server = SmtpServer::start(false).await;
    let mailer = Mailer::new(&config(server.port, None, true)).unwrap();
    mailer
        .send(
            "王某 <wang@example.org>",
            "逾期催办：建成文化广场",
            "任务已逾期 1 天，请尽快报送进展。\n\n请登录落实系统查看：/tasks/1\n",
        )
        .await
        .unwrap();
    let got = server.messages();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(
        m.auth,
        Some(("robot@example.org".into(), "s3cret-密码".into(), true)),
        "AUTH happened, and only after STARTTLS"
    );
    assert!(m.tls);
    assert_eq!(m.from, "<duban@example.org>");
    assert_eq!(m.to, vec!["<wang@example.org>".to_owned()]);
    let (subject, body) = decode(&m.data);
    assert_eq!(subject, "逾期催办：建成文化广场");
    assert_eq!(
        body,
        "任务已逾期 1 天，请尽快报送进展。\n\n请登录落实系统查看：/tasks/1\n"
    );
}

#[tokio::test]
async fn implicit_tls_and_a_plain_local_relay() {
    let tls = SmtpServer::start(true).await;
    Mailer::new(&config(tls.port, Some(TlsMode::Tls), true))
        .unwrap()
        .send("a@example.org", "主题", "正文")
        .await
        .unwrap();
    let got = tls.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].auth.as_ref().map(|a| a.2), Some(true));
    assert_eq!(decode(&got[0].data), ("主题".to_owned(), "正文".to_owned()));

    let relay = SmtpServer::start(false).await;
    Mailer::new(&config(relay.port, Some(TlsMode::None), false))
        .unwrap()
        .send("b@example.org", "主题", "正文")
        .await
        .unwrap();
    let got = relay.messages();
    assert_eq!(
        (got.len(), got[0].tls, got[0].auth.clone()),
        (1, false, None)
    );
}

#[tokio::test]
async fn a_server_with_an_untrusted_certificate_is_refused() {
    let server = SmtpServer::start(false).await;
    let mut c = config(server.port, None, true);
    c.extra_root_pem = None;
    let e = Mailer::new(&c)
        .unwrap()
        .send("a@example.org", "主题", "正文")
        .await
        .unwrap_err();
    assert!(!e.permanent, "{e:?}");
    assert!(server.messages().is_empty());
    assert!(!e.message.contains("s3cret"), "{}", e.message);
}
