//! Every type and operator, with malformed context values that must not match (nor panic).

use super::*;
use ComparisonType::*;

/// (type, operator, constraint value, context value or None for "missing", expected)
type Case = (ComparisonType, &'static str, &'static str, Option<&'static str>, bool);

const CASES: &[Case] = &[
    // STRING
    (String, "eq", "pro", Some("pro"), true),
    (String, "eq", "pro", Some("Pro"), false),
    (String, "eq", "pro", None, false),
    (String, "neq", "pro", Some("free"), true),
    (String, "neq", "pro", None, false),
    (String, "empty", "", Some("  "), true),
    (String, "empty", "", None, true),
    (String, "empty", "", Some("x"), false),
    (String, "notempty", "", Some(" x "), true),
    (String, "notempty", "", Some(" "), false),
    (String, "prefix", "pr", Some(" pro"), true),
    (String, "prefix", "pr", Some("apro"), false),
    (String, "suffix", "ro", Some("pro "), true),
    (String, "contains", "r", Some("pro"), true),
    (String, "notcontains", "z", Some("pro"), true),
    (String, "notcontains", "z", None, false),
    (String, "isoneof", "[\"a\",\"b\"]", Some("b"), true),
    (String, "isoneof", "[\"a\",\"b\"]", Some("c"), false),
    (String, "isnotoneof", "[\"a\",\"b\"]", Some("c"), true),
    (String, "isnotoneof", "[\"a\",\"b\"]", None, false),
    (String, "isoneof", "not json", Some("a"), false),
    // NUMBER
    (Number, "eq", "18", Some("18.0"), true),
    (Number, "neq", "18", Some("19"), true),
    (Number, "lt", "18", Some("17.5"), true),
    (Number, "lte", "18", Some("18"), true),
    (Number, "gt", "18", Some("18"), false),
    (Number, "gte", "18", Some(" 18 "), true),
    (Number, "gt", "18", Some("eighteen"), false),
    (Number, "gt", "18", Some("NaN"), false),
    (Number, "lt", "18", None, false),
    (Number, "present", "", Some("1"), true),
    (Number, "present", "", None, false),
    (Number, "notpresent", "", None, true),
    (Number, "isoneof", "[1, 2.5]", Some("2.5"), true),
    (Number, "isoneof", "[1, 2.5]", Some("3"), false),
    (Number, "isnotoneof", "[1, 2.5]", Some("3"), true),
    (Number, "isnotoneof", "[1, 2.5]", Some("x"), false),
    // BOOLEAN
    (Boolean, "true", "", Some("true"), true),
    (Boolean, "true", "", Some("T"), true),
    (Boolean, "true", "", Some("1"), true),
    (Boolean, "true", "", Some("false"), false),
    (Boolean, "false", "", Some("FALSE"), true),
    (Boolean, "false", "", Some("0"), true),
    (Boolean, "true", "", Some("yes"), false),
    (Boolean, "false", "", Some("yes"), false),
    (Boolean, "false", "", None, false),
    (Boolean, "present", "", Some("false"), true),
    (Boolean, "notpresent", "", None, true),
    // DATETIME
    (DateTime, "lt", "2025-01-01T00:00:00Z", Some("2024-12-31T23:59:59Z"), true),
    (DateTime, "lt", "2025-01-01", Some("2024-12-31"), true),
    (DateTime, "eq", "2025-01-01", Some("2025-01-01T00:00:00Z"), true),
    (DateTime, "eq", "2025-01-01T00:00:00Z", Some("2025-01-01T01:00:00+01:00"), true),
    (DateTime, "gt", "2025-01-01T00:00:00Z", Some("2025-01-01T00:00:00.000000001Z"), true),
    (DateTime, "gte", "2025-01-01", Some("yesterday"), false),
    (DateTime, "neq", "2025-01-01", None, false),
    (DateTime, "present", "", Some("2025-01-01"), true),
    (DateTime, "isoneof", "[\"2025-01-01\"]", Some("2025-01-01"), false),
    // ENTITY_ID (reads the entity id, not the context)
    (EntityId, "eq", "user-1", None, true),
    (EntityId, "isoneof", "[\"user-1\"]", Some("ignored"), true),
    (EntityId, "prefix", "user", None, true),
    (EntityId, "neq", "user-1", None, false),
    // Unknown type never matches
    (Unknown, "eq", "x", Some("x"), false),
];

#[test]
fn every_type_and_operator_matches_as_flipts_server_does() {
    for (comparison, operator, value, context, expected) in CASES {
        let compiled = Compiled::new(*comparison, "p", operator, value);
        let got = compiled.matches(*context, "user-1");
        assert_eq!(got, *expected, "{comparison:?} {operator} {value:?} against {context:?}");
    }
}

#[test]
fn unknown_operators_never_match() {
    for comparison in ComparisonType::ALL {
        assert!(!Compiled::new(*comparison, "p", "regex", ".*").matches(Some("x"), "x"));
    }
}
