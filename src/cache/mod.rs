//! The evaluation cache: one immutable [`Snapshot`] per namespace, tagged with the data version
//! it was built from. It is derived and never authoritative: it only reads from the store, and
//! the worst a bug here can do is serve an answer that is stale for a bounded time.
//!
//! Freshness: a write on this server invalidates in-process right after its commit; writes on
//! other replicas arrive by PostgreSQL NOTIFY ([`replicas`]), and a poll of every namespace's
//! data version on a fixed interval catches anything a notification missed. A snapshot is never
//! stored if a newer version is already known, so a slow rebuild cannot reinstate old data.
//!
//! Degraded mode: an invalidated snapshot is kept, marked stale, until a rebuild replaces it.
//! When the database cannot answer (down, or past the acquire timeout) evaluations are served
//! from it: a stale answer beats an error for a flag server. It is never older than the last
//! successful read of that namespace, and its age is reported ([`stale`], `/metrics`).

pub mod replicas;
pub mod stale;

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, RwLock,
    },
    time::{Duration, Instant},
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
    /// Answers served from a stale snapshot because the database could not be read.
    pub stale_served: AtomicU64,
}

/// A cached snapshot: current (`fresh`) or superseded but kept for degraded mode.
#[derive(Debug)]
struct Entry {
    snapshot: Arc<Snapshot>,
    fresh: bool,
    /// When the database last confirmed this snapshot's version as the current one.
    confirmed: Instant,
}

impl Entry {
    fn new(snapshot: Arc<Snapshot>) -> Self {
        Entry { snapshot, fresh: true, confirmed: Instant::now() }
    }
}

/// The per-namespace snapshot cache.
#[derive(Debug)]
pub struct Cache {
    store: Store,
    entries: RwLock<HashMap<String, Entry>>,
    /// The newest data version this process has heard of, per namespace.
    latest: Mutex<HashMap<String, i64>>,
    /// One build at a time per namespace: a burst of misses waits for one rebuild.
    builds: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Change signals for the streams of each namespace ([`Cache::subscribe`]).
    changes: Mutex<HashMap<String, tokio::sync::watch::Sender<u64>>>,
    pub counters: Counters,
}

impl Cache {
    pub fn new(store: Store) -> Self {
        Cache {
            store,
            entries: RwLock::default(),
            latest: Mutex::default(),
            builds: Mutex::default(),
            changes: Mutex::default(),
            counters: Counters::default(),
        }
    }

    /// The current snapshot of a namespace, built from the store on a miss. While the database
    /// cannot answer, the last snapshot read from it, if any, stands in (degraded mode).
    pub async fn get(&self, namespace: &str) -> Result<Arc<Snapshot>, StoreError> {
        let degraded = self.store.health().down_for().is_some();
        if let Some((hit, confirmed)) = self.cached(namespace) {
            self.counters.hits.fetch_add(1, Ordering::Relaxed);
            if degraded {
                // Current as far as this replica knows, but nobody can confirm it now.
                self.counters.stale_served.fetch_add(1, Ordering::Relaxed);
                stale::record(confirmed.elapsed());
            }
            return Ok(hit);
        }
        self.counters.misses.fetch_add(1, Ordering::Relaxed);
        if degraded {
            // Known to be down: asking would only wait out the acquire timeout. The poll
            // notices when it is back and the next request rebuilds.
            if let Some(stale) = self.serve_stale(namespace) {
                return Ok(stale);
            }
        }
        match self.rebuild(namespace).await {
            Err(error) if error.is_unavailable() => self.serve_stale(namespace).ok_or(error),
            other => other,
        }
    }

    /// Builds the namespace's snapshot from the store, one build at a time per namespace.
    async fn rebuild(&self, namespace: &str) -> Result<Arc<Snapshot>, StoreError> {
        let gate = {
            let mut builds = self.builds.lock().unwrap_or_else(|e| e.into_inner());
            builds.entry(namespace.to_string()).or_default().clone()
        };
        let _building = gate.lock().await;
        if let Some((built_meanwhile, _)) = self.cached(namespace) {
            return Ok(built_meanwhile);
        }
        let loaded = self.store.observed(self.store.load_namespace(namespace).await)?;
        self.counters.rebuilds.fetch_add(1, Ordering::Relaxed);
        let (version, created_at) = loaded.version.unwrap_or((0, 0));
        let etag = sha1_smol::Sha1::from(format!("{namespace}:{created_at}:{version}"))
            .digest()
            .to_string();
        let mut snapshot = Snapshot::build(namespace, version, etag, loaded.source);
        snapshot.exists = loaded.version.is_some();
        let snapshot = Arc::new(snapshot);
        if loaded.version.is_some() {
            let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
            if latest.get(namespace).is_none_or(|known| version >= *known) {
                self.write_entries().insert(namespace.to_string(), Entry::new(snapshot.clone()));
            }
        }
        Ok(snapshot)
    }

