//! Constraint matching with the Go server's parsing (reference §3.3): trimmed strings for
//! empty/prefix/suffix, float numbers, Go-style booleans, RFC 3339 or date-only datetimes.
//! Values are parsed once, when the snapshot is built; a malformed context value never
//! matches and never fails the request.

use app::domain::ComparisonType;
use time::{
    format_description::well_known::Rfc3339, macros::format_description, Date, OffsetDateTime,
};

/// A constraint operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    Empty,
    NotEmpty,
    Prefix,
    Suffix,
    IsOneOf,
    IsNotOneOf,
    Contains,
    NotContains,
    Present,
    NotPresent,
    True,
    False,
    Unknown,
}

impl Op {
    pub fn parse(operator: &str) -> Op {
        match operator {
            "eq" => Op::Eq,
            "neq" => Op::Neq,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "empty" => Op::Empty,
            "notempty" => Op::NotEmpty,
            "prefix" => Op::Prefix,
            "suffix" => Op::Suffix,
            "isoneof" => Op::IsOneOf,
            "isnotoneof" => Op::IsNotOneOf,
            "contains" => Op::Contains,
            "notcontains" => Op::NotContains,
            "present" => Op::Present,
            "notpresent" => Op::NotPresent,
            "true" => Op::True,
            "false" => Op::False,
            _ => Op::Unknown,
        }
    }
}

/// A constraint ready to match: its value parsed for its type.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub comparison: ComparisonType,
    pub property: String,
    pub op: Op,
    value: Value,
}

#[derive(Clone, Debug)]
enum Value {
    Text(String),
    Texts(Option<Vec<String>>),
    Number(Option<f64>),
    Numbers(Option<Vec<f64>>),
    Instant(Option<i128>),
    None,
}

impl Compiled {
    pub fn new(comparison: ComparisonType, property: &str, operator: &str, value: &str) -> Self {
        let op = Op::parse(operator);
        let list = matches!(op, Op::IsOneOf | Op::IsNotOneOf);
        let value = match comparison {
            ComparisonType::String | ComparisonType::EntityId if list => {
                Value::Texts(serde_json::from_str(value).ok())
            }
            ComparisonType::String | ComparisonType::EntityId => Value::Text(value.to_string()),
            ComparisonType::Number if list => Value::Numbers(serde_json::from_str(value).ok()),
            ComparisonType::Number => Value::Number(parse_number(value)),
            ComparisonType::DateTime => Value::Instant(parse_instant(value)),
            ComparisonType::Boolean | ComparisonType::Unknown => Value::None,
        };
        Compiled { comparison, property: property.to_string(), op, value }
    }

    /// Whether the context (or, for ENTITY_ID, the entity id) satisfies this constraint.
    pub fn matches(&self, context_value: Option<&str>, entity_id: &str) -> bool {
        match self.comparison {
            ComparisonType::EntityId => self.matches_string(entity_id),
            ComparisonType::String => self.matches_string(context_value.unwrap_or_default()),
            ComparisonType::Number => self.matches_number(context_value.unwrap_or_default()),
            ComparisonType::Boolean => self.matches_boolean(context_value.unwrap_or_default()),
            ComparisonType::DateTime => self.matches_datetime(context_value.unwrap_or_default()),
            ComparisonType::Unknown => false,
        }
    }

    fn matches_string(&self, v: &str) -> bool {
        match self.op {
            Op::Empty => return v.trim().is_empty(),
            Op::NotEmpty => return !v.trim().is_empty(),
            _ if v.is_empty() => return false,
            _ => {}
        }
        match (&self.value, self.op) {
            (Value::Text(c), Op::Eq) => v == c,
            (Value::Text(c), Op::Neq) => v != c,
            (Value::Text(c), Op::Prefix) => v.trim().starts_with(c.as_str()),
            (Value::Text(c), Op::Suffix) => v.trim().ends_with(c.as_str()),
            (Value::Text(c), Op::Contains) => v.contains(c.as_str()),
            (Value::Text(c), Op::NotContains) => !v.contains(c.as_str()),
            (Value::Texts(Some(list)), Op::IsOneOf) => list.iter().any(|c| c == v),
            (Value::Texts(Some(list)), Op::IsNotOneOf) => !list.iter().any(|c| c == v),
            _ => false,
        }
    }

    fn matches_number(&self, v: &str) -> bool {
        match self.op {
            Op::Present => return !v.trim().is_empty(),
            Op::NotPresent => return v.trim().is_empty(),
            _ => {}
        }
        let Some(n) = parse_number(v) else { return false };
        match (&self.value, self.op) {
            (Value::Numbers(Some(list)), Op::IsOneOf) => list.contains(&n),
            (Value::Numbers(Some(list)), Op::IsNotOneOf) => !list.contains(&n),
            (Value::Number(Some(c)), op) => compare(n.partial_cmp(c), op),
            _ => false,
        }
    }

    fn matches_boolean(&self, v: &str) -> bool {
        match self.op {
            Op::Present => return !v.trim().is_empty(),
            Op::NotPresent => return v.trim().is_empty(),
            _ => {}
        }
        let Some(b) = parse_bool(v) else { return false };
        match self.op {
            Op::True => b,
            Op::False => !b,
            _ => false,
        }
    }

    fn matches_datetime(&self, v: &str) -> bool {
        match self.op {
            Op::Present => return !v.trim().is_empty(),
            Op::NotPresent => return v.trim().is_empty(),
            _ => {}
        }
        match (parse_instant(v), &self.value) {
            (Some(t), Value::Instant(Some(c))) => compare(Some(t.cmp(c)), self.op),
            _ => false,
        }
    }
}

fn compare(ordering: Option<std::cmp::Ordering>, op: Op) -> bool {
    use std::cmp::Ordering::*;
    match (ordering, op) {
        (Some(o), Op::Eq) => o == Equal,
        (Some(o), Op::Neq) => o != Equal,
        (Some(o), Op::Lt) => o == Less,
        (Some(o), Op::Lte) => o != Greater,
        (Some(o), Op::Gt) => o == Greater,
        (Some(o), Op::Gte) => o != Less,
        _ => false,
    }
}

/// A float as Go's `strconv.ParseFloat` reads it (surrounding spaces trimmed, as Flipt does).
fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Go's `strconv.ParseBool`.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// RFC 3339, or a `YYYY-MM-DD` date at midnight UTC; nanoseconds since the epoch.
fn parse_instant(text: &str) -> Option<i128> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    let date = Date::parse(text, format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp_nanos())
}

#[cfg(test)]
mod tests;
