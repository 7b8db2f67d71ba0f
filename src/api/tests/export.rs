//! Export in Flipt's declarative format.

use serde_json::json;

use crate::{
    document::Document,
    testing::{api::Api, fixture::populate, on_both_databases, TestDb},
};

on_both_databases!(a_namespace_exports_as_a_flipt_document);

async fn a_namespace_exports_as_a_flipt_document(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let doc = api.get("/api/v1/namespaces/team/export?format=json").await.body;
    assert_eq!(doc["version"], "1.4");
    assert_eq!(
        doc["namespace"],
        json!({"key": "team", "name": "Team team", "description": "fixture"})
    );
    let checkout = &doc["flags"][0];
    assert_eq!(checkout["key"], "checkout");
    assert_eq!(checkout["type"], "VARIANT_FLAG_TYPE");
    assert_eq!(checkout["metadata"], json!({"owner": "payments", "ticket": 42}));
    assert_eq!(
        checkout["variants"][0],
        json!({"key": "blue", "name": "Blue", "attachment": {"color": "blue", "weight": 1.5}, "default": true})
    );
    assert_eq!(checkout["variants"][1]["attachment"], json!([1, 2, 3]));
    assert!(checkout["variants"][1].get("default").is_none(), "false is left out");
    assert_eq!(
        checkout["rules"][0]["segment"],
        json!({"keys": ["beta", "staff"], "operator": "AND_SEGMENT_OPERATOR"})
    );
    assert_eq!(
        checkout["rules"][0]["distributions"],
        json!([{"variant": "blue", "rollout": 50.0}, {"variant": "green", "rollout": 50.0}])
    );
    assert_eq!(checkout["rules"][1]["segment"], "beta");
    let dark = &doc["flags"][1];
    assert_eq!(
        dark["rollouts"][0],
        json!({"description": "staff and beta", "segment": {"keys": ["staff", "beta"], "value": true}})
    );
    assert_eq!(dark["rollouts"][1], json!({"threshold": {"percentage": 25.0, "value": false}}));
    assert_eq!(doc["segments"][0]["match_type"], "ANY_MATCH_TYPE");
    assert_eq!(
        doc["segments"][1]["constraints"][2],
        json!({"type": "BOOLEAN_COMPARISON_TYPE", "property": "employee", "operator": "true"})
    );

    let yaml = match api.get("/api/v1/namespaces/team/export").await.body {
        serde_json::Value::String(text) => text,
        other => panic!("YAML is text: {other}"),
    };
    assert!(yaml.starts_with("version: '1.4'") || yaml.starts_with("version: \"1.4\""), "{yaml}");
    let from_yaml: Document = serde_yaml::from_str(&yaml).unwrap();
    let from_json: Document = serde_json::from_value(doc).unwrap();
    assert_eq!(from_yaml, from_json, "YAML and JSON carry the same document");
    api.get("/api/v1/namespaces/nope/export")
        .await
        .assert_error(404, "namespace \"nope\" not found");
}
