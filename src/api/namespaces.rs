//! `/api/v1/namespaces`.

use std::sync::Arc;

use app::domain::NamespaceInput;
use axum::{extract::State, response::Response};

use super::{
    extract::{Body, IfMatch, Params},
    json,
    path::Ids,
    ApiError,
};
use crate::service::Service;

pub async fn list(
    State(service): State<Arc<Service>>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = service.list_namespaces(params.page(false)?).await?;
    Ok(json::list("namespaces", page))
}

pub async fn get(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    let namespace = service.get_namespace(ids.ns()).await?;
    Ok(json::versioned(namespace.version, namespace))
}

pub async fn create(
    State(service): State<Arc<Service>>,
    Body(input): Body<NamespaceInput>,
) -> Result<Response, ApiError> {
    let namespace = service.create_namespace(input).await?;
    Ok(json::versioned(namespace.version, namespace))
}

pub async fn update(
    State(service): State<Arc<Service>>,
    ids: Ids,
    if_match: IfMatch,
    Body(input): Body<NamespaceInput>,
) -> Result<Response, ApiError> {
    let expected = if_match.or(input.version);
    let namespace = service.update_namespace(ids.ns(), input, expected).await?;
    Ok(json::versioned(namespace.version, namespace))
}

pub async fn delete(
    State(service): State<Arc<Service>>,
    ids: Ids,
    if_match: IfMatch,
    params: Params,
) -> Result<Response, ApiError> {
    service.delete_namespace(ids.ns(), params.flag("force"), if_match.0).await?;
    Ok(json::empty())
}
