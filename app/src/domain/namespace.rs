//! Namespaces: the unit that owns flags and segments.

use serde::{Deserialize, Serialize};

/// A namespace as Flipt serves it, plus Vexil's optimistic-concurrency `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
