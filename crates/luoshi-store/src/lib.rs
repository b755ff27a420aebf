//! Storage for luoshi on SQLite (the default, one file in WAL mode) and PostgreSQL, chosen by
//! URL. This is the only crate that names sqlx. It takes and returns `luoshi_domain` types.
//!
//! ```ignore
//! let db = luoshi_store::Db::connect("sqlite://data/luoshi.db").await?; // migrates
//! let mut tx = db.begin().await?;
//! luoshi_store::units::insert(&mut tx, &audit, &unit).await?; // writes an audit row too
//! tx.commit().await?;
//! ```
//!
//! Both backends run the same SQL text (`$1` placeholders work on both); values travel as
//! [`Arg`]s and rows are read through the object-safe [`Get`] trait, so each query is written
//! once. Every write goes through a [`Tx`]; every change appends an [`audit`] row in the same
//! transaction, which also bumps the region's data version used to key caches.

mod bulk;
mod bulk_write;
mod db;
mod error;
mod row;

pub mod assessment;
pub mod attachments;
pub mod audit;
pub mod bulletins;
pub mod indicators;
pub mod petitions;
pub mod plans;
pub mod progress;
pub mod projects;
pub mod regions;
pub mod supervision;
pub mod tasks;
pub mod units;
pub mod users;

pub use audit::AuditCtx;
pub use db::{Backend, Db, Tx};
pub use error::StoreError;
pub use row::{Arg, Get};

/// Page through a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}
