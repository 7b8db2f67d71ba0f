//! Signing in with OpenID Connect: a login row per attempt (state, nonce, PKCE verifier, where
//! to go next), then, at the callback, a session with the roles `auth_oidc_roles` grants.

use std::{sync::Arc, time::Duration};

use app::error::AppError;

use super::{internal, Service};
use crate::{
    auth::{
        oidc::{Oidc, OidcError},
        registry::METHOD_OIDC,
        secret,
    },
    store::{
        access::{self as store, OidcLogin, SessionRow},
        now_nanos,
    },
};

/// How long a person has to complete a sign-in at the provider.
const LOGIN_LIFETIME: Duration = Duration::from_secs(10 * 60);

impl Service {
    /// The same service offering sign-in with `oidc`.
    pub fn with_oidc(mut self, oidc: Option<Oidc>) -> Self {
        self.oidc = oidc.map(Arc::new);
        self
    }

    /// The OpenID Connect provider, when one is configured.
    pub fn oidc(&self) -> Option<&Arc<Oidc>> {
        self.oidc.as_ref()
    }

    /// Starts a sign-in: remembers this attempt and answers the provider's URL to send the
    /// browser to.
    pub async fn begin_oidc_login(&self, next: &str) -> Result<String, AppError> {
        let oidc = self.oidc().ok_or_else(not_configured)?;
        let login = OidcLogin {
            state: secret::generate(),
            nonce: secret::generate(),
            verifier: secret::generate().trim_end_matches('=').to_string(),
            next_path: next.to_string(),
            expires_at: now_nanos() + LOGIN_LIFETIME.as_nanos() as i64,
        };
        let url = oidc
            .authorize_url(&login.state, &login.nonce, &login.verifier, &oidc.settings.redirect_url)
            .await
            .map_err(provider_error)?;
        let mut tx = self.begin().await?;
        store::insert_oidc_login(&mut tx, &login).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(url)
    }

    /// Completes a sign-in at the callback: the state is good once, the code is exchanged and
    /// the ID token verified, and only an address `auth_oidc_roles` names gets a session.
    /// Answers the session secret, its lifetime and where to go next.
    pub async fn finish_oidc_login(
        &self,
        state: &str,
        code: &str,
    ) -> Result<(String, Duration, String), AppError> {
        let oidc = self.oidc().ok_or_else(not_configured)?;
        let mut tx = self.begin().await?;
        let login = store::take_oidc_login(&mut tx, state).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        let login = login
            .filter(|login| login.expires_at > now_nanos())
            .ok_or_else(|| crate::auth::unauthenticated("unknown, used or expired OIDC state"))?;
        let claims = oidc
            .exchange(code, &login.verifier, &login.nonce, &oidc.settings.redirect_url)
            .await
            .map_err(provider_error)?;
        let email = claims.email.filter(|e| !e.trim().is_empty()).ok_or_else(|| {
            refused(format!("the identity provider gave no email address for {}", claims.sub))
        })?;
        if claims.email_verified == Some(false) {
            return Err(refused(format!(
                "{email} is not a verified address at the identity provider"
            )));
        }
        let grants = oidc.settings.grants_for(&email);
        if grants.is_empty() {
            return Err(refused(format!("{email} is not allowed to sign in to this Vexil")));
        }
        let now = now_nanos();
        let session = SessionRow {
            id: uuid::Uuid::new_v4().to_string(),
            method: METHOD_OIDC,
            authentication_id: None,
            email: Some(email.clone()),
            name: email.clone(),
            grants: serde_json::to_string(&grants).unwrap_or_else(|_| "[]".into()),
            expires_at: now + self.policy.session_lifetime.as_nanos() as i64,
            created_at: now,
            last_seen_at: now,
        };
        let (secret, lifetime) = self.start_session(session, now).await?;
        Ok((secret, lifetime, login.next_path))
    }
}

fn not_configured() -> AppError {
    AppError::NotFound("OpenID Connect sign-in is not configured (auth_oidc_issuer)".into())
}

fn provider_error(error: OidcError) -> AppError {
    tracing::warn!(%error, "OpenID Connect sign-in failed");
    match error {
        OidcError::Provider(_) => AppError::Unavailable(error.to_string()),
        OidcError::Invalid(_) => AppError::Unauthenticated(error.to_string()),
    }
}

fn refused(message: String) -> AppError {
    crate::auth::REFUSALS.denied.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(%message, "OpenID Connect sign-in refused");
    AppError::PermissionDenied(message)
}
