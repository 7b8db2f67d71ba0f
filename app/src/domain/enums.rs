//! Flipt's enums: written as their names, read as a name or as the protobuf number.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Declares an enum with Flipt's wire names and numbers.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $number:literal => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The protobuf number, as stored in the database.
            pub fn number(self) -> i64 {
                match self { $($name::$variant => $number),+ }
            }

            /// The protobuf name, as written on the wire.
            pub fn wire_name(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn from_number(number: i64) -> Option<Self> {
                match number { $($number => Some($name::$variant),)+ _ => None }
            }

            pub fn from_wire_name(name: &str) -> Option<Self> {
                match name { $($wire => Some($name::$variant),)+ _ => None }
            }
        }

        #[cfg(feature = "ssr")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string", "enum": [$($wire),+]})
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.wire_name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let parsed = match &value {
                    serde_json::Value::String(s) => $name::from_wire_name(s),
                    serde_json::Value::Number(n) => n.as_i64().and_then($name::from_number),
                    serde_json::Value::Null => Some($name::default()),
                    _ => None,
                };
                parsed.ok_or_else(|| de::Error::custom(format!(concat!("invalid ", $what, ": {}"), value)))
            }
        }
    };
}

wire_enum!(
    /// Variant flags pick a variant; boolean flags answer true or false.
    FlagType, "flag type" {
        Variant = 0 => "VARIANT_FLAG_TYPE",
        Boolean = 1 => "BOOLEAN_FLAG_TYPE",
    }
);

wire_enum!(
    /// Whether a segment needs all or any of its constraints.
    MatchType, "match type" {
        All = 0 => "ALL_MATCH_TYPE",
        Any = 1 => "ANY_MATCH_TYPE",
    }
);

wire_enum!(
    /// How a constraint compares the context value. `Unknown` is rejected on write.
    ComparisonType, "comparison type" {
        Unknown = 0 => "UNKNOWN_COMPARISON_TYPE",
        String = 1 => "STRING_COMPARISON_TYPE",
        Number = 2 => "NUMBER_COMPARISON_TYPE",
        Boolean = 3 => "BOOLEAN_COMPARISON_TYPE",
        DateTime = 4 => "DATETIME_COMPARISON_TYPE",
        EntityId = 5 => "ENTITY_ID_COMPARISON_TYPE",
    }
);

wire_enum!(
    /// Whether a rule or rollout needs any (OR) or all (AND) of its segments.
    SegmentOperator, "segment operator" {
        Or = 0 => "OR_SEGMENT_OPERATOR",
        And = 1 => "AND_SEGMENT_OPERATOR",
    }
);

wire_enum!(
    /// A boolean flag's rollout: by segment or by percentage threshold.
    RolloutType, "rollout type" {
        Unknown = 0 => "UNKNOWN_ROLLOUT_TYPE",
        Segment = 1 => "SEGMENT_ROLLOUT_TYPE",
        Threshold = 2 => "THRESHOLD_ROLLOUT_TYPE",
    }
);

wire_enum!(
    /// Why an evaluation answered what it did.
    EvaluationReason, "evaluation reason" {
        Unknown = 0 => "UNKNOWN_EVALUATION_REASON",
        FlagDisabled = 1 => "FLAG_DISABLED_EVALUATION_REASON",
        Match = 2 => "MATCH_EVALUATION_REASON",
        Default = 3 => "DEFAULT_EVALUATION_REASON",
    }
);

impl ComparisonType {
    /// The operators a constraint of this type may use (Flipt's table, reference §1.4).
    pub fn operators(self) -> &'static [&'static str] {
        const STRING: &[&str] = &[
            "eq",
            "neq",
            "empty",
            "notempty",
            "prefix",
            "suffix",
            "isoneof",
            "isnotoneof",
            "contains",
            "notcontains",
        ];
        const NUMBER: &[&str] = &[
            "eq",
            "neq",
            "lt",
            "lte",
            "gt",
            "gte",
            "present",
            "notpresent",
            "isoneof",
            "isnotoneof",
        ];
        const BOOLEAN: &[&str] = &["true", "false", "present", "notpresent"];
        const ENTITY: &[&str] = &["eq", "neq", "isoneof", "isnotoneof", "contains", "notcontains"];
        match self {
            ComparisonType::String => STRING,
            ComparisonType::Number | ComparisonType::DateTime => NUMBER,
            ComparisonType::Boolean => BOOLEAN,
            ComparisonType::EntityId => ENTITY,
            ComparisonType::Unknown => &[],
        }
    }
}

/// Constraint operators that take no value (it is stored as "").
pub const NO_VALUE_OPERATORS: &[&str] =
    &["true", "false", "empty", "notempty", "present", "notpresent"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_read_names_and_numbers_and_write_names() {
        let by_name: FlagType = serde_json::from_str("\"BOOLEAN_FLAG_TYPE\"").unwrap();
        let by_number: FlagType = serde_json::from_str("1").unwrap();
        assert_eq!(by_name, FlagType::Boolean);
        assert_eq!(by_number, FlagType::Boolean);
        assert_eq!(serde_json::to_string(&FlagType::Boolean).unwrap(), "\"BOOLEAN_FLAG_TYPE\"");
        assert_eq!(serde_json::from_str::<MatchType>("null").unwrap(), MatchType::All);
        let error = serde_json::from_str::<ComparisonType>("\"REGEX\"").unwrap_err();
        assert!(error.to_string().contains("invalid comparison type"), "{error}");
        assert!(serde_json::from_str::<RolloutType>("7").is_err());
        for t in ComparisonType::ALL {
            assert_eq!(ComparisonType::from_number(t.number()), Some(*t));
        }
    }
}
