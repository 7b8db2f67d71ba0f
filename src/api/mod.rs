//! The REST front door. Handlers parse, call one service method, and render Flipt's JSON.
//! Every management route exists under `/api/v1/namespaces/{ns}/…` and, except rollouts, also
//! in Flipt's legacy form `/api/v1/…` that targets the `default` namespace.

mod access_form;
mod auth;
mod changes;
mod error;
mod evaluate;
mod export;
mod extract;
mod flags;
mod health;
mod import;
mod json;
mod legacy;
mod meta;
mod namespaces;
mod ofrep;
mod oidc;
pub mod openapi;
mod path;
mod rollouts;
mod rules;
mod segments;
mod signin;
mod snapshot;
mod snapshots;
mod stream;
mod upload;

use std::sync::Arc;

use app::error::AppError;
use axum::{
    routing::{get, put},
    Router,
};

use crate::service::Service;

pub use error::{error_response, ApiError};
pub use extract::too_large;

/// Routes of the REST API; merged into the application router by `startup`.
pub fn router(service: Arc<Service>, poll_ms: u64) -> Router {
    let ofrep = Router::new()
        .route("/ofrep/v1/configuration", get(ofrep::configuration))
        .route("/ofrep/v1/evaluate/flags", axum::routing::post(ofrep::bulk))
        .route("/ofrep/v1/evaluate/flags/{key}", axum::routing::post(ofrep::flag))
        .with_state(ofrep::OfrepState { service: service.clone(), poll_ms });
    Router::new()
        .route("/health", get(health::health))
        .route("/login", get(signin::page).post(signin::sign_in))
        .route("/logout", axum::routing::post(signin::sign_out))
        .route("/auth/v1/method", get(auth::methods))
        .route("/auth/v1/method/token", axum::routing::post(auth::create))
        .route("/auth/v1/method/kubernetes/serviceaccount", axum::routing::post(auth::kubernetes))
        .route("/auth/v1/method/oidc/{provider}/authorize", get(oidc::authorize))
        .route("/auth/v1/method/oidc/{provider}/callback", get(oidc::callback))
        .route("/auth/v1/self", get(auth::get_self))
        .route("/auth/v1/self/expire", put(auth::expire_self))
        .route("/auth/v1/tokens", get(auth::list))
        .route("/auth/v1/tokens/{id}", get(auth::get).delete(auth::delete))
        .route("/auth/v1/{*rest}", axum::routing::any(unknown_route))
        .route("/api/v1/namespaces", get(namespaces::list).post(namespaces::create))
        .route(
            "/api/v1/namespaces/{ns}",
            get(namespaces::get).put(namespaces::update).delete(namespaces::delete),
        )
        .nest("/api/v1/namespaces/{ns}", resources(true))
        .nest("/api/v1", resources(false))
        .route("/meta/info", get(meta::info))
        .route("/meta/config", get(meta::config))
        .route("/api/v1/openapi.json", get(openapi::get))
        .route("/api/v1/import", axum::routing::post(import::import))
        .route("/ui/import", axum::routing::post(upload::upload))
        .route("/ui/access/tokens/create", axum::routing::post(access_form::create))
        .route("/api/v1/snapshots", get(snapshots::list).post(snapshots::create))
        .route("/api/v1/snapshots/{id}", get(snapshots::get))
        .route("/api/v1/snapshots/{id}/restore", axum::routing::post(snapshots::restore))
        .route("/metrics", get(meta::metrics))
        .route("/api/v1/evaluate", axum::routing::post(legacy::evaluate))
        .route("/api/v1/batch-evaluate", axum::routing::post(legacy::batch))
        .route("/api/v1/namespaces/{ns}/evaluate", axum::routing::post(legacy::evaluate))
        .route("/api/v1/namespaces/{ns}/batch-evaluate", axum::routing::post(legacy::batch))
        .route("/evaluate/v1/variant", axum::routing::post(evaluate::variant))
        .route("/evaluate/v1/boolean", axum::routing::post(evaluate::boolean))
        .route("/evaluate/v1/batch", axum::routing::post(evaluate::batch))
        .route("/internal/v1/evaluation/snapshot/namespace/{key}", get(snapshot::get))
        .route(
            "/client/v2/environments/{env}/namespaces/{ns}/snapshot",
            get(stream::client_snapshot),
        )
        .route("/client/v2/environments/{env}/namespaces/{ns}/stream", get(stream::client_stream))
        .route("/ofrep/v1/_stream/{env}/{ns}/events", get(stream::ofrep_events))
        .route("/api/v1/{*rest}", axum::routing::any(unknown_route))
        .with_state(service)
        .merge(ofrep)
}

/// Flags, segments and their children, relative to a namespace.
fn resources(with_rollouts: bool) -> Router<Arc<Service>> {
    let router = Router::new()
        .route("/flags", get(flags::list).post(flags::create))
        .route("/flags/{flagKey}", get(flags::get).put(flags::update).delete(flags::delete))
        .route("/flags/{flagKey}/variants", axum::routing::post(flags::create_variant))
        .route(
            "/flags/{flagKey}/variants/{id}",
            put(flags::update_variant).delete(flags::delete_variant),
        )
        .route("/flags/{flagKey}/rules", get(rules::list).post(rules::create))
        .route("/flags/{flagKey}/rules/order", put(rules::order))
        .route(
            "/flags/{flagKey}/rules/{id}",
            get(rules::get).put(rules::update).delete(rules::delete),
        )
        .route(
            "/flags/{flagKey}/rules/{ruleId}/distributions",
            axum::routing::post(rules::create_distribution),
        )
        .route(
            "/flags/{flagKey}/rules/{ruleId}/distributions/{id}",
            put(rules::update_distribution).delete(rules::delete_distribution),
        )
        .route("/segments", get(segments::list).post(segments::create))
        .route(
            "/segments/{segmentKey}",
            get(segments::get).put(segments::update).delete(segments::delete),
        )
        .route(
            "/segments/{segmentKey}/constraints",
            axum::routing::post(segments::create_constraint),
        )
        .route(
            "/segments/{segmentKey}/constraints/{id}",
            put(segments::update_constraint).delete(segments::delete_constraint),
        );
    if !with_rollouts {
        return router;
    }
    router
        .route("/changes", get(changes::list))
        .route("/export", get(export::namespace))
        .route("/flags/{flagKey}/rollouts", get(rollouts::list).post(rollouts::create))
        .route("/flags/{flagKey}/rollouts/order", put(rollouts::order))
        .route(
            "/flags/{flagKey}/rollouts/{id}",
            get(rollouts::get).put(rollouts::update).delete(rollouts::delete),
        )
}

async fn unknown_route() -> ApiError {
    ApiError(AppError::NotFound("Not Found".into()))
}

#[cfg(test)]
mod tests;
