//! App integration tests over a real database; every body runs on SQLite and PostgreSQL.

// Test helpers outside #[test] functions fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod assess;
mod bulletins;
mod petition_sweep;
mod petition_world;
mod petitions;
mod support;
