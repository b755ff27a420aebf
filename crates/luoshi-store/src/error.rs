use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// A write carried a stale version: someone else changed the record first.
    #[error(
        "{entity} was changed by someone else; reload it (your version {expected}, current {current})"
    )]
    Conflict {
        entity: &'static str,
        expected: i64,
        current: i64,
    },
    #[error("a record with the same {what} already exists")]
    Duplicate { what: String },
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("unsupported database URL: {0}")]
    BadUrl(String),
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error() {
            if db.is_unique_violation() {
                let what = db
                    .constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| db.message().to_owned());
                return Self::Duplicate { what };
            }
            if db.is_foreign_key_violation() {
                return Self::MissingReference(db.constraint().unwrap_or("foreign key").to_owned());
            }
        }
        Self::Database(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Migrate(e)
    }
}
