//! `…/flags/{flagKey}/rules` and their distributions.

use std::sync::Arc;

use app::domain::{DistributionInput, RuleInput, RuleOrder};
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
    let page = service.list_rules(ids.ns(), ids.get("flagKey"), params.page(true)?).await?;
    Ok(json::list("rules", page))
}

pub async fn get(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    Ok(Json(service.get_rule(ids.ns(), ids.get("flagKey"), ids.get("id")).await?).into_response())
}

pub async fn create(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<RuleInput>,
) -> Result<Response, ApiError> {
    Ok(Json(service.create_rule(ids.ns(), ids.get("flagKey"), input).await?).into_response())
}

pub async fn update(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<RuleInput>,
) -> Result<Response, ApiError> {
    Ok(Json(service.update_rule(ids.ns(), ids.get("flagKey"), ids.get("id"), input).await?)
        .into_response())
}

pub async fn delete(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    service.delete_rule(ids.ns(), ids.get("flagKey"), ids.get("id")).await?;
    Ok(json::empty())
}

pub async fn order(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(order): Body<RuleOrder>,
) -> Result<Response, ApiError> {
    service.order_rules(ids.ns(), ids.get("flagKey"), order).await?;
    Ok(json::empty())
}

pub async fn create_distribution(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<DistributionInput>,
) -> Result<Response, ApiError> {
    let created =
        service.create_distribution(ids.ns(), ids.get("flagKey"), ids.get("ruleId"), input).await?;
    Ok(Json(created).into_response())
}

pub async fn update_distribution(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(input): Body<DistributionInput>,
) -> Result<Response, ApiError> {
    let updated = service
        .update_distribution(ids.ns(), ids.get("flagKey"), ids.get("ruleId"), ids.get("id"), input)
        .await?;
    Ok(Json(updated).into_response())
}

pub async fn delete_distribution(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
) -> Result<Response, ApiError> {
    let variant_id = params.get("variantId").unwrap_or_default();
    service
        .delete_distribution(
            ids.ns(),
            ids.get("flagKey"),
            ids.get("ruleId"),
            ids.get("id"),
            variant_id,
        )
        .await?;
    Ok(json::empty())
}
