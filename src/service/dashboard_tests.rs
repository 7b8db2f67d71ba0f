//! The dashboard's own service operations: a rule saved whole or not at all, copies, partial
//! flag updates guarded by version, and segment usage.

use app::{
    domain::{
        ComparisonType, ConstraintInput, FlagInput, FlagPatch, FlagType, NamespaceInput,
        PageRequest, RolloutInput, RolloutSegment, RuleDraft, SegmentInput, SegmentOperator,
        VariantInput,
    },
    error::AppError,
    port::VexilPort,
};

use crate::testing::{api::Api, integrity::dump, on_both_databases, TestDb};

on_both_databases!(
    rule_drafts_are_saved_whole_or_not_at_all,
    copies_take_the_flag_and_its_variants,
    partial_flag_updates_keep_the_rest_and_detect_stale_versions,
    segment_usage_names_the_flags,
);

/// `default` with flag `checkout` (variants a, b), segments `beta` and `staff`.
async fn seed(api: &Api) -> (String, String) {
    let s = &api.service;
    let flag = FlagInput { key: "checkout".into(), name: "Checkout".into(), ..Default::default() };
    s.create_flag("default", flag).await.unwrap();
    let mut ids = Vec::new();
    for key in ["a", "b"] {
        let input = VariantInput { key: key.into(), ..Default::default() };
        ids.push(s.create_variant("default", "checkout", input).await.unwrap().id);
    }
    for key in ["beta", "staff"] {
        let input = SegmentInput { key: key.into(), name: key.into(), ..Default::default() };
        s.create_segment("default", input).await.unwrap();
    }
    (ids[0].clone(), ids[1].clone())
}

fn draft(segments: &[&str], shares: &[(&str, f64)]) -> RuleDraft {
    RuleDraft {
        segment_keys: segments.iter().map(|s| s.to_string()).collect(),
        segment_operator: SegmentOperator::And,
        distributions: shares.iter().map(|(id, share)| (id.to_string(), *share)).collect(),
    }
}

async fn rule_drafts_are_saved_whole_or_not_at_all(db: &TestDb) {
    let api = Api::new(db);
    let s = &api.service;
    let (a, b) = seed(&api).await;
    let before = dump(db).await;
    let refusals = [
        (draft(&["beta"], &[(&a, 60.0), (&b, 50.5)]), "add up to 110.5%"),
        (draft(&["beta"], &[(&a, 50.0), ("no-such-variant", 10.0)]), "no-such-variant"),
        (draft(&["beta", "nope"], &[(&a, 50.0)]), "nope"),
        (draft(&[], &[(&a, 50.0)]), "at least one segment"),
        (draft(&["beta"], &[(&a, -1.0)]), "between 0 and 100"),
    ];
    for (refused, reason) in refusals {
        let error = s.save_rule_draft("default", "checkout", None, refused).await.unwrap_err();
        assert!(error.to_string().contains(reason), "{error}");
        assert_eq!(dump(db).await, before, "a refused rule changed something: {reason}");
    }

    let rule = s
        .save_rule_draft(
            "default",
            "checkout",
            None,
            draft(&["beta", "staff"], &[(&b, 40.0), (&a, 60.0)]),
        )
        .await
        .unwrap();
    assert_eq!(rule.rank, 1);
    assert_eq!(rule.segment_operator, SegmentOperator::And);
    let shares: Vec<(String, f64)> =
        rule.distributions.iter().map(|d| (d.variant_id.clone(), d.rollout)).collect();
    assert_eq!(shares, vec![(b.clone(), 40.0), (a.clone(), 60.0)], "kept in the form's order");

    // An edit replaces the segments and the whole distribution; zero shares are not stored.
    let edited = s
        .save_rule_draft(
            "default",
            "checkout",
            Some(&rule.id),
            draft(&["staff"], &[(&a, 0.0), (&b, 100.0)]),
        )
        .await
        .unwrap();
    assert_eq!(edited.segment_key, "staff");
    assert_eq!(edited.segment_operator, SegmentOperator::Or, "one segment is always OR");
    let shares: Vec<(String, f64)> =
        edited.distributions.iter().map(|d| (d.variant_id.clone(), d.rollout)).collect();
    assert_eq!(shares, vec![(b.clone(), 100.0)]);
    let stored = s.list_rules("default", "checkout", PageRequest::default()).await.unwrap();
    assert_eq!(stored.items, vec![edited.clone()]);

    // Every piece is in the change log: the rule twice, each distribution created or deleted.
    let changes = s.list_changes("default", None, None, PageRequest::default()).await.unwrap();
    let count = |kind: &str, action: &str| {
        changes.items.iter().filter(|c| c.resource_type == kind && c.action == action).count()
    };
    assert_eq!((count("rule", "created"), count("rule", "updated")), (1, 1));
    assert_eq!((count("distribution", "created"), count("distribution", "deleted")), (3, 2));

    let second =
        s.save_rule_draft("default", "checkout", None, draft(&["beta"], &[])).await.unwrap();
    assert_eq!(second.rank, 2, "a new rule goes last");
}

