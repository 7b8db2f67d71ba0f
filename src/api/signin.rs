//! The sign-in page, rendered here as plain HTML so it works without JavaScript and without
//! the dashboard (which needs a signed-in caller): paste a token, or follow a sign-in link
//! `/login#token=…` (the fragment never reaches a server, so the token never lands in a log;
//! `/login.js` moves it into the form). Sign-out ends the session row, not just the cookie.

use std::sync::Arc;

use app::error::AppError;
use axum::{
    body::Body,
    extract::{Form, FromRequest, State},
    http::{header, HeaderMap, Request, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::extract::Params;
use crate::{
    auth::{self, csrf, middleware},
    service::Service,
};

/// A path inside the dashboard to go to after signing in; anything else goes home.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".into(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /login`.
pub async fn page(State(service): State<Arc<Service>>, params: Params) -> Response {
    let next = safe_next(params.get("next"));
    render(&service, &next, "", StatusCode::OK)
}

/// The sign-in page explaining why a sign-in failed.
pub fn failure_page(service: &Service, next: &str, error: &AppError) -> Response {
    render(service, next, &failure(&error.to_string()), super::oidc::status_of(error))
}

fn render(service: &Service, next: &str, error: &str, status: StatusCode) -> Response {
    let provider = service.oidc().map(|oidc| oidc.settings.provider.as_str());
    let principal = auth::current();
    let signed_in = if principal.is_authenticated() {
        format!(
            r#"<p class="muted" data-testid="already-signed-in">Signed in as <strong>{}</strong> ({}). <a href="/">Open the dashboard</a>.</p>"#,
            escape(&principal.name),
            escape(&principal.role_summary())
        )
    } else {
        String::new()
    };
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Sign in · Vexil</title>
<link rel="icon" type="image/x-icon" href="/favicon.ico"><link rel="stylesheet" href="/pkg/vexil.css">
<script src="/login.js" defer></script></head>
<body><main class="content signin">
<h1>Sign in to Vexil</h1>
{signed_in}{error}
<form method="post" action="/login" id="token-signin" class="card">
<input type="hidden" name="next" value="{next}">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" required spellcheck="false"
 placeholder="paste a viewer, editor or admin token">
<p class="muted">The first start prints a sign-in link with an admin token; admins create more in Settings → Access.</p>
<button type="submit">Sign in</button>
</form>
{oidc}
</main></body></html>"#,
        next = escape(next),
        oidc = provider.map(|name| format!(
            r#"<p class="card"><a class="button" data-testid="oidc-signin" href="/auth/v1/method/oidc/{name}/authorize?next={}">Sign in with {name}</a></p>"#,
            app::url::encode_component(next)
        )).unwrap_or_default(),
    );
    (status, Html(html)).into_response()
}

#[derive(Debug, Deserialize)]
pub struct SignIn {
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /login`: a session from a token. Only a form from our own origin may sign someone in
/// (a forged sign-in would put the victim in the attacker's account).
pub async fn sign_in(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    request: Request<Body>,
) -> Response {
    let https = middleware::is_https(&request);
    if !csrf::same_origin(&headers, &[]) {
        return super::ApiError(AppError::PermissionDenied(
            "permission denied: sign-in forms are accepted from this site only".into(),
        ))
        .into_response();
    }
    let Ok(Form(form)) = Form::<SignIn>::from_request(request, &()).await else {
        let html = failure("the sign-in form could not be read");
        return render(&service, "/", &html, StatusCode::BAD_REQUEST);
    };
    let next = safe_next(form.next.as_deref());
    match service.sign_in_with_token(&form.token).await {
        Ok((secret, lifetime)) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                middleware::session_cookie_header(&secret, lifetime.as_secs(), https),
            );
            response
        }
        Err(AppError::Unauthenticated(_)) => render(
            &service,
            &next,
            &failure("That token is not valid: it is unknown, expired or revoked."),
            StatusCode::UNAUTHORIZED,
        ),
        Err(error @ AppError::PermissionDenied(_)) => {
            render(&service, &next, &failure(&error.to_string()), StatusCode::FORBIDDEN)
        }
        Err(error) => super::ApiError(error).into_response(),
    }
}

fn failure(message: &str) -> String {
    format!(
        r#"<div class="error-panel" role="alert" data-testid="signin-error"><strong>Not signed in</strong><p>{}</p></div>"#,
        escape(message)
    )
}

/// `POST /logout`: ends the session everywhere and clears the cookie. The door has already
/// checked the form's CSRF token.
pub async fn sign_out(State(service): State<Arc<Service>>) -> Response {
    if let Err(error) = service.sign_out().await {
        return super::ApiError(error).into_response();
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(header::SET_COOKIE, middleware::clear_cookie());
    response
}
