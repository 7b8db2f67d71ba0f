//! Request validation with Flipt's rules and messages (reference §1.4). Values that pass are
//! returned normalised (lower-case operators, compact JSON, UTC datetimes).

use app::{domain::ComparisonType, error::AppError};
use time::{
    format_description::well_known::Rfc3339, macros::format_description, Date, OffsetDateTime,
};

use super::error::{empty_field, invalid_field};

/// Largest accepted variant attachment, as in Flipt v1.61.1.
pub const MAX_ATTACHMENT_BYTES: usize = 1_000 * 1024;
/// Most items in an `isoneof` / `isnotoneof` list.
pub const MAX_LIST_ITEMS: usize = 100;

/// A namespace, flag or segment key: non-empty and `^[-_,A-Za-z0-9]+$`.
pub fn key(field: &str, value: &str) -> Result<(), AppError> {
    required(field, value)?;
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b',')) {
        return Err(invalid_field(field, "contains invalid characters"));
    }
    Ok(())
}

/// A field that must not be empty.
pub fn required(field: &str, value: &str) -> Result<(), AppError> {
    if value.is_empty() {
        return Err(empty_field(field));
    }
    Ok(())
}

/// A percentage in [0, 100].
pub fn percentage(field: &str, value: f64) -> Result<(), AppError> {
    if !(0.0..=100.0).contains(&value) || value.is_nan() {
        let reason = if value < 0.0 {
            "must be greater than or equal to '0'"
        } else {
            "must be less than or equal to '100'"
        };
        return Err(invalid_field(field, reason));
    }
    Ok(())
}

/// A threshold rollout's percentage in [0, 100], refused in Flipt's words.
pub fn threshold(value: f64) -> Result<(), AppError> {
    if !(0.0..=100.0).contains(&value) || value.is_nan() {
        return Err(invalid_field("threshold.percentage", "must be within range [0, 100]"));
    }
    Ok(())
}

/// An attachment: empty, or valid JSON within the size limit; returned compacted.
pub fn attachment(value: &str) -> Result<Option<String>, AppError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let parsed: serde_json::Value = serde_json::from_str(value)
        .map_err(|_| invalid_field("attachment", "must be a json string"))?;
    let compact = parsed.to_string();
    if compact.len() > MAX_ATTACHMENT_BYTES {
        return Err(invalid_field("attachment", "must be less than 1000 KB"));
    }
    Ok(Some(compact))
}

/// Flag metadata: absent, or a JSON object; returned as compact text (`None` = absent).
pub fn metadata(value: &serde_json::Value) -> Result<Option<String>, AppError> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Object(map) if map.is_empty() => Ok(None),
        serde_json::Value::Object(_) => Ok(Some(value.to_string())),
        _ => Err(invalid_field("metadata", "must be a JSON object")),
    }
}

const NO_VALUE_OPS: &[&str] = app::domain::NO_VALUE_OPERATORS;

/// A validated constraint: operator lower-cased, value normalised.
#[derive(Debug, PartialEq, Eq)]
pub struct CheckedConstraint {
    pub operator: String,
    pub value: String,
}

/// Checks a constraint's type, property, operator and value.
pub fn constraint(
    comparison: ComparisonType,
    property: &str,
    operator: &str,
    value: &str,
) -> Result<CheckedConstraint, AppError> {
    required("property", property)?;
    required("operator", operator)?;
    let operator = operator.to_lowercase();
    let type_name = match comparison {
        ComparisonType::String => "string",
        ComparisonType::Number => "number",
        ComparisonType::Boolean => "boolean",
        ComparisonType::DateTime => "datetime",
        ComparisonType::EntityId => "entity_id",
        ComparisonType::Unknown => {
            return Err(AppError::Invalid(format!(
                "invalid constraint type: \"{}\"",
                comparison.wire_name()
            )))
        }
    };
    if !comparison.operators().contains(&operator.as_str()) {
        return Err(AppError::Invalid(format!(
            "constraint operator \"{operator}\" is not valid for type {type_name}"
        )));
    }
    // ENTITY_ID compares the request's entity id; its property is only a label. Flipt's own
    // data (its public test corpus) uses names other than `entityId`, so any is accepted.
    if NO_VALUE_OPS.contains(&operator.as_str()) {
        return Ok(CheckedConstraint { operator, value: String::new() });
    }
    required("value", value)?;
    let value = match (comparison, operator.as_str()) {
        (_, "isoneof" | "isnotoneof") => one_of_list(comparison, value)?,
        (ComparisonType::Number, _) => {
            value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| invalid_field("value", "must be a finite number"))?;
            value.to_string()
        }
        (ComparisonType::DateTime, _) => datetime(value)?,
        _ => value.to_string(),
    };
    Ok(CheckedConstraint { operator, value })
}

fn one_of_list(comparison: ComparisonType, value: &str) -> Result<String, AppError> {
    let numbers = matches!(comparison, ComparisonType::Number);
    let kind = if numbers { "numbers" } else { "strings" };
    let reason = format!("must be a JSON array of {kind} with at most {MAX_LIST_ITEMS} items");
    let items: Vec<serde_json::Value> =
        serde_json::from_str(value).map_err(|_| invalid_field("value", &reason))?;
    let right_kind =
        items.iter().all(|item| if numbers { item.is_number() } else { item.is_string() });
    let right_kind = right_kind || comparison == ComparisonType::DateTime;
    if items.len() > MAX_LIST_ITEMS || !right_kind {
        return Err(invalid_field("value", &reason));
    }
    Ok(serde_json::Value::Array(items).to_string())
}

/// RFC 3339 rewritten to UTC, or a `YYYY-MM-DD` date kept as it is.
fn datetime(value: &str) -> Result<String, AppError> {
    let value = value.trim();
    if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
        return t
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .map_err(|_| invalid_field("value", "cannot be formatted as RFC 3339"));
    }
    if Date::parse(value, format_description!("[year]-[month]-[day]")).is_ok() {
        return Ok(value.to_string());
    }
    Err(invalid_field("value", "must be an RFC 3339 date-time or a YYYY-MM-DD date"))
}

#[cfg(test)]
mod tests;
