//! Tokens: creating, reading, listing, revoking, expiring; who the caller is; the bootstrap
//! token and expired-row cleanup. Every revocation bumps the access version in the same
//! transaction and clears this replica's credential cache before answering (other replicas
//! follow, see `auth::registry`). Dashboard sessions are in `sessions`.

use std::{collections::BTreeMap, time::Duration};

use app::error::AppError;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{internal, Service};
use crate::{
    auth::{
        self,
        registry::{
            metadata_of, token_namespace, token_role, META_DESCRIPTION, META_FLIPT_ROLE, META_NAME,
            META_NAMESPACE, META_ROLE, METHOD_OIDC, METHOD_TOKEN,
        },
        secret, Credential, Grant, Need, Role,
    },
    store::{
        access::{self as store, AuthenticationRow},
        format_timestamp, now_nanos, Tx,
    },
};

/// Flipt's `Authentication` message as JSON (unset `expiresAt` omitted).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
    pub id: String,
    pub method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub metadata: Map<String, Value>,
}

impl Authentication {
    pub fn of(row: &AuthenticationRow) -> Self {
        let mut metadata = metadata_of(row);
        if let Some(role) = &row.role {
            metadata.insert(META_ROLE.into(), Value::String(role.clone()));
        }
        Authentication {
            id: row.id.clone(),
            method: method_name(row.method),
            expires_at: row.expires_at.map(format_timestamp),
            created_at: format_timestamp(row.created_at),
            updated_at: format_timestamp(row.updated_at),
            metadata,
        }
    }
}

pub fn method_name(method: i64) -> &'static str {
    match method {
        METHOD_TOKEN => "METHOD_TOKEN",
        METHOD_OIDC => "METHOD_OIDC",
        _ => "METHOD_NONE",
    }
}

/// `POST /auth/v1/method/token`, and Settings → Access.
#[derive(Clone, Debug, Default)]
pub struct NewToken {
    pub name: String,
    pub description: String,
    /// Unix nanoseconds.
    pub expires_at: Option<i64>,
    pub namespace_key: String,
    pub metadata: BTreeMap<String, String>,
    /// Our extension; `None` is a Flipt token: full access within its namespace scope.
    pub role: Option<Role>,
}

/// `auth_required` and `session_lifetime_hours`.
#[derive(Clone, Copy, Debug)]
pub struct AccessPolicy {
    pub required: bool,
    pub session_lifetime: Duration,
    /// `metrics_public`: /metrics needs no credential.
    pub metrics_public: bool,
}

impl Default for AccessPolicy {
    fn default() -> Self {
        AccessPolicy {
            required: true,
            session_lifetime: Duration::from_secs(24 * 3600),
            metrics_public: true,
        }
    }
}

impl Service {
    /// Creates a token; the plaintext is returned here once and never stored.
    pub async fn create_token(
        &self,
        new: NewToken,
    ) -> Result<(String, AuthenticationRow), AppError> {
        let scope = Some(new.namespace_key.trim())
            .filter(|ns| !ns.is_empty())
            .or_else(|| {
                new.metadata.get(META_NAMESPACE).map(|ns| ns.trim()).filter(|ns| !ns.is_empty())
            })
            .map(str::to_string);
        let creator = auth::require(Need::Admin, scope.as_deref())?;
        // Ours first, then Flipt's policy key (`io.flipt.auth.role`), which must name one of
        // our roles: Vexil has no policy engine to give another name a meaning, and a token
        // without a role would be an administrator.
        let flipt_role = new.metadata.get(META_FLIPT_ROLE).map(|text| {
            Role::parse(text).ok_or_else(|| {
                AppError::Invalid(format!(
                    "invalid field metadata: {META_FLIPT_ROLE} {text:?} is not one of Vexil's roles \
                     (client, viewer, editor, admin)"
                ))
            })
        });
        let role = match (new.role, new.metadata.get(META_ROLE), flipt_role) {
            (Some(role), _, _) => Some(role),
            (None, Some(text), _) => Some(Role::parse(text).ok_or_else(|| bad_role(text))?),
            (None, None, Some(role)) => Some(role?),
            (None, None, None) => None,
        };
        // Metadata and the role field alike cannot grant more than the creator holds.
        let grant = Grant { role: role.unwrap_or(Role::Admin), namespace: scope.clone() };
        if !creator.holds(&grant) {
            return Err(auth::denied(&creator, Need::Admin, scope.as_deref()));
        }
        let now = now_nanos();
        if new.expires_at.is_some_and(|at| at <= now) {
            return Err(AppError::Invalid("invalid field expiresAt: must be in the future".into()));
        }
        let mut metadata: Map<String, Value> =
            new.metadata.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        metadata.remove(META_ROLE);
        metadata.insert(META_NAME.into(), Value::String(new.name.clone()));
        if !new.description.is_empty() {
            metadata.insert(META_DESCRIPTION.into(), Value::String(new.description));
        }
        match &scope {
            Some(ns) => metadata.insert(META_NAMESPACE.into(), Value::String(ns.clone())),
            None => metadata.remove(META_NAMESPACE),
        };
        let token = secret::generate();
        let row = token_row(Value::Object(metadata), role, new.expires_at, now);
        let mut tx = self.begin().await?;
        store::insert_authentication(&mut tx, &row, &secret::hash(&token))
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        tracing::info!(actor = %creator.actor(), token = %row.id, name = %new.name, "token created");
        Ok((token, row))
    }

