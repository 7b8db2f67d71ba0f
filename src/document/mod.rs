//! Flipt's declarative document (reference §4.1): one namespace with its flags and segments, as
//! `flipt export` writes it and `flipt import` reads it. Export writes version 1.4 with empty
//! fields left out, variant keys instead of ids, and segment references by key.

mod depth;
mod export;
mod parse;

pub use export::{export, to_yaml_stream};
pub use parse::{parse, parse_limited, ParseError, DEFAULT_MAX_DEPTH};

/// Whether any string (or object key) in `value` contains a NUL character: PostgreSQL cannot
/// store them, so documents and request bodies alike refuse them.
pub fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(fields) => {
            fields.iter().any(|(key, value)| key.contains('\0') || has_nul(value))
        }
        _ => false,
    }
}

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One namespace's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    #[serde(default)]
    pub version: String,
    #[serde(default = "default_namespace")]
    pub namespace: NamespaceRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<DocFlag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<DocSegment>,
}

fn all_match_type() -> String {
    "ALL_MATCH_TYPE".into()
}

fn default_namespace() -> NamespaceRef {
    NamespaceRef::Key("default".into())
}

impl NamespaceRef {
    pub fn key(&self) -> &str {
        match self {
            NamespaceRef::Key(key) | NamespaceRef::Full { key, .. } => key,
        }
    }
}

/// `namespace: key` or `namespace: {key, name, description}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NamespaceRef {
    Key(String),
    Full {
        key: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFlag {
    pub key: String,
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub flag_type: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<DocVariant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<DocRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollouts: Vec<DocRollout>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocVariant {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Value>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

/// A rule or rollout's segments: one key, or several with an operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SegmentRef {
    Key(String),
    Many {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        keys: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        operator: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRule {
    pub segment: SegmentRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distributions: Vec<DocDistribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocDistribution {
    pub variant: String,
    pub rollout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRollout {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<DocRolloutSegment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<DocThreshold>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRolloutSegment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    #[serde(default)]
    pub value: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocThreshold {
    pub percentage: f64,
    #[serde(default)]
    pub value: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSegment {
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<DocConstraint>,
    /// Flipt reads a missing match type as `ALL_MATCH_TYPE`.
    #[serde(default = "all_match_type")]
    pub match_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocConstraint {
    #[serde(rename = "type")]
    pub comparison_type: String,
    pub property: String,
    pub operator: String,
    #[serde(default, skip_serializing_if = "String::is_empty", deserialize_with = "scalar_text")]
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A scalar as text: hand-written documents often say `value: 42` or `value: true` where the
/// format has a string, and Flipt reads those as their text.
fn scalar_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    use serde::de::Error as _;
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(String::new()),
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        other => Err(D::Error::custom(format!("expected a string value, found {other}"))),
    }
}
