//! Restorable copies of namespaces.

use serde::{Deserialize, Serialize};

/// What a stored snapshot is; its document is fetched separately.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SnapshotInfo {
    pub id: String,
    pub namespace_key: String,
    /// Why it was taken, e.g. `before namespace delete` or `on demand`.
    pub reason: String,
    /// Taken by Vexil before a destructive operation (pruned by retention), not on request.
    pub automatic: bool,
    /// The namespace's data version when it was taken.
    pub data_version: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
}
