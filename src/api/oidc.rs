//! `GET /auth/v1/method/oidc/{provider}/authorize` and `…/callback`: Flipt's routes for the
//! OpenID Connect method. A browser following the sign-in page's link is redirected straight
//! to the provider; a script gets Flipt's `{"authorizeUrl"}`. The callback answers, as
//! Flipt's does, with a redirect into the dashboard and the session cookie.

use std::sync::Arc;

use app::error::AppError;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde_json::json;

use super::{extract::Params, signin};
use crate::{auth::middleware, service::Service};

/// 404 unless `provider` is the configured one.
fn unknown(service: &Service, provider: &str) -> Option<Response> {
    match service.oidc() {
        Some(oidc) if oidc.settings.provider == provider => None,
        _ => Some(
            super::ApiError(AppError::NotFound(format!(
                "OpenID Connect provider \"{provider}\" is not configured"
            )))
            .into_response(),
        ),
    }
}

pub async fn authorize(
    State(service): State<Arc<Service>>,
    Path(provider): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Response {
    if let Some(response) = unknown(&service, &provider) {
        return response;
    }
    let next = signin::safe_next(params.get("next"));
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    match service.begin_oidc_login(&next).await {
        Ok(url) if browser => Redirect::to(&url).into_response(),
        Ok(url) => Json(json!({"authorizeUrl": url})).into_response(),
        Err(error) if browser => signin::failure_page(&service, &next, &error),
        Err(error) => super::ApiError(error).into_response(),
    }
}

pub async fn callback(
    State(service): State<Arc<Service>>,
    Path(provider): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Response {
    if let Some(response) = unknown(&service, &provider) {
        return response;
    }
    if let Some(error) = params.get("error") {
        let detail = params.get("error_description").unwrap_or(error);
        let error = AppError::Unauthenticated(format!("the identity provider refused: {detail}"));
        return signin::failure_page(&service, "/", &error);
    }
    let (Some(state), Some(code)) = (params.get("state"), params.get("code")) else {
        let error =
            AppError::Unauthenticated("handling OIDC callback: missing state parameter".into());
        return signin::failure_page(&service, "/", &error);
    };
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
        || service.oidc().is_some_and(|o| o.settings.redirect_url.starts_with("https://"));
    match service.finish_oidc_login(state, code).await {
        Ok((secret, lifetime, next)) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                middleware::session_cookie_header(&secret, lifetime.as_secs(), https),
            );
            response
        }
        Err(error) => signin::failure_page(&service, "/", &error),
    }
}

/// The status a failed sign-in page answers with.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::PermissionDenied(_) => StatusCode::FORBIDDEN,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
