//! The change log: who changed what, when, from what to what.

use serde::{Deserialize, Serialize};

/// One recorded write. `before` is absent for a creation, `after` for a deletion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub id: i64,
    pub namespace_key: String,
    /// `namespace`, `flag`, `variant`, `segment`, `constraint`, `rule`, `distribution`,
    /// `rollout`, `rule_order` or `rollout_order`.
    pub resource_type: String,
    /// The object's key or id (for orderings, the flag's key).
    pub resource_key: String,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    pub actor: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub before: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub after: Option<serde_json::Value>,
    /// RFC 3339, UTC.
    pub created_at: String,
}
