//! Server functions of the segments pages and the console.

// A form posts flat fields, one argument each; the client half the `#[server]` macro
// generates cannot carry an item-level allow, so it is allowed for the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{
    domain::{ConsoleResult, Constraint, Segment, SegmentListing, SegmentSummary},
    error::AppError,
};

/// Every segment of the namespace with the flags that use it.
#[server(prefix = "/ui", endpoint = "segments/list", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_segments(namespace: String) -> Result<SegmentListing, AppError> {
    super::with_status(crate::port::use_port()?.list_segments(&namespace).await)
}

/// One segment with the flags that use it, and the namespace's data version when read.
#[server(prefix = "/ui", endpoint = "segments/detail", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn segment_detail(
    namespace: String,
    key: String,
) -> Result<(SegmentSummary, i64), AppError> {
    super::with_status(crate::port::use_port()?.segment_detail(&namespace, &key).await)
}

/// Creates a segment and opens it.
#[server(prefix = "/ui", endpoint = "segments/create", client = crate::access::CsrfClient)]
pub async fn create_segment(
    namespace: String,
    key: String,
    name: String,
    #[server(default)] description: String,
    #[server(default)] match_type: String,
) -> Result<Segment, AppError> {
    let input = crate::domain::SegmentInput {
        key,
        name,
        description,
        match_type: parse_match_type(&match_type)?,
        version: None,
    };
    let segment =
        super::with_status(crate::port::use_port()?.save_segment(&namespace, None, input).await)?;
    leptos_axum::redirect(&format!(
        "/namespaces/{namespace}/segments/{}",
        crate::url::encode_component(&segment.key)
    ));
    Ok(segment)
}

/// Saves a segment's name, description and match type, guarded by its version.
#[server(prefix = "/ui", endpoint = "segments/update", client = crate::access::CsrfClient)]
pub async fn update_segment(
    namespace: String,
    key: String,
    name: String,
    #[server(default)] description: String,
    #[server(default)] match_type: String,
    version: i64,
) -> Result<Segment, AppError> {
    let input = crate::domain::SegmentInput {
        key: key.clone(),
        name,
        description,
        match_type: parse_match_type(&match_type)?,
        version: Some(version),
    };
    let port = crate::port::use_port()?;
    super::with_status(port.save_segment(&namespace, Some(key), input).await)
}

/// Deletes a segment (a snapshot is taken first) and goes back to the list; refused, naming
/// the flags, while it is in use.
#[server(prefix = "/ui", endpoint = "segments/delete", client = crate::access::CsrfClient)]
pub async fn delete_segment(namespace: String, key: String, version: i64) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.delete_segment(&namespace, &key, version).await)?;
    leptos_axum::redirect(&format!("/namespaces/{namespace}/segments"));
    Ok(())
}

/// Creates (empty `id`) or updates a constraint. `values[]` (the chips of a one-of list)
/// become the JSON array Flipt stores when given.
#[server(prefix = "/ui", endpoint = "constraints/save", client = crate::access::CsrfClient)]
pub async fn save_constraint(
    namespace: String,
    segment_key: String,
    #[server(default)] id: String,
    comparison_type: String,
    property: String,
    operator: String,
    #[server(default)] value: String,
    #[server(default)] values: Vec<String>,
    #[server(default)] description: String,
) -> Result<Constraint, AppError> {
    use crate::domain::ComparisonType;
    let Some(comparison_type) = ComparisonType::from_wire_name(&comparison_type) else {
        return super::with_status(Err(AppError::Invalid(format!(
            "invalid constraint type: \"{comparison_type}\""
        ))));
    };
    let value = if matches!(operator.as_str(), "isoneof" | "isnotoneof") && value.is_empty() {
        one_of_json(comparison_type, &values)
    } else if comparison_type == ComparisonType::DateTime {
        utc_from_local_input(value)
    } else {
        value
    };
    let input =
        crate::domain::ConstraintInput { comparison_type, property, operator, value, description };
    let id = (!id.is_empty()).then_some(id);
    let port = crate::port::use_port()?;
    super::with_status(port.save_constraint(&namespace, &segment_key, id, input).await)
}

