//! OpenFeature Remote Evaluation Protocol (reference §2.7): configuration, one flag, and bulk.
//! The namespace comes from `X-Flipt-Namespace`, the entity from `context.targetingKey` (a random
//! id when missing, as Flipt does). Scalar context values are accepted and read as strings.

use std::{collections::HashMap, sync::Arc};

use app::{
    domain::{EvaluationReason, EvaluationRequest, FlagType},
    error::AppError,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};

use super::path::Ids;
use crate::service::Service;

/// OFREP routes need the poll interval they advertise.
#[derive(Clone)]
pub struct OfrepState {
    pub service: Arc<Service>,
    pub poll_ms: u64,
}

pub async fn configuration(State(state): State<OfrepState>) -> Json<Value> {
    Json(json!({
        "name": "flipt",
        "capabilities": {
            "cacheInvalidation": {"polling": {"enabled": true, "minPollingIntervalMs": state.poll_ms}},
            "flagEvaluation": {"supportedTypes": ["string", "boolean"]}
        }
    }))
}

fn failure(status: StatusCode, key: &str, code: &str, details: &str) -> Response {
    (status, Json(json!({"key": key, "errorCode": code, "errorDetails": details}))).into_response()
}

/// The context as strings, the entity id, and the optional `flags` list of a bulk request.
fn parse_context(body: &[u8]) -> Result<(HashMap<String, String>, String), String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((HashMap::new(), uuid::Uuid::new_v4().to_string()));
    }
    let parsed: Value = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let context = match parsed.get("context") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return Err("context must be an object".into()),
    };
    let mut strings = HashMap::with_capacity(context.len());
    for (key, value) in context {
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => continue,
            _ => return Err(format!("context value {key:?} must be a string, number or boolean")),
        };
        strings.insert(key, text);
    }
    let entity =
        strings.get("targetingKey").cloned().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    Ok((strings, entity))
}

fn namespace(headers: &HeaderMap) -> String {
    headers
        .get("x-flipt-namespace")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .unwrap_or("default")
        .to_string()
}

fn reason(reason: EvaluationReason) -> &'static str {
    match reason {
        EvaluationReason::Match => "TARGETING_MATCH",
        EvaluationReason::Default => "DEFAULT",
        EvaluationReason::FlagDisabled => "DISABLED",
        EvaluationReason::Unknown => "UNKNOWN",
    }
}

/// One flag's OFREP answer, or the failure (status, code, details).
async fn evaluate(
    service: &Service,
    request: EvaluationRequest,
    flag_type: FlagType,
) -> Result<Value, (StatusCode, &'static str, String)> {
    let failed = |error: AppError| match error {
        AppError::NotFound(m) => (StatusCode::NOT_FOUND, "FLAG_NOT_FOUND", m),
        AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "GENERAL", m),
        other => (StatusCode::INTERNAL_SERVER_ERROR, "GENERAL", other.to_string()),
    };
    let key = request.flag_key.clone();
    match flag_type {
        FlagType::Boolean => {
            let answer = service.evaluate_boolean(&request).await.map_err(failed)?;
            Ok(
                json!({"key": key, "reason": reason(answer.reason), "variant": answer.enabled.to_string(),
                      "value": answer.enabled, "metadata": {}}),
            )
        }
        FlagType::Variant => {
            let answer = service.evaluate_variant(&request).await.map_err(failed)?;
            let mut metadata = Map::new();
            if !answer.segment_keys.is_empty() {
                metadata.insert("segments".into(), Value::String(answer.segment_keys.join(",")));
            }
            if !answer.variant_attachment.is_empty() {
                metadata.insert("attachment".into(), Value::String(answer.variant_attachment));
            }
            Ok(json!({"key": key, "reason": reason(answer.reason), "variant": answer.variant_key,
                      "value": answer.variant_key, "metadata": metadata}))
        }
    }
}

