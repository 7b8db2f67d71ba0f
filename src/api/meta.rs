//! `GET /meta/info` and `GET /metrics`.

use std::sync::Arc;

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use crate::{service::Service, store::Backend};

/// What this server is, in the shape of Flipt's `/meta/info` (empty fields left out).
pub async fn info(State(service): State<Arc<Service>>) -> Json<Value> {
    let driver = match service.store().backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "isRelease": !cfg!(debug_assertions),
        "updateAvailable": false,
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "authentication": {"required": false},
        "storage": {"type": "database", "readOnly": false, "metadata": {"driver": driver}},
        "analytics": {"enabled": false},
    }))
}

/// Prometheus text exposition.
pub async fn metrics(State(service): State<Arc<Service>>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], service.render_metrics())
        .into_response()
}
