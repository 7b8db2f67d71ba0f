//! The core: one service behind both front doors (REST and the dashboard's server functions).
//! Every write goes through here as one transaction that also bumps the namespace's data
//! version, so caches and open pages can tell that something changed.

mod access;
mod access_port;
mod dashboard;
mod distributions;
mod error;
mod evaluate;
mod flags;
mod history;
mod import;
pub mod metrics;
mod namespaces;
mod oidc;
mod paging;
mod port;
mod portable;
mod rollouts;
mod rules;
pub mod scoped_port;
mod segments;
mod sessions;
mod snapshots;
mod targets;
mod validate;
mod workload;

use app::error::AppError;

use std::sync::Arc;

use crate::{
    cache::Cache,
    store::{namespaces as ns_store, Store, Tx},
};

pub use access::{method_name, token_grant, AccessPolicy, Authentication, NewToken};
pub use access_port::viewer_of;
pub use error::internal;
pub use import::{objects_in, ImportMode, ImportSummary, Progress};
pub use paging::{decode_token, encode_token};
pub use snapshots::Retention;

/// The application service. Cheap to clone; share it behind an `Arc`.
#[derive(Clone, Debug)]
pub struct Service {
    store: Store,
    cache: Arc<Cache>,
    metrics: Arc<metrics::Metrics>,
    retention: Retention,
    document_max_depth: usize,
    access: Arc<crate::auth::registry::Registry>,
    policy: AccessPolicy,
    oidc: Option<Arc<crate::auth::oidc::Oidc>>,
    /// What `GET /meta/config` shows (`Settings::flipt_view`).
    public_config: Arc<serde_json::Value>,
    /// The JWT and Kubernetes methods, when configured.
    jwt: Option<Arc<crate::auth::workload::JwtVerifier>>,
    kubernetes: Option<Arc<crate::auth::workload::KubernetesVerifier>>,
    /// Set when the server begins to shut down: open streams end (`api::stream`).
    closing: Arc<tokio::sync::watch::Sender<bool>>,
    /// Signs OFREP's change-event credentials; shared by replicas through the database.
    stream_key: crate::auth::stream_key::StreamKey,
}

impl Service {
    pub fn new(store: Store) -> Self {
        let cache = Arc::new(Cache::new(store.clone()));
        Service {
            access: Arc::new(crate::auth::registry::Registry::new(store.clone())),
            policy: AccessPolicy::default(),
            oidc: None,
            store,
            cache,
            metrics: Arc::default(),
            retention: Retention::default(),
            document_max_depth: crate::document::DEFAULT_MAX_DEPTH,
            public_config: Arc::new(serde_json::json!({})),
            jwt: None,
            kubernetes: None,
            closing: Arc::new(tokio::sync::watch::channel(false).0),
            stream_key: crate::auth::stream_key::StreamKey::random(),
        }
    }

    /// The same service showing `config` at `GET /meta/config`.
    pub fn with_public_config(mut self, config: serde_json::Value) -> Self {
        self.public_config = Arc::new(config);
        self
    }

    /// The configuration `GET /meta/config` shows.
    pub fn public_config(&self) -> &Arc<serde_json::Value> {
        &self.public_config
    }

    /// The same service refusing imported documents nested deeper than `depth`.
    pub fn with_document_max_depth(mut self, depth: usize) -> Self {
        self.document_max_depth = depth;
        self
    }

    /// How deeply an imported document may nest (`document_max_depth`).
    pub fn document_max_depth(&self) -> usize {
        self.document_max_depth
    }

