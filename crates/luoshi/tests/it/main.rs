//! End-to-end tests of the `luoshi` binary and its HTTP API. API bodies run on SQLite and
//! PostgreSQL (see `luoshi_testkit`).

mod api;
mod authz;
mod cli;
mod support;
