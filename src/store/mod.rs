//! The repository over sqlx: the only module with SQL.
//!
//! One set of queries serves SQLite and PostgreSQL through `sqlx::Any` (see
//! `migrations/README.md` for the column conventions that make that possible). Reads use a
//! pool; writes go through [`Store::begin`] so that every write is one transaction owned by the
//! service ([`Tx`] explains why the store, not sqlx, runs BEGIN and COMMIT). On SQLite, writes
//! share a single connection, which serialises writers without "database is locked" failures
//! while readers proceed under WAL. Waiting for a connection is bounded
//! (`database_acquire_timeout_ms`), so an unreachable database fails requests fast.

pub mod access;
pub mod changes;
mod clock;
pub mod dump;
mod error;
pub mod flags;
mod health;
pub mod integrity;
pub mod namespaces;
pub mod rollouts;
pub mod rules;
pub mod segments;
pub mod snapshot;
pub mod snapshots;
mod sql;
mod tx;

use std::{path::Path, sync::Arc};

use sqlx::{any::AnyPoolOptions, migrate::Migrator, AnyConnection, AnyPool, Connection, Executor};

pub use clock::{format_timestamp, now_nanos};
pub use error::StoreError;
pub use health::Health;
pub use tx::Tx;

use crate::config::DatabaseSettings;

/// How long a health probe waits while the database is known to be down.
const DOWN_PROBE: std::time::Duration = std::time::Duration::from_millis(500);

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("src/store/migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("src/store/migrations/postgres");

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Connection pools for reads and writes.
#[derive(Clone, Debug)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    health: Arc<Health>,
}

impl Store {
    /// Opens the pools. Creates the default `./data` directory only for the default URL.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let url = &settings.url;
        // One direct connection first: it fails fast with the real cause (refused, unknown
        // host, bad password) where a pool would retry until its timeout and say only that.
        let probe_url =
            if url.is_postgres() { url.expose().to_string() } else { sqlite_url(url.expose()) };
        if url.is_default() {
            std::fs::create_dir_all("data").map_err(|e| StoreError::Connect(e.to_string()))?;
        }
        AnyConnection::connect(&probe_url).await.map_err(StoreError::connect)?.close().await.ok();
        if url.is_postgres() {
            let pool = pool_options(settings, settings.max_connections, Backend::Postgres)
                .connect(url.expose())
                .await
                .map_err(StoreError::connect)?;
            return Ok(Store {
                read: pool.clone(),
                write: pool,
                backend: Backend::Postgres,
                health: Arc::default(),
            });
        }
        let raw = probe_url;
        let write = pool_options(settings, 1, Backend::Sqlite)
            .connect(&raw)
            .await
            .map_err(StoreError::connect)?;
        // WAL lets readers run while the single writer commits; it is stored in the file.
        write.execute("PRAGMA journal_mode = WAL").await.map_err(StoreError::connect)?;
        let read = pool_options(settings, settings.max_connections, Backend::Sqlite)
            .connect(&raw)
            .await
            .map_err(StoreError::connect)?;
        Ok(Store { read, write, backend: Backend::Sqlite, health: Arc::default() })
    }

    /// Applies the embedded migrations that this database has not seen yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.write).await.map_err(|e| StoreError::Migrate(e.to_string()))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads that need no transaction.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// The write pool itself, for tests that must break the database on purpose.
    #[cfg(test)]
    pub fn writer(&self) -> &AnyPool {
        &self.write
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (IMMEDIATE), so a
    /// writer in another process makes it wait here rather than fail halfway.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        self.observed(Tx::begin(&self.write, begin).await)
    }

    /// Starts a read-only transaction on the read pool: every query in it sees one state.
    pub async fn read_tx(&self) -> Result<Tx, StoreError> {
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        self.observed(Tx::begin(&self.read, begin).await)
    }

    /// One round trip to the database (health checks), bounded by the acquire timeout even
    /// when a connection is had and the server behind it hangs. Once the database is known to
    /// be down the bound is short: the answer is expected, and a recovery should show at once.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let acquire = self.read.options().get_acquire_timeout();
        let bound = match self.health.down_for() {
            Some(_) => acquire.min(DOWN_PROBE),
            None => acquire,
        };
        let result =
            match tokio::time::timeout(bound, sqlx::query("SELECT 1").execute(&self.read)).await {
                Ok(answer) => answer.map(|_| ()).map_err(StoreError::from),
                Err(_) => Err(StoreError::Unavailable(format!("no answer within {bound:?}"))),
            };
        self.observed(result)
    }

    /// Whether the database answered its last request, and since when it has not.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Reports `result` to [`Health`] and hands it on.
    pub fn observed<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        self.health.observe(&result);
        result
    }

    /// Closes every connection; used on shutdown so SQLite checkpoints its WAL.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn pool_options(settings: &DatabaseSettings, size: u32, backend: Backend) -> AnyPoolOptions {
    let options =
        AnyPoolOptions::new().max_connections(size).acquire_timeout(settings.acquire_timeout);
    match backend {
        Backend::Postgres => options,
        Backend::Sqlite => options.after_connect(|conn, _meta| {
            Box::pin(async move {
                // Foreign keys are what make a cascade happen only on an explicit delete.
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 5000").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                Ok(())
            })
        }),
    }
}

/// Adds `mode=rwc` so SQLite creates the file, unless the URL already chose a mode.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The directory part of a `sqlite://` URL's path, if any (used by tools and tests).
pub fn sqlite_path(url: &str) -> Option<&Path> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(Path::new(rest.split('?').next().unwrap_or(rest)))
}

#[cfg(test)]
mod tests;
