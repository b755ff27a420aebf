//! Store integration tests; every body runs on SQLite and PostgreSQL.

// Test helpers outside #[test] functions fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod assessment;
mod bulk;
mod bulk_write;
mod bulletins;
mod fixtures;
mod indicators;
mod notify;
mod petitions;
mod policy;
mod projects;
mod schema;
mod supervision;
mod tasks;
mod units;
