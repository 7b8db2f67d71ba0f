//! The REST front door. Handlers parse, call one service method, and render Flipt's JSON.

mod error;
mod health;

use std::sync::Arc;

use axum::{routing::get, Router};
use tower_http::limit::RequestBodyLimitLayer;

use crate::service::Service;

pub use error::ApiError;

/// Routes of the REST API; merged into the application router by `startup`.
pub fn router(service: Arc<Service>, body_limit: usize) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .with_state(service)
}