    pub async fn get_token(&self, id: &str) -> Result<AuthenticationRow, AppError> {
        auth::require(Need::Admin, None)?;
        let mut conn = self.conn().await?;
        store::authentication_by_id(&mut conn, id)
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::NotFound(format!("authentication \"{id}\" not found")))
    }

    /// A page of tokens (oldest first) and how many there are.
    pub async fn list_tokens(
        &self,
        method: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuthenticationRow>, i64), AppError> {
        auth::require(Need::Admin, None)?;
        let mut conn = self.conn().await?;
        let rows = store::list_authentications(&mut conn, method, limit, offset)
            .await
            .map_err(internal)?;
        let total = store::count_authentications(&mut conn, method).await.map_err(internal)?;
        Ok((rows, total))
    }

    /// Revokes a token and every session made from it, on every replica.
    pub async fn delete_token(&self, id: &str) -> Result<bool, AppError> {
        let actor = auth::require(Need::Admin, None)?;
        let mut tx = self.begin().await?;
        let existed = store::delete_authentication(&mut tx, id).await.map_err(internal)?;
        self.commit_access(tx).await?;
        tracing::info!(actor = %actor.actor(), token = id, existed, "token revoked");
        Ok(existed)
    }

    /// `PUT /auth/v1/self/expire`: a token expires at `at` (default now); a session ends.
    pub async fn expire_self(&self, at: Option<i64>) -> Result<(), AppError> {
        let principal = auth::current();
        let mut tx = self.begin().await?;
        match &principal.credential {
            Credential::Token { id } => {
                let at = at.unwrap_or_else(now_nanos);
                store::expire_authentication(&mut tx, id, at, now_nanos())
                    .await
                    .map_err(internal)?;
                store::delete_sessions_of(&mut tx, id).await.map_err(internal)?;
            }
            Credential::Session { id, .. } => {
                store::delete_session(&mut tx, id).await.map_err(internal)?;
            }
            _ => return Err(auth::unauthenticated("no credential to expire")),
        }
        self.commit_access(tx).await
    }

    /// The caller as Flipt's `Authentication`: a token's own row; for a dashboard session, the
    /// session (its id, times and the method it was made with; a token-backed session carries
    /// its token's metadata, an OIDC one the verified address).
    pub async fn self_authentication(&self) -> Result<Authentication, AppError> {
        let principal = auth::current();
        let mut conn = self.conn().await?;
        match &principal.credential {
            Credential::Token { id } => store::authentication_by_id(&mut conn, id)
                .await
                .map_err(internal)?
                .as_ref()
                .map(Authentication::of)
                .ok_or_else(|| auth::unauthenticated("token gone")),
            Credential::Session { id, .. } => {
                let row = store::session_by_id(&mut conn, id)
                    .await
                    .map_err(internal)?
                    .ok_or_else(|| auth::unauthenticated("session gone"))?;
                let token = match &row.authentication_id {
                    Some(token_id) => {
                        store::authentication_by_id(&mut conn, token_id).await.map_err(internal)?
                    }
                    None => None,
                };
                let mut metadata = match &token {
                    Some(token) => metadata_of(token),
                    None => ["io.flipt.auth.email", "io.flipt.auth.oidc.email"]
                        .into_iter()
                        .map(|key| (key.to_string(), Value::String(principal.name.clone())))
                        .collect(),
                };
                metadata.insert(META_ROLE.into(), Value::String(principal.role_summary()));
                Ok(Authentication {
                    id: id.clone(),
                    method: method_name(row.method),
                    created_at: format_timestamp(row.created_at),
                    updated_at: format_timestamp(row.last_seen_at.max(row.created_at)),
                    expires_at: Some(format_timestamp(row.expires_at)),
                    metadata,
                })
            }
            _ => Err(auth::unauthenticated("no stored authentication")),
        }
    }

    /// On first start with no token at all: an admin token (`bootstrap_token`, or a random one),
    /// returned so that start-up can print the sign-in link once.
    ///
    /// `show` hands the new token to whoever started the server before it is committed: if
    /// it cannot (standard output closed), nothing is kept, so no admin token exists that
    /// nobody knows, and the next start tries again.
    pub async fn bootstrap(
        &self,
        given: Option<&str>,
        show: impl FnOnce(&str) -> std::io::Result<()>,
    ) -> Result<Option<String>, AppError> {
        let mut tx = self.begin().await?;
        store::lock_for_bootstrap(&self.store, &mut tx).await.map_err(internal)?;
        if store::token_count(&mut tx, METHOD_TOKEN).await.map_err(internal)? > 0 {
            return Ok(None);
        }
        let token = given.map(str::to_string).unwrap_or_else(secret::generate);
        let now = now_nanos();
        let metadata = serde_json::json!({
            META_NAME: "initial_bootstrap_token",
            META_DESCRIPTION: "Initial token created when bootstrapping authentication",
        });
        let row = token_row(metadata, Some(Role::Admin), None, now);
        store::insert_authentication(&mut tx, &row, &secret::hash(&token))
            .await
            .map_err(internal)?;
        show(&token).map_err(|error| {
            AppError::Internal(format!(
                "the new admin token could not be shown ({error}), so it was not kept; attach \
                 standard output or set bootstrap_token"
            ))
        })?;
        tx.commit().await.map_err(internal)?;
        Ok(Some(token))
    }

    /// Deletes tokens and sessions that expired more than `grace` ago; how many rows went.
    pub async fn clean_up_access(&self, grace: Duration) -> Result<u64, AppError> {
        let mut tx = self.begin().await?;
        let removed = store::delete_expired(&mut tx, now_nanos() - grace.as_nanos() as i64)
            .await
            .map_err(internal)?;
        if removed == 0 {
            return Ok(0);
        }
        self.commit_access(tx).await?;
        Ok(removed)
    }

    /// Commits an access change with a new access version, then forgets this replica's
    /// verified credentials so the change holds from the next request on.
    pub(super) async fn commit_access(&self, mut tx: Tx) -> Result<(), AppError> {
        let version = store::bump_access_version(&self.store, &mut tx).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        self.access().observe(version);
        Ok(())
    }

    pub(super) async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
        self.store.reader().acquire().await.map_err(|e| internal(e.into()))
    }
}

/// A new token's row, made at `now`.
fn token_row(
    metadata: Value,
    role: Option<Role>,
    expires_at: Option<i64>,
    now: i64,
) -> AuthenticationRow {
    AuthenticationRow {
        id: uuid::Uuid::new_v4().to_string(),
        method: METHOD_TOKEN,
        metadata: metadata.to_string(),
        role: role.map(|r| r.as_str().to_string()),
        expires_at,
        created_at: now,
        updated_at: now,
        last_used_at: None,
    }
}

/// The principal of a token row (for listings): role and scope as Settings shows them.
pub fn token_grant(row: &AuthenticationRow) -> Grant {
    Grant { role: token_role(row), namespace: token_namespace(row) }
}

fn bad_role(text: &str) -> AppError {
    AppError::Invalid(format!(
        "invalid field role: {text:?} is not one of client, viewer, editor, admin"
    ))
}
