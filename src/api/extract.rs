//! Request parsing as lenient as Flipt's gateway (reference §2.1): any Content-Type or none,
//! an empty body as `{}`, camelCase or snake_case, both spellings of query parameters.
//! Every rejection is Flipt's error body, never axum's plain text.

use std::collections::HashMap;

use app::{domain::PageRequest, error::AppError};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Query, Request},
    http::{header::IF_MATCH, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::{document::has_nul, service::decode_token};

/// A JSON body, whatever the Content-Type says.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError(AppError::Invalid(format!("cannot read the request body: {rejection}")))
                    .into_response()
            }
        })?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        let invalid = |e: serde_json::Error| {
            ApiError(AppError::Invalid(format!("invalid request body: {e}")))
        };
        // JSON can carry a NUL only as `\u0000`; look closer only when that text is there.
        if text.windows(6).any(|w| w == b"\\u0000") {
            let value: serde_json::Value =
                serde_json::from_slice(text).map_err(|e| invalid(e).into_response())?;
            if has_nul(&value) {
                return Err(ApiError(nul_refused()).into_response());
            }
            return serde_json::from_value(value).map(Body).map_err(|e| invalid(e).into_response());
        }
        serde_json::from_slice(text).map(Body).map_err(|e| invalid(e).into_response())
    }
}

/// NUL characters are refused everywhere: PostgreSQL cannot store them, and a value SQLite
/// accepted could not move to PostgreSQL.
pub fn nul_refused() -> AppError {
    AppError::Invalid("text values must not contain NUL characters (U+0000)".into())
}

/// 413 with Flipt's body (gRPC ResourceExhausted), wherever the limit was hit.
pub fn too_large() -> Response {
    super::error::error_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        8,
        "request body is larger than the server's limit (body_limit)",
    )
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`), if the header is present.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>().map(|v| IfMatch(Some(v))).map_err(|_| {
            ApiError(AppError::Invalid("If-Match must be a version such as \"3\"".into()))
        })
    }
}

impl IfMatch {
    /// The header wins over a `version` field in the body.
    pub fn or(self, body_version: Option<i64>) -> Option<i64> {
        self.0.or(body_version)
    }
}

/// Query parameters by name, accepting camelCase and snake_case; unknown ones are ignored.
pub struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(map) =
            Query::<HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError(AppError::Invalid(format!("invalid query string: {e}"))))?;
        if map.values().any(|value| value.contains('\0')) {
            return Err(ApiError(nul_refused()));
        }
        Ok(Params(map))
    }
}

impl Params {
    /// A parameter by its camelCase name or the snake_case equivalent.
    pub fn get(&self, camel: &str) -> Option<&str> {
        let snake: String = camel
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['_', c.to_ascii_lowercase()]
                } else {
                    vec![c]
                }
            })
            .collect();
        self.0
            .get(camel)
            .or_else(|| self.0.get(&snake))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("true" | "1" | "t" | "TRUE" | "True"))
    }

    /// Flipt's `limit`, `offset` and `pageToken`; `limit_required` is Flipt's rule for
    /// flags, segments and rules that an offset or token needs a limit.
    pub fn page(&self, limit_required: bool) -> Result<PageRequest, ApiError> {
        let number = |name: &str| -> Result<i64, ApiError> {
            match self.get(name) {
                None => Ok(0),
                Some(text) => {
                    text.parse::<i32>().ok().filter(|n| *n >= 0).map(i64::from).ok_or_else(|| {
                        ApiError(AppError::Invalid(format!(
                            "invalid field {name}: must be a non-negative integer"
                        )))
                    })
                }
            }
        };
        let limit = number("limit")?;
        let mut offset = number("offset")?;
        let token = self.get("pageToken");
        if limit_required && limit == 0 && (offset > 0 || token.is_some()) {
            return Err(ApiError(AppError::Invalid(
                "limit must be set when offset or pageToken is set".into(),
            )));
        }
        if let Some(token) = token {
            offset = decode_token(token)?;
        }
        Ok(PageRequest { limit, offset })
    }
}
