//! Workload identities, as Flipt v1 accepts them: a JWT signed by a key Vexil is given
//! (`Authorization: JWT <token>`, checked on every request), and a Kubernetes service-account
//! token exchanged at `POST /auth/v1/method/kubernetes/serviceaccount` for a client token that
//! expires with it. Both get their roles from rules (`ROLE[@NAMESPACE]=VALUE[,VALUE]`, `*` any
//! value); an identity no rule names is authenticated with no role, so it is refused with 403
//! wherever it goes, as Flipt's policy refuses it.

use std::{sync::Arc, time::Duration};

use app::error::AppError;
use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::RwLock;

use super::{unauthenticated, Credential, Grant, Principal, Role};

/// One role rule: `ROLE[@NAMESPACE]=VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueRule {
    pub grant: Grant,
    /// The claim value (JWT role claim, service account name) it matches; `*` matches any.
    pub value: String,
}

/// Parses `ROLE[@NAMESPACE]=VALUE[,VALUE…]` rules separated by `;`.
pub fn parse_value_rules(text: &str) -> Result<Vec<ValueRule>, String> {
    let mut rules = Vec::new();
    for rule in text.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (grant, values) =
            rule.split_once('=').ok_or_else(|| format!("{rule:?} is not ROLE=VALUE"))?;
        let grant = Grant::parse_rule_side(grant)?;
        let values: Vec<&str> =
            values.split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
        if values.is_empty() {
            return Err(format!("{rule:?} names no value"));
        }
        for value in values {
            rules.push(ValueRule { grant: grant.clone(), value: value.to_string() });
        }
    }
    Ok(rules)
}

/// The grants `rules` give `value` ([`Grant::merged`]).
pub fn grants_for(rules: &[ValueRule], value: &str) -> Vec<Grant> {
    Grant::merged(rules.iter().filter(|r| r.value == "*" || r.value == value).map(|r| &r.grant))
}

/// The JWT method's settings.
#[derive(Clone, Debug)]
pub struct JwtSettings {
    pub public_key_file: std::path::PathBuf,
    pub issuer: Option<String>,
    pub audiences: Vec<String>,
    /// Empty: the role claim is the role itself when it names one.
    pub rules: Vec<ValueRule>,
}

/// The claim naming a JWT's role, and the one scoping it to a namespace (Flipt's names).
pub const ROLE_CLAIM: &str = "io.flipt.auth.role";
pub const NAMESPACE_CLAIM: &str = "io.flipt.auth.namespace";

/// Verifies `Authorization: JWT` tokens with the configured public key.
pub struct JwtVerifier {
    key: DecodingKey,
    algorithms: Vec<Algorithm>,
    settings: JwtSettings,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier").field("settings", &self.settings).finish()
    }
}

impl JwtVerifier {
    /// Reads the public key (PEM: RSA, EC or Ed25519); the error says what is wrong with it.
    pub fn load(settings: JwtSettings) -> Result<Self, String> {
        let pem = std::fs::read(&settings.public_key_file)
            .map_err(|e| format!("{}: {e}", settings.public_key_file.display()))?;
        let (key, algorithms) = if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
            let rsa = [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512, Algorithm::PS256];
            (key, [rsa.as_slice(), &[Algorithm::PS384, Algorithm::PS512]].concat())
        } else if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
            (key, vec![Algorithm::ES256, Algorithm::ES384])
        } else if let Ok(key) = DecodingKey::from_ed_pem(&pem) {
            (key, vec![Algorithm::EdDSA])
        } else {
            return Err(format!(
                "{}: not a PEM public key (RSA, EC or Ed25519)",
                settings.public_key_file.display()
            ));
        };
        Ok(JwtVerifier { key, algorithms, settings })
    }

    /// The principal of a verified token, or Flipt's 401.
    pub fn principal(&self, token: &str) -> Result<Principal, AppError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| unauthenticated("JWT header"))?;
        if !self.algorithms.contains(&header.alg) {
            return Err(unauthenticated("JWT algorithm does not match the key"));
        }
        let mut validation = Validation::new(header.alg);
        validation.algorithms = self.algorithms.clone();
        validation.set_required_spec_claims(&["exp"]);
        match &self.settings.issuer {
            Some(issuer) => validation.set_issuer(&[issuer]),
            None => validation.iss = None,
        }
        if self.settings.audiences.is_empty() {
            validation.validate_aud = false;
        } else {
            validation.set_audience(&self.settings.audiences);
        }
        let data =
            jsonwebtoken::decode::<serde_json::Map<String, Value>>(token, &self.key, &validation)
                .map_err(|_| unauthenticated("JWT did not verify"))?;
        let claims = data.claims;
        let text = |key: &str| claims.get(key).and_then(Value::as_str).unwrap_or_default();
        let role_claim = text(ROLE_CLAIM);
        let mut grants = if self.settings.rules.is_empty() {
            Role::parse(role_claim).map(Grant::everywhere).into_iter().collect()
        } else {
            grants_for(&self.settings.rules, role_claim)
        };
        // A namespace claim narrows every grant to that namespace.
        let namespace = text(NAMESPACE_CLAIM);
        if !namespace.is_empty() {
            let narrowed: Vec<Grant> = grants
                .iter()
                .filter(|g| g.namespace.as_deref().is_none_or(|ns| ns == namespace))
                .map(|g| Grant { role: g.role, namespace: Some(namespace.to_string()) })
                .collect();
            grants = Grant::merged(&narrowed);
        }
        let name = [text("sub"), text("email"), text("iss")]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("jwt")
            .to_string();
        let expires_at =
            claims.get("exp").and_then(Value::as_i64).map(|s| s.saturating_mul(1_000_000_000));
        Ok(Principal {
            name,
            credential: Credential::Jwt,
            grants,
            flipt_scoped: false,
            expires_at,
            authentication_id: None,
        })
    }
}

