//! OpenID Connect sign-in: the authorization code flow with PKCE (S256) against one provider.
//! Each login's state, nonce and verifier live in the database (`oidc_logins`), so whichever
//! replica receives the callback completes it, and each is good for one callback only (Flipt
//! v1 shares one process-wide verifier and a fixed nonce). The ID token's signature is checked
//! against the provider's keys, and its issuer, audience, expiry and nonce; who may sign in,
//! with which role, is decided by `auth_oidc_roles` once, at sign-in: nobody unmatched gets in.

use std::{sync::Arc, time::Duration};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;

use super::Grant;

/// `auth_oidc_*`.
#[derive(Clone)]
pub struct OidcSettings {
    /// The name in `/auth/v1/method/oidc/{provider}/…` and on the sign-in button.
    pub provider: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends the browser back (`…/auth/v1/method/oidc/{provider}/callback`).
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub rules: Vec<RoleRule>,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("provider", &self.provider)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("rules", &self.rules)
            .finish()
    }
}

/// Who a rule lets in: one address, or everyone at a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    Email(String),
    Domain(String),
}

/// `ROLE[@NAMESPACE]=PATTERN`: people matching the pattern get that role there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRule {
    pub grant: Grant,
    pub pattern: Pattern,
}

/// Parses `auth_oidc_roles`: rules separated by `;`, each `ROLE[@NAMESPACE]=PATTERN[,PATTERN…]`
/// where a pattern is an address (`alice@example.com`) or a domain (`@example.com`).
pub fn parse_rules(text: &str) -> Result<Vec<RoleRule>, String> {
    let mut rules = Vec::new();
    for rule in text.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (grant, patterns) =
            rule.split_once('=').ok_or_else(|| format!("{rule:?} is not ROLE=PATTERN"))?;
        let grant = super::Grant::parse_rule_side(grant)?;
        for pattern in patterns.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let pattern = match pattern.strip_prefix('@') {
                Some(domain) if !domain.is_empty() && !domain.contains('@') => {
                    Pattern::Domain(domain.to_ascii_lowercase())
                }
                None if pattern.split('@').count() == 2 && !pattern.starts_with('@') => {
                    Pattern::Email(pattern.to_ascii_lowercase())
                }
                _ => return Err(format!("{pattern:?} is neither an address nor @domain")),
            };
            rules.push(RoleRule { grant: grant.clone(), pattern });
        }
    }
    Ok(rules)
}

impl OidcSettings {
    /// The grants of a verified address; empty means it may not sign in.
    pub fn grants_for(&self, email: &str) -> Vec<Grant> {
        let email = email.to_ascii_lowercase();
        let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
        super::Grant::merged(
            self.rules
                .iter()
                .filter(|rule| match &rule.pattern {
                    Pattern::Email(address) => *address == email,
                    Pattern::Domain(d) => d == domain,
                })
                .map(|rule| &rule.grant),
        )
    }
}

/// What the provider's discovery document says.
#[derive(Debug, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// What Vexil reads from a verified ID token.
#[derive(Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

/// A sign-in that failed, with what to tell the person.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider could not be reached or answered badly: {0}")]
    Provider(String),
    #[error("the identity provider's answer did not verify: {0}")]
    Invalid(String),
}

/// The configured provider, its discovery document and keys fetched when first needed.
#[derive(Debug)]
pub struct Oidc {
    pub settings: OidcSettings,
    http: reqwest::Client,
    discovery: RwLock<Option<Arc<Discovery>>>,
    keys: RwLock<JwkSet>,
}

