//! Store errors: what the service needs to tell apart, with database text kept server-side.

/// A failed store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or opened.
    #[error("cannot open the database: {0}")]
    Connect(String),
    /// A migration failed or the database is newer than this binary.
    #[error("database migration failed: {0}")]
    Migrate(String),
    /// A unique key already exists.
    #[error("unique constraint violated")]
    Unique,
    /// A referenced row is missing, or a row is still referenced.
    #[error("foreign key constraint violated")]
    ForeignKey,
    /// A value the database cannot store as text (PostgreSQL refuses NUL characters).
    #[error("a text value contains a NUL character")]
    Unrepresentable,
    /// Any other driver error; logged, never shown to clients.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl StoreError {
    pub(crate) fn connect(error: sqlx::Error) -> Self {
        StoreError::Connect(error.to_string())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let Some(db) = error.as_database_error() {
            if db.is_unique_violation() {
                return StoreError::Unique;
            }
            // SQLite reports an ON DELETE RESTRICT violation as SQLITE_CONSTRAINT_TRIGGER (1811),
            // which sqlx does not classify as a foreign-key error.
            if db.is_foreign_key_violation() || db.code().as_deref() == Some("1811") {
                return StoreError::ForeignKey;
            }
            // PostgreSQL: "invalid byte sequence for encoding UTF8: 0x00" (a NUL in text).
            if db.code().as_deref() == Some("22021") {
                return StoreError::Unrepresentable;
            }
        }
        StoreError::Database(error)
    }
}
