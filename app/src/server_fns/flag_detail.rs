//! Server functions of the flag detail page. Each write is a POST that `ActionForm` submits as
//! a plain HTML form, so the page works before hydration and without JavaScript; lists in a
//! form arrive as `name[]` fields.

// A form posts flat fields, one argument each; the client half the `#[server]` macro
// generates cannot carry an item-level allow, so it is allowed for the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{
    domain::{Flag, FlagDetail},
    error::AppError,
};

/// The flag with everything its page shows.
#[server(prefix = "/ui", endpoint = "flags/detail", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn load_flag(namespace: String, key: String) -> Result<FlagDetail, AppError> {
    super::with_status(crate::port::use_port()?.flag_detail(&namespace, &key).await)
}

/// Saves name and description (and, when sent, the enabled state and default variant),
/// guarded by the version the form was rendered with.
#[server(prefix = "/ui", endpoint = "flags/update", client = crate::access::CsrfClient)]
pub async fn update_flag(
    namespace: String,
    key: String,
    version: i64,
    #[server(default)] name: Option<String>,
    #[server(default)] description: Option<String>,
    #[server(default)] enabled: Option<bool>,
    #[server(default)] default_variant_id: Option<String>,
) -> Result<Flag, AppError> {
    let patch = crate::domain::FlagPatch {
        name,
        description,
        enabled,
        default_variant_id,
        metadata: None,
        version,
    };
    super::with_status(crate::port::use_port()?.patch_flag(&namespace, &key, patch).await)
}

/// Replaces the flag's metadata with the rows of the form: `meta_keys[]`, `meta_values[]` and
/// `meta_kinds[]` (`text`: the value is a string; `json`: it is JSON) are parallel lists; rows
/// without a key and value are ignored. Guarded by the version the form was rendered with.
#[server(prefix = "/ui", endpoint = "flags/metadata", client = crate::access::CsrfClient)]
pub async fn save_metadata(
    namespace: String,
    key: String,
    version: i64,
    #[server(default)] meta_keys: Vec<String>,
    #[server(default)] meta_values: Vec<String>,
    #[server(default)] meta_kinds: Vec<String>,
) -> Result<Flag, AppError> {
    let metadata = match crate::domain::metadata_from_rows(&meta_keys, &meta_values, &meta_kinds) {
        Ok(metadata) => metadata,
        Err(reason) => {
            return super::with_status(Err(AppError::Invalid(format!(
                "invalid field metadata: {reason}"
            ))))
        }
    };
    let patch =
        crate::domain::FlagPatch { metadata: Some(metadata), version, ..Default::default() };
    super::with_status(crate::port::use_port()?.patch_flag(&namespace, &key, patch).await)
}

/// Deletes the flag (a snapshot is taken first) and goes back to the list.
#[server(prefix = "/ui", endpoint = "flags/delete", client = crate::access::CsrfClient)]
pub async fn delete_flag(namespace: String, key: String, version: i64) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.delete_flag(&namespace, &key, version).await)?;
    leptos_axum::redirect(&format!("/namespaces/{namespace}/flags"));
    Ok(())
}

/// Copies the flag and its variants to `target`.
#[server(prefix = "/ui", endpoint = "flags/copy", client = crate::access::CsrfClient)]
pub async fn copy_flag(namespace: String, key: String, target: String) -> Result<Flag, AppError> {
    super::with_status(crate::port::use_port()?.copy_flag(&namespace, &key, &target).await)
}

/// Creates a variant (empty `id`) or updates one.
#[server(prefix = "/ui", endpoint = "variants/save", client = crate::access::CsrfClient)]
pub async fn save_variant(
    namespace: String,
    flag_key: String,
    #[server(default)] id: String,
    variant_key: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] attachment: String,
) -> Result<crate::domain::Variant, AppError> {
    let input = crate::domain::VariantInput { key: variant_key, name, description, attachment };
    let id = (!id.is_empty()).then_some(id);
    let port = crate::port::use_port()?;
    super::with_status(port.save_variant(&namespace, &flag_key, id, input).await)
}

#[server(prefix = "/ui", endpoint = "variants/delete", client = crate::access::CsrfClient)]
pub async fn delete_variant(
    namespace: String,
    flag_key: String,
    id: String,
) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.delete_variant(&namespace, &flag_key, &id).await)
}

