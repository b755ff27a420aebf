//! Test support (dev-dependency only): a fresh database per test on SQLite or PostgreSQL, and
//! [`db_test!`], which runs one test body on both backends.
//!
//! PostgreSQL tests use the server named by `LUOSHI_TEST_DATABASE_URL` (an admin URL such as
//! `postgres://postgres:pw@127.0.0.1:5432/postgres`); each test creates its own database. When the
//! variable is missing the PostgreSQL half is skipped, except under `CI=true`, where it fails.

mod seed;
pub use seed::find_seed_speech;

use luoshi_store::Db;
use std::path::PathBuf;

/// A database created for one test.
#[derive(Debug)]
pub struct TestDb {
    pub db: Db,
    pub url: String,
    file: Option<PathBuf>,
}

impl TestDb {
    /// A new SQLite database in a temporary file, migrated.
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join("luoshi-tests");
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let file = dir.join(format!("{}.db", uuid::Uuid::new_v4().simple()));
        let url = format!("sqlite://{}", file.display());
        let db = Db::connect(&url).await.expect("connect sqlite");
        TestDb {
            db,
            url,
            file: Some(file),
        }
    }

    /// Another new database on the same backend, empty: no migration applied.
    pub async fn empty_like(&self) -> TestDb {
        let (url, file) = match &self.file {
            Some(_) => {
                let dir = std::env::temp_dir().join("luoshi-tests");
                let file = dir.join(format!("{}.db", uuid::Uuid::new_v4().simple()));
                (format!("sqlite://{}", file.display()), Some(file))
            }
            None => (
                postgres_url().expect("a PostgreSQL test already runs"),
                None,
            ),
        };
        let db = Db::connect_without_migrating(&url)
            .await
            .expect("connect to an empty test database");
        TestDb { db, url, file }
    }

    /// A new PostgreSQL database, migrated; `None` (skip) when no server is configured outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let url = postgres_url()?;
        let db = Db::connect(&url)
            .await
            .expect("connect postgres test database");
        Some(TestDb {
            db,
            url,
            file: None,
        })
    }
}

/// Create a fresh, empty PostgreSQL database and return its URL (`None` when not configured).
pub fn postgres_url() -> Option<String> {
    let admin = match std::env::var("LUOSHI_TEST_DATABASE_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "CI=true but LUOSHI_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI"
                );
            }
            eprintln!(
                "note: LUOSHI_TEST_DATABASE_URL not set; skipping the PostgreSQL half of this test"
            );
            return None;
        }
    };
    let name = format!("luoshi_test_{}", uuid::Uuid::new_v4().simple());
    // Use a separate runtime thread so this works from sync and async callers alike.
    let admin2 = admin.clone();
    let name2 = name.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&admin2)
                .await
                .expect("connect to LUOSHI_TEST_DATABASE_URL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name2}")))
                .execute(&mut c)
                .await
                .expect("create test database");
        })
    })
    .join()
    .expect("create database thread");
    Some(with_database(&admin, &name))
}

/// Replace the database name in a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

/// Run a test body against SQLite and PostgreSQL: `db_test!(name, |t| { ... t.db ... });`
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$t:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)] // each body uses a different part of the parent's imports
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let $t = $crate::TestDb::sqlite().await;
                $body
            }
            #[tokio::test]
            async fn postgres() {
                let Some($t) = $crate::TestDb::postgres().await else {
                    return;
                };
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_names() {
        assert_eq!(
            super::with_database("postgres://u:p@h:5432/postgres", "x"),
            "postgres://u:p@h:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://h/postgres?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
    }
}