pub async fn flag(
    State(state): State<OfrepState>,
    ids: Ids,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let key = ids.get("key").to_string();
    let (context, entity_id) = match parse_context(&body) {
        Ok(parsed) => parsed,
        Err(details) => return failure(StatusCode::BAD_REQUEST, &key, "INVALID_CONTEXT", &details),
    };
    let namespace = namespace(&headers);
    let snapshot = match state.service.snapshot(&namespace).await {
        Ok(snapshot) => snapshot,
        Err(error) => {
            return failure(StatusCode::INTERNAL_SERVER_ERROR, &key, "GENERAL", &error.to_string())
        }
    };
    let Some(flag_type) = snapshot.flags.get(&key).map(|f| f.flag_type) else {
        let details = format!("flag \"{namespace}/{key}\" not found");
        return failure(StatusCode::NOT_FOUND, &key, "FLAG_NOT_FOUND", &details);
    };
    let request = EvaluationRequest {
        namespace_key: namespace,
        flag_key: key.clone(),
        entity_id,
        context,
        ..Default::default()
    };
    match evaluate(&state.service, request, flag_type).await {
        Ok(answer) => Json(answer).into_response(),
        Err((status, code, details)) => failure(status, &key, code, &details),
    }
}

pub async fn bulk(State(state): State<OfrepState>, headers: HeaderMap, body: Bytes) -> Response {
    let (context, entity_id) = match parse_context(&body) {
        Ok(parsed) => parsed,
        Err(details) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"errorCode": "INVALID_CONTEXT", "errorDetails": details})),
            )
                .into_response()
        }
    };
    let namespace = namespace(&headers);
    let snapshot = match state.service.snapshot(&namespace).await {
        Ok(snapshot) => snapshot,
        Err(error) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"errorCode": "GENERAL", "errorDetails": error.to_string()})),
            )
                .into_response()
        }
    };
    // Named flags, or every boolean flag and every enabled variant flag, in creation order.
    let keys: Vec<String> = match context.get("flags") {
        Some(list) => {
            list.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect()
        }
        None => snapshot
            .source
            .flags
            .iter()
            .filter(|f| f.flag_type == FlagType::Boolean || f.enabled)
            .map(|f| f.key.clone())
            .collect(),
    };
    // A flag that cannot be evaluated is an item of the list, not a failed call (OFREP).
    let mut answers = Vec::with_capacity(keys.len());
    for key in keys {
        let Some(flag_type) = snapshot.flags.get(&key).map(|f| f.flag_type) else {
            let details = format!("flag \"{namespace}/{key}\" not found");
            answers
                .push(json!({"key": key, "errorCode": "FLAG_NOT_FOUND", "errorDetails": details}));
            continue;
        };
        let request = EvaluationRequest {
            namespace_key: namespace.clone(),
            flag_key: key.clone(),
            entity_id: entity_id.clone(),
            context: context.clone(),
            ..Default::default()
        };
        match evaluate(&state.service, request, flag_type).await {
            Ok(answer) => answers.push(answer),
            Err((_, code, details)) => {
                answers.push(json!({"key": key, "errorCode": code, "errorDetails": details}))
            }
        }
    }
    // The items are serialised once: the ETag is their digest and the body embeds the bytes.
    let flags = serde_json::to_vec(&answers).expect("JSON values always serialise");
    // The advertised stream's credential changes hourly; so does the ETag with it, so that a
    // client kept on 304s still gets a URL that opens.
    let (stream, window) = match super::stream::ofrep_event_stream(&state.service, &namespace) {
        Ok(advertised) => advertised,
        Err(error) => return super::ApiError(error).into_response(),
    };
    let etag = bulk_etag(&namespace, &flags, window);
    let mut response = if if_none_match(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut body = Vec::with_capacity(flags.len() + 256);
        body.extend_from_slice(b"{\"flags\":");
        body.extend_from_slice(&flags);
        body.extend_from_slice(b",\"eventStreams\":[");
        body.extend_from_slice(stream.to_string().as_bytes());
        body.extend_from_slice(b"]}");
        let mut response = body.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The bulk answer's ETag: a digest of the namespace, the stream credential's window and every
/// item, so it changes when what this context is answered changes (values, variants, reasons,
/// metadata, failures) and when the advertised stream URL does.
fn bulk_etag(namespace: &str, flags: &[u8], window: i64) -> String {
    let mut digest = sha1_smol::Sha1::new();
    digest.update(format!("{namespace}\n{window}\n").as_bytes());
    digest.update(flags);
    format!("\"{}\"", &digest.digest().to_string()[..20])
}

/// Whether `If-None-Match` names `etag` (or is `*`), compared weakly as RFC 9110 says.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|value| value.split(',').any(|tag| tag.trim() == "*" || opaque(tag) == opaque(etag)))
}
