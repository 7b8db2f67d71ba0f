//! Evaluation requests and answers, as Flipt's `/evaluate/v1` API shapes them (reference §2.5).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{lenient::nullable, EvaluationReason};

/// One evaluation request. The context is strings only, as in Flipt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct EvaluationRequest {
    #[serde(alias = "request_id", deserialize_with = "nullable")]
    pub request_id: String,
    #[serde(alias = "namespace_key", deserialize_with = "nullable")]
    pub namespace_key: String,
    #[serde(alias = "flag_key", deserialize_with = "nullable")]
    pub flag_key: String,
    #[serde(alias = "entity_id", deserialize_with = "nullable")]
    pub entity_id: String,
    #[serde(deserialize_with = "nullable")]
    pub context: HashMap<String, String>,
    #[serde(deserialize_with = "nullable")]
    pub reference: String,
}

/// The answer for a variant flag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VariantEvaluationResponse {
    #[serde(rename = "match")]
    pub matched: bool,
    pub segment_keys: Vec<String>,
    pub reason: EvaluationReason,
    pub variant_key: String,
    pub variant_attachment: String,
    pub request_id: String,
    pub request_duration_millis: f64,
    pub timestamp: String,
    pub flag_key: String,
}

/// The answer for a boolean flag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BooleanEvaluationResponse {
    pub enabled: bool,
    pub reason: EvaluationReason,
    pub request_id: String,
    pub request_duration_millis: f64,
    pub timestamp: String,
    pub flag_key: String,
    pub segment_keys: Vec<String>,
}

/// `POST /evaluate/v1/batch` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct BatchEvaluationRequest {
    #[serde(alias = "request_id", deserialize_with = "nullable")]
    pub request_id: String,
    #[serde(deserialize_with = "nullable")]
    pub requests: Vec<EvaluationRequest>,
    #[serde(deserialize_with = "nullable")]
    pub reference: String,
}

/// One item of a batch answer: exactly one of the three responses is present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EvaluationResponse {
    #[serde(rename = "type")]
    pub response_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub boolean_response: Option<BooleanEvaluationResponse>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variant_response: Option<VariantEvaluationResponse>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error_response: Option<ErrorEvaluationResponse>,
}

/// A batch item for a flag that does not exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorEvaluationResponse {
    pub flag_key: String,
    pub namespace_key: String,
    pub reason: String,
}

/// `POST /evaluate/v1/batch` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchEvaluationResponse {
    pub request_id: String,
    pub responses: Vec<EvaluationResponse>,
    pub request_duration_millis: f64,
}
