//! Flipt's `/auth/v1` for the token method, on the wire as Flipt has it (reference §1.2–1.3):
//! the method list, `self`, `self/expire`, token listing, reading, deleting and creating.

use std::{collections::BTreeMap, sync::Arc};

use app::{domain::Role, error::AppError};
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

use super::{extract::Body, extract::Params, json, ApiError};
use crate::{
    auth::{middleware::clear_cookie, Credential},
    service::{Authentication, NewToken, Service},
};

/// `GET /auth/v1/method`: every method Flipt knows, in Flipt's order, and whether it is on.
pub async fn methods(State(service): State<Arc<Service>>) -> Json<Value> {
    let method = |name: &str, enabled: bool, session: bool| json!({"method": name, "enabled": enabled, "sessionCompatible": session});
    let provider = service.oidc().map(|oidc| oidc.settings.provider.clone());
    let mut oidc = method("METHOD_OIDC", provider.is_some(), true);
    if let Some(name) = provider {
        oidc["metadata"] = json!({"providers": {&name: {
            "authorize_url": format!("/auth/v1/method/oidc/{name}/authorize"),
            "callback_url": format!("/auth/v1/method/oidc/{name}/callback"),
        }}});
    }
    Json(json!({"methods": [
        method("METHOD_TOKEN", true, false),
        method("METHOD_GITHUB", false, true),
        oidc,
        method("METHOD_KUBERNETES", service.kubernetes_enabled(), false),
        method("METHOD_JWT", service.jwt().is_some(), false),
    ]}))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct VerifyServiceAccount {
    #[serde(alias = "service_account_token")]
    service_account_token: Option<String>,
}

/// `POST /auth/v1/method/kubernetes/serviceaccount` → `{"clientToken","authentication"}`.
pub async fn kubernetes(
    State(service): State<Arc<Service>>,
    Body(body): Body<VerifyServiceAccount>,
) -> Result<Json<Value>, ApiError> {
    let (token, authentication) = service
        .verify_service_account(body.service_account_token.as_deref().unwrap_or_default())
        .await?;
    Ok(Json(json!({"clientToken": token, "authentication": authentication})))
}

/// `GET /auth/v1/self`.
pub async fn get_self(
    State(service): State<Arc<Service>>,
) -> Result<Json<Authentication>, ApiError> {
    Ok(Json(service.self_authentication().await?))
}

/// `PUT /auth/v1/self/expire?expiresAt=`: the body is ignored, as in Flipt. A session ends
/// and its cookie is cleared.
pub async fn expire_self(
    State(service): State<Arc<Service>>,
    params: Params,
) -> Result<Response, ApiError> {
    let at = params.get("expiresAt").map(parse_time).transpose()?;
    service.expire_self(at).await?;
    let mut response = json::empty();
    if matches!(crate::auth::current().credential, Credential::Session { .. }) {
        response.headers_mut().append(header::SET_COOKIE, clear_cookie());
    }
    Ok(response)
}

/// `GET /auth/v1/tokens?method=&limit=&pageToken=`: oldest first; the page token is a decimal
/// offset, as Flipt's.
pub async fn list(
    State(service): State<Arc<Service>>,
    params: Params,
) -> Result<Response, ApiError> {
    let method = match params.get("method") {
        None | Some("") => None,
        Some(text) => Some(parse_method(text)?),
    };
    let limit = match params.get("limit") {
        None | Some("") | Some("0") => 25,
        Some(text) => text.parse::<i64>().map_err(|_| invalid("limit", text))?.clamp(1, 100),
    };
    let offset = match params.get("pageToken") {
        None | Some("") => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| invalid("pageToken", text))?,
    };
    let (rows, total) = service.list_tokens(method, limit, offset).await?;
    let next = offset + rows.len() as i64;
    let authentications: Vec<Authentication> = rows.iter().map(Authentication::of).collect();
    let next_page_token = if next < total { next.to_string() } else { String::new() };
    Ok(Json(json!({"authentications": authentications, "nextPageToken": next_page_token}))
        .into_response())
}

pub async fn get(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
) -> Result<Json<Authentication>, ApiError> {
    Ok(Json(Authentication::of(&service.get_token(&id).await?)))
}

/// `DELETE /auth/v1/tokens/{id}`: `{}` whether or not it existed, as Flipt.
pub async fn delete(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    service.delete_token(&id).await?;
    Ok(json::empty())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateToken {
    name: Option<String>,
    description: Option<String>,
    #[serde(alias = "expires_at")]
    expires_at: Option<String>,
    #[serde(alias = "namespace_key")]
    namespace_key: Option<String>,
    metadata: Option<BTreeMap<String, String>>,
    /// Vexil's extension: `client`, `viewer`, `editor` or `admin`.
    role: Option<String>,
}

/// `POST /auth/v1/method/token` → `{"clientToken","authentication"}`.
pub async fn create(
    State(service): State<Arc<Service>>,
    Body(body): Body<CreateToken>,
) -> Result<Json<Value>, ApiError> {
    let role = match body.role.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(Role::parse(text).ok_or_else(|| {
            AppError::Invalid(format!(
                "invalid field role: {text:?} is not one of client, viewer, editor, admin"
            ))
        })?),
    };
    let expires_at = match body.expires_at.as_deref() {
        None | Some("") => None,
        Some(text) => Some(parse_time(text)?),
    };
    let new = NewToken {
        name: body.name.unwrap_or_default(),
        description: body.description.unwrap_or_default(),
        expires_at,
        namespace_key: body.namespace_key.unwrap_or_default(),
        metadata: body.metadata.unwrap_or_default(),
        role,
    };
    let (token, row) = service.create_token(new).await?;
    Ok(Json(json!({"clientToken": token, "authentication": Authentication::of(&row)})))
}

fn parse_time(text: &str) -> Result<i64, ApiError> {
    let time = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        ApiError(AppError::Invalid(format!(
            "invalid field expiresAt: {text:?} is not an RFC 3339 time"
        )))
    })?;
    // Stored as i64 Unix nanoseconds.
    i64::try_from(time.unix_timestamp_nanos()).map_err(|_| {
        ApiError(AppError::Invalid(format!(
            "invalid field expiresAt: {text:?} is outside the times Vexil stores \
             (1677-09-21 to 2262-04-11)"
        )))
    })
}

/// A method by enum name or number.
fn parse_method(text: &str) -> Result<i64, ApiError> {
    const NAMES: [&str; 7] = [
        "METHOD_NONE",
        "METHOD_TOKEN",
        "METHOD_OIDC",
        "METHOD_KUBERNETES",
        "METHOD_GITHUB",
        "METHOD_JWT",
        "METHOD_CLOUD",
    ];
    if let Some(index) = NAMES.iter().position(|name| *name == text) {
        return Ok(index as i64);
    }
    text.parse::<i64>().ok().filter(|n| (0..7).contains(n)).ok_or_else(|| invalid("method", text))
}

fn invalid(field: &str, value: &str) -> ApiError {
    ApiError(AppError::Invalid(format!("invalid field {field}: {value:?}")))
}
