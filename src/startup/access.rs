//! Access control in the running server: the door and CORS around the router, browser
//! security headers, the bootstrap token and its sign-in link, and housekeeping (last-used
//! times, expired rows, the access-version poll).

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    http::{header, HeaderValue, Request},
    middleware::Next,
    response::Response,
    Router,
};

use crate::{
    auth::{middleware::Door, Principal},
    config::Settings,
    service::Service,
};

/// The Content-Security-Policy of dashboard pages: exactly what the hydrated app needs — its
/// own scripts, the inline hydration scripts that carry this response's nonce, wasm
/// compilation, its stylesheet and server-function calls — and no framing.
pub fn dashboard_csp(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// For every other HTML answer (the sign-in page, error pages): no inline script at all.
const STRICT_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Wraps `router` in the door (authentication, CSRF) and CORS. CORS is outside the door:
/// a preflight carries no credential.
pub fn guarded(router: Router, service: &Arc<Service>, settings: &Settings) -> Router {
    let door = Door {
        registry: service.access().clone(),
        required: settings.access.required,
        trusted_origins: Arc::new(settings.access.trusted_origins.clone()),
        body_limit: settings.body_limit,
        metrics_public: settings.access.metrics_public,
        jwt: service.jwt().cloned(),
    };
    router
        .layer(axum::middleware::from_fn_with_state(door, crate::auth::middleware::authenticate))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(settings.access.cors.clone()),
            crate::auth::cors::layer,
        ))
}

/// `nosniff`, no referrer across origins, no framing on every answer; a strict CSP on HTML
/// that did not set its own (dashboard pages set theirs, with a nonce).
async fn security_headers(request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STRICT_CSP));
    }
    response
}

/// On first start with no token: creates the admin token and prints, once, to standard output
/// (never to the log, which is standard error), the link that signs in with it. The token rides in the URL fragment,
/// which browsers do not send, so it reaches no access log either.
pub async fn bootstrap(
    service: &Service,
    settings: &Settings,
    address: std::net::SocketAddr,
) -> anyhow::Result<()> {
    if !settings.access.required {
        tracing::warn!(
            "AUTHENTICATION IS OFF (auth_required: false): anyone who can reach {} can read, \
             change and delete every flag; use this only on a trusted machine",
            address
        );
        return Ok(());
    }
    let given = settings.access.bootstrap_token.as_deref();
    let base = format!("http://{address}");
    // Standard output, not the log stream (standard error), which stays one format. A token
    // chosen in bootstrap_token is known already: failing to say so again matters little.
    let show = |token: &str| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let shown = if given.is_some() {
            writeln!(
                out,
                "\nvexil: created the admin token from bootstrap_token; sign in at {base}/login\n"
            )
        } else {
            writeln!(
                out,
                "\nvexil: created an admin token (shown this once; admins make more in Settings → Access).\n\
                 Sign in: {base}/login#token={}\n\
                 API:     Authorization: Bearer {token}\n",
                app::url::encode_component(token)
            )
        };
        match shown.and_then(|()| out.flush()) {
            Err(_) if given.is_some() => Ok(()),
            other => other,
        }
    };
    let created = crate::auth::scope(Arc::new(Principal::system()), service.bootstrap(given, show))
        .await
        .map_err(|e| anyhow::anyhow!("creating the bootstrap token: {e}"))?;
    if created.is_none() {
        return Ok(());
    }
    tracing::info!("bootstrap admin token created (named initial_bootstrap_token)");
    Ok(())
}

/// Background work: batched last-used times, expired-row cleanup, and (through the replica
/// poll) the access version.
pub fn spawn_housekeeping(service: Arc<Service>) {
    let flusher = service.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(10));
        loop {
            ticker.tick().await;
            if let Err(error) = flusher.access().flush_used().await {
                tracing::warn!(%error, "cannot record when tokens were last used");
            }
        }
    });
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(3600));
        loop {
            ticker.tick().await;
            match service.clean_up_access(Duration::from_secs(30 * 60)).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "expired tokens and sessions removed"),
                Err(error) => tracing::warn!(%error, "cannot remove expired tokens and sessions"),
            }
        }
    });
}
