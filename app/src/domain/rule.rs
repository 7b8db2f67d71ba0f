//! Rules of variant flags, with their percentage distributions.

use serde::{Deserialize, Serialize};

use super::{lenient::nullable, SegmentOperator};

/// A rule: when its segments match, pick a variant by distribution. One segment is reported
/// in `segmentKey`; several in `segmentKeys` (the other stays empty), as Flipt does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub flag_key: String,
    pub segment_key: String,
    pub distributions: Vec<Distribution>,
    pub rank: i64,
    pub created_at: String,
    pub updated_at: String,
    pub namespace_key: String,
    pub segment_keys: Vec<String>,
    pub segment_operator: SegmentOperator,
}

/// A share of a rule's matches, in percent, given to one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    pub id: String,
    pub rule_id: String,
    pub variant_id: String,
    pub rollout: f64,
    pub created_at: String,
    pub updated_at: String,
}

/// Body of a rule create or update: exactly one of `segmentKey` and `segmentKeys`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RuleInput {
    #[serde(alias = "segment_key", deserialize_with = "nullable")]
    pub segment_key: String,
    #[serde(alias = "segment_keys", deserialize_with = "nullable")]
    pub segment_keys: Vec<String>,
    #[serde(alias = "segment_operator", deserialize_with = "nullable")]
    pub segment_operator: SegmentOperator,
    #[serde(deserialize_with = "nullable")]
    pub rank: i64,
}

/// Body of a distribution create or update.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DistributionInput {
    #[serde(alias = "variant_id", deserialize_with = "nullable")]
    pub variant_id: String,
    #[serde(deserialize_with = "nullable")]
    pub rollout: f64,
}

/// Body of `PUT …/rules/order`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RuleOrder {
    #[serde(alias = "rule_ids", deserialize_with = "nullable")]
    pub rule_ids: Vec<String>,
}
