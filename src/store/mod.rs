//! The repository over sqlx: the only module with SQL.
//!
//! One set of queries serves SQLite and PostgreSQL through `sqlx::Any` (see
//! `migrations/README.md` for the column conventions that make that possible). Reads use a
//! pool; writes go through [`Store::begin`] so that every write is one transaction owned by the
//! service. On SQLite, writes share a single connection, which serialises writers without
//! "database is locked" failures while readers proceed under WAL.

pub mod changes;
mod clock;
pub mod dump;
mod error;
pub mod flags;
pub mod integrity;
pub mod namespaces;
pub mod rollouts;
pub mod rules;
pub mod segments;
pub mod snapshot;
pub mod snapshots;
mod sql;

use std::{path::Path, time::Duration};

use sqlx::{
    any::AnyPoolOptions, migrate::Migrator, Any, AnyConnection, AnyPool, Connection, Executor,
    Transaction,
};

pub use clock::{format_timestamp, now_nanos};
pub use error::StoreError;

use crate::config::DatabaseSettings;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("src/store/migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("src/store/migrations/postgres");

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A write transaction; commit it or drop it to roll back.
pub type Tx = Transaction<'static, Any>;

/// Connection pools for reads and writes.
#[derive(Clone, Debug)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
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
            let pool = pool_options(settings.max_connections, Backend::Postgres)
                .connect(url.expose())
                .await
                .map_err(StoreError::connect)?;
            return Ok(Store { read: pool.clone(), write: pool, backend: Backend::Postgres });
        }
        let raw = probe_url;
        let write =
            pool_options(1, Backend::Sqlite).connect(&raw).await.map_err(StoreError::connect)?;
        // WAL lets readers run while the single writer commits; it is stored in the file.
        write.execute("PRAGMA journal_mode = WAL").await.map_err(StoreError::connect)?;
        let read = pool_options(settings.max_connections, Backend::Sqlite)
            .connect(&raw)
            .await
            .map_err(StoreError::connect)?;
        Ok(Store { read, write, backend: Backend::Sqlite })
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

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.write.begin().await?)
    }

    /// Closes every connection; used on shutdown so SQLite checkpoints its WAL.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn pool_options(max_connections: u32, backend: Backend) -> AnyPoolOptions {
    let options = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10));
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
