//! Transactions whose outcome is never in doubt.
//!
//! sqlx keeps its own count of how deep a connection is in transactions and trusts that count
//! after errors. SQLite rolls a transaction back by itself after some errors (a full disk, an
//! I/O error), so the count and the connection can disagree: the next `begin` then becomes a
//! SAVEPOINT inside a transaction that never commits, and every later "commit" only releases
//! it. Success is reported and nothing is stored. So the store issues BEGIN, COMMIT and
//! ROLLBACK itself, never nests, and closes any connection whose state an error left unknown
//! instead of handing it to the next request.

use std::ops::{Deref, DerefMut};

use sqlx::{pool::PoolConnection, Any, AnyConnection, AnyPool, Executor};

use super::StoreError;

/// An open transaction on a pooled connection. Commit it; dropping it rolls back before the
/// connection goes back to the pool.
pub struct Tx {
    conn: Option<PoolConnection<Any>>,
    /// A COMMIT was sent and its answer not yet seen (the caller's future may be cancelled).
    committing: bool,
}

impl Tx {
    /// Takes a connection from `pool` (waiting at most the pool's acquire timeout) and runs
    /// `begin`, which must open a transaction (`BEGIN`, `BEGIN IMMEDIATE`, …).
    pub(super) async fn begin(pool: &AnyPool, begin: &'static str) -> Result<Tx, StoreError> {
        let mut conn = pool.acquire().await?;
        if let Err(error) = conn.execute(begin).await {
            // Whether a transaction was opened is unknown: this connection is not reused.
            conn.close_on_drop();
            return Err(error.into());
        }
        Ok(Tx { conn: Some(conn), committing: false })
    }

    /// Commits. An error means nothing of this transaction is visible, or (a lost connection
    /// on PostgreSQL) that the outcome is unknown; either way the connection is closed.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.committing = true;
        let result = self.connection().execute("COMMIT").await;
        let mut conn = self.conn.take().expect("an open transaction owns its connection");
        match result {
            Ok(_) => Ok(()),
            Err(error) => {
                conn.close_on_drop();
                Err(error.into())
            }
        }
    }

    /// Rolls back now and reports whether the database confirmed it.
    pub async fn rollback(mut self) -> Result<(), StoreError> {
        let mut conn = self.conn.take().expect("an open transaction owns its connection");
        rollback_or_close(&mut conn).await
    }

    fn connection(&mut self) -> &mut PoolConnection<Any> {
        self.conn.as_mut().expect("an open transaction owns its connection")
    }
}

/// ROLLBACK; a connection that cannot confirm it is closed rather than reused.
async fn rollback_or_close(conn: &mut PoolConnection<Any>) -> Result<(), StoreError> {
    match conn.execute("ROLLBACK").await {
        Ok(_) => Ok(()),
        Err(error) => {
            conn.close_on_drop();
            Err(error.into())
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        if self.committing {
            // Cancelled while COMMIT was under way: its outcome is unknown here.
            conn.close_on_drop();
            return;
        }
        // The connection stays out of the pool until the rollback has been answered, so the
        // next request cannot see it mid-transaction.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(error) = rollback_or_close(&mut conn).await {
                        tracing::warn!(%error, "rollback failed; the connection was closed");
                    }
                });
            }
            Err(_) => conn.close_on_drop(),
        }
    }
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect("an open transaction owns its connection")
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.connection()
    }
}
