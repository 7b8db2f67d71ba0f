//! Access-control settings: authentication on or off, the bootstrap token, sessions, the
//! origins trusted to post to the dashboard, and CORS for client-side SDKs.

use std::time::Duration;

use clap::Args;

use crate::auth::{
    cors::{CorsSettings, DEFAULT_ALLOWED_HEADERS},
    oidc::OidcSettings,
    workload::{parse_value_rules, JwtSettings, JwtVerifier, KubernetesSettings},
};

/// The access settings as given on the command line or in the environment.
#[derive(Debug, Default, Clone, Args)]
pub struct AccessArgs {
    /// Require a credential (token or dashboard session) for everything but /health and the
    /// sign-in page; `false` lets anyone who reaches the port in as an administrator
    /// [default: true]
    #[arg(long, env = "VEXIL_AUTH_REQUIRED", value_name = "BOOL", global = true)]
    pub auth_required: Option<String>,

    /// The admin token created on first start when no token exists; a random one when unset.
    /// Ignored once any token exists [default: random]
    #[arg(
        long,
        env = "VEXIL_BOOTSTRAP_TOKEN",
        value_name = "TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub bootstrap_token: Option<String>,

    /// Hours a dashboard sign-in lasts [default: 24]
    #[arg(long, env = "VEXIL_SESSION_LIFETIME_HOURS", value_name = "HOURS", global = true)]
    pub session_lifetime_hours: Option<String>,

    /// Comma-separated origins (`https://admin.example.com`) whose pages may post to the
    /// dashboard with its session, besides its own [default: none]
    #[arg(long, env = "VEXIL_TRUSTED_ORIGINS", value_name = "ORIGINS", global = true)]
    pub trusted_origins: Option<String>,

    /// Comma-separated origins allowed to call the evaluation, snapshot and OFREP routes from
    /// a browser (`*` for any) [default: none]
    #[arg(long, env = "VEXIL_CORS_ALLOWED_ORIGINS", value_name = "ORIGINS", global = true)]
    pub cors_allowed_origins: Option<String>,

    /// Comma-separated request headers such browser callers may send [default: Flipt's
    /// defaults plus X-Flipt-Environment, X-Flipt-Accept-Server-Version, If-None-Match]
    #[arg(long, env = "VEXIL_CORS_ALLOWED_HEADERS", value_name = "HEADERS", global = true)]
    pub cors_allowed_headers: Option<String>,

    /// OpenID Connect issuer URL (`https://accounts.example.com`); sign-in with it is offered
    /// when set [default: none]
    #[arg(long, env = "VEXIL_AUTH_OIDC_ISSUER", value_name = "URL", global = true)]
    pub auth_oidc_issuer: Option<String>,

    /// The client id registered with the issuer
    #[arg(long, env = "VEXIL_AUTH_OIDC_CLIENT_ID", value_name = "ID", global = true)]
    pub auth_oidc_client_id: Option<String>,

