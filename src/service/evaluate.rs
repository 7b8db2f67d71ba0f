//! Evaluation: the engine over the cached snapshot, plus request ids, timing and Flipt's errors.

use crate::auth::Need;
use std::{sync::Arc, time::Instant};

use app::{
    domain::{
        BatchEvaluationRequest, BatchEvaluationResponse, BooleanEvaluationResponse,
        ErrorEvaluationResponse, EvaluationRequest, EvaluationResponse, FlagType,
        VariantEvaluationResponse,
    },
    error::AppError,
};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

use super::{error::not_found, internal, Service};
use crate::eval::{self, EvalError, Snapshot};

fn namespace_of(request: &EvaluationRequest) -> &str {
    if request.namespace_key.is_empty() {
        "default"
    } else {
        &request.namespace_key
    }
}

fn request_id(given: &str) -> String {
    if given.is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        given.to_string()
    }
}

fn now() -> String {
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()
}

fn elapsed_ns(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

fn millis(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn eval_error(error: EvalError, namespace: &str, flag_key: &str) -> AppError {
    match error {
        EvalError::FlagNotFound => not_found("flag", &format!("{namespace}/{flag_key}")),
        EvalError::WrongType(actual) => {
            AppError::Invalid(format!("flag type {} invalid", actual.wire_name()))
        }
    }
}

impl Service {
    /// The current snapshot of a namespace (empty if it does not exist).
    pub async fn snapshot(&self, namespace: &str) -> Result<Arc<Snapshot>, AppError> {
        crate::auth::require(Need::Evaluate, Some(namespace))?;
        self.cache.get(namespace).await.map_err(internal)
    }

    /// `POST /evaluate/v1/variant`.
    pub async fn evaluate_variant(
        &self,
        request: &EvaluationRequest,
    ) -> Result<VariantEvaluationResponse, AppError> {
        crate::auth::require(Need::Evaluate, Some(namespace_of(request)))?;
        let start = Instant::now();
        let namespace = namespace_of(request);
        let snapshot = self.snapshot(namespace).await?;
        let answer = variant_response(&snapshot, request, start);
        match &answer {
            Ok(a) => self.metrics.record(
                namespace,
                &request.flag_key,
                a.reason,
                a.matched,
                elapsed_ns(start),
            ),
            Err(_) => self.metrics.record_error(),
        }
        answer
    }

    /// `POST /evaluate/v1/boolean`.
    pub async fn evaluate_boolean(
        &self,
        request: &EvaluationRequest,
    ) -> Result<BooleanEvaluationResponse, AppError> {
        crate::auth::require(Need::Evaluate, Some(namespace_of(request)))?;
        let start = Instant::now();
        let namespace = namespace_of(request);
        let snapshot = self.snapshot(namespace).await?;
        let answer = boolean_response(&snapshot, request, start);
        match &answer {
            Ok(a) => self.metrics.record(
                namespace,
                &request.flag_key,
                a.reason,
                a.enabled,
                elapsed_ns(start),
            ),
            Err(_) => self.metrics.record_error(),
        }
        answer
    }

    /// `POST /evaluate/v1/batch`: a missing flag is an error item; any other error fails all.
    /// Whether the caller may evaluate in `namespace` at all.
    pub fn may_evaluate(&self, namespace: &str) -> Result<(), AppError> {
        crate::auth::require(Need::Evaluate, Some(namespace)).map(|_| ())
    }

    pub async fn evaluate_batch(
        &self,
        batch: &BatchEvaluationRequest,
    ) -> Result<BatchEvaluationResponse, AppError> {
        let principal = crate::auth::current();
        if principal.flipt_scoped {
            // Flipt: every request of a batch must name the token's namespace, and an empty
            // batch names none.
            let mut namespaces = batch.requests.iter().map(namespace_of);
            let first = namespaces.next();
            if first.is_none() || namespaces.any(|ns| Some(ns) != first) {
                return Err(crate::auth::unauthenticated(
                    "batch namespaces do not match the token",
                ));
            }
        }
        for request in &batch.requests {
            crate::auth::check(&principal, Need::Evaluate, Some(namespace_of(request)))?;
        }
        let start = Instant::now();
        let mut responses = Vec::with_capacity(batch.requests.len());
        for request in &batch.requests {
            let namespace = namespace_of(request);
            let snapshot = self.snapshot(namespace).await?;
            let item = match snapshot.flags.get(&request.flag_key).map(|f| f.flag_type) {
                None => EvaluationResponse {
                    response_type: "ERROR_EVALUATION_RESPONSE_TYPE".into(),
                    boolean_response: None,
                    variant_response: None,
                    error_response: Some(ErrorEvaluationResponse {
                        flag_key: request.flag_key.clone(),
                        namespace_key: namespace.to_string(),
                        reason: "NOT_FOUND_ERROR_EVALUATION_REASON".into(),
                    }),
                },
                Some(FlagType::Variant) => EvaluationResponse {
                    response_type: "VARIANT_EVALUATION_RESPONSE_TYPE".into(),
                    boolean_response: None,
                    variant_response: Some(variant_response(&snapshot, request, start)?),
                    error_response: None,
                },
                Some(FlagType::Boolean) => EvaluationResponse {
                    response_type: "BOOLEAN_EVALUATION_RESPONSE_TYPE".into(),
                    boolean_response: Some(boolean_response(&snapshot, request, start)?),
                    variant_response: None,
                    error_response: None,
                },
            };
            responses.push(item);
        }
        Ok(BatchEvaluationResponse {
            request_id: request_id(&batch.request_id),
            responses,
            request_duration_millis: millis(start),
        })
    }
}

/// The engine's variant answer with Flipt's response fields.
pub fn variant_response(
    snapshot: &Snapshot,
    request: &EvaluationRequest,
    start: Instant,
) -> Result<VariantEvaluationResponse, AppError> {
    let outcome = eval::variant(snapshot, &request.flag_key, &request.entity_id, &request.context)
        .map_err(|e| eval_error(e, &snapshot.namespace, &request.flag_key))?;
    Ok(VariantEvaluationResponse {
        matched: outcome.matched,
        segment_keys: outcome.segment_keys,
        reason: outcome.reason,
        variant_key: outcome.variant_key,
        variant_attachment: outcome.attachment,
        request_id: request_id(&request.request_id),
        request_duration_millis: millis(start),
        timestamp: now(),
        flag_key: request.flag_key.clone(),
    })
}

/// The engine's boolean answer with Flipt's response fields.
pub fn boolean_response(
    snapshot: &Snapshot,
    request: &EvaluationRequest,
    start: Instant,
) -> Result<BooleanEvaluationResponse, AppError> {
    let outcome = eval::boolean(snapshot, &request.flag_key, &request.entity_id, &request.context)
        .map_err(|e| eval_error(e, &snapshot.namespace, &request.flag_key))?;
    Ok(BooleanEvaluationResponse {
        enabled: outcome.enabled,
        reason: outcome.reason,
        request_id: request_id(&request.request_id),
        request_duration_millis: millis(start),
        timestamp: now(),
        flag_key: request.flag_key.clone(),
        segment_keys: outcome.segment_keys,
    })
}
