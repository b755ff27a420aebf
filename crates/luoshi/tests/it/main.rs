//! End-to-end tests of the `luoshi` binary and its HTTP API. API bodies run on SQLite and
//! PostgreSQL (see `luoshi_testkit`).

// Test helpers outside #[test] functions fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod api;
mod authz;
mod browser;
mod cli;
mod drafts;
mod html;
mod lists;
mod projects;
mod support;
mod webdriver;