    /// The same service with another access policy (`auth_required`, `session_lifetime_hours`).
    pub fn with_access_policy(mut self, policy: AccessPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The key replicas share for OFREP's change-event credentials (`server_keys`).
    pub fn with_stream_key(mut self, key: crate::auth::stream_key::StreamKey) -> Self {
        self.stream_key = key;
        self
    }

    /// A credential that opens `namespace`'s change events for this window and the next, and
    /// the window (`auth::stream_key`); the caller must be allowed to evaluate there.
    pub fn stream_credential(&self, namespace: &str) -> Result<(String, i64), AppError> {
        self.may_evaluate(namespace)?;
        let window =
            crate::auth::stream_key::StreamKey::window(crate::store::now_nanos() / 1_000_000_000);
        Ok((self.stream_key.mint(namespace, window), window))
    }

    /// Whether the caller may follow `namespace`'s changes: as someone who may evaluate there,
    /// or with a credential from [`Service::stream_credential`].
    pub fn may_follow(&self, namespace: &str, credential: Option<&str>) -> Result<(), AppError> {
        let Err(refused) = self.may_evaluate(namespace) else { return Ok(()) };
        let now = crate::store::now_nanos() / 1_000_000_000;
        match credential {
            Some(c) if self.stream_key.verify(namespace, c, now) => Ok(()),
            Some(_) => Err(AppError::Unauthenticated(
                "the change-event credential is not valid (expired, or for another namespace); \
                 evaluate again for a new stream URL"
                    .into(),
            )),
            None => Err(refused),
        }
    }

    /// Whether callers must authenticate (`auth_required`).
    pub fn auth_required(&self) -> bool {
        self.policy.required
    }

    /// The verified-credential cache that the door and the replica poll share.
    pub fn access(&self) -> &Arc<crate::auth::registry::Registry> {
        &self.access
    }

    /// The same service with another snapshot retention.
    pub fn with_retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// Evaluation and cache metrics in Prometheus' text format; the viewer role unless
    /// `metrics_public` (Flipt's default: scrapers send no credential).
    pub fn render_metrics(&self) -> Result<String, AppError> {
        if !self.policy.metrics_public {
            crate::auth::require(crate::auth::Need::Read, None)?;
        }
        use std::sync::atomic::Ordering::Relaxed;
        let mut out = String::new();
        self.metrics.render(&mut out);
        let c = &self.cache.counters;
        for (name, help, value) in [
            ("flipt_cache_hit_total", "Evaluation snapshot cache hits.", c.hits.load(Relaxed)),
            ("flipt_cache_miss_total", "Evaluation snapshot cache misses.", c.misses.load(Relaxed)),
            (
                "vexil_cache_rebuilds_total",
                "Snapshots built from the database.",
                c.rebuilds.load(Relaxed),
            ),
            (
                "vexil_cache_invalidations_total",
                "Snapshots superseded by a newer data version.",
                c.invalidations.load(Relaxed),
            ),
            (
                "vexil_cache_stale_served_total",
                "Evaluations answered from a stale snapshot because the database could not be read.",
                c.stale_served.load(Relaxed),
            ),
        ] {
            let labels = if name.starts_with("flipt_") {
                "{cache=\"evaluation\",type=\"snapshot\"}"
            } else {
                ""
            };
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name}{labels} {value}\n"
            ));
        }
        self.render_degraded(&mut out);
        crate::auth::render_refusals(&mut out);
        Ok(out)
    }

    /// The gauges of degraded mode: is the database answering, and how stale is the cache.
    fn render_degraded(&self, out: &mut String) {
        let down = self.store.health().down_for();
        let gauges = [
            (
                "vexil_database_up",
                "1 while the database answers, 0 in degraded mode.",
                if down.is_some() { 0.0 } else { 1.0 },
            ),
            (
                "vexil_database_down_seconds",
                "How long the database has not answered (0 while it does).",
                down.unwrap_or_default().as_secs_f64(),
            ),
            (
                "vexil_cache_staleness_seconds",
                "Age of the oldest cached snapshot known to be superseded (0 when all are current).",
                self.cache.staleness().as_secs_f64(),
            ),
        ];
        for (name, help, value) in gauges {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n"));
        }
    }

    /// Fires once shutdown begins.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every open stream (shutdown: in-flight requests drain, streams would not).
    pub fn close_streams(&self) {
        self.closing.send_replace(true);
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
        tx.commit().await.map_err(internal)?;
        self.cache.invalidate(namespace, version);
        Ok(version)
    }

    /// Fails with Flipt's 404 unless the flag exists (checked inside the transaction).
    async fn require_flag(tx: &mut Tx, namespace: &str, flag_key: &str) -> Result<(), AppError> {
        crate::store::flags::get(tx, namespace, flag_key)
            .await
            .map_err(internal)?
            .map(|_| ())
            .ok_or_else(|| error::not_found("flag", &format!("{namespace}/{flag_key}")))
    }

    /// Whether the flag exists (inside the transaction).
    async fn flag_exists(tx: &mut Tx, namespace: &str, flag_key: &str) -> Result<bool, AppError> {
        Ok(crate::store::flags::get(tx, namespace, flag_key).await.map_err(internal)?.is_some())
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
mod dashboard_tests;
#[cfg(test)]
mod tests;
