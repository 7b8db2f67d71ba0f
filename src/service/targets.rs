//! The segments a rule or rollout targets: the keys checked against the namespace, and
//! Flipt's refusals when a flag or segment they name is missing.

use app::{domain::SegmentOperator, error::AppError};
use sqlx::AnyConnection;

use super::error::{empty_field, internal};
use crate::store::segments;

/// Flipt's refusal of a rule whose flag or segment does not exist in the namespace.
pub(super) fn rule_target_missing(namespace: &str, flag_key: &str, segment_key: &str) -> AppError {
    AppError::NotFound(format!(
        "flag \"{namespace}/{flag_key}\" or segment \"{namespace}/{segment_key}\" not found"
    ))
}

/// Flipt's refusal of a rollout naming a flag or segment that does not exist (quoted as
/// Flipt quotes it, around both).
pub(super) fn rollout_target_missing(
    namespace: &str,
    flag_key: &str,
    segment_key: &str,
) -> AppError {
    AppError::NotFound(format!(
        "flag \"{namespace}/{flag_key} or segment {segment_key}\" not found"
    ))
}

/// The first segment a rule or rollout request names (for messages about it).
pub(super) fn first_segment<'a>(single: &'a str, list: &'a [String]) -> &'a str {
    if single.is_empty() {
        list.first().map_or("", String::as_str)
    } else {
        single
    }
}

/// The segment keys of a rule or rollout request: exactly one of the single and list forms,
/// de-duplicated, each existing in the namespace (else `missing(key)`). One segment forces the
/// OR operator.
pub(super) async fn checked_segments(
    conn: &mut AnyConnection,
    namespace: &str,
    single: &str,
    list: &[String],
    operator: SegmentOperator,
    missing: impl Fn(&str) -> AppError,
) -> Result<(Vec<String>, SegmentOperator), AppError> {
    let mut keys: Vec<String> = match (single.is_empty(), list.is_empty()) {
        (false, false) => {
            return Err(AppError::Invalid(
                "only one of segmentKey and segmentKeys may be set".into(),
            ))
        }
        (true, true) => return Err(empty_field("segmentKey")),
        (false, true) => vec![single.to_string()],
        (true, false) => list.to_vec(),
    };
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    let existing = segments::existing_keys(conn, namespace, &keys).await.map_err(internal)?;
    if let Some(key) = keys.iter().find(|k| !existing.contains(k)) {
        return Err(missing(key));
    }
    let operator = if keys.len() == 1 { SegmentOperator::Or } else { operator };
    Ok((keys, operator))
}
