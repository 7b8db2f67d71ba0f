//! Verified credentials, kept in memory so that a valid token costs a hash and a map lookup,
//! not a database query. The cache is derived, never authoritative: every revocation, expiry
//! and sign-out bumps the access version in its own transaction; the replica that made it
//! clears its cache before answering, and every other replica clears its own when it hears of
//! the new version (PostgreSQL NOTIFY at once, or its poll within `cache_poll_ms`).

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc, Mutex, RwLock,
    },
};

use app::error::AppError;

use super::{secret, unauthenticated, Credential, Grant, Principal, Role};
use crate::store::{
    access::{self, AuthenticationRow, SessionRow},
    now_nanos, Store, StoreError,
};

/// Flipt's authentication methods, by protobuf number.
pub const METHOD_TOKEN: i64 = 1;
pub const METHOD_OIDC: i64 = 2;
pub const METHOD_KUBERNETES: i64 = 3;

/// Flipt's metadata keys for tokens.
pub const META_NAME: &str = "io.flipt.auth.token.name";
pub const META_DESCRIPTION: &str = "io.flipt.auth.token.description";
pub const META_NAMESPACE: &str = "io.flipt.auth.token.namespace";
/// Our extension: the token's role, shown in its metadata.
pub const META_ROLE: &str = "io.vexil.auth.role";
/// The role key of Flipt's example authorization policies; read as ours when it names one of
/// our roles.
pub const META_FLIPT_ROLE: &str = "io.flipt.auth.role";
/// The grants of an authentication made by a method with role rules (Kubernetes), as JSON.
pub const META_GRANTS: &str = "io.vexil.auth.grants";

/// Cached principals by credential hash, valid for one access version.
#[derive(Debug)]
pub struct Registry {
    store: Store,
    version: AtomicI64,
    tokens: RwLock<HashMap<String, Arc<Principal>>>,
    sessions: RwLock<HashMap<String, Arc<Principal>>>,
    /// Token id → when it was last used, written to the database in batches.
    used: Mutex<HashMap<String, i64>>,
}

/// The most credentials of each kind kept in memory; past it the cache starts over.
const MAX_CACHED: usize = 100_000;

impl Registry {
    pub fn new(store: Store) -> Self {
        Registry {
            store,
            version: AtomicI64::new(0),
            tokens: RwLock::default(),
            sessions: RwLock::default(),
            used: Mutex::default(),
        }
    }

    /// The principal of a bearer token, or Flipt's 401.
    pub async fn token(&self, token: &str) -> Result<Arc<Principal>, AppError> {
        let hash = secret::hash(token);
        let now = now_nanos();
        let principal = self
            .lookup(
                &self.tokens,
                hash,
                async |conn, hash| access::authentication_by_hash(conn, hash).await,
                |row| Ok(principal_of_token(&row)),
            )
            .await
            .map_err(|missing| missing.unwrap_or_else(|| unauthenticated("unknown token")))?;
        if principal.expires_at.is_some_and(|at| at <= now) {
            return Err(unauthenticated("expired token"));
        }
        if let Some(id) = &principal.authentication_id {
            // Allocates only on a token's first use since the last flush.
            let mut used = self.used.lock().expect("used-token map");
            match used.get_mut(id) {
                Some(at) => *at = now,
                None => {
                    used.insert(id.clone(), now);
                }
            }
        }
        Ok(principal)
    }

    /// The principal of a session cookie, or Flipt's 401.
    pub async fn session(&self, session_secret: &str) -> Result<Arc<Principal>, AppError> {
        let principal = self
            .lookup(
                &self.sessions,
                secret::hash(session_secret),
                async |conn, hash| access::session_by_hash(conn, hash).await,
                |row| principal_of_session(&row, session_secret),
            )
            .await
            .map_err(|missing| missing.unwrap_or_else(|| unauthenticated("unknown session")))?;
        if principal.expires_at.is_some_and(|at| at <= now_nanos()) {
            return Err(unauthenticated("expired session"));
        }
        Ok(principal)
    }

