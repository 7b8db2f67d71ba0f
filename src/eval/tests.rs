//! The engine on hand-built snapshots: golden vectors, disabled flags, rules, rollouts, and
//! properties over many entities.

use std::collections::HashMap;

use app::domain::*;
use proptest::prelude::*;

use super::*;

fn mk_variant(id: &str, key: &str) -> Variant {
    Variant {
        id: id.into(),
        flag_key: String::new(),
        key: key.into(),
        name: String::new(),
        description: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        attachment: format!("{{\"v\":\"{key}\"}}"),
        namespace_key: "default".into(),
    }
}

fn flag(key: &str, flag_type: FlagType, enabled: bool, variants: Vec<Variant>) -> Flag {
    Flag {
        key: key.into(),
        name: key.into(),
        description: String::new(),
        enabled,
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

fn segment(
    key: &str,
    match_type: MatchType,
    constraints: &[(ComparisonType, &str, &str, &str)],
) -> Segment {
    Segment {
        key: key.into(),
        name: key.into(),
        description: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        constraints: constraints
            .iter()
            .map(|(t, p, o, v)| Constraint {
                id: String::new(),
                segment_key: key.into(),
                comparison_type: *t,
                property: p.to_string(),
                operator: o.to_string(),
                value: v.to_string(),
                created_at: String::new(),
                updated_at: String::new(),
                namespace_key: "default".into(),
                description: String::new(),
            })
            .collect(),
        match_type,
        namespace_key: "default".into(),
        version: 1,
    }
}

fn rule(
    flag_key: &str,
    segments: &[&str],
    operator: SegmentOperator,
    shares: &[(&str, f64)],
) -> Rule {
    let keys: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
    Rule {
        id: String::new(),
        flag_key: flag_key.into(),
        segment_key: if keys.len() == 1 { keys[0].clone() } else { String::new() },
        distributions: shares
            .iter()
            .map(|(variant_id, rollout)| Distribution {
                id: String::new(),
                rule_id: String::new(),
                variant_id: variant_id.to_string(),
                rollout: *rollout,
                created_at: String::new(),
                updated_at: String::new(),
            })
            .collect(),
        rank: 1,
        created_at: String::new(),
        updated_at: String::new(),
        namespace_key: "default".into(),
        segment_keys: if keys.len() == 1 { Vec::new() } else { keys },
        segment_operator: operator,
    }
}

fn rollout(
    flag_key: &str,
    threshold: Option<(f64, bool)>,
    segment: Option<(&[&str], SegmentOperator, bool)>,
) -> Rollout {
    Rollout {
        id: String::new(),
        namespace_key: "default".into(),
        flag_key: flag_key.into(),
        rollout_type: if threshold.is_some() {
            RolloutType::Threshold
        } else {
            RolloutType::Segment
        },
        rank: 1,
        description: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        threshold: threshold.map(|(percentage, value)| RolloutThreshold { percentage, value }),
        segment: segment.map(|(keys, segment_operator, value)| RolloutSegment {
            segment_key: String::new(),
            segment_keys: keys.iter().map(|k| k.to_string()).collect(),
            segment_operator,
            value,
        }),
    }
}

fn snapshot(source: Source) -> Snapshot {
    Snapshot::build("default", 1, "etag".into(), source)
}

fn ctx(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

const ENTITY: &str = "some-fixed-entity-id";

/// Flipt's test corpus flags: a 50/50 variant flag, the same behind a segment, a 50% boolean.
fn corpus() -> Snapshot {
    let pair = || vec![mk_variant("v1", "variant1"), mk_variant("v2", "variant2")];
    snapshot(Source {
        flags: vec![
            flag("flag_variant", FlagType::Variant, true, pair()),
            flag("flag_variant_and_segments", FlagType::Variant, true, pair()),
            flag("flag_boolean", FlagType::Boolean, false, vec![]),
        ],
        segments: vec![segment("all", MatchType::All, &[])],
        rules: vec![
            rule("flag_variant", &["all"], SegmentOperator::Or, &[("v1", 50.0), ("v2", 50.0)]),
            rule(
                "flag_variant_and_segments",
                &["all"],
                SegmentOperator::Or,
                &[("v1", 50.0), ("v2", 50.0)],
            ),
        ],
        rollouts: vec![rollout("flag_boolean", Some((50.0, true)), None)],
    })
}

#[test]
fn golden_vectors_from_flipts_corpus() {
    let s = corpus();
    let none = HashMap::new();
    let a = variant_eval(&s, "flag_variant");
    assert_eq!(
        (a.matched, a.variant_key.as_str(), a.reason),
        (true, "variant1", EvaluationReason::Match)
    );
    assert_eq!(variant_eval(&s, "flag_variant_and_segments").variant_key, "variant2");
    let b = boolean(&s, "flag_boolean", ENTITY, &none).unwrap();
    assert_eq!((b.enabled, b.reason), (true, EvaluationReason::Match));
    assert_eq!(variant(&s, "missing", ENTITY, &none), Err(EvalError::FlagNotFound));
    assert_eq!(
        boolean(&s, "flag_variant", ENTITY, &none),
        Err(EvalError::WrongType(FlagType::Variant))
    );
}

fn variant_eval(s: &Snapshot, key: &str) -> VariantOutcome {
    variant(s, key, ENTITY, &HashMap::new()).unwrap()
}

#[test]
fn disabled_flags_answer_as_flipt_client_does() {
    let mut off = flag("off", FlagType::Variant, false, vec![mk_variant("v1", "blue")]);
    off.default_variant = Some(mk_variant("v1", "blue"));
    let s = snapshot(Source {
        flags: vec![
            off,
            flag("bool-off", FlagType::Boolean, false, vec![]),
            flag("bool-off-rollouts", FlagType::Boolean, false, vec![]),
        ],
        segments: vec![segment(
            "plan",
            MatchType::All,
            &[(ComparisonType::String, "plan", "eq", "pro")],
        )],
        rules: vec![],
        rollouts: vec![rollout(
            "bool-off-rollouts",
            None,
            Some((&["plan"], SegmentOperator::Or, true)),
        )],
    });
    let v = variant_eval(&s, "off");
    assert_eq!(
        (v.matched, v.reason, v.variant_key.as_str()),
        (false, EvaluationReason::FlagDisabled, "blue")
    );
    let b = boolean(&s, "bool-off", ENTITY, &HashMap::new()).unwrap();
    assert_eq!((b.enabled, b.reason), (false, EvaluationReason::FlagDisabled));
    let hit = boolean(&s, "bool-off-rollouts", ENTITY, &ctx(&[("plan", "pro")])).unwrap();
    assert_eq!(
        (hit.enabled, hit.reason, hit.segment_keys),
        (true, EvaluationReason::Match, vec!["plan".to_string()])
    );
    let miss = boolean(&s, "bool-off-rollouts", ENTITY, &ctx(&[("plan", "free")])).unwrap();
    assert_eq!((miss.enabled, miss.reason), (false, EvaluationReason::Default));
}

#[test]
fn rules_apply_in_order_with_and_or_and_defaults() {
    let mut f =
        flag("f", FlagType::Variant, true, vec![mk_variant("a", "A"), mk_variant("b", "B")]);
    f.default_variant = Some(mk_variant("b", "B"));
    let s = snapshot(Source {
        flags: vec![f, flag("plain", FlagType::Variant, true, vec![])],
        segments: vec![
            segment("pro", MatchType::All, &[(ComparisonType::String, "plan", "eq", "pro")]),
            segment(
                "eu",
                MatchType::Any,
                &[(ComparisonType::String, "region", "isoneof", "[\"de\",\"fr\"]")],
            ),
        ],
        rules: vec![
            rule("f", &["pro", "eu"], SegmentOperator::And, &[("a", 100.0)]),
            rule("f", &["pro"], SegmentOperator::Or, &[]),
        ],
        rollouts: vec![],
    });
    let both = variant(&s, "f", "u", &ctx(&[("plan", "pro"), ("region", "fr")])).unwrap();
    assert_eq!((both.variant_key.as_str(), both.segment_keys.len()), ("A", 2));
    let pro = variant(&s, "f", "u", &ctx(&[("plan", "pro")])).unwrap();
    assert_eq!(
        (pro.matched, pro.reason, pro.variant_key.as_str()),
        (true, EvaluationReason::Match, "B")
    );
    assert_eq!(pro.segment_keys, vec!["pro".to_string()]);
    let none = variant(&s, "f", "u", &HashMap::new()).unwrap();
    assert_eq!(
        (none.matched, none.reason, none.variant_key.as_str()),
        (false, EvaluationReason::Default, "B")
    );
    let plain = variant(&s, "plain", "u", &HashMap::new()).unwrap();
    assert_eq!((plain.reason, plain.variant_key.as_str()), (EvaluationReason::Unknown, ""));
}

#[test]
fn boolean_rollouts_apply_in_order() {
    let s = snapshot(Source {
        flags: vec![flag("b", FlagType::Boolean, true, vec![])],
        segments: vec![segment(
            "staff",
            MatchType::All,
            &[(ComparisonType::Boolean, "staff", "true", "")],
        )],
        rules: vec![],
        rollouts: vec![
            rollout("b", None, Some((&["staff"], SegmentOperator::Or, false))),
            rollout("b", Some((0.0, false)), None),
        ],
    });
    let staff = boolean(&s, "b", "u", &ctx(&[("staff", "1")])).unwrap();
    assert_eq!((staff.enabled, staff.reason), (false, EvaluationReason::Match));
    let default = boolean(&s, "b", "u", &HashMap::new()).unwrap();
    assert_eq!((default.enabled, default.reason), (true, EvaluationReason::Default));
}

fn split(shares: &[f64]) -> Snapshot {
    let variants: Vec<Variant> =
        (0..shares.len()).map(|i| mk_variant(&format!("v{i}"), &format!("k{i}"))).collect();
    let ids: Vec<(String, f64)> =
        shares.iter().enumerate().map(|(i, s)| (format!("v{i}"), *s)).collect();
    let refs: Vec<(&str, f64)> = ids.iter().map(|(i, s)| (i.as_str(), *s)).collect();
    snapshot(Source {
        flags: vec![flag("split", FlagType::Variant, true, variants)],
        segments: vec![segment("all", MatchType::All, &[])],
        rules: vec![rule("split", &["all"], SegmentOperator::Or, &refs)],
        rollouts: vec![],
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_same_request_always_gets_the_same_answer(entity in "\\PC{0,40}", plan in "[a-z]{0,6}") {
        let s = corpus();
        let context = ctx(&[("plan", plan.as_str())]);
        let first = variant(&s, "flag_variant", &entity, &context);
        prop_assert_eq!(&first, &variant(&s, "flag_variant", &entity, &context));
        prop_assert_eq!(boolean(&s, "flag_boolean", &entity, &context), boolean(&s, "flag_boolean", &entity, &context));
    }

    #[test]
    fn shares_over_many_entities_follow_the_distribution(raw in proptest::collection::vec(1u32..100, 2..5)) {
        let total: u32 = raw.iter().sum();
        let shares: Vec<f64> = raw.iter().map(|r| f64::from(*r) * 100.0 / f64::from(total)).collect();
        let s = split(&shares);
        let n = 20_000;
        let mut counts = vec![0usize; shares.len()];
        for i in 0..n {
            let key = variant(&s, "split", &format!("entity-{i}"), &HashMap::new()).unwrap().variant_key;
            counts[key[1..].parse::<usize>().unwrap()] += 1;
        }
        for (count, share) in counts.iter().zip(&shares) {
            let observed = *count as f64 * 100.0 / n as f64;
            prop_assert!((observed - share).abs() <= 1.0, "share {share:.2}% observed {observed:.2}% ({counts:?})");
        }
    }
}
