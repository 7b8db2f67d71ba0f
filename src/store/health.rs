//! Whether the database answered its last request: the switch into and out of degraded mode.
//!
//! Every transaction start and every health or cache poll reports here, so the evaluation
//! cache knows, without asking the database, that asking would only wait out the acquire
//! timeout. Nothing here is authoritative data; it only steers where answers come from.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::StoreError;

/// The database's reachability as last observed.
#[derive(Debug, Default)]
pub struct Health {
    /// Milliseconds since the epoch when the database stopped answering; 0 while it answers.
    down_since_ms: AtomicU64,
}

impl Health {
    /// Records the outcome of a database round trip. Errors that are about the request (a
    /// unique key, a bad value) say the database is up.
    pub fn observe<T>(&self, result: &Result<T, StoreError>) {
        match result {
            Err(error) if error.is_unavailable() => {
                let now = now_ms().max(1);
                // Keep the first moment of an outage, not the latest failure.
                let _ = self.down_since_ms.compare_exchange(
                    0,
                    now,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                );
            }
            _ => self.down_since_ms.store(0, Ordering::Release),
        }
    }

    /// How long the database has been unreachable, or `None` while it answers.
    pub fn down_for(&self) -> Option<Duration> {
        match self.down_since_ms.load(Ordering::Acquire) {
            0 => None,
            since => Some(Duration::from_millis(now_ms().saturating_sub(since))),
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_starts_at_its_first_failure_and_ends_at_the_first_answer() {
        let health = Health::default();
        assert!(health.down_for().is_none());
        health.observe::<()>(&Err(StoreError::Unavailable("refused".into())));
        let first = health.down_since_ms.load(Ordering::Acquire);
        health.observe::<()>(&Err(StoreError::Unavailable("refused".into())));
        assert_eq!(health.down_since_ms.load(Ordering::Acquire), first);
        assert!(health.down_for().is_some());
        health.observe::<()>(&Err(StoreError::Unique));
        assert!(health.down_for().is_none(), "a refusal of the request is an answer");
        health.observe::<()>(&Err(StoreError::DiskFull("full".into())));
        assert!(health.down_for().is_some());
        health.observe(&Ok(()));
        assert!(health.down_for().is_none());
    }
}
