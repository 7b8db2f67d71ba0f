//! `GET /health`: Flipt's gRPC health bridge answer, backed by a real database round trip
//! that waits no longer than the database acquire timeout.

use std::sync::Arc;

use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

use crate::service::Service;

/// `{"status":"SERVING"}` while the database answers; 503 `NOT_SERVING` otherwise.
pub async fn health(State(service): State<Arc<Service>>) -> (StatusCode, Json<Value>) {
    match service.store().ping().await {
        Ok(_) => (StatusCode::OK, Json(json!({"status": "SERVING"}))),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "NOT_SERVING"})))
        }
    }
}
