//! Flags and their variants.

use serde::{Deserialize, Serialize};

use super::{lenient::nullable, FlagType};

/// A flag as Flipt serves it (reference §2.4), plus Vexil's `version`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub key: String,
    pub name: String,
    pub description: String,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
    pub variants: Vec<Variant>,
    pub namespace_key: String,
    #[serde(rename = "type")]
    pub flag_type: FlagType,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_variant: Option<Variant>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    pub version: i64,
}

/// A variant of a flag. `attachment` is a JSON document carried as a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    pub id: String,
    pub flag_key: String,
    pub key: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    pub attachment: String,
    pub namespace_key: String,
}

/// Body of a flag create (POST) or update (PUT). On update `key` and `type` are ignored,
/// a missing `enabled` disables the flag, a missing `defaultVariantId` clears the default,
/// and `metadata` is changed only when given.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct FlagInput {
    #[serde(deserialize_with = "nullable")]
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = r"^[-_,A-Za-z0-9]+$")))]
    pub key: String,
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub description: String,
    #[serde(deserialize_with = "nullable")]
    pub enabled: bool,
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub flag_type: FlagType,
    #[serde(alias = "default_variant_id", deserialize_with = "nullable")]
    pub default_variant_id: String,
    pub metadata: Option<serde_json::Value>,
    /// The version the caller last read (optimistic concurrency), if it sends one.
    pub version: Option<i64>,
}

/// Body of a variant create or update.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct VariantInput {
    #[serde(deserialize_with = "nullable")]
    #[cfg_attr(feature = "ssr", schemars(regex(pattern = r"^[-_,A-Za-z0-9]+$")))]
    pub key: String,
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub description: String,
    #[serde(deserialize_with = "nullable")]
    pub attachment: String,
}

/// The dashboard's flag list request: search, order and page, all applied by the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FlagQuery {
    /// Part of a key or name, any case; empty for every flag.
    pub search: String,
    /// `key`, `name`, `created` or `updated` (anything else: `key`).
    pub sort: String,
    pub descending: bool,
    /// Zero-based page number.
    pub page: i64,
}

/// One page of the dashboard's flag list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlagListing {
    pub flags: Vec<Flag>,
    /// Flags matching the search, on every page.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// The namespace's data version when the page was read: the key the page refetches on.
    pub data_version: i64,
}

/// Flags per page of the dashboard's list.
pub const FLAG_PAGE_SIZE: i64 = 25;
