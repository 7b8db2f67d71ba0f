//! CORS for client-side SDKs: a web app on another origin evaluates in the browser with
//! Flipt's client SDK (the snapshot) or OFREP's web provider. Only the evaluation, snapshot and
//! OFREP routes answer cross-origin, only for `cors_allowed_origins`, and never with
//! credentials: such callers send a `client` token in `Authorization`. A disallowed origin
//! gets no CORS headers, so its browser blocks the answer.

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue, Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Flipt's default allowed request headers, plus what Flipt v2's client SDK and OFREP's web
/// provider send.
pub const DEFAULT_ALLOWED_HEADERS: &str = "Accept, Authorization, Content-Type, X-CSRF-Token, \
     X-Fern-Language, X-Fern-SDK-Name, X-Fern-SDK-Version, X-Flipt-Namespace, \
     X-Flipt-Environment, X-Flipt-Accept-Server-Version, If-None-Match";

/// `cors_allowed_origins` and `cors_allowed_headers`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsSettings {
    /// Exact origins (`https://app.example.com`), or `*` for any.
    pub allowed_origins: Vec<String>,
    pub allowed_headers: Vec<String>,
}

impl CorsSettings {
    fn allows(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|allowed| allowed == "*" || allowed == origin)
    }
}

/// The routes a browser app on another origin may call.
pub fn is_cors_route(path: &str) -> bool {
    path.starts_with("/evaluate/v1/")
        || path.starts_with("/ofrep/v1/")
        || path.starts_with("/internal/v1/evaluation/snapshot/")
        || path.starts_with("/client/v2/")
}

/// Answers preflights and adds CORS headers to answers; runs before authentication, since a
/// preflight carries no credentials.
pub async fn layer(
    State(settings): State<std::sync::Arc<CorsSettings>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let Some(origin) = origin.filter(|_| is_cors_route(request.uri().path())) else {
        return next.run(request).await;
    };
    let allowed = origin.to_str().is_ok_and(|o| settings.allows(o));
    let preflight = request.method() == Method::OPTIONS
        && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if allowed {
            let headers = response.headers_mut();
            add_origin(headers, &settings, origin);
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, OPTIONS"),
            );
            if let Ok(value) = HeaderValue::from_str(&settings.allowed_headers.join(", ")) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, value);
            }
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
        return response;
    }
    let mut response = next.run(request).await;
    if allowed {
        let headers = response.headers_mut();
        add_origin(headers, &settings, origin);
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag"));
    }
    response
}

fn add_origin(headers: &mut axum::http::HeaderMap, settings: &CorsSettings, origin: HeaderValue) {
    let any = settings.allowed_origins.iter().any(|o| o == "*");
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        if any { HeaderValue::from_static("*") } else { origin },
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}