/// A PKCE verifier's S256 challenge.
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Oidc {
            settings,
            http,
            discovery: RwLock::default(),
            keys: RwLock::new(JwkSet { keys: vec![] }),
        }
    }

    async fn discovery(&self) -> Result<Arc<Discovery>, OidcError> {
        if let Some(found) = self.discovery.read().await.clone() {
            return Ok(found);
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let found: Discovery = self.get_json(&url).await?;
        if found.issuer.trim_end_matches('/') != self.settings.issuer.trim_end_matches('/') {
            return Err(OidcError::Invalid(format!(
                "the discovery document names issuer {:?}, not {:?}",
                found.issuer, self.settings.issuer
            )));
        }
        let found = Arc::new(found);
        *self.discovery.write().await = Some(found.clone());
        Ok(found)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let reply =
            self.http.get(url).send().await.map_err(|e| OidcError::Provider(e.to_string()))?;
        if !reply.status().is_success() {
            return Err(OidcError::Provider(format!("{url} answered {}", reply.status())));
        }
        reply.json().await.map_err(|e| OidcError::Provider(format!("{url}: {e}")))
    }

    /// Where to send the browser: the provider's authorization endpoint for this login.
    pub async fn authorize_url(
        &self,
        state: &str,
        nonce: &str,
        verifier: &str,
        redirect_uri: &str,
    ) -> Result<String, OidcError> {
        let discovery = self.discovery().await?;
        let mut url = reqwest::Url::parse(&discovery.authorization_endpoint)
            .map_err(|e| OidcError::Provider(format!("authorization_endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &self.settings.scopes.join(" "))
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", &challenge(verifier))
            .append_pair("code_challenge_method", "S256");
        Ok(url.to_string())
    }

    /// Exchanges the code for tokens and verifies the ID token against `nonce`.
    pub async fn exchange(
        &self,
        code: &str,
        verifier: &str,
        nonce: &str,
        redirect_uri: &str,
    ) -> Result<Claims, OidcError> {
        let discovery = self.discovery().await?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let reply = self
            .http
            .post(&discovery.token_endpoint)
            .basic_auth(&self.settings.client_id, Some(&self.settings.client_secret))
            .form(&form)
            .send()
            .await
            .map_err(|e| OidcError::Provider(e.to_string()))?;
        if !reply.status().is_success() {
            let status = reply.status();
            let text = reply.text().await.unwrap_or_default();
            return Err(OidcError::Invalid(format!(
                "the token endpoint answered {status}: {text}"
            )));
        }
        #[derive(Deserialize)]
        struct Tokens {
            id_token: String,
        }
        let tokens: Tokens =
            reply.json().await.map_err(|e| OidcError::Invalid(format!("token response: {e}")))?;
        let claims = self.verify(&tokens.id_token, &discovery).await?;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(OidcError::Invalid("the ID token's nonce is not this login's".into()));
        }
        Ok(claims)
    }

    async fn verify(&self, id_token: &str, discovery: &Discovery) -> Result<Claims, OidcError> {
        let header = jsonwebtoken::decode_header(id_token)
            .map_err(|e| OidcError::Invalid(format!("ID token header: {e}")))?;
        if !matches!(
            header.alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::ES256
                | Algorithm::ES384
                | Algorithm::PS256
        ) {
            return Err(OidcError::Invalid(format!(
                "ID token algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let key = match self.key(header.kid.as_deref(), false, discovery).await? {
            Some(key) => key,
            // An unknown key id: the provider may have rotated its keys.
            None => self
                .key(header.kid.as_deref(), true, discovery)
                .await?
                .ok_or_else(|| OidcError::Invalid("no provider key matches the ID token".into()))?,
        };
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[discovery.issuer.as_str()]);
        validation.set_audience(&[self.settings.client_id.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<Claims>(id_token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| OidcError::Invalid(format!("ID token: {e}")))
    }

    async fn key(
        &self,
        kid: Option<&str>,
        refresh: bool,
        discovery: &Discovery,
    ) -> Result<Option<DecodingKey>, OidcError> {
        if refresh || self.keys.read().await.keys.is_empty() {
            let fetched: JwkSet = self.get_json(&discovery.jwks_uri).await?;
            *self.keys.write().await = fetched;
        }
        let keys = self.keys.read().await;
        let jwk = match kid {
            Some(kid) => keys.find(kid),
            None => keys.keys.first(),
        };
        jwk.map(|jwk| {
            DecodingKey::from_jwk(jwk).map_err(|e| OidcError::Invalid(format!("provider key: {e}")))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    #[test]
    fn role_rules_match_addresses_and_domains() {
        let rules =
            parse_rules("admin=Alice@Example.com; editor@payments=@example.com,bob@corp.io")
                .unwrap();
        let settings = OidcSettings {
            provider: "sso".into(),
            issuer: "http://127.0.0.1:1".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            redirect_url: String::new(),
            scopes: vec![],
            rules,
        };
        // Alice is named as admin and is also in the domain editors of payments: admin
        // everywhere already covers payments.
        assert_eq!(settings.grants_for("alice@example.com"), vec![Grant::everywhere(Role::Admin)]);
        let both = OidcSettings {
            rules: parse_rules(
                "viewer=@example.com; admin=alice@example.com; editor@ops=@example.com",
            )
            .unwrap(),
            ..settings.clone()
        };
        assert_eq!(both.grants_for("alice@example.com"), vec![Grant::everywhere(Role::Admin)]);
        assert_eq!(
            both.grants_for("bob@example.com"),
            vec![
                Grant::everywhere(Role::Viewer),
                Grant { role: Role::Editor, namespace: Some("ops".into()) }
            ]
        );
        let carol = settings.grants_for("carol@EXAMPLE.com");
        assert_eq!(carol, vec![Grant { role: Role::Editor, namespace: Some("payments".into()) }]);
        assert!(settings.grants_for("mallory@evil.test").is_empty());
        assert!(settings.grants_for("example.com").is_empty());
        assert!(parse_rules("boss=a@b.c").is_err());
        assert!(parse_rules("admin=nobody").is_err());
        assert!(parse_rules("admin").is_err());
        // RFC 7636's example.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
