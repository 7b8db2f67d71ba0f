//! `…/flags/{flagKey}/rollouts`. Flipt lists them under the key `rules`.

use std::sync::Arc;

use app::domain::{RolloutInput, RolloutOrder};
use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Json,
};

use super::{
    extract::{Body, Params},
    json,
    path::Ids,
    ApiError,
};
use crate::service::Service;

pub async fn list(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
) -> Result<Response, ApiError> {
    let page = service.list_rollouts(ids.ns(), ids.get("flagKey"), params.page(false)?).await?;
    Ok(json::list("rules", page))
}

pub async fn get(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    Ok(Json(service.get_rollout(ids.ns(), ids.get("flagKey"), ids.get("id")).await?)
        .into_response())
}

pub async fn create(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<RolloutInput>,
) -> Result<Response, ApiError> {
    Ok(Json(service.create_rollout(ids.ns(), ids.get("flagKey"), input).await?).into_response())
}

pub async fn update(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<RolloutInput>,
) -> Result<Response, ApiError> {
    Ok(Json(service.update_rollout(ids.ns(), ids.get("flagKey"), ids.get("id"), input).await?)
        .into_response())
}

pub async fn delete(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    service.delete_rollout(ids.ns(), ids.get("flagKey"), ids.get("id")).await?;
    Ok(json::empty())
}

pub async fn order(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(order): Body<RolloutOrder>,
) -> Result<Response, ApiError> {
    service.order_rollouts(ids.ns(), ids.get("flagKey"), order).await?;
    Ok(json::empty())
}
