//! Store integration tests; every body runs on SQLite and PostgreSQL.

mod fixtures;
mod indicators;
mod schema;
mod tasks;
mod units;
