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
    /// The database's disk is full: nothing of the failed write was stored.
    #[error("the database disk is full: {0}")]
    DiskFull(String),
    /// The database did not answer, or cannot work now (down, restarting, out of resources,
    /// an I/O error); the detail is logged, never shown to clients.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Any other driver error; logged, never shown to clients.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl StoreError {
    pub(crate) fn connect(error: sqlx::Error) -> Self {
        StoreError::Connect(error.to_string())
    }
}

impl StoreError {
    /// True when the database, not the request, is at fault and a retry may succeed.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::DiskFull(_))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => return StoreError::Unavailable(error.to_string()),
            _ => {}
        }
        if let Some(db) = error.as_database_error() {
            let sqlite = db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            match classify(db.code().as_deref().unwrap_or_default(), sqlite) {
                Some(Fault::DiskFull) => return StoreError::DiskFull(db.message().to_string()),
                Some(Fault::Unavailable) => {
                    return StoreError::Unavailable(db.message().to_string())
                }
                None => {}
            }
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

enum Fault {
    DiskFull,
    Unavailable,
}

/// Error codes that mean "the database cannot work now", not "the request is wrong".
/// SQLite reports (extended) result codes as numbers, PostgreSQL SQLSTATEs as five characters.
fn classify(code: &str, sqlite: bool) -> Option<Fault> {
    if sqlite {
        return match code.parse::<i32>().unwrap_or_default() & 0xff {
            13 => Some(Fault::DiskFull),             // SQLITE_FULL
            10 | 14 | 7 => Some(Fault::Unavailable), // SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_NOMEM
            5 | 6 => Some(Fault::Unavailable),       // SQLITE_BUSY, SQLITE_LOCKED past busy_timeout
            _ => None,
        };
    }
    match code {
        "53100" => Some(Fault::DiskFull),
        // insufficient resources, operator intervention (shutdown, recovery), connection
        // exceptions, a read-only standby
        c if c.starts_with("53") || c.starts_with("57P") || c.starts_with("08") => {
            Some(Fault::Unavailable)
        }
        "25006" => Some(Fault::Unavailable),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_of_the_database_are_told_apart_from_bad_requests() {
        assert!(matches!(classify("13", true), Some(Fault::DiskFull)));
        assert!(matches!(classify("778", true), Some(Fault::Unavailable))); // SQLITE_IOERR_WRITE
        assert!(classify("2067", true).is_none()); // SQLITE_CONSTRAINT_UNIQUE
        assert!(classify("", true).is_none());
        assert!(matches!(classify("53100", false), Some(Fault::DiskFull)));
        assert!(matches!(classify("57P01", false), Some(Fault::Unavailable))); // admin shutdown
        assert!(matches!(classify("08006", false), Some(Fault::Unavailable)));
        assert!(classify("23505", false).is_none()); // unique_violation
        assert!(classify("13", false).is_none());
        assert!(StoreError::from(sqlx::Error::PoolTimedOut).is_unavailable());
    }
}
