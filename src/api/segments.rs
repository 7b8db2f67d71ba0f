//! `…/segments` and `…/segments/{segmentKey}/constraints`.

use std::sync::Arc;

use app::domain::{ConstraintInput, SegmentInput};
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
    let page = service.list_segments(ids.ns(), params.page(true)?).await?;
    Ok(json::list("segments", page))
}

pub async fn get(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    let segment = service.get_segment(ids.ns(), ids.get("segmentKey")).await?;
    Ok(json::versioned(segment.version, segment))
}

pub async fn create(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<SegmentInput>,
) -> Result<Response, ApiError> {
    let segment = service.create_segment(ids.ns(), input).await?;
    Ok(json::versioned(segment.version, segment))
}

pub async fn update(
    State(service): State<Arc<Service>>,
    ids: Ids,
    if_match: IfMatch,
    Body(input): Body<SegmentInput>,
) -> Result<Response, ApiError> {
    let expected = if_match.or(input.version);
    let segment = service.update_segment(ids.ns(), ids.get("segmentKey"), input, expected).await?;
    Ok(json::versioned(segment.version, segment))
}

pub async fn delete(
    State(service): State<Arc<Service>>,
    ids: Ids,
    if_match: IfMatch,
) -> Result<Response, ApiError> {
    service.delete_segment(ids.ns(), ids.get("segmentKey"), if_match.0).await?;
    Ok(json::empty())
}

pub async fn create_constraint(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<ConstraintInput>,
) -> Result<Response, ApiError> {
    let constraint = service.create_constraint(ids.ns(), ids.get("segmentKey"), input).await?;
    Ok(Json(constraint).into_response())
}

pub async fn update_constraint(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<ConstraintInput>,
) -> Result<Response, ApiError> {
    let constraint =
        service.update_constraint(ids.ns(), ids.get("segmentKey"), ids.get("id"), input).await?;
    Ok(Json(constraint).into_response())
}

pub async fn delete_constraint(
    State(service): State<Arc<Service>>,
    ids: Ids,
) -> Result<Response, ApiError> {
    service.delete_constraint(ids.ns(), ids.get("segmentKey"), ids.get("id")).await?;
    Ok(json::empty())
}
