//! Connections, migrations and the two-backend query primitives.

use crate::StoreError;
use crate::row::{Arg, Get};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Database, Encode, Type};
use std::str::FromStr;
use std::time::Duration;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool. SQLite gets a pool of readers and a single writer, so write transactions
/// queue in-process instead of failing with `SQLITE_BUSY`; PostgreSQL shares one pool.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// The most parameters one statement with numbered marks (`$1`, `$2`, …) binds (lists of ids in
/// `IN (…)`). sqlx looks each numbered parameter's name up on SQLite, and SQLite finds a name by
/// walking the statement's list of names, so binding costs grow with the square of the count.
/// About a hundred keep it cheap; many-row inserts bind one document instead (`Tx::insert_many`).
pub(crate) const MAX_PARAMS: usize = 128;

/// Rows per statement of a multi-row insert ([`Tx::insert_many`]). On SQLite the rows travel as
/// one JSON document (see `bulk_write`); PostgreSQL binds numbered parameters, at most 1,024.
const BULK_ROWS_SQLITE: usize = 4096;
const BULK_PARAMS_POSTGRES: usize = 1024;

/// A write transaction. Dropping it without [`Tx::commit`] rolls it back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Tx::Sqlite(_) => "Tx(sqlite)",
            Tx::Postgres(_) => "Tx(postgres)",
        })
    }
}

