//! The Kubernetes method's exchange: a verified service-account token becomes a client token
//! (an authentication row of method `METHOD_KUBERNETES`) that expires with it.

use std::sync::Arc;

use app::error::AppError;
use serde_json::{Map, Value};

use super::{access::Authentication, error::internal, Service};
use crate::{
    auth::{
        registry::{META_GRANTS, METHOD_KUBERNETES},
        secret,
        workload::{grants_for, JwtVerifier, KubernetesVerifier},
    },
    store::{access as store, access::AuthenticationRow, now_nanos},
};

impl Service {
    /// The same service with the JWT and Kubernetes methods configured (or not).
    pub fn with_workload(
        mut self,
        jwt: Option<JwtVerifier>,
        kubernetes: Option<KubernetesVerifier>,
    ) -> Self {
        self.jwt = jwt.map(Arc::new);
        self.kubernetes = kubernetes.map(Arc::new);
        self
    }

    /// The JWT method's verifier, when configured.
    pub fn jwt(&self) -> Option<&Arc<JwtVerifier>> {
        self.jwt.as_ref()
    }

    /// Whether the Kubernetes method is configured.
    pub fn kubernetes_enabled(&self) -> bool {
        self.kubernetes.is_some()
    }

    /// `POST /auth/v1/method/kubernetes/serviceaccount`: verifies the service-account token and
    /// answers a client token expiring with it, with the roles `auth_kubernetes_roles` gives
    /// the service account (none: authenticated, refused everywhere with 403).
    pub async fn verify_service_account(
        &self,
        service_account_token: &str,
    ) -> Result<(String, Authentication), AppError> {
        let Some(kubernetes) = &self.kubernetes else {
            return Err(AppError::Unauthenticated(
                "the kubernetes authentication method is not enabled (auth_kubernetes_discovery_url)"
                    .into(),
            ));
        };
        if service_account_token.trim().is_empty() {
            return Err(AppError::Invalid(
                "invalid field serviceAccountToken: must not be empty".into(),
            ));
        }
        let claims = kubernetes.verify(service_account_token.trim()).await?;
        let account = &claims.kubernetes.serviceaccount;
        let grants = grants_for(&kubernetes.settings.rules, &account.name);
        let now = now_nanos();
        let mut metadata = Map::new();
        let mut put = |key: &str, value: &str| {
            metadata.insert(key.to_string(), Value::String(value.to_string()));
        };
        put("io.flipt.auth.k8s.namespace", &claims.kubernetes.namespace);
        if let Some(pod) = &claims.kubernetes.pod {
            put("io.flipt.auth.k8s.pod.name", &pod.name);
            put("io.flipt.auth.k8s.pod.uid", &pod.uid);
        }
        put("io.flipt.auth.k8s.serviceaccount.name", &account.name);
        put("io.flipt.auth.k8s.serviceaccount.uid", &account.uid);
        put(META_GRANTS, &serde_json::to_string(&grants).unwrap_or_else(|_| "[]".into()));
        let row = AuthenticationRow {
            id: uuid::Uuid::new_v4().to_string(),
            method: METHOD_KUBERNETES,
            metadata: Value::Object(metadata).to_string(),
            role: None,
            expires_at: Some(claims.exp.saturating_mul(1_000_000_000)),
            created_at: now,
            updated_at: now,
            last_used_at: None,
        };
        if row.expires_at.is_some_and(|at| at <= now) {
            return Err(crate::auth::unauthenticated("service account token expired"));
        }
        let token = secret::generate();
        let mut tx = self.begin().await?;
        store::insert_authentication(&mut tx, &row, &secret::hash(&token))
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        tracing::info!(
            service_account = %account.name,
            namespace = %claims.kubernetes.namespace,
            token = %row.id,
            "kubernetes service account authenticated"
        );
        Ok((token, Authentication::of(&row)))
    }
}
