//! proptest strategies for hostile input: JSON values biased towards the API's own field
//! names, and whole Flipt documents.

use proptest::{collection::vec, prelude::*};
use serde_json::{json, Map, Value};

use crate::document::*;

/// Field names the API reads, and some it does not.
pub fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "key", "name", "description", "enabled", "type", "flagKey", "entityId", "context",
            "namespaceKey", "variantId", "rollout", "segmentKey", "segmentKeys", "segmentOperator",
            "rank", "matchType", "match_type", "property", "operator", "value", "threshold",
            "percentage", "segment", "attachment", "metadata", "defaultVariantId", "version",
            "requests", "ruleIds", "rolloutIds", "requestId",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,8}",
    ]
}

/// Any JSON value, at most three levels deep.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "",
            "default",
            "checkout",
            "beta",
            "VARIANT_FLAG_TYPE",
            "BOOLEAN_FLAG_TYPE",
            "ALL_MATCH_TYPE",
            "eq",
            "isoneof",
            "[\"a\"]",
            "{}",
            "1e400",
            "NaN",
            "-1",
            "100.5",
            "AND_SEGMENT_OPERATOR",
            "STRING_COMPARISON_TYPE",
            "NUMBER_COMPARISON_TYPE",
            "DATETIME_COMPARISON_TYPE",
            "ENTITY_ID_COMPARISON_TYPE",
            "../..",
            "é\u{0}",
        ])
        .prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((field_name(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,12}"
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,16}"
}

fn constraint() -> impl Strategy<Value = DocConstraint> {
    (text(), prop::sample::select(vec!["eq", "neq", "prefix", "suffix"]), text(), text()).prop_map(
        |(property, operator, value, description)| DocConstraint {
            comparison_type: "STRING_COMPARISON_TYPE".into(),
            property,
            operator: operator.into(),
            value,
            description,
        },
    )
}

/// A valid document: unique keys, every reference resolvable.
pub fn document() -> impl Strategy<Value = Document> {
    let segments = vec((text(), text(), vec(constraint(), 0..3), any::<bool>()), 0..4);
    let flags = vec(
        (
            text(),
            text(),
            any::<bool>(),
            vec((text(), prop::option::of(json_value())), 0..3),
            vec(0.0f64..=100.0, 0..3),
        ),
        0..4,
    );
    (key(), text(), segments, flags).prop_map(|(namespace, name, segments, flags)| {
        let segments: Vec<DocSegment> = segments
            .into_iter()
            .enumerate()
            .map(|(i, (name, description, constraints, any))| DocSegment {
                key: format!("s{i}"),
                name,
                description,
                constraints,
                match_type: if any { "ANY_MATCH_TYPE" } else { "ALL_MATCH_TYPE" }.into(),
            })
            .collect();
        let flags = flags
            .into_iter()
            .enumerate()
            .map(|(i, (name, description, enabled, variants, thresholds))| {
                let boolean = i % 2 == 1;
                let variants: Vec<DocVariant> = if boolean {
                    Vec::new()
                } else {
                    variants
                        .into_iter()
                        .enumerate()
                        .map(|(v, (name, attachment))| DocVariant {
                            key: format!("v{v}"),
                            name,
                            description: String::new(),
                            attachment: attachment.filter(|a| !a.is_null()),
                            default: false,
                        })
                        .collect()
                };
                let rules = match (segments.first(), variants.first(), boolean) {
                    (Some(segment), Some(variant), false) => vec![DocRule {
                        segment: SegmentRef::Key(segment.key.clone()),
                        rank: None,
                        distributions: vec![DocDistribution {
                            variant: variant.key.clone(),
                            rollout: 100.0,
                        }],
                    }],
                    _ => Vec::new(),
                };
                let rollouts = if boolean {
                    thresholds
                        .into_iter()
                        .map(|percentage| DocRollout {
                            description: String::new(),
                            segment: None,
                            threshold: Some(DocThreshold { percentage, value: true }),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                DocFlag {
                    key: format!("f{i}"),
                    name,
                    flag_type: Some(
                        if boolean { "BOOLEAN_FLAG_TYPE" } else { "VARIANT_FLAG_TYPE" }.into(),
                    ),
                    description,
                    enabled,
                    metadata: None,
                    variants,
                    rules,
                    rollouts,
                }
            })
            .collect();
        Document {
            version: "1.4".into(),
            namespace: NamespaceRef::Full { key: namespace, name, description: String::new() },
            flags,
            segments,
        }
    })
}