    /// The current snapshot of `namespace` and when the database last confirmed it.
    fn cached(&self, namespace: &str) -> Option<(Arc<Snapshot>, Instant)> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.get(namespace).filter(|e| e.fresh).map(|e| (e.snapshot.clone(), e.confirmed))
    }

    /// The kept snapshot of `namespace`, counted and reported as a stale answer.
    fn serve_stale(&self, namespace: &str) -> Option<Arc<Snapshot>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(namespace)?;
        self.counters.stale_served.fetch_add(1, Ordering::Relaxed);
        stale::record(entry.confirmed.elapsed());
        Some(entry.snapshot.clone())
    }

    /// How long ago the oldest snapshot that may be served without being current was last
    /// confirmed: superseded ones, and while the database cannot answer, every one. Zero when
    /// all are known to be current.
    pub fn staleness(&self) -> Duration {
        let degraded = self.store.health().down_for().is_some();
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let unconfirmed = entries.values().filter(|e| degraded || !e.fresh);
        unconfirmed.map(|e| e.confirmed.elapsed()).max().unwrap_or_default()
    }

    fn write_entries(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Entry>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }

    /// A signal that changes whenever `namespace` may have a newer version than the last one
    /// a subscriber read (a commit here, a notification or poll from another replica, the
    /// namespace deleted). It carries no data: a subscriber reads the current snapshot with
    /// [`Cache::get`] and compares versions. Sending never waits for a subscriber, so a slow
    /// one cannot hold up a write, and a burst of changes reaches it as one.
    pub fn subscribe(&self, namespace: &str) -> tokio::sync::watch::Receiver<u64> {
        let mut changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        changes.retain(|_, sender| sender.receiver_count() > 0);
        changes
            .entry(namespace.to_string())
            .or_insert_with(|| tokio::sync::watch::channel(0).0)
            .subscribe()
    }

    fn signal(&self, namespace: &str) {
        let changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = changes.get(namespace) {
            sender.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Data version `version` of `namespace` has been committed: anything older is stale.
    pub fn invalidate(&self, namespace: &str, version: i64) {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        let known = latest.entry(namespace.to_string()).or_insert(version);
        *known = (*known).max(version);
        let mut entries = self.write_entries();
        if let Some(entry) = entries.get_mut(namespace).filter(|e| e.snapshot.version < version) {
            self.mark_stale(entry);
        }
        drop((entries, latest));
        self.signal(namespace);
    }

    fn mark_stale(&self, entry: &mut Entry) {
        if entry.fresh {
            entry.fresh = false;
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
        drop(latest);
        self.signal(namespace);
    }

    /// Compares cached versions with the stored ones (`namespace → data version`): snapshots
    /// that match are confirmed current, those that differ become stale, and those whose
    /// namespace is gone are dropped.
    pub fn reconcile(&self, stored: &HashMap<String, i64>) {
        let mut gone = Vec::new();
        let mut changed = Vec::new();
        {
            let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
            let mut entries = self.write_entries();
            for (namespace, entry) in entries.iter_mut() {
                match stored.get(namespace) {
                    Some(version) if *version == entry.snapshot.version => {
                        entry.confirmed = Instant::now();
                    }
                    Some(version) => {
                        latest.insert(namespace.clone(), *version);
                        self.mark_stale(entry);
                        changed.push(namespace.clone());
                    }
                    None => gone.push(namespace.clone()),
                }
            }
        }
        for namespace in changed {
            self.signal(&namespace);
        }
        for namespace in gone {
            self.forget(&namespace);
        }
    }

    /// How many namespaces have a current snapshot cached (superseded ones kept for degraded
    /// mode do not count).
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).values().filter(|e| e.fresh).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
