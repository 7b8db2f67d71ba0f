//! Segments and their constraints.

use serde::{Deserialize, Serialize};

use super::{lenient::nullable, ComparisonType, MatchType};

/// A segment as Flipt serves it, plus Vexil's `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub key: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    pub constraints: Vec<Constraint>,
    pub match_type: MatchType,
    pub namespace_key: String,
    pub version: i64,
}

/// One condition on the evaluation context.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Constraint {
    pub id: String,
    pub segment_key: String,
    #[serde(rename = "type")]
    pub comparison_type: ComparisonType,
    pub property: String,
    pub operator: String,
    pub value: String,
    pub created_at: String,
    pub updated_at: String,
    pub namespace_key: String,
    pub description: String,
}

/// Body of a segment create or update (on update `key` is ignored and a missing
/// `matchType` resets it to ALL, as in Flipt).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct SegmentInput {
    #[serde(deserialize_with = "nullable")]
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = r"^[-_,A-Za-z0-9]+$")))]
    pub key: String,
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub description: String,
    #[serde(alias = "match_type", deserialize_with = "nullable")]
    pub match_type: MatchType,
    pub version: Option<i64>,
}

/// Body of a constraint create or update.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct ConstraintInput {
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub comparison_type: ComparisonType,
    #[serde(deserialize_with = "nullable")]
    pub property: String,
    #[serde(deserialize_with = "nullable")]
    pub operator: String,
    #[serde(deserialize_with = "nullable")]
    pub value: String,
    #[serde(deserialize_with = "nullable")]
    pub description: String,
}
