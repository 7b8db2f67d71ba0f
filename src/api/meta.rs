//! `GET /meta/info` and `GET /metrics`.

use std::sync::Arc;

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::ApiError;
use crate::{auth::Need, service::Service, store::Backend};

/// What this server is, in the shape of Flipt's `/meta/info` (empty fields left out).
pub async fn info(State(service): State<Arc<Service>>) -> Result<Json<Value>, ApiError> {
    crate::auth::require(Need::Read, None)?;
    let driver = match service.store().backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    Ok(Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "isRelease": !cfg!(debug_assertions),
        "updateAvailable": false,
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "authentication": {"required": service.auth_required()},
        "storage": {"type": "database", "readOnly": false, "metadata": {"driver": driver}},
        "analytics": {"enabled": false},
    })))
}

/// `GET /meta/config`: the configuration in Flipt's shape, secrets left out
/// (`Settings::flipt_view`); the viewer role, as `/meta/info`.
pub async fn config(State(service): State<Arc<Service>>) -> Result<Json<Value>, ApiError> {
    crate::auth::require(Need::Read, None)?;
    Ok(Json(service.public_config().as_ref().clone()))
}

/// Prometheus text exposition.
pub async fn metrics(State(service): State<Arc<Service>>) -> Result<Response, ApiError> {
    let text = service.render_metrics()?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}
