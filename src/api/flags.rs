//! `…/flags` and `…/flags/{flagKey}/variants`.

use std::sync::Arc;

use app::domain::{FlagInput, VariantInput};
use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Json,
};

use super::{
    extract::{Body, IfMatch, Params},
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
    let page = service.list_flags(ids.ns(), params.page(true)?).await?;
    Ok(json::list("flags", page))
}

pub async fn get(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    let flag = service.get_flag(ids.ns(), ids.get("flagKey")).await?;
    Ok(json::versioned(flag.version, flag))
}

pub async fn create(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<FlagInput>,
) -> Result<Response, ApiError> {
    let flag = service.create_flag(ids.ns(), input).await?;
    Ok(json::versioned(flag.version, flag))
}

pub async fn update(
    State(service): State<Arc<Service>>,
    ids: Ids,
    if_match: IfMatch,
    Body(input): Body<FlagInput>,
) -> Result<Response, ApiError> {
    let expected = if_match.or(input.version);
    let flag = service.update_flag(ids.ns(), ids.get("flagKey"), input, expected).await?;
    Ok(json::versioned(flag.version, flag))
}

pub async fn delete(
    State(service): State<Arc<Service>>,
    ids: Ids,
    if_match: IfMatch,
) -> Result<Response, ApiError> {
    service.delete_flag(ids.ns(), ids.get("flagKey"), if_match.0).await?;
    Ok(json::empty())
}

pub async fn create_variant(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<VariantInput>,
) -> Result<Response, ApiError> {
    let variant = service.create_variant(ids.ns(), ids.get("flagKey"), input).await?;
    Ok(Json(variant).into_response())
}

pub async fn update_variant(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<VariantInput>,
) -> Result<Response, ApiError> {
    let variant =
        service.update_variant(ids.ns(), ids.get("flagKey"), ids.get("id"), input).await?;
    Ok(Json(variant).into_response())
}

pub async fn delete_variant(
    State(service): State<Arc<Service>>,
    ids: Ids,
) -> Result<Response, ApiError> {
    service.delete_variant(ids.ns(), ids.get("flagKey"), ids.get("id")).await?;
    Ok(json::empty())
}