#[server(prefix = "/ui", endpoint = "constraints/delete", client = crate::access::CsrfClient)]
pub async fn delete_constraint(
    namespace: String,
    segment_key: String,
    id: String,
) -> Result<(), AppError> {
    let port = crate::port::use_port()?;
    super::with_status(port.delete_constraint(&namespace, &segment_key, &id).await)
}

/// Evaluates a flag as `/evaluate/v1` would. `context_keys` and `context_values` are
/// parallel lists; rows with an empty key are ignored. A read, so a GET.
#[server(prefix = "/ui", endpoint = "console/evaluate", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn evaluate(
    namespace: String,
    flag_key: String,
    #[server(default)] entity_id: String,
    #[server(default)] context_keys: Vec<String>,
    #[server(default)] context_values: Vec<String>,
) -> Result<ConsoleResult, AppError> {
    let context = context_keys
        .into_iter()
        .zip(context_values)
        .filter(|(key, _)| !key.trim().is_empty())
        .collect();
    let request = crate::domain::EvaluationRequest {
        namespace_key: namespace,
        flag_key,
        entity_id,
        context,
        ..Default::default()
    };
    super::with_status(crate::port::use_port()?.evaluate(request).await)
}

#[cfg(feature = "ssr")]
fn parse_match_type(text: &str) -> Result<crate::domain::MatchType, AppError> {
    use crate::domain::MatchType;
    match text {
        "" => Ok(MatchType::All),
        text => MatchType::from_wire_name(text)
            .ok_or_else(|| AppError::Invalid(format!("invalid field matchType: \"{text}\""))),
    }
    .or_else(|error| super::with_status(Err(error)))
}

/// The chips of a one-of list as the JSON array Flipt stores: numbers for NUMBER lists
/// (when they parse), strings otherwise. Validation then reports anything wrong.
#[cfg(feature = "ssr")]
fn one_of_json(comparison: crate::domain::ComparisonType, values: &[String]) -> String {
    use serde_json::Value;
    let items: Vec<Value> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(|v| match comparison {
            crate::domain::ComparisonType::Number => match v.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => v
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::String(v.to_string())),
            },
            _ => Value::String(v.to_string()),
        })
        .collect();
    Value::Array(items).to_string()
}

/// A browser's date-time input sends `YYYY-MM-DDTHH:MM[:SS]` without a zone; the form says it
/// is UTC, so it becomes RFC 3339 in UTC. Anything else is passed on for the server to check.
#[cfg(feature = "ssr")]
fn utc_from_local_input(value: String) -> String {
    let bytes = value.as_bytes();
    let shape = |len: usize| {
        bytes.len() == len
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b'T',
                13 | 16 => *b == b':',
                _ => b.is_ascii_digit(),
            })
    };
    if shape(16) {
        format!("{value}:00Z")
    } else if shape(19) {
        format!("{value}Z")
    } else {
        value
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::ComparisonType;

    #[test]
    fn date_time_inputs_become_utc() {
        assert_eq!(utc_from_local_input("2026-11-24T12:30".into()), "2026-11-24T12:30:00Z");
        assert_eq!(utc_from_local_input("2026-11-24T12:30:15".into()), "2026-11-24T12:30:15Z");
        assert_eq!(utc_from_local_input("2026-11-24".into()), "2026-11-24");
        assert_eq!(
            utc_from_local_input("2026-11-24T12:30:00+02:00".into()),
            "2026-11-24T12:30:00+02:00"
        );
    }

    #[test]
    fn chips_become_a_json_array() {
        let chips = ["1".to_string(), " 2.5 ".to_string(), "".to_string(), "x".to_string()];
        assert_eq!(one_of_json(ComparisonType::Number, &chips), "[1,2.5,\"x\"]");
        assert_eq!(one_of_json(ComparisonType::String, &chips[..2]), "[\"1\",\"2.5\"]");
    }
}
