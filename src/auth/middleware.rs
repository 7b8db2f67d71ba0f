//! The door: every request's credential becomes a [`Principal`] before any handler runs.
//! A present `Authorization` header wins over the session cookie (Flipt). Without a credential
//! only the public routes answer; dashboard pages send the browser to the sign-in page, and
//! everything else gets Flipt's 401. Cookie-authenticated writes must pass the CSRF check.

use std::sync::Arc;

use app::error::AppError;
use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, Request},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use super::{csrf, registry::Registry, scope, unauthenticated, Credential, Principal, REFUSALS};
use crate::api::ApiError;

/// The dashboard session cookie.
pub const SESSION_COOKIE: &str = "vexil_session";

/// What the door needs to know.
#[derive(Clone, Debug)]
pub struct Door {
    pub registry: Arc<Registry>,
    /// `auth_required`: false lets everyone in as an administrator.
    pub required: bool,
    /// `trusted_origins`: other origins whose pages may post to the dashboard.
    pub trusted_origins: Arc<Vec<String>>,
    /// The body limit, for reading a form's CSRF field.
    pub body_limit: usize,
    /// `metrics_public`: /metrics answers without a credential, as Flipt's does.
    pub metrics_public: bool,
    /// The JWT method (`Authorization: JWT <token>`), when configured.
    pub jwt: Option<Arc<crate::auth::workload::JwtVerifier>>,
}

/// Routes that answer without a credential.
pub fn is_public(method: &Method, path: &str) -> bool {
    matches!(path, "/health" | "/login" | "/logout" | "/favicon.ico" | "/login.js")
        || path.starts_with("/pkg/")
        || (method == Method::GET && path == "/auth/v1/method")
        // EventSource sends no Authorization: the URL's credential is checked by the route.
        || (method == Method::GET && path.starts_with("/ofrep/v1/_stream/"))
        || (method == Method::POST && path == "/auth/v1/method/kubernetes/serviceaccount")
        || (path.starts_with("/auth/v1/method/oidc/")
            && (path.ends_with("/authorize") || path.ends_with("/callback")))
}

/// The servers a token scoped the Flipt way may use (reference §1.9); all others answer 401.
fn flipt_scoped_may_use(path: &str) -> bool {
    path.starts_with("/api/v1/")
        || path.starts_with("/evaluate/v1/")
        || path.starts_with("/internal/v1/evaluation/snapshot/")
        || path.starts_with("/client/v2/")
}

/// A page a person opens in a browser (not the API, not a server function).
fn is_dashboard_page(method: &Method, path: &str) -> bool {
    const API: &[&str] = &[
        "/api/",
        "/evaluate/",
        "/internal/",
        "/client/",
        "/ofrep/",
        "/auth/",
        "/meta",
        "/metrics",
        "/ui/",
    ];
    method == Method::GET && !API.iter().any(|prefix| path.starts_with(prefix))
}

/// The session secret in a request's cookies.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().find_map(|value| {
        value.to_str().ok()?.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_string())
        })
    })
}

async fn resolve(door: &Door, headers: &HeaderMap) -> Result<Arc<Principal>, AppError> {
    if !door.required {
        return Ok(Arc::new(Principal::open()));
    }
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        if let Some(jwt) = value.to_str().ok().and_then(|v| v.strip_prefix("JWT ")) {
            let verifier =
                door.jwt.as_ref().ok_or_else(|| unauthenticated("JWT method not enabled"))?;
            let principal = verifier.principal(jwt.trim())?;
            if principal.expires_at.is_some_and(|at| at <= crate::store::now_nanos()) {
                return Err(unauthenticated("expired JWT"));
            }
            return Ok(Arc::new(principal));
        }
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .filter(|token| !token.is_empty())
            .ok_or_else(|| unauthenticated("malformed Authorization header"))?;
        return door.registry.token(token).await;
    }
    match session_cookie(headers) {
        Some(secret) => door.registry.session(&secret).await,
        None => Ok(Arc::new(Principal::anonymous())),
    }
}

/// Authenticates the request and runs it as its principal.
pub async fn authenticate(
    State(door): State<Door>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let public = is_public(&method, &path) || (door.metrics_public && path == "/metrics");
    let principal = match resolve(&door, request.headers()).await {
        Ok(principal) => principal,
        Err(_) if public => Arc::new(Principal::anonymous()),
        Err(error) => return refuse(&request, &method, &path, error),
    };
    if !principal.is_authenticated() && !public {
        return refuse(&request, &method, &path, unauthenticated("no credential"));
    }
    if principal.flipt_scoped && !flipt_scoped_may_use(&path) {
        let error = unauthenticated("namespace-scoped token used outside its servers");
        return refuse(&request, &method, &path, error);
    }
    let request = match &principal.credential {
        Credential::Session { csrf, .. } if csrf::is_state_changing(&method) => {
            match verify_csrf(&door, request, csrf).await {
                Ok(request) => request,
                Err(response) => return response,
            }
        }
        _ => request,
    };
    scope(principal, next.run(request)).await
}

/// 401 (or, for a page, the sign-in page); a dead session cookie is cleared on the way.
fn refuse(request: &Request<Body>, method: &Method, path: &str, error: AppError) -> Response {
    let unauthenticated = matches!(error, AppError::Unauthenticated(_));
    let mut response = if unauthenticated && is_dashboard_page(method, path) {
        let target = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        Redirect::to(&format!("/login?next={}", app::url::encode_component(target))).into_response()
    } else {
        ApiError(error).into_response()
    };
    if unauthenticated && session_cookie(request.headers()).is_some() {
        response.headers_mut().append(header::SET_COOKIE, clear_cookie());
    }
    response
}

/// A `Set-Cookie` that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("vexil_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// A `Set-Cookie` for a new session; `Secure` whenever the request came over https.
pub fn session_cookie_header(secret: &str, max_age_seconds: u64, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={secret}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("a base64url secret is a valid header value")
}

/// Whether the browser reached us over https (directly or through a proxy that says so).
pub fn is_https(request: &Request<Body>) -> bool {
    request.uri().scheme_str() == Some("https")
        || request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

async fn verify_csrf(
    door: &Door,
    request: Request<Body>,
    expected: &str,
) -> Result<Request<Body>, Response> {
    if !csrf::same_origin(request.headers(), &door.trusted_origins) {
        return Err(cross_site("the request came from another site"));
    }
    if let Some(token) = csrf::token_outside_body(request.headers(), request.uri()) {
        return if super::secret::equal(&token, expected) {
            Ok(request)
        } else {
            Err(cross_site("wrong CSRF token"))
        };
    }
    if !csrf::is_form(request.headers()) {
        return Err(cross_site("missing CSRF token"));
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, door.body_limit).await {
        Ok(bytes) => bytes,
        Err(_) => return Err(crate::api::too_large()),
    };
    match csrf::field_of(&bytes) {
        Some(token) if super::secret::equal(&token, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        Some(_) => Err(cross_site("wrong CSRF token")),
        None => Err(cross_site("missing CSRF token")),
    }
}

fn cross_site(reason: &str) -> Response {
    REFUSALS.cross_site.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(reason, "cookie-authenticated write refused (CSRF)");
    ApiError(AppError::PermissionDenied(format!(
        "permission denied: {reason}; reload the dashboard page and try again"
    )))
    .into_response()
}