    /// The client secret registered with the issuer (never logged)
    #[arg(
        long,
        env = "VEXIL_AUTH_OIDC_CLIENT_SECRET",
        value_name = "SECRET",
        global = true,
        hide_env_values = true
    )]
    pub auth_oidc_client_secret: Option<String>,

    /// Where the issuer sends the browser back [default:
    /// http://LISTEN/auth/v1/method/oidc/PROVIDER/callback]
    #[arg(long, env = "VEXIL_AUTH_OIDC_REDIRECT_URL", value_name = "URL", global = true)]
    pub auth_oidc_redirect_url: Option<String>,

    /// Space-separated scopes to ask for [default: openid email profile]
    #[arg(long, env = "VEXIL_AUTH_OIDC_SCOPES", value_name = "SCOPES", global = true)]
    pub auth_oidc_scopes: Option<String>,

    /// Who may sign in with which role: `ROLE[@NAMESPACE]=PATTERN[,PATTERN]` rules separated
    /// by `;`, a pattern being an address or `@domain` [default: none: nobody]
    #[arg(long, env = "VEXIL_AUTH_OIDC_ROLES", value_name = "RULES", global = true)]
    pub auth_oidc_roles: Option<String>,

    /// The provider's name in the callback path and on the sign-in button [default: oidc]
    #[arg(long, env = "VEXIL_AUTH_OIDC_PROVIDER", value_name = "NAME", global = true)]
    pub auth_oidc_provider: Option<String>,

    /// Serve /metrics without a credential, as Flipt does (Prometheus scrapers send none);
    /// `false` requires the viewer role [default: true]
    #[arg(long, env = "VEXIL_METRICS_PUBLIC", value_name = "BOOL", global = true)]
    pub metrics_public: Option<String>,

    /// A PEM public key (RSA, EC or Ed25519); when set, `Authorization: JWT <token>` signed by
    /// it is accepted, as Flipt's JWT method [default: none: off]
    #[arg(long, env = "VEXIL_AUTH_JWT_PUBLIC_KEY_FILE", value_name = "PATH", global = true)]
    pub auth_jwt_public_key_file: Option<String>,

    /// The `iss` a JWT must carry [default: none: not checked]
    #[arg(long, env = "VEXIL_AUTH_JWT_ISSUER", value_name = "ISSUER", global = true)]
    pub auth_jwt_issuer: Option<String>,

    /// Comma-separated audiences, one of which a JWT's `aud` must name [default: none: not
    /// checked]
    #[arg(long, env = "VEXIL_AUTH_JWT_AUDIENCES", value_name = "AUDIENCES", global = true)]
    pub auth_jwt_audiences: Option<String>,

    /// Roles of JWTs by their `io.flipt.auth.role` claim: `ROLE[@NAMESPACE]=VALUE[,VALUE]`
    /// rules separated by `;` (`*`: any) [default: none: the claim is the role when it names one]
    #[arg(long, env = "VEXIL_AUTH_JWT_ROLES", value_name = "RULES", global = true)]
    pub auth_jwt_roles: Option<String>,

    /// The Kubernetes API server's OIDC discovery URL; when set, service-account tokens are
    /// exchanged at /auth/v1/method/kubernetes/serviceaccount [default: none: off]
    #[arg(long, env = "VEXIL_AUTH_KUBERNETES_DISCOVERY_URL", value_name = "URL", global = true)]
    pub auth_kubernetes_discovery_url: Option<String>,

    /// Roles of service accounts by name: `ROLE[@NAMESPACE]=NAME[,NAME]` rules separated by `;`
    /// (`*`: any) [default: none: authenticated, no role]
    #[arg(long, env = "VEXIL_AUTH_KUBERNETES_ROLES", value_name = "RULES", global = true)]
    pub auth_kubernetes_roles: Option<String>,
}

/// The validated access settings.
#[derive(Clone)]
pub struct AccessSettings {
    pub required: bool,
    pub bootstrap_token: Option<String>,
    pub session_lifetime: Duration,
    pub trusted_origins: Vec<String>,
    pub cors: CorsSettings,
    pub oidc: Option<OidcSettings>,
    /// `metrics_public`: /metrics answers without a credential.
    pub metrics_public: bool,
    /// The JWT method, when `auth_jwt_public_key_file` is set.
    pub jwt: Option<JwtSettings>,
    /// The Kubernetes method, when `auth_kubernetes_discovery_url` is set.
    pub kubernetes: Option<KubernetesSettings>,
}

impl std::fmt::Debug for AccessSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bootstrap token is a secret: never in a log line.
        f.debug_struct("AccessSettings")
            .field("required", &self.required)
            .field("bootstrap_token", &self.bootstrap_token.as_ref().map(|_| "<redacted>"))
            .field("session_lifetime", &self.session_lifetime)
            .field("trusted_origins", &self.trusted_origins)
            .field("cors", &self.cors)
            .field("oidc", &self.oidc)
            .field("metrics_public", &self.metrics_public)
            .field("jwt", &self.jwt)
            .field("kubernetes", &self.kubernetes)
            .finish()
    }
}

