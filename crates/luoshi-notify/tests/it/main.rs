//! luoshi-notify integration tests: a real SMTP server and a real HTTP receiver started here,
//! and dispatchers on SQLite and PostgreSQL.

// Test helpers outside #[test] functions fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dispatch;
mod done_when;
mod mail;
mod receiver;
mod smtp_server;
mod world;