/// The Kubernetes method's settings.
#[derive(Clone, Debug)]
pub struct KubernetesSettings {
    /// Where the cluster's OIDC discovery document is served (the API server's issuer).
    pub discovery_url: String,
    pub rules: Vec<ValueRule>,
}

#[derive(Debug, Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

/// What Vexil reads from a verified service-account token.
#[derive(Debug, Deserialize)]
pub struct ServiceAccountClaims {
    pub exp: i64,
    #[serde(rename = "kubernetes.io")]
    pub kubernetes: KubernetesClaims,
}

#[derive(Debug, Deserialize)]
pub struct KubernetesClaims {
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub pod: Option<Named>,
    pub serviceaccount: Named,
}

#[derive(Debug, Deserialize)]
pub struct Named {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub uid: String,
}

/// Verifies service-account tokens against the keys the cluster publishes.
#[derive(Debug)]
pub struct KubernetesVerifier {
    pub settings: KubernetesSettings,
    http: reqwest::Client,
    discovery: RwLock<Option<Arc<Discovery>>>,
    keys: RwLock<JwkSet>,
}

fn provider(message: String) -> AppError {
    AppError::Unavailable(format!("the Kubernetes discovery service: {message}"))
}

impl KubernetesVerifier {
    pub fn new(settings: KubernetesSettings) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        KubernetesVerifier {
            settings,
            http,
            discovery: RwLock::default(),
            keys: RwLock::new(JwkSet { keys: vec![] }),
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, AppError> {
        let reply = self.http.get(url).send().await.map_err(|e| provider(e.to_string()))?;
        if !reply.status().is_success() {
            return Err(provider(format!("{url} answered {}", reply.status())));
        }
        reply.json().await.map_err(|e| provider(format!("{url}: {e}")))
    }

    async fn discovery(&self) -> Result<Arc<Discovery>, AppError> {
        if let Some(found) = self.discovery.read().await.clone() {
            return Ok(found);
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.settings.discovery_url.trim_end_matches('/')
        );
        let found = Arc::new(self.get_json::<Discovery>(&url).await?);
        *self.discovery.write().await = Some(found.clone());
        Ok(found)
    }

    async fn key(&self, kid: Option<&str>, refresh: bool) -> Result<Option<DecodingKey>, AppError> {
        if refresh || self.keys.read().await.keys.is_empty() {
            let discovery = self.discovery().await?;
            let fetched: JwkSet = self.get_json(&discovery.jwks_uri).await?;
            *self.keys.write().await = fetched;
        }
        let keys = self.keys.read().await;
        let jwk = match kid {
            Some(kid) => keys.find(kid),
            None => keys.keys.first(),
        };
        Ok(jwk.and_then(|jwk| DecodingKey::from_jwk(jwk).ok()))
    }

    /// Verifies a service-account token: signed by a key the cluster publishes, issued by the
    /// issuer its discovery document names, not expired. A token that does not verify is 401.
    pub async fn verify(&self, token: &str) -> Result<ServiceAccountClaims, AppError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| unauthenticated("service account token header"))?;
        if !matches!(
            header.alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::ES256
                | Algorithm::ES384
                | Algorithm::PS256
        ) {
            return Err(unauthenticated("service account token algorithm"));
        }
        let key = match self.key(header.kid.as_deref(), false).await? {
            Some(key) => key,
            // An unknown key id: the cluster may have rotated its keys.
            None => self.key(header.kid.as_deref(), true).await?.ok_or_else(|| {
                unauthenticated("no cluster key matches the service account token")
            })?,
        };
        let discovery = self.discovery().await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[discovery.issuer.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss"]);
        validation.validate_aud = false;
        jsonwebtoken::decode::<ServiceAccountClaims>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|_| unauthenticated("service account token did not verify"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_rules_parse_and_grant_the_strongest_per_scope() {
        let rules = parse_value_rules("admin=ops; viewer=*; editor@payments=ci,ops").unwrap();
        assert_eq!(rules.len(), 4);
        assert_eq!(
            grants_for(&rules, "nobody-in-particular"),
            vec![Grant::everywhere(Role::Viewer)]
        );
        assert_eq!(
            grants_for(&rules, "ci"),
            vec![
                Grant::everywhere(Role::Viewer),
                Grant { role: Role::Editor, namespace: Some("payments".into()) }
            ]
        );
        // ops is admin everywhere: the editor grant in payments adds nothing.
        assert_eq!(grants_for(&rules, "ops"), vec![Grant::everywhere(Role::Admin)]);
        assert!(grants_for(&parse_value_rules("admin=ops").unwrap(), "dev").is_empty());
        for bad in ["admin", "owner=x", "viewer@=x", "viewer="] {
            assert!(parse_value_rules(bad).is_err(), "{bad}");
        }
    }
}