/// The defaults, in the order of `AccessArgs` (appended to the main table).
pub const DEFAULTS: [(&str, &str, &str); 20] = [
    ("auth_required", "VEXIL_AUTH_REQUIRED", "true"),
    ("bootstrap_token", "VEXIL_BOOTSTRAP_TOKEN", ""),
    ("session_lifetime_hours", "VEXIL_SESSION_LIFETIME_HOURS", "24"),
    ("trusted_origins", "VEXIL_TRUSTED_ORIGINS", ""),
    ("cors_allowed_origins", "VEXIL_CORS_ALLOWED_ORIGINS", ""),
    ("cors_allowed_headers", "VEXIL_CORS_ALLOWED_HEADERS", DEFAULT_ALLOWED_HEADERS),
    ("auth_oidc_issuer", "VEXIL_AUTH_OIDC_ISSUER", ""),
    ("auth_oidc_client_id", "VEXIL_AUTH_OIDC_CLIENT_ID", ""),
    ("auth_oidc_client_secret", "VEXIL_AUTH_OIDC_CLIENT_SECRET", ""),
    ("auth_oidc_redirect_url", "VEXIL_AUTH_OIDC_REDIRECT_URL", ""),
    ("auth_oidc_scopes", "VEXIL_AUTH_OIDC_SCOPES", "openid email profile"),
    ("auth_oidc_roles", "VEXIL_AUTH_OIDC_ROLES", ""),
    ("auth_oidc_provider", "VEXIL_AUTH_OIDC_PROVIDER", "oidc"),
    ("metrics_public", "VEXIL_METRICS_PUBLIC", "true"),
    ("auth_jwt_public_key_file", "VEXIL_AUTH_JWT_PUBLIC_KEY_FILE", ""),
    ("auth_jwt_issuer", "VEXIL_AUTH_JWT_ISSUER", ""),
    ("auth_jwt_audiences", "VEXIL_AUTH_JWT_AUDIENCES", ""),
    ("auth_jwt_roles", "VEXIL_AUTH_JWT_ROLES", ""),
    ("auth_kubernetes_discovery_url", "VEXIL_AUTH_KUBERNETES_DISCOVERY_URL", ""),
    ("auth_kubernetes_roles", "VEXIL_AUTH_KUBERNETES_ROLES", ""),
];

impl AccessArgs {
    pub fn given(&self) -> [&Option<String>; 20] {
        [
            &self.auth_required,
            &self.bootstrap_token,
            &self.session_lifetime_hours,
            &self.trusted_origins,
            &self.cors_allowed_origins,
            &self.cors_allowed_headers,
            &self.auth_oidc_issuer,
            &self.auth_oidc_client_id,
            &self.auth_oidc_client_secret,
            &self.auth_oidc_redirect_url,
            &self.auth_oidc_scopes,
            &self.auth_oidc_roles,
            &self.auth_oidc_provider,
            &self.metrics_public,
            &self.auth_jwt_public_key_file,
            &self.auth_jwt_issuer,
            &self.auth_jwt_audiences,
            &self.auth_jwt_roles,
            &self.auth_kubernetes_discovery_url,
            &self.auth_kubernetes_roles,
        ]
    }
}

/// Parses the raw values in `DEFAULTS` order; an error is (index among them, reason).
pub fn parse(raw: &[String]) -> Result<AccessSettings, (usize, String)> {
    let boolean = |index: usize| match raw[index].trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err((index, "expected true or false".to_string())),
    };
    let required = boolean(0)?;
    let metrics_public = boolean(13)?;
    let bootstrap_token = Some(raw[1].trim().to_string()).filter(|t| !t.is_empty());
    if bootstrap_token.as_ref().is_some_and(|t| t.len() < 8 || t.chars().any(char::is_whitespace)) {
        return Err((1, "must be at least 8 characters, without spaces".into()));
    }
    let hours = match raw[2].trim().parse::<u64>() {
        Ok(n) if (1..=8760).contains(&n) => n,
        Ok(_) => return Err((2, "must be between 1 and 8760".into())),
        Err(e) => return Err((2, e.to_string())),
    };
    let trusted_origins = origins(&raw[3]).map_err(|reason| (3, reason))?;
    if trusted_origins.iter().any(|o| o == "*") {
        return Err((3, "`*` cannot be trusted: name each origin".into()));
    }
    let allowed_origins = origins(&raw[4]).map_err(|reason| (4, reason))?;
    let allowed_headers = list(&raw[5]);
    if let Some(bad) =
        allowed_headers.iter().find(|h| !h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return Err((5, format!("{bad:?} is not a header name")));
    }
    let oidc = parse_oidc(&raw[6..13])?;
    Ok(AccessSettings {
        oidc,
        required,
        bootstrap_token,
        session_lifetime: Duration::from_secs(hours * 3600),
        trusted_origins,
        cors: CorsSettings { allowed_origins, allowed_headers },
        metrics_public,
        jwt: parse_jwt(&raw[14..18])?,
        kubernetes: parse_kubernetes(&raw[18..20])?,
    })
}