impl Db {
    /// Connect by URL (`sqlite://path`, `sqlite::memory:`, `postgres://…`) and apply migrations.
    /// On PostgreSQL the migrator holds an advisory lock, so app servers may start together.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let db = Self::connect_without_migrating(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn connect_without_migrating(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Small private page caches: the operating system's file cache is shared by all.
                .pragma("cache_size", "-4000")
                // Statistics are refreshed on close, but from a sample (SQLite's suggested limit):
                // an unlimited analysis after a province's first sweep read gigabytes for 1.3 s.
                .optimize_on_close(true, Some(400));
            if url.contains(":memory:") || url.contains("mode=memory") {
                // Each in-memory connection would be a separate database: share one.
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts)
                    .await?;
                return Ok(Db::Sqlite {
                    read: pool.clone(),
                    write: pool,
                });
            }
            // The one writer gets a larger cache: a big transaction (a province's first sweep)
            // otherwise spills its dirty index pages to the log again and again.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(
                    opts.clone()
                        .pragma("cache_size", "-65536")
                        // A multi-row insert keeps its statement journal in memory.
                        .pragma("temp_store", "memory")
                        // Checkpoint every 64 MiB of log rather than 4: pages that consecutive
                        // transactions rewrite (index interiors) are copied back less often.
                        .pragma("wal_autocheckpoint", "16384"),
                )
                .await?;
            let readers = std::thread::available_parallelism()
                .map_or(4, |n| n.get() * 2)
                .max(4) as u32;
            // Readers leave the statistics to the writer: each would otherwise repeat the work.
            let read = SqlitePoolOptions::new()
                .max_connections(readers)
                .connect_with(opts.optimize_on_close(false, None))
                .await?;
            Ok(Db::Sqlite { read, write })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(StoreError::BadUrl("expected sqlite:… or postgres:…".into()))
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Apply the migrations up to and including `version` only (a test of a migration's data
    /// step prepares the schema it starts from).
    pub async fn migrate_to(&self, version: i64) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { write, .. } => {
                sqlx::migrate!("./migrations/sqlite")
                    .run_to(version, write)
                    .await?
            }
            Db::Postgres(p) => {
                sqlx::migrate!("./migrations/postgres")
                    .run_to(version, p)
                    .await?
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begin a write transaction (`BEGIN IMMEDIATE` on SQLite, so it never upgrades late).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Run a read query and map each row.
    pub async fn fetch<T>(
        &self,
        sql: &str,
        args: Vec<Arg>,
        f: impl Fn(&dyn Get) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        // Rows are mapped as they stream in, so a large result never holds all its raw rows at once.
        let mut out = Vec::new();
        match self {
            Db::Sqlite { read, .. } => {
                let mut rows = bind(sqlx::query(AssertSqlSafe(sql.to_owned())), args).fetch(read);
                while let Some(r) = rows.try_next().await? {
                    out.push(f(&r)?);
                }
            }
            Db::Postgres(p) => {
                let mut rows = bind(sqlx::query(AssertSqlSafe(sql.to_owned())), args).fetch(p);
                while let Some(r) = rows.try_next().await? {
                    out.push(f(&r)?);
                }
            }
        }
        Ok(out)
    }

    /// Like [`Db::fetch`], for a region-wide read of many rows: on SQLite the rows arrive folded
    /// into one JSON document (see [`crate::bulk`]). `f` may read the result columns named in
    /// `ids` (ids: 16-byte blobs on SQLite) and in `values` (everything else), and no others.
    /// The rows come in no particular order.
    pub async fn fetch_bulk<T>(
        &self,
        sql: &str,
        args: Vec<Arg>,
        (ids, values): (&[&str], &[&str]),
        f: impl Fn(&dyn Get) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Db::Sqlite { read, .. } => {
                let wrapped = crate::bulk::wrap(sql, ids, values);
                let names: Vec<&str> = ids.iter().chain(values).copied().collect();
                let row = bind(sqlx::query(AssertSqlSafe(wrapped)), args)
                    .fetch_one(read)
                    .await?;
                let doc: Option<String> = sqlx::Row::try_get(&row, 0)?;
                crate::bulk::decode(doc.as_deref().unwrap_or("[]"), &names, f)
            }
            Db::Postgres(_) => self.fetch(sql, args, f).await,
        }
    }

    pub async fn fetch_optional<T>(
        &self,
        sql: &str,
        args: Vec<Arg>,
        f: impl Fn(&dyn Get) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.fetch(sql, args, f).await?.into_iter().next())
    }

    /// Refresh the query planner's statistics (after bulk loads).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { write, .. } => {
                sqlx::query("ANALYZE").execute(write).await?;
            }
            Db::Postgres(p) => {
                sqlx::query("ANALYZE").execute(p).await?;
            }
        }
        Ok(())
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.fetch("SELECT 1 AS one", vec![], |r| r.i32("one"))
            .await
            .map(|_| ())
    }

    /// Close all connections (checkpoints the SQLite WAL).
    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Write a consistent copy of a live SQLite database to `path` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, path: &str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { write, .. } => {
                sqlx::query("VACUUM INTO $1")
                    .bind(path.to_owned())
                    .execute(write)
                    .await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::BadUrl(
                "backup copies SQLite databases; use pg_dump for PostgreSQL".into(),
            )),
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Insert many rows, a chunk of rows per statement. `head` is `INSERT INTO t (a, b, …)`, every
    /// row has the same number of values, of the same kinds, and `tail` follows the rows (e.g.
    /// `ON CONFLICT DO NOTHING`). Returns the rows inserted (or updated, for an upsert).
    ///
    /// PostgreSQL gets multi-row `VALUES` lists; SQLite gets the rows as one JSON document per
    /// statement (see `bulk_write`), which binds one parameter instead of thousands.
    pub async fn insert_many(
        &mut self,
        head: &str,
        rows: Vec<Vec<Arg>>,
        tail: &str,
    ) -> Result<u64, StoreError> {
        let Some(first) = rows.first() else {
            return Ok(0);
        };
        let mut n = 0;
        if self.backend() == Backend::Sqlite {
            let sql = crate::bulk_write::statement(head, first, tail);
            for chunk in rows.chunks(BULK_ROWS_SQLITE) {
                let doc = crate::bulk_write::document(chunk)?;
                n += self.execute(&sql, vec![Arg::Text(Some(doc))]).await?;
            }
            return Ok(n);
        }
        let width = first.len().max(1);
        let per_statement = (BULK_PARAMS_POSTGRES / width).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut sql = format!("{head} VALUES ");
            let mut a: Vec<Arg> = Vec::with_capacity(per_statement * width);
            for (i, row) in rows.by_ref().take(per_statement).enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let marks: Vec<String> = (1..=row.len())
                    .map(|k| format!("${}", a.len() + k))
                    .collect();
                sql.push('(');
                sql.push_str(&marks.join(", "));
                sql.push(')');
                a.extend(row);
            }
            sql.push(' ');
            sql.push_str(tail);
            n += self.execute(&sql, a).await?;
        }
        Ok(n)
    }

    /// Execute a statement; returns the number of rows affected.
    pub async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> Result<u64, StoreError> {
        Ok(match self {
            Tx::Sqlite(t) => bind(sqlx::query(AssertSqlSafe(sql.to_owned())), args)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            Tx::Postgres(t) => bind(sqlx::query(AssertSqlSafe(sql.to_owned())), args)
                .execute(&mut **t)
                .await?
                .rows_affected(),
        })
    }

    pub async fn fetch<T>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        f: impl Fn(&dyn Get) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Tx::Sqlite(t) => {
                let rows = bind(sqlx::query(AssertSqlSafe(sql.to_owned())), args)
                    .fetch_all(&mut **t)
                    .await?;
                rows.iter().map(|r| f(r)).collect()
            }
            Tx::Postgres(t) => {
                let rows = bind(sqlx::query(AssertSqlSafe(sql.to_owned())), args)
                    .fetch_all(&mut **t)
                    .await?;
                rows.iter().map(|r| f(r)).collect()
            }
        }
    }

    pub async fn fetch_optional<T>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        f: impl Fn(&dyn Get) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.fetch(sql, args, f).await?.into_iter().next())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}

fn bind<'q, DB>(
    mut q: sqlx::query::Query<'q, DB, <DB as Database>::Arguments>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, DB, <DB as Database>::Arguments>
where
    DB: Database,
    Option<uuid::Uuid>: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    i32: Encode<'q, DB> + Type<DB>,
    Option<time::Date>: Encode<'q, DB> + Type<DB>,
    time::OffsetDateTime: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    Option<sqlx::types::Json<serde_json::Value>>: Encode<'q, DB> + Type<DB>,
    Vec<u8>: Encode<'q, DB> + Type<DB>,
{
    for a in args {
        q = match a {
            Arg::Uuid(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
            Arg::I64(v) => q.bind(v),
            Arg::I32(v) => q.bind(v),
            Arg::Date(v) => q.bind(v),
            Arg::Ts(v) => q.bind(v),
            Arg::Bool(v) => q.bind(v),
            Arg::Json(v) => q.bind(v.map(sqlx::types::Json)),
            Arg::Bytes(v) => q.bind(v),
        };
    }
    q
}
