//! Flipt's deprecated evaluation API, still called by older clients: `POST /api/v1/evaluate`
//! and `/api/v1/batch-evaluate` (also namespaced). Variant flags only, with the older reason
//! names; a batch targets one namespace and may skip missing flags.

use std::{collections::HashMap, sync::Arc, time::Instant};

use app::{
    domain::{EvaluationReason, EvaluationRequest, VariantEvaluationResponse},
    error::AppError,
};
use axum::{extract::State, Json};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{extract::Body, path::Ids, ApiError};
use crate::service::Service;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LegacyRequest {
    #[serde(alias = "request_id")]
    request_id: Option<String>,
    #[serde(alias = "namespace_key")]
    namespace_key: Option<String>,
    #[serde(alias = "flag_key")]
    flag_key: Option<String>,
    #[serde(alias = "entity_id")]
    entity_id: Option<String>,
    context: Option<HashMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LegacyBatch {
    #[serde(alias = "request_id")]
    request_id: Option<String>,
    #[serde(alias = "namespace_key")]
    namespace_key: Option<String>,
    requests: Option<Vec<LegacyRequest>>,
    #[serde(alias = "exclude_not_found")]
    exclude_not_found: Option<bool>,
}

fn namespace(ids: &Ids, body: &Option<String>) -> String {
    match body.as_deref() {
        Some(ns) if !ns.is_empty() && ids.ns() == "default" => ns.to_string(),
        _ => ids.ns().to_string(),
    }
}

fn to_request(legacy: &LegacyRequest, namespace: &str) -> Result<EvaluationRequest, AppError> {
    let flag_key = legacy.flag_key.clone().unwrap_or_default();
    let entity_id = legacy.entity_id.clone().unwrap_or_default();
    if flag_key.is_empty() {
        return Err(AppError::Invalid("invalid field flagKey: must not be empty".into()));
    }
    if entity_id.is_empty() {
        return Err(AppError::Invalid("invalid field entityId: must not be empty".into()));
    }
    Ok(EvaluationRequest {
        request_id: legacy.request_id.clone().unwrap_or_default(),
        namespace_key: namespace.to_string(),
        flag_key,
        entity_id,
        context: legacy.context.clone().unwrap_or_default(),
        reference: String::new(),
    })
}

fn render(request: &EvaluationRequest, answer: VariantEvaluationResponse) -> Value {
    let reason = match answer.reason {
        EvaluationReason::Unknown => "UNKNOWN_EVALUATION_REASON",
        EvaluationReason::FlagDisabled => "FLAG_DISABLED_EVALUATION_REASON",
        EvaluationReason::Match => "MATCH_EVALUATION_REASON",
        EvaluationReason::Default => "DEFAULT_EVALUATION_REASON",
    };
    json!({
        "requestId": answer.request_id, "entityId": request.entity_id, "requestContext": request.context,
        "match": answer.matched, "flagKey": request.flag_key,
        "segmentKey": answer.segment_keys.first().cloned().unwrap_or_default(),
        "timestamp": answer.timestamp, "value": answer.variant_key,
        "requestDurationMillis": answer.request_duration_millis, "attachment": answer.variant_attachment,
        "reason": reason, "namespaceKey": request.namespace_key, "segmentKeys": answer.segment_keys,
    })
}

pub async fn evaluate(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(body): Body<LegacyRequest>,
) -> Result<Json<Value>, ApiError> {
    let namespace = namespace(&ids, &body.namespace_key);
    service.may_evaluate(&namespace)?;
    let request = to_request(&body, &namespace)?;
    let answer = service.evaluate_variant(&request).await?;
    Ok(Json(render(&request, answer)))
}

pub async fn batch(
    State(service): State<Arc<Service>>,
    ids: Ids,
    Body(batch): Body<LegacyBatch>,
) -> Result<Json<Value>, ApiError> {
    let start = Instant::now();
    let namespace = namespace(&ids, &batch.namespace_key);
    // Checked for the batch's namespace even when it names no request (Flipt compares the
    // top-level namespace of a legacy batch).
    service.may_evaluate(&namespace)?;
    let mut responses = Vec::new();
    for item in batch.requests.as_deref().unwrap_or_default() {
        let request = to_request(item, &namespace)?;
        match service.evaluate_variant(&request).await {
            Ok(answer) => responses.push(render(&request, answer)),
            Err(AppError::NotFound(_)) if batch.exclude_not_found.unwrap_or(false) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let request_id = batch
        .request_id
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    Ok(Json(json!({"requestId": request_id, "responses": responses,
                   "requestDurationMillis": start.elapsed().as_secs_f64() * 1000.0})))
}
