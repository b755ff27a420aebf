//! End-to-end tests of the `luoshi` binary and its HTTP API. API bodies run on SQLite and
//! PostgreSQL (see `luoshi_testkit`).

// Test helpers outside #[test] functions fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod api;
mod assessment_pages;
mod authz;
mod browser;
mod cli;
mod drafts;
mod html;
mod import;
mod import_page;
mod lists;
mod notices;
mod notify_pages;
mod projects;
mod supervision_pages;
mod support;
mod sweep;
mod webdriver;
