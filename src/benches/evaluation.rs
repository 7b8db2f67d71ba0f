//! The engine alone: one variant evaluation over 5 rules of 3 constraints each, and one
//! boolean evaluation over 5 rollouts. Only the last rule or rollout matches, so every
//! constraint is checked (the worst case for these flags).

use std::collections::HashMap;

use app::domain::*;
use criterion::{criterion_group, criterion_main, Criterion};
use vexil::eval::{self, Snapshot, Source};

fn constraint(
    segment: &str,
    property: &str,
    operator: &str,
    value: &str,
    t: ComparisonType,
) -> Constraint {
    Constraint {
        id: String::new(),
        segment_key: segment.into(),
        comparison_type: t,
        property: property.into(),
        operator: operator.into(),
        value: value.into(),
        created_at: String::new(),
        updated_at: String::new(),
        namespace_key: "default".into(),
        description: String::new(),
    }
}

fn segment(i: usize) -> Segment {
    let key = format!("seg{i}");
    Segment {
        constraints: vec![
            constraint(&key, "plan", "eq", &format!("plan-{i}"), ComparisonType::String),
            constraint(&key, "age", "gte", "18", ComparisonType::Number),
            constraint(&key, "region", "isoneof", "[\"de\",\"fr\",\"us\"]", ComparisonType::String),
        ],
        key,
        name: String::new(),
        description: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        match_type: MatchType::All,
        namespace_key: "default".into(),
        version: 1,
    }
}

fn variant(id: &str) -> Variant {
    Variant {
        id: id.into(),
        flag_key: "checkout".into(),
        key: id.into(),
        name: String::new(),
        description: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        attachment: "{\"color\":\"blue\"}".into(),
        namespace_key: "default".into(),
    }
}

fn flag(key: &str, flag_type: FlagType, variants: Vec<Variant>) -> Flag {
    Flag {
        key: key.into(),
        name: key.into(),
        description: String::new(),
        enabled: true,
        created_at: String::new(),
        updated_at: String::new(),
        variants,
        namespace_key: "default".into(),
        flag_type,
        default_variant: None,
        metadata: None,
        version: 1,
    }
}

fn snapshot() -> Snapshot {
    let rules = (0..5)
        .map(|i| Rule {
            id: format!("r{i}"),
            flag_key: "checkout".into(),
            segment_key: format!("seg{i}"),
            distributions: ["a", "b", "c"]
                .iter()
                .map(|v| Distribution {
                    id: String::new(),
                    rule_id: format!("r{i}"),
                    variant_id: v.to_string(),
                    rollout: 33.34,
                    created_at: String::new(),
                    updated_at: String::new(),
                })
                .collect(),
            rank: i as i64 + 1,
            created_at: String::new(),
            updated_at: String::new(),
            namespace_key: "default".into(),
            segment_keys: Vec::new(),
            segment_operator: SegmentOperator::Or,
        })
        .collect();
    let rollouts = (0..5)
        .map(|i| Rollout {
            id: format!("o{i}"),
            namespace_key: "default".into(),
            flag_key: "dark-mode".into(),
            rollout_type: RolloutType::Segment,
            rank: i as i64 + 1,
            description: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            segment: Some(RolloutSegment {
                segment_key: format!("seg{i}"),
                value: true,
                ..Default::default()
            }),
            threshold: None,
        })
        .collect();
    Snapshot::build(
        "default",
        1,
        String::new(),
        Source {
            flags: vec![
                flag("checkout", FlagType::Variant, vec![variant("a"), variant("b"), variant("c")]),
                flag("dark-mode", FlagType::Boolean, Vec::new()),
            ],
            segments: (0..5).map(segment).collect(),
            rules,
            rollouts,
        },
    )
}

fn bench(c: &mut Criterion) {
    let snapshot = snapshot();
    let context: HashMap<String, String> = [("plan", "plan-4"), ("age", "30"), ("region", "fr")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let answer = eval::variant(&snapshot, "checkout", "user-42", &context).unwrap();
    assert!(answer.matched && answer.segment_keys == ["seg4"], "the last rule matches");
    assert!(eval::boolean(&snapshot, "dark-mode", "user-42", &context).unwrap().enabled);
    c.bench_function("variant: 5 rules x 3 constraints", |b| {
        b.iter(|| eval::variant(std::hint::black_box(&snapshot), "checkout", "user-42", &context))
    });
    c.bench_function("boolean: 5 segment rollouts", |b| {
        b.iter(|| eval::boolean(std::hint::black_box(&snapshot), "dark-mode", "user-42", &context))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
