//! Freshness across processes sharing a database. Every commit publishes `namespace:version`
//! on PostgreSQL's `vexil_changes` channel (inside the transaction, so only committed writes are
//! announced); each replica listens and invalidates. Notifications can be lost (a dropped
//! connection, a restart), so every replica also polls all data versions on a fixed interval:
//! the staleness bound is that interval plus one rebuild.

use std::{sync::Arc, time::Duration};

use sqlx::postgres::PgListener;

use super::Cache;
use crate::{
    auth::registry::Registry,
    store::{access::ACCESS_PAYLOAD_PREFIX, Store},
};

/// The PostgreSQL channel carrying `namespace:version` (`namespace:-1` when deleted).
pub const CHANNEL: &str = "vexil_changes";

/// Starts the poller, and on PostgreSQL the listener; both run until the process ends.
pub fn spawn(
    cache: Arc<Cache>,
    access: Arc<Registry>,
    store: Store,
    postgres_url: Option<String>,
    interval: Duration,
) {
    tokio::spawn(poll(cache.clone(), access.clone(), store, interval));
    if let Some(url) = postgres_url {
        tokio::spawn(listen(cache, access, url));
    }
}

async fn poll(cache: Arc<Cache>, access: Arc<Registry>, store: Store, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match store.observed(store.namespace_versions().await) {
            Ok(versions) => cache.reconcile(&versions),
            Err(error) => tracing::warn!(%error, "cache poll: cannot read namespace versions"),
        }
        // Revocations, expiries and sign-outs on other replicas (bounded by this interval).
        if let Err(error) = access.refresh().await {
            tracing::warn!(%error, "access poll: cannot read the access version");
        }
    }
}

async fn listen(cache: Arc<Cache>, access: Arc<Registry>, url: String) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match subscribe(&url).await {
            Ok(mut listener) => {
                backoff = Duration::from_millis(100);
                loop {
                    match listener.recv().await {
                        Ok(notification) => apply(&cache, &access, notification.payload()),
                        Err(error) => {
                            tracing::warn!(%error, "cache listener disconnected; the poll covers the gap");
                            break;
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cache listener cannot connect; retrying"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

async fn subscribe(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Applies one `namespace:version` (or `@access:version`) message.
pub fn apply(cache: &Cache, access: &Registry, payload: &str) {
    if let Some(version) = payload.strip_prefix(ACCESS_PAYLOAD_PREFIX) {
        match version.parse::<i64>() {
            Ok(version) => access.observe(version),
            Err(_) => tracing::warn!(payload, "access listener: unreadable notification"),
        }
        return;
    }
    match payload.rsplit_once(':').map(|(ns, v)| (ns, v.parse::<i64>())) {
        Some((namespace, Ok(-1))) => cache.forget(namespace),
        Some((namespace, Ok(version))) => cache.invalidate(namespace, version),
        _ => tracing::warn!(payload, "cache listener: unreadable notification"),
    }
}
