//! Rendering Flipt's JSON: lists with their page token and total, ETags from versions.

use app::domain::Page;
use axum::{
    http::{header::ETAG, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use serde_json::{json, Value};

/// `{"<name>": [...], "nextPageToken": "...", "totalCount": n}`.
pub fn list<T: Serialize>(name: &str, page: Page<T>) -> Response {
    let mut body = serde_json::Map::new();
    body.insert(
        name.to_string(),
        serde_json::to_value(page.items).unwrap_or(Value::Array(Vec::new())),
    );
    body.insert("nextPageToken".into(), Value::String(page.next_page_token));
    body.insert("totalCount".into(), json!(page.total_count));
    Json(Value::Object(body)).into_response()
}

/// A resource with its version as a strong ETag.
pub fn versioned<T: Serialize>(version: i64, value: T) -> Response {
    let mut response = Json(value).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(ETAG, tag);
    }
    response
}

/// Flipt answers successful deletes and orderings with `{}`.
pub fn empty() -> Response {
    Json(json!({})).into_response()
}
