//! The core: one service behind both front doors (REST and the dashboard's server functions).
//! Every write goes through here as one transaction that also bumps the namespace's data
//! version, so caches and open pages can tell that something changed.

mod error;
mod evaluate;
mod flags;
mod namespaces;
mod paging;
mod port;
mod rollouts;
mod rules;
mod segments;
mod validate;

use app::error::AppError;

use std::sync::Arc;

use crate::{
    cache::Cache,
    store::{namespaces as ns_store, Store, Tx},
};

pub use error::internal;
pub use paging::{decode_token, encode_token};

/// The application service. Cheap to clone; share it behind an `Arc`.
#[derive(Clone, Debug)]
pub struct Service {
    store: Store,
    cache: Arc<Cache>,
}

impl Service {
    pub fn new(store: Store) -> Self {
        let cache = Arc::new(Cache::new(store.clone()));
        Service { store, cache }
    }

    /// The evaluation cache this service keeps fresh.
    pub fn cache(&self) -> &Arc<Cache> {
        &self.cache
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    async fn begin(&self) -> Result<Tx, AppError> {
        self.store.begin().await.map_err(internal)
    }

    /// Bumps the namespace's data version inside `tx`, announces it to other replicas, then
    /// commits: the data and its version become visible together or not at all. The local
    /// cache is invalidated before the caller gets its answer (read-your-writes).
    async fn commit(&self, mut tx: Tx, namespace: &str) -> Result<i64, AppError> {
        let version = ns_store::bump_data_version(&mut tx, namespace)
            .await
            .map_err(internal)?
            .ok_or_else(|| error::not_found("namespace", namespace))?;
        self.store.notify(&mut tx, namespace, version).await.map_err(internal)?;
        tx.commit().await.map_err(|e| internal(e.into()))?;
        self.cache.invalidate(namespace, version);
        Ok(version)
    }

    /// Fails with Flipt's 404 unless the namespace exists (checked inside the transaction).
    async fn require_namespace(tx: &mut Tx, namespace: &str) -> Result<(), AppError> {
        match ns_store::get(&mut **tx, namespace).await.map_err(internal)? {
            Some(_) => Ok(()),
            None => Err(error::not_found("namespace", namespace)),
        }
    }
}

/// A fresh identifier for a variant, constraint, rule, distribution or rollout.
fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests;
