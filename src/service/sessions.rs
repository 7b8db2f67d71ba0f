//! Dashboard sessions: signing in with a token (OIDC sign-in is in `oidc`), signing out, and
//! an admin's list of sessions to end. A session is a database row, so ending it holds on
//! every replica (the access version, see `access`).

use std::time::Duration;

use app::error::AppError;

use super::{internal, Service};
use crate::{
    auth::{self, registry::METHOD_TOKEN, secret, Credential, Need, Role},
    store::{
        access::{self as store, SessionRow},
        now_nanos,
    },
};

impl Service {
    /// Signs in to the dashboard with a token: a session that follows the token (and ends with
    /// it). Returns the session secret for the cookie and its lifetime.
    pub async fn sign_in_with_token(&self, token: &str) -> Result<(String, Duration), AppError> {
        let principal = self.access().token(token.trim()).await?;
        if principal.grants.iter().map(|g| g.role).max() == Some(Role::Client) {
            return Err(AppError::PermissionDenied(
                "permission denied: a client token can only evaluate flags; sign in with a viewer, \
                 editor or admin token"
                    .into(),
            ));
        }
        let now = now_nanos();
        let mut expires_at = now + self.policy.session_lifetime.as_nanos() as i64;
        if let Some(token_expiry) = principal.expires_at {
            expires_at = expires_at.min(token_expiry);
        }
        let session = SessionRow {
            id: uuid::Uuid::new_v4().to_string(),
            method: METHOD_TOKEN,
            authentication_id: principal.authentication_id.clone(),
            email: None,
            name: principal.name.clone(),
            grants: serde_json::to_string(&principal.grants).unwrap_or_else(|_| "[]".into()),
            expires_at,
            created_at: now,
            last_seen_at: now,
        };
        self.start_session(session, now).await
    }

    /// Stores a session; returns its secret and how long it lasts.
    pub(crate) async fn start_session(
        &self,
        session: SessionRow,
        now: i64,
    ) -> Result<(String, Duration), AppError> {
        let secret = secret::generate();
        let mut tx = self.begin().await?;
        store::insert_session(&mut tx, &session, &secret::hash(&secret)).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        tracing::info!(session = %session.id, name = %session.name, "signed in");
        let lifetime = Duration::from_nanos((session.expires_at - now).max(0) as u64);
        Ok((secret, lifetime))
    }

    /// Ends the calling session (sign-out); nothing to do without one.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        let principal = auth::current();
        let Credential::Session { id, .. } = &principal.credential else { return Ok(()) };
        let mut tx = self.begin().await?;
        store::delete_session(&mut tx, id).await.map_err(internal)?;
        self.commit_access(tx).await?;
        tracing::info!(session = %id, name = %principal.name, "signed out");
        Ok(())
    }

    /// Active sessions, newest first.
    pub async fn list_sessions(&self) -> Result<Vec<SessionRow>, AppError> {
        auth::require(Need::Admin, None)?;
        let mut conn = self.conn().await?;
        store::list_sessions(&mut conn, now_nanos()).await.map_err(internal)
    }

    /// Ends someone's session, on every replica.
    pub async fn end_session(&self, id: &str) -> Result<bool, AppError> {
        let actor = auth::require(Need::Admin, None)?;
        let mut tx = self.begin().await?;
        let existed = store::delete_session(&mut tx, id).await.map_err(internal)?;
        self.commit_access(tx).await?;
        tracing::info!(actor = %actor.actor(), session = id, existed, "session ended");
        Ok(existed)
    }
}
