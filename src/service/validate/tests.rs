//! Validation follows Flipt's rules and messages.

use super::*;

#[test]
fn keys_allow_flipts_characters_only() {
    assert!(key("key", "a-b_c,D9").is_ok());
    assert_eq!(key("key", "").unwrap_err().to_string(), "invalid field key: must not be empty");
    assert_eq!(
        key("key", "a b").unwrap_err().to_string(),
        "invalid field key: contains invalid characters"
    );
    assert!(key("key", "ünï").is_err());
    assert!(key("key", "a.b").is_err());
}

#[test]
fn percentages_are_bounded() {
    assert!(percentage("rollout", 0.0).is_ok());
    assert!(percentage("rollout", 100.0).is_ok());
    assert!(percentage("rollout", -0.1)
        .unwrap_err()
        .to_string()
        .contains("greater than or equal to '0'"));
    assert!(percentage("rollout", 100.5)
        .unwrap_err()
        .to_string()
        .contains("less than or equal to '100'"));
    assert!(percentage("rollout", f64::NAN).is_err());
}

#[test]
fn attachments_must_be_json_and_are_compacted() {
    assert_eq!(attachment("").unwrap(), None);
    assert_eq!(attachment("{ \"a\" : [1, 2] }").unwrap().as_deref(), Some(r#"{"a":[1,2]}"#));
    assert_eq!(
        attachment("{oops").unwrap_err().to_string(),
        "invalid field attachment: must be a json string"
    );
    let big = format!("\"{}\"", "x".repeat(MAX_ATTACHMENT_BYTES));
    assert!(attachment(&big).is_err());
}

#[test]
fn operators_depend_on_the_type_and_are_lower_cased() {
    let ok = constraint(ComparisonType::String, "plan", "EQ", "pro").unwrap();
    assert_eq!(ok, CheckedConstraint { operator: "eq".into(), value: "pro".into() });
    let error = constraint(ComparisonType::Boolean, "beta", "eq", "true").unwrap_err().to_string();
    assert_eq!(error, "constraint operator \"eq\" is not valid for type boolean");
    let error = constraint(ComparisonType::Unknown, "x", "eq", "1").unwrap_err().to_string();
    assert_eq!(error, "invalid constraint type: \"UNKNOWN_COMPARISON_TYPE\"");
    assert!(constraint(ComparisonType::Number, "age", "gt", "18.5").is_ok());
    assert!(constraint(ComparisonType::Number, "age", "gt", "eighteen").is_err());
    assert!(
        constraint(ComparisonType::Number, "age", "gt", "1e400").is_err(),
        "infinite never matches"
    );
    assert!(constraint(ComparisonType::Number, "age", "gt", "NaN").is_err());
    assert!(
        constraint(ComparisonType::EntityId, "entity", "eq", "u1").is_ok(),
        "as in Flipt's corpus"
    );
    assert!(constraint(ComparisonType::EntityId, "entityId", "eq", "u1").is_ok());
}

#[test]
fn no_value_operators_drop_the_value_and_others_require_one() {
    let checked = constraint(ComparisonType::Boolean, "beta", "true", "ignored").unwrap();
    assert_eq!(checked.value, "");
    assert_eq!(
        constraint(ComparisonType::String, "plan", "eq", "").unwrap_err().to_string(),
        "invalid field value: must not be empty"
    );
}

#[test]
fn one_of_lists_are_typed_and_bounded() {
    let checked = constraint(ComparisonType::String, "plan", "isoneof", "[\"a\", \"b\"]").unwrap();
    assert_eq!(checked.value, r#"["a","b"]"#);
    assert!(constraint(ComparisonType::Number, "n", "isoneof", "[1, 2.5]").is_ok());
    assert!(constraint(ComparisonType::Number, "n", "isoneof", "[\"1\"]").is_err());
    assert!(constraint(ComparisonType::String, "plan", "isoneof", "a,b").is_err());
    let many =
        serde_json::to_string(&(0..=MAX_LIST_ITEMS).map(|i| i.to_string()).collect::<Vec<_>>())
            .unwrap();
    assert!(constraint(ComparisonType::String, "plan", "isoneof", &many).is_err());
}

#[test]
fn datetimes_are_normalised_to_utc() {
    let checked =
        constraint(ComparisonType::DateTime, "at", "gt", "2025-06-01T12:00:00+02:00").unwrap();
    assert_eq!(checked.value, "2025-06-01T10:00:00Z");
    assert_eq!(
        constraint(ComparisonType::DateTime, "at", "lt", "2025-06-01").unwrap().value,
        "2025-06-01"
    );
    assert!(constraint(ComparisonType::DateTime, "at", "lt", "June 1st").is_err());
}