async fn copies_take_the_flag_and_its_variants(db: &TestDb) {
    let api = Api::new(db);
    let s = &api.service;
    let (a, _) = seed(&api).await;
    s.save_rule_draft("default", "checkout", None, draft(&["beta"], &[(&a, 100.0)])).await.unwrap();
    let patch = FlagPatch {
        enabled: Some(true),
        default_variant_id: Some(a.clone()),
        version: 1,
        ..Default::default()
    };
    s.patch_flag("default", "checkout", patch).await.unwrap();
    let input = NamespaceInput { key: "team".into(), name: "Team".into(), ..Default::default() };
    s.create_namespace(input).await.unwrap();

    let copy = s.copy_flag("default", "checkout", "team").await.unwrap();
    assert_eq!(copy.namespace_key, "team");
    assert!(copy.enabled);
    let keys: Vec<&str> = copy.variants.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(copy.default_variant.as_ref().map(|v| v.key.as_str()), Some("a"));
    let rules = s.list_rules("team", "checkout", PageRequest::default()).await.unwrap();
    assert!(rules.items.is_empty(), "rules stay behind");

    let before = dump(db).await;
    let again = s.copy_flag("default", "checkout", "team").await.unwrap_err();
    assert!(again.to_string().contains("not unique"), "{again}");
    let missing = s.copy_flag("default", "checkout", "nowhere").await.unwrap_err();
    assert!(matches!(missing, AppError::NotFound(_)), "{missing:?}");
    let same = s.copy_flag("default", "checkout", "default").await.unwrap_err();
    assert!(matches!(same, AppError::Invalid(_)), "{same:?}");
    assert_eq!(dump(db).await, before, "refused copies change nothing");
}

async fn partial_flag_updates_keep_the_rest_and_detect_stale_versions(db: &TestDb) {
    let api = Api::new(db);
    let s = &api.service;
    let (_, b) = seed(&api).await;
    let set_default =
        FlagPatch { default_variant_id: Some(b.clone()), version: 1, ..Default::default() };
    s.patch_flag("default", "checkout", set_default).await.unwrap();
    let toggle = FlagPatch { enabled: Some(true), version: 2, ..Default::default() };
    let flag = s.patch_flag("default", "checkout", toggle).await.unwrap();
    assert!(flag.enabled);
    assert_eq!(flag.default_variant.as_ref().map(|v| v.id.as_str()), Some(b.as_str()));
    assert_eq!((flag.name.as_str(), flag.version), ("Checkout", 3));

    let before = dump(db).await;
    let stale = FlagPatch { name: Some("Mine".into()), version: 2, ..Default::default() };
    match s.patch_flag("default", "checkout", stale).await.unwrap_err() {
        AppError::Conflict { current_version, current, .. } => {
            assert_eq!(current_version, 3);
            assert_eq!(current["name"], "Checkout");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(dump(db).await, before);
    let flag = s.get_flag("default", "checkout").await.unwrap();
    assert_eq!(flag.flag_type, FlagType::Variant);
}

async fn segment_usage_names_the_flags(db: &TestDb) {
    let api = Api::new(db);
    let s = &api.service;
    seed(&api).await;
    s.save_rule_draft("default", "checkout", None, draft(&["beta", "staff"], &[])).await.unwrap();
    let flag = FlagInput {
        key: "dark".into(),
        name: "Dark".into(),
        flag_type: FlagType::Boolean,
        ..Default::default()
    };
    s.create_flag("default", flag).await.unwrap();
    let segment = RolloutSegment { segment_key: "beta".into(), value: true, ..Default::default() };
    let rollout = RolloutInput { rank: 1, segment: Some(segment), ..Default::default() };
    s.create_rollout("default", "dark", rollout).await.unwrap();
    let constraint = ConstraintInput {
        comparison_type: ComparisonType::String,
        property: "plan".into(),
        operator: "eq".into(),
        value: "pro".into(),
        description: String::new(),
    };
    s.create_constraint("default", "staff", constraint).await.unwrap();

    let listing = s.segment_listing("default").await.unwrap();
    let usage: Vec<(&str, Vec<&str>, usize)> = listing
        .segments
        .iter()
        .map(|row| {
            let flags = row.used_by.iter().map(String::as_str).collect();
            (row.segment.key.as_str(), flags, row.segment.constraints.len())
        })
        .collect();
    assert_eq!(usage, vec![("beta", vec!["checkout", "dark"], 0), ("staff", vec!["checkout"], 1)]);

    let before = dump(db).await;
    let refused = VexilPort::delete_segment(s.as_ref(), "default", "beta", 1).await.unwrap_err();
    assert_eq!(
        refused.to_string(),
        "segment \"default/beta\" is in use by flag(s) checkout, dark: remove it from their rules and rollouts first"
    );
    assert_eq!(dump(db).await, before);
}