/// Creates (empty `id`) or replaces a rule with its distribution: `variant_ids[]` and
/// `shares[]` are parallel lists of variant ids and percentages.
#[server(prefix = "/ui", endpoint = "rules/save", client = crate::access::CsrfClient)]
pub async fn save_rule(
    namespace: String,
    flag_key: String,
    #[server(default)] id: String,
    #[server(default)] segment_keys: Vec<String>,
    #[server(default)] segment_operator: String,
    #[server(default)] variant_ids: Vec<String>,
    #[server(default)] shares: Vec<String>,
) -> Result<crate::domain::Rule, AppError> {
    let draft = crate::domain::RuleDraft {
        segment_keys,
        segment_operator: parse_operator(&segment_operator)?,
        distributions: variant_ids.into_iter().zip(parse_shares(&shares)?).collect(),
    };
    let id = (!id.is_empty()).then_some(id);
    let port = crate::port::use_port()?;
    super::with_status(port.save_rule(&namespace, &flag_key, id, draft).await)
}

#[server(prefix = "/ui", endpoint = "rules/delete", client = crate::access::CsrfClient)]
pub async fn delete_rule(namespace: String, flag_key: String, id: String) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.delete_rule(&namespace, &flag_key, &id).await)
}

/// Ranks the flag's rules (`what` = `rules`) or rollouts (`rollouts`) in the order of `ids[]`.
#[server(prefix = "/ui", endpoint = "flags/reorder", client = crate::access::CsrfClient)]
pub async fn reorder(
    namespace: String,
    flag_key: String,
    what: String,
    ids: Vec<String>,
) -> Result<(), AppError> {
    let port = crate::port::use_port()?;
    super::with_status(match what.as_str() {
        "rules" => port.order_rules(&namespace, &flag_key, ids).await,
        "rollouts" => port.order_rollouts(&namespace, &flag_key, ids).await,
        other => {
            Err(AppError::Invalid(format!("invalid field what: \"{other}\" (rules or rollouts)")))
        }
    })
}

/// Creates (empty `id`) or updates a rollout: `kind` is `threshold` (with `percentage`) or
/// `segment` (with `segment_keys[]` and `segment_operator`); `value` is the answer.
#[server(prefix = "/ui", endpoint = "rollouts/save", client = crate::access::CsrfClient)]
pub async fn save_rollout(
    namespace: String,
    flag_key: String,
    #[server(default)] id: String,
    kind: String,
    #[server(default)] description: String,
    #[server(default)] percentage: String,
    #[server(default)] segment_keys: Vec<String>,
    #[server(default)] segment_operator: String,
    #[server(default)] value: String,
) -> Result<crate::domain::Rollout, AppError> {
    use crate::domain::{RolloutInput, RolloutSegment, RolloutThreshold};
    let value = value == "true";
    let mut input = RolloutInput { description, ..Default::default() };
    match kind.as_str() {
        "threshold" => {
            let percentage = parse_shares(std::slice::from_ref(&percentage))?[0];
            input.threshold = Some(RolloutThreshold { percentage, value });
        }
        "segment" => {
            if segment_keys.is_empty() {
                return super::with_status(Err(AppError::Invalid(
                    "invalid field segmentKeys: choose at least one segment".into(),
                )));
            }
            input.segment = Some(RolloutSegment {
                segment_keys,
                segment_operator: parse_operator(&segment_operator)?,
                value,
                ..Default::default()
            });
        }
        other => {
            return super::with_status(Err(AppError::Invalid(format!(
                "invalid field type: \"{other}\" (threshold or segment)"
            ))))
        }
    }
    let id = (!id.is_empty()).then_some(id);
    let port = crate::port::use_port()?;
    super::with_status(port.save_rollout(&namespace, &flag_key, id, input).await)
}

#[server(prefix = "/ui", endpoint = "rollouts/delete", client = crate::access::CsrfClient)]
pub async fn delete_rollout(
    namespace: String,
    flag_key: String,
    id: String,
) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.delete_rollout(&namespace, &flag_key, &id).await)
}

/// `AND`/`OR` (or their wire names); empty means OR.
#[cfg(feature = "ssr")]
fn parse_operator(text: &str) -> Result<crate::domain::SegmentOperator, AppError> {
    use crate::domain::SegmentOperator;
    match text {
        "" | "OR" | "OR_SEGMENT_OPERATOR" => Ok(SegmentOperator::Or),
        "AND" | "AND_SEGMENT_OPERATOR" => Ok(SegmentOperator::And),
        other => super::with_status(Err(AppError::Invalid(format!(
            "invalid field segmentOperator: \"{other}\" (AND or OR)"
        )))),
    }
}

/// Percentages as typed; an empty field is 0.
#[cfg(feature = "ssr")]
fn parse_shares(texts: &[String]) -> Result<Vec<f64>, AppError> {
    texts
        .iter()
        .map(|text| match text.trim() {
            "" => Ok(0.0),
            text => text.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| {
                AppError::Invalid(format!("invalid field rollout: \"{text}\" is not a number"))
            }),
        })
        .collect::<Result<_, _>>()
        .or_else(|error| super::with_status(Err(error)))
}
