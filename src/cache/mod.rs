//! The evaluation cache: one immutable [`Snapshot`] per namespace, tagged with the data version
//! it was built from. It is derived and never authoritative: it only reads from the store, and
//! the worst a bug here can do is serve an answer that is stale for a bounded time.
//!
//! Freshness: a write on this server invalidates in-process right after its commit; writes on
//! other replicas arrive by PostgreSQL NOTIFY ([`replicas`]), and a poll of every namespace's
//! data version on a fixed interval catches anything a notification missed. A snapshot is never
//! stored if a newer version is already known, so a slow rebuild cannot reinstate old data.

pub mod replicas;

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, RwLock,
    },
};

use crate::{
    eval::Snapshot,
    store::{Store, StoreError},
};

/// Hit, miss and rebuild counts since start.
#[derive(Debug, Default)]
pub struct Counters {
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    pub rebuilds: AtomicU64,
    pub invalidations: AtomicU64,
}

/// The per-namespace snapshot cache.
#[derive(Debug)]
pub struct Cache {
    store: Store,
    entries: RwLock<HashMap<String, Arc<Snapshot>>>,
    /// The newest data version this process has heard of, per namespace.
    latest: Mutex<HashMap<String, i64>>,
    /// One build at a time per namespace: a burst of misses waits for one rebuild.
    builds: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    pub counters: Counters,
}

impl Cache {
    pub fn new(store: Store) -> Self {
        Cache {
            store,
            entries: RwLock::default(),
            latest: Mutex::default(),
            builds: Mutex::default(),
            counters: Counters::default(),
        }
    }

    /// The current snapshot of a namespace, built from the store on a miss.
    pub async fn get(&self, namespace: &str) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(hit) = self.cached(namespace) {
            self.counters.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(hit);
        }
        self.counters.misses.fetch_add(1, Ordering::Relaxed);
        let gate = {
            let mut builds = self.builds.lock().unwrap_or_else(|e| e.into_inner());
            builds.entry(namespace.to_string()).or_default().clone()
        };
        let _building = gate.lock().await;
        if let Some(built_meanwhile) = self.cached(namespace) {
            return Ok(built_meanwhile);
        }
        let loaded = self.store.load_namespace(namespace).await?;
        self.counters.rebuilds.fetch_add(1, Ordering::Relaxed);
        let (version, created_at) = loaded.version.unwrap_or((0, 0));
        let etag = sha1_smol::Sha1::from(format!("{namespace}:{created_at}:{version}"))
            .digest()
            .to_string();
        let snapshot = Arc::new(Snapshot::build(namespace, version, etag, loaded.source));
        if loaded.version.is_some() {
            let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
            if latest.get(namespace).is_none_or(|known| version >= *known) {
                self.write_entries().insert(namespace.to_string(), snapshot.clone());
            }
        }
        Ok(snapshot)
    }

    fn cached(&self, namespace: &str) -> Option<Arc<Snapshot>> {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).get(namespace).cloned()
    }

    fn write_entries(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<Snapshot>>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Data version `version` of `namespace` has been committed: drop anything older.
    pub fn invalidate(&self, namespace: &str, version: i64) {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        let known = latest.entry(namespace.to_string()).or_insert(version);
        *known = (*known).max(version);
        let mut entries = self.write_entries();
        if entries.get(namespace).is_some_and(|s| s.version < version) {
            entries.remove(namespace);
            self.counters.invalidations.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The namespace was deleted or re-created: forget everything about it.
    pub fn forget(&self, namespace: &str) {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        latest.remove(namespace);
        if self.write_entries().remove(namespace).is_some() {
            self.counters.invalidations.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Compares cached versions with the stored ones (`namespace → data version`) and drops
    /// every snapshot that differs or whose namespace is gone.
    pub fn reconcile(&self, stored: &HashMap<String, i64>) {
        let stale: Vec<String> = self
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(ns, snapshot)| stored.get(*ns) != Some(&snapshot.version))
            .map(|(ns, _)| ns.clone())
            .collect();
        for namespace in stale {
            match stored.get(&namespace) {
                Some(version) => self.invalidate_exact(&namespace, *version),
                None => self.forget(&namespace),
            }
        }
    }

    fn invalidate_exact(&self, namespace: &str, version: i64) {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        latest.insert(namespace.to_string(), version);
        if self.write_entries().remove(namespace).is_some() {
            self.counters.invalidations.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How many namespaces are cached.
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
