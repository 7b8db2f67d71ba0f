//! The cache on real databases: versions, single-flight rebuilds, invalidation and polling.

use std::sync::{atomic::Ordering, Arc};

use serde_json::json;

use super::Cache;
use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(
    writes_invalidate_and_the_next_read_sees_them,
    a_burst_of_misses_rebuilds_once,
    a_slow_rebuild_never_reinstates_an_older_version,
    the_poll_drops_snapshots_that_differ_from_the_store,
);

async fn writes_invalidate_and_the_next_read_sees_them(db: &TestDb) {
    let api = Api::new(db);
    let cache = api.service.cache().clone();
    let first = cache.get("default").await.unwrap();
    assert!(first.flags.is_empty());
    assert!(
        Arc::ptr_eq(&first, &cache.get("default").await.unwrap()),
        "a hit returns the same snapshot"
    );
    api.create("/api/v1/flags", json!({"key": "f", "name": "F"})).await;
    let second = cache.get("default").await.unwrap();
    assert!(second.version > first.version);
    assert!(second.flags.contains_key("f"));
    assert_ne!(first.etag, second.etag);
    assert_eq!(cache.counters.rebuilds.load(Ordering::Relaxed), 2);
}

async fn a_burst_of_misses_rebuilds_once(db: &TestDb) {
    let cache = Arc::new(Cache::new(db.store.clone()));
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get("default").await.unwrap().version })
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.await.unwrap(), 1);
    }
    assert_eq!(cache.counters.rebuilds.load(Ordering::Relaxed), 1);
}

async fn a_slow_rebuild_never_reinstates_an_older_version(db: &TestDb) {
    let cache = Cache::new(db.store.clone());
    // A newer version was announced (another replica) before our build finished.
    cache.invalidate("default", 5);
    let built = cache.get("default").await.unwrap();
    assert_eq!(built.version, 1);
    assert!(cache.is_empty(), "an older snapshot is served once but not kept");
}

async fn the_poll_drops_snapshots_that_differ_from_the_store(db: &TestDb) {
    let cache = Cache::new(db.store.clone());
    cache.get("default").await.unwrap();
    // Another process writes directly: only the poll can tell.
    let mut tx = db.store.begin().await.unwrap();
    crate::store::namespaces::bump_data_version(&mut tx, "default").await.unwrap();
    tx.commit().await.unwrap();
    cache.reconcile(&db.store.namespace_versions().await.unwrap());
    assert!(cache.is_empty(), "the superseded snapshot is no longer current");
    assert_eq!(cache.get("default").await.unwrap().version, 2);
    cache.reconcile(&std::collections::HashMap::new());
    assert!(cache.is_empty(), "a namespace gone from the store is forgotten");
}