    /// The cached principal for `hash`, or the one built from its row, cached. `Err(None)`:
    /// no such row.
    async fn lookup<R>(
        &self,
        map: &RwLock<HashMap<String, Arc<Principal>>>,
        hash: String,
        fetch: impl AsyncFnOnce(&mut sqlx::AnyConnection, &str) -> Result<Option<R>, StoreError>,
        build: impl FnOnce(R) -> Result<Principal, AppError>,
    ) -> Result<Arc<Principal>, Option<AppError>> {
        if let Some(principal) = cached(map, &hash) {
            return Ok(principal);
        }
        let seen = self.version.load(Ordering::Acquire);
        let mut conn = self.conn().await?;
        let row = self
            .store
            .observed(fetch(&mut *conn, &hash).await)
            .map_err(crate::service::internal)?
            .ok_or(None)?;
        let principal = Arc::new(build(row)?);
        self.remember(map, seen, hash, principal.clone());
        Ok(principal)
    }

    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
        let acquired = self.store.reader().acquire().await.map_err(StoreError::from);
        self.store.observed(acquired).map_err(crate::service::internal)
    }

    /// Caches `principal` unless the access version moved while it was read (a revocation
    /// that raced the lookup must not be undone by it).
    fn remember(
        &self,
        map: &RwLock<HashMap<String, Arc<Principal>>>,
        seen: i64,
        hash: String,
        principal: Arc<Principal>,
    ) {
        let mut map = map.write().expect("credential cache");
        if self.version.load(Ordering::Acquire) != seen {
            return;
        }
        if map.len() >= MAX_CACHED {
            map.clear();
        }
        map.insert(hash, principal);
    }

    /// Applies an access version read from the database or a notification: a newer one
    /// empties the cache.
    pub fn observe(&self, version: i64) {
        if version > self.version.fetch_max(version, Ordering::AcqRel) {
            self.tokens.write().expect("credential cache").clear();
            self.sessions.write().expect("credential cache").clear();
        }
    }

    /// Reads the access version (the poll, and at start).
    pub async fn refresh(&self) -> Result<(), StoreError> {
        let mut conn = self.store.reader().acquire().await?;
        let version = access::access_version(&mut conn).await?;
        self.observe(version);
        Ok(())
    }

    /// Writes the batched "last used" times.
    pub async fn flush_used(&self) -> Result<(), StoreError> {
        let used: Vec<(String, i64)> =
            std::mem::take(&mut *self.used.lock().expect("used-token map")).into_iter().collect();
        if used.is_empty() {
            return Ok(());
        }
        access::touch_authentications(&self.store, &used).await
    }
}

fn cached(map: &RwLock<HashMap<String, Arc<Principal>>>, hash: &str) -> Option<Arc<Principal>> {
    map.read().expect("credential cache").get(hash).cloned()
}

/// A token's metadata as a map of strings.
pub fn metadata_of(row: &AuthenticationRow) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(&row.metadata).unwrap_or_default()
}

/// The namespace a token is scoped to (Flipt: a value that trims to "" means none).
pub fn token_namespace(row: &AuthenticationRow) -> Option<String> {
    metadata_of(row)
        .get(META_NAMESPACE)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|ns| !ns.is_empty())
        .map(str::to_string)
}

/// A token's role: ours if set, else Flipt's "full access within its scope".
pub fn token_role(row: &AuthenticationRow) -> Role {
    row.role.as_deref().and_then(Role::parse).unwrap_or(Role::Admin)
}

pub fn principal_of_token(row: &AuthenticationRow) -> Principal {
    let metadata = metadata_of(row);
    let name = metadata.get(META_NAME).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let namespace = if row.method == METHOD_TOKEN { token_namespace(row) } else { None };
    if row.method == METHOD_KUBERNETES {
        // Its grants were decided by the role rules when it was made; unreadable means none.
        let grants = metadata
            .get(META_GRANTS)
            .and_then(|v| v.as_str())
            .and_then(|text| serde_json::from_str::<Vec<Grant>>(text).ok())
            .unwrap_or_default();
        return Principal {
            name: metadata
                .get("io.flipt.auth.k8s.serviceaccount.name")
                .and_then(|v| v.as_str())
                .map(|sa| format!("kubernetes:{sa}"))
                .unwrap_or_else(|| "kubernetes".into()),
            credential: Credential::Token { id: row.id.clone() },
            flipt_scoped: false,
            grants,
            expires_at: row.expires_at,
            authentication_id: Some(row.id.clone()),
        };
    }
    Principal {
        name,
        credential: Credential::Token { id: row.id.clone() },
        // A namespace-scoped token without a role is Flipt's (401 outside its namespace and
        // servers); one with a role is judged by that role like any grant (403 outside it).
        flipt_scoped: namespace.is_some() && row.role.is_none(),
        grants: vec![Grant { role: token_role(row), namespace }],
        expires_at: row.expires_at,
        authentication_id: Some(row.id.clone()),
    }
}

fn principal_of_session(row: &SessionRow, session_secret: &str) -> Result<Principal, AppError> {
    let grants: Vec<Grant> = serde_json::from_str(&row.grants)
        .map_err(|_| unauthenticated("session grants unreadable"))?;
    Ok(Principal {
        name: row.name.clone(),
        credential: Credential::Session {
            id: row.id.clone(),
            csrf: secret::csrf_of(session_secret),
        },
        grants,
        flipt_scoped: false,
        expires_at: Some(row.expires_at),
        authentication_id: row.authentication_id.clone(),
    })
}
