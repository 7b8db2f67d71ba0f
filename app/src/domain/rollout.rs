//! Rollouts of boolean flags: by segment or by percentage threshold.

use serde::{Deserialize, Serialize};

use super::{lenient::nullable, RolloutType, SegmentOperator};

/// A rollout as Flipt serves it: exactly one of `segment` and `threshold` is present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    pub id: String,
    pub namespace_key: String,
    pub flag_key: String,
    #[serde(rename = "type")]
    pub rollout_type: RolloutType,
    pub rank: i64,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub segment: Option<RolloutSegment>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub threshold: Option<RolloutThreshold>,
}

/// Answer `value` to entities in the segment(s).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutSegment {
    #[serde(alias = "segment_key", deserialize_with = "nullable")]
    pub segment_key: String,
    #[serde(deserialize_with = "nullable")]
    pub value: bool,
    #[serde(alias = "segment_keys", deserialize_with = "nullable")]
    pub segment_keys: Vec<String>,
    #[serde(alias = "segment_operator", deserialize_with = "nullable")]
    pub segment_operator: SegmentOperator,
}

/// Answer `value` to `percentage` percent of entities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutThreshold {
    #[serde(deserialize_with = "nullable")]
    pub percentage: f64,
    #[serde(deserialize_with = "nullable")]
    pub value: bool,
}

/// Body of a rollout create or update.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutInput {
    #[serde(deserialize_with = "nullable")]
    pub rank: i64,
    #[serde(deserialize_with = "nullable")]
    pub description: String,
    pub segment: Option<RolloutSegment>,
    pub threshold: Option<RolloutThreshold>,
}

/// Body of `PUT …/rollouts/order`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutOrder {
    #[serde(alias = "rollout_ids", deserialize_with = "nullable")]
    pub rollout_ids: Vec<String>,
}
