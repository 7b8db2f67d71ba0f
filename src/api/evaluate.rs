//! `/evaluate/v1/variant`, `/boolean` and `/batch`.

use std::sync::Arc;

use app::domain::{BatchEvaluationRequest, EvaluationRequest};
use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Json,
};

use super::{extract::Body, ApiError};
use crate::service::Service;

pub async fn variant(
    State(service): State<Arc<Service>>,
    Body(request): Body<EvaluationRequest>,
) -> Result<Response, ApiError> {
    Ok(Json(service.evaluate_variant(&request).await?).into_response())
}

pub async fn boolean(
    State(service): State<Arc<Service>>,
    Body(request): Body<EvaluationRequest>,
) -> Result<Response, ApiError> {
    Ok(Json(service.evaluate_boolean(&request).await?).into_response())
}

pub async fn batch(
    State(service): State<Arc<Service>>,
    Body(batch): Body<BatchEvaluationRequest>,
) -> Result<Response, ApiError> {
    Ok(Json(service.evaluate_batch(&batch).await?).into_response())
}
