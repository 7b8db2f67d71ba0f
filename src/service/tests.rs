//! Flipt #4177 at the service and store levels, and as a property over random data.

use app::domain::{
    ComparisonType, ConstraintInput, DistributionInput, FlagInput, FlagType, MatchType,
    NamespaceInput, RolloutInput, RolloutSegment, RolloutThreshold, RuleInput, SegmentInput,
    SegmentOperator, VariantInput,
};
use proptest::{collection::vec, prelude::*, strategy::ValueTree, test_runner::TestRunner};

use crate::store::{namespaces, now_nanos};
use crate::testing::{
    api::Api,
    fixture::populate,
    integrity::{assert_only_metadata_changed, dump},
    on_both_databases, TestDb,
};

on_both_databases!(
    service_metadata_updates_keep_every_row,
    store_metadata_updates_keep_every_row,
    random_data_survives_random_metadata_updates,
);

fn meta(name: &str, description: &str) -> NamespaceInput {
    NamespaceInput { name: name.into(), description: description.into(), ..Default::default() }
}

async fn service_metadata_updates_keep_every_row(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "default").await;
    populate(&api, "team").await;
    for ns in ["default", "team"] {
        let mut version = api.service.get_namespace(ns).await.unwrap().version;
        let description = api.service.get_namespace(ns).await.unwrap().description;
        for (name, description) in
            [("Renamed", description.as_str()), ("Renamed", "New"), ("Both", "Both new")]
        {
            let before = dump(db).await;
            let updated = api
                .service
                .update_namespace(ns, meta(name, description), Some(version))
                .await
                .unwrap();
            assert_eq!((updated.name.as_str(), updated.description.as_str()), (name, description));
            assert_eq!(updated.version, version + 1);
            version = updated.version;
            assert_only_metadata_changed(&before, &dump(db).await, ns);
        }
    }
}

async fn store_metadata_updates_keep_every_row(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "default").await;
    populate(&api, "team").await;
    for ns in ["default", "team"] {
        for (name, description) in
            [("Renamed", "Default namespace"), ("Renamed", "New"), ("Both", "Both new")]
        {
            let before = dump(db).await;
            let mut tx = db.store.begin().await.unwrap();
            let outcome =
                namespaces::update_metadata(&mut tx, ns, name, description, None, now_nanos())
                    .await
                    .unwrap();
            tx.commit().await.unwrap();
            assert!(matches!(outcome, namespaces::Updated::Done(_)), "{outcome:?}");
            assert_only_metadata_changed(&before, &dump(db).await, ns);
        }
    }
}

/// Random contents for one namespace, and a random sequence of metadata edits.
#[derive(Debug, Clone)]
struct Plan {
    /// Per flag: boolean?, number of variants, enabled?
    flags: Vec<(bool, usize, bool)>,
    /// Per segment: number of constraints, ANY?
    segments: Vec<(usize, bool)>,
    /// (edit the second namespace?, name, description)
    edits: Vec<(bool, String, String)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        vec((any::<bool>(), 0usize..3, any::<bool>()), 0..4),
        vec((0usize..3, any::<bool>()), 1..4),
        vec((any::<bool>(), "\\PC{1,24}", "\\PC{0,40}"), 1..6),
    )
        .prop_map(|(flags, segments, edits)| Plan { flags, segments, edits })
}

async fn fill(api: &Api, ns: &str, plan: &Plan) {
    let s = &api.service;
    s.create_namespace(NamespaceInput { key: ns.into(), name: ns.into(), ..Default::default() })
        .await
        .unwrap();
    let segment_keys: Vec<String> = (0..plan.segments.len()).map(|i| format!("seg-{i}")).collect();
    for (i, (constraints, any)) in plan.segments.iter().enumerate() {
        let match_type = if *any { MatchType::Any } else { MatchType::All };
        let input = SegmentInput {
            key: segment_keys[i].clone(),
            name: format!("Segment {i}"),
            match_type,
            ..Default::default()
        };
        s.create_segment(ns, input).await.unwrap();
        for c in 0..*constraints {
            let input = ConstraintInput {
                comparison_type: ComparisonType::String,
                property: format!("p{c}"),
                operator: "eq".into(),
                value: format!("v{c}"),
                description: String::new(),
            };
            s.create_constraint(ns, &segment_keys[i], input).await.unwrap();
        }
    }
    for (i, (boolean, variants, enabled)) in plan.flags.iter().enumerate() {
        let key = format!("flag-{i}");
        let flag_type = if *boolean { FlagType::Boolean } else { FlagType::Variant };
        let input = FlagInput {
            key: key.clone(),
            name: key.clone(),
            enabled: *enabled,
            flag_type,
            ..Default::default()
        };
        s.create_flag(ns, input).await.unwrap();
        if *boolean {
            let segment = RolloutSegment {
                segment_keys: segment_keys.clone(),
                value: true,
                segment_operator: SegmentOperator::And,
                ..Default::default()
            };
            s.create_rollout(
                ns,
                &key,
                RolloutInput { rank: 1, segment: Some(segment), ..Default::default() },
            )
            .await
            .unwrap();
            let threshold = RolloutThreshold { percentage: 33.0, value: true };
            s.create_rollout(
                ns,
                &key,
                RolloutInput { rank: 2, threshold: Some(threshold), ..Default::default() },
            )
            .await
            .unwrap();
            continue;
        }
        let mut ids = Vec::new();
        for v in 0..*variants {
            let input = VariantInput {
                key: format!("v{v}"),
                attachment: format!("{{\"n\":{v}}}"),
                ..Default::default()
            };
            ids.push(s.create_variant(ns, &key, input).await.unwrap().id);
        }
        let rule = RuleInput { segment_keys: segment_keys.clone(), rank: 1, ..Default::default() };
        let rule = s.create_rule(ns, &key, rule).await.unwrap();
        for id in &ids {
            let share =
                DistributionInput { variant_id: id.clone(), rollout: 100.0 / ids.len() as f64 };
            s.create_distribution(ns, &key, &rule.id, share).await.unwrap();
        }
    }
}

async fn random_data_survives_random_metadata_updates(db: &TestDb) {
    let api = Api::new(db);
    let mut runner = TestRunner::default();
    for case in 0..6 {
        let plan = plan().new_tree(&mut runner).expect("a plan").current();
        let pair = [format!("p{case}-a"), format!("p{case}-b")];
        fill(&api, &pair[0], &plan).await;
        fill(&api, &pair[1], &plan).await;
        for (second, name, description) in &plan.edits {
            let ns = &pair[usize::from(*second)];
            let before = dump(db).await;
            let updated = api.service.update_namespace(ns, meta(name, description), None).await;
            assert!(updated.is_ok(), "{plan:?}: {updated:?}");
            let after = dump(db).await;
            assert_only_metadata_changed(&before, &after, ns);
            let row = after["namespaces"].iter().find(|r| r["key"] == ns.as_str()).unwrap();
            assert_eq!(row["name"], name.as_str(), "{plan:?}");
            assert_eq!(row["description"], description.as_str(), "{plan:?}");
        }
    }
}
