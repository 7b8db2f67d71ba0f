//! A namespace filled with every kind of object, through the REST API as a client would.

use serde_json::{json, Value};

use super::api::Api;

/// What [`populate`] created, for tests that refer to it.
pub struct Filled {
    pub variant_ids: Vec<String>,
    pub rule_ids: Vec<String>,
    pub rollout_ids: Vec<String>,
}

/// Creates (if needed) namespace `ns` and fills it: a variant flag with variants carrying
/// attachments, a default variant and metadata; a boolean flag; segments of every constraint
/// type; a multi-segment AND rule with a 50/50 distribution and a single-segment rule; a
/// segment rollout over two segments and a threshold rollout.
pub async fn populate(api: &Api, ns: &str) -> Filled {
    if ns != "default" {
        api.create(
            "/api/v1/namespaces",
            json!({"key": ns, "name": format!("Team {ns}"), "description": "fixture"}),
        )
        .await;
    }
    let base = format!("/api/v1/namespaces/{ns}");
    api.create(
        &format!("{base}/flags"),
        json!({"key": "checkout", "name": "Checkout", "description": "new checkout", "enabled": true,
               "type": "VARIANT_FLAG_TYPE", "metadata": {"owner": "payments", "ticket": 42}}),
    )
    .await;
    let blue = id(api.create(&format!("{base}/flags/checkout/variants"),
        json!({"key": "blue", "name": "Blue", "attachment": "{\"color\": \"blue\", \"weight\": 1.5}"})).await);
    let green = id(api
        .create(
            &format!("{base}/flags/checkout/variants"),
            json!({"key": "green", "name": "Green", "attachment": "[1, 2, 3]"}),
        )
        .await);
    let flag = api.put(&format!("{base}/flags/checkout"),
        json!({"name": "Checkout", "description": "new checkout", "enabled": true, "defaultVariantId": blue})).await;
    assert_eq!(flag.status, 200, "{}", flag.body);
    api.create(&format!("{base}/flags"), json!({"key": "dark-mode", "name": "Dark mode", "type": "BOOLEAN_FLAG_TYPE", "enabled": true})).await;

    api.create(
        &format!("{base}/segments"),
        json!({"key": "beta", "name": "Beta", "matchType": "ANY_MATCH_TYPE"}),
    )
    .await;
    api.create(
        &format!("{base}/segments"),
        json!({"key": "staff", "name": "Staff", "match_type": "ALL_MATCH_TYPE"}),
    )
    .await;
    for constraint in [
        json!({"type": "STRING_COMPARISON_TYPE", "property": "plan", "operator": "isoneof", "value": "[\"pro\",\"team\"]"}),
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "gte", "value": "18"}),
    ] {
        api.create(&format!("{base}/segments/beta/constraints"), constraint).await;
    }
    for constraint in [
        json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "eq", "value": "u-1"}),
        json!({"type": "DATETIME_COMPARISON_TYPE", "property": "joined", "operator": "lt", "value": "2025-01-01"}),
        json!({"type": "BOOLEAN_COMPARISON_TYPE", "property": "employee", "operator": "true"}),
    ] {
        api.create(&format!("{base}/segments/staff/constraints"), constraint).await;
    }

    let rules = format!("{base}/flags/checkout/rules");
    let both = id(api.create(&rules, json!({"segmentKeys": ["beta", "staff"], "segmentOperator": "AND_SEGMENT_OPERATOR", "rank": 1})).await);
    api.create(&format!("{rules}/{both}/distributions"), json!({"variantId": blue, "rollout": 50}))
        .await;
    api.create(
        &format!("{rules}/{both}/distributions"),
        json!({"variantId": green, "rollout": 50}),
    )
    .await;
    let single = id(api.create(&rules, json!({"segmentKey": "beta", "rank": 2})).await);
    api.create(
        &format!("{rules}/{single}/distributions"),
        json!({"variantId": green, "rollout": 100}),
    )
    .await;

    let rollouts = format!("{base}/flags/dark-mode/rollouts");
    let by_segment = id(api.create(&rollouts, json!({"rank": 1, "description": "staff and beta",
        "segment": {"segmentKeys": ["staff", "beta"], "segmentOperator": "OR_SEGMENT_OPERATOR", "value": true}})).await);
    let by_threshold = id(api
        .create(&rollouts, json!({"rank": 2, "threshold": {"percentage": 25, "value": false}}))
        .await);

    Filled {
        variant_ids: vec![blue, green],
        rule_ids: vec![both, single],
        rollout_ids: vec![by_segment, by_threshold],
    }
}

fn id(value: Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}
