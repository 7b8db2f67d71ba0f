//! Namespaces: the unit that owns flags and segments.

use serde::{Deserialize, Serialize};

/// A namespace as Flipt serves it, plus Vexil's optimistic-concurrency `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    pub key: String,
    pub name: String,
    pub description: String,
    pub protected: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// Bumped by every update of this namespace's own metadata.
    pub version: i64,
}

/// Body of a namespace create (key, name, description) or update (name, description).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct NamespaceInput {
    #[serde(deserialize_with = "super::lenient::nullable")]
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = r"^[-_,A-Za-z0-9]+$")))]
    pub key: String,
    #[serde(deserialize_with = "super::lenient::nullable")]
    pub name: String,
    #[serde(deserialize_with = "super::lenient::nullable")]
    pub description: String,
    /// The version the caller last read (optimistic concurrency), if it sends one.
    pub version: Option<i64>,
}