/// The JWT method's settings (indices 14 to 17); `None` without a key file.
fn parse_jwt(raw: &[String]) -> Result<Option<JwtSettings>, (usize, String)> {
    let file = raw[0].trim();
    let rules = parse_value_rules(&raw[3]).map_err(|reason| (17, reason))?;
    if file.is_empty() {
        if let Some(index) = (1..4).find(|&i| !raw[i].trim().is_empty()) {
            return Err((14 + index, "needs auth_jwt_public_key_file".into()));
        }
        return Ok(None);
    }
    let settings = JwtSettings {
        public_key_file: file.into(),
        issuer: Some(raw[1].trim().to_string()).filter(|s| !s.is_empty()),
        audiences: list(&raw[2]),
        rules,
    };
    // Read and parsed now, so a bad key stops the start naming this setting.
    JwtVerifier::load(settings.clone()).map_err(|reason| (14, reason))?;
    Ok(Some(settings))
}

/// The Kubernetes method's settings (indices 18 and 19); `None` without a discovery URL.
fn parse_kubernetes(raw: &[String]) -> Result<Option<KubernetesSettings>, (usize, String)> {
    let url = raw[0].trim().trim_end_matches('/');
    let rules = parse_value_rules(&raw[1]).map_err(|reason| (19, reason))?;
    if url.is_empty() {
        if !raw[1].trim().is_empty() {
            return Err((19, "needs auth_kubernetes_discovery_url".into()));
        }
        return Ok(None);
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err((18, "expected an http(s) URL".into()));
    }
    Ok(Some(KubernetesSettings { discovery_url: url.to_string(), rules }))
}

/// The OpenID Connect settings (indices 6 to 12); `None` when no issuer is set.
fn parse_oidc(raw: &[String]) -> Result<Option<OidcSettings>, (usize, String)> {
    let issuer = raw[0].trim().trim_end_matches('/');
    if issuer.is_empty() {
        return Ok(None);
    }
    if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
        return Err((6, "expected an http(s) URL".into()));
    }
    let required = |index: usize| {
        let value = raw[index].trim();
        if value.is_empty() {
            Err((6 + index, "required when auth_oidc_issuer is set".to_string()))
        } else {
            Ok(value.to_string())
        }
    };
    let client_id = required(1)?;
    let client_secret = required(2)?;
    // Empty: filled in from `listen` by the caller.
    let redirect_url = raw[3].trim().to_string();
    if !redirect_url.is_empty()
        && !redirect_url.starts_with("http://")
        && !redirect_url.starts_with("https://")
    {
        return Err((9, "expected an http(s) URL".into()));
    }
    let scopes: Vec<String> = raw[4].split_whitespace().map(str::to_string).collect();
    if !scopes.iter().any(|s| s == "openid") {
        return Err((10, "must include openid".into()));
    }
    let rules = crate::auth::oidc::parse_rules(&raw[5]).map_err(|reason| (11, reason))?;
    if rules.is_empty() {
        return Err((11, "no rule: nobody could sign in with OpenID Connect".into()));
    }
    let provider = raw[6].trim().to_string();
    if provider.is_empty()
        || !provider.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err((12, "letters, digits, - and _ only".into()));
    }
    Ok(Some(OidcSettings {
        provider,
        issuer: issuer.to_string(),
        client_id,
        client_secret,
        redirect_url,
        scopes,
        rules,
    }))
}

fn list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Origins as browsers send them: `scheme://host[:port]`, no path; or `*`.
fn origins(raw: &str) -> Result<Vec<String>, String> {
    let origins = list(raw);
    for origin in &origins {
        let valid = origin == "*"
            || origin.split_once("://").is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains('/')
            });
        if !valid {
            return Err(format!("{origin:?} is not an origin like https://app.example.com"));
        }
    }
    Ok(origins)
}
