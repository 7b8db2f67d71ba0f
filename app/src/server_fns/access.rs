//! Server functions of Settings → Access: tokens and sessions. Creating a token is a plain
//! form post to the server (`/ui/access/tokens/create`), which hands the new secret to the
//! next rendering of the page once, in a short-lived cookie ([`NEW_TOKEN_COOKIE`]).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{
    domain::{SessionSummary, TokenListing},
    error::AppError,
};

/// Carries `<id>.<secret>` of a token just created to the page that shows it once.
pub const NEW_TOKEN_COOKIE: &str = "vexil_new_token";

/// One page of tokens, from `offset`.
#[server(prefix = "/ui", endpoint = "access/tokens", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_tokens(offset: i64) -> Result<TokenListing, AppError> {
    super::with_status(crate::port::use_port()?.list_tokens(offset).await)
}

/// Revokes a token everywhere.
#[server(prefix = "/ui", endpoint = "access/tokens/revoke", client = crate::access::CsrfClient)]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.revoke_token(&id).await)
}

/// Active sessions.
#[server(prefix = "/ui", endpoint = "access/sessions", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_sessions() -> Result<Vec<SessionSummary>, AppError> {
    super::with_status(crate::port::use_port()?.list_sessions().await)
}

/// Ends a session everywhere.
#[server(prefix = "/ui", endpoint = "access/sessions/end", client = crate::access::CsrfClient)]
pub async fn end_session(id: String) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.end_session(&id).await)
}

/// The token created just before this page was requested (`(id, secret)`), once: the cookie
/// that carried it is cleared in the same answer.
#[server(prefix = "/ui", endpoint = "access/tokens/new", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn take_new_token() -> Result<Option<(String, String)>, AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else { return Ok(None) };
    let found = parts.headers.get_all(http::header::COOKIE).iter().find_map(|value| {
        value.to_str().ok()?.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            let (id, secret) = value.split_once('.')?;
            (name == NEW_TOKEN_COOKIE).then(|| (id.to_string(), secret.to_string()))
        })
    });
    if found.is_some() {
        let clear = format!(
            "{NEW_TOKEN_COOKIE}=; Path=/settings/access; Max-Age=0; HttpOnly; SameSite=Strict"
        );
        if let (Some(response), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&clear))
        {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
    Ok(found)
}
