//! End-to-end tests of the `luoshi` binary and its HTTP API. API bodies run on SQLite and
//! PostgreSQL (see `luoshi_testkit`).

// Test helpers outside #[test] functions fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod api;
mod assessment_pages;
mod assessment_schemes;
mod authz;
mod browser;
mod bulletin_pages;
mod channels_api;
mod cli;
mod drafts;
mod html;
mod import;
mod import_page;
mod lists;
mod notices;
mod notify_pages;
mod petition_browser;
mod petition_pages;
mod petition_world;
mod petitions_api;
mod policy_api;
mod policy_page;
mod project_import;
mod project_pages;
mod projects;
mod supervision_pages;
mod support;
mod sweep;
mod sweep_items;
mod webdriver;
mod workbench_actions;
