//! `/evaluate/v1/*` and the client snapshot endpoint, on both databases.

use axum::http::Method;
use serde_json::{json, Value};

use crate::testing::{api::Api, fixture::populate, on_both_databases, TestDb};

on_both_databases!(
    variant_and_boolean_answers,
    batch_answers,
    reads_follow_writes_immediately,
    snapshot_endpoint
);

fn eval(ns: &str, flag: &str, entity: &str, context: Value) -> Value {
    json!({"namespaceKey": ns, "flagKey": flag, "entityId": entity, "context": context})
}

async fn variant_and_boolean_answers(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let pro = api
        .post("/evaluate/v1/variant", eval("team", "checkout", "x", json!({"plan": "pro"})))
        .await;
    assert_eq!(pro.status, 200, "{}", pro.body);
    assert_eq!(
        (pro.body["match"].clone(), pro.body["variantKey"].clone()),
        (json!(true), json!("green"))
    );
    assert_eq!(
        (pro.body["reason"].clone(), pro.body["segmentKeys"].clone()),
        (json!("MATCH_EVALUATION_REASON"), json!(["beta"]))
    );
    assert_eq!(pro.body["variantAttachment"], "[1,2,3]");
    assert!(pro.body["requestDurationMillis"].is_f64() && pro.body["timestamp"].is_string());
    assert_eq!(
        pro.body["requestId"].as_str().map(str::len),
        Some(36),
        "a fresh UUID when none is sent"
    );

    let both = json!({"plan": "pro", "joined": "2024-05-01", "employee": "true"});
    let staff = api.post("/evaluate/v1/variant", eval("team", "checkout", "u-1", both)).await.body;
    assert_eq!(staff["match"], true);
    let mut keys: Vec<String> = serde_json::from_value(staff["segmentKeys"].clone()).unwrap();
    keys.sort();
    assert_eq!(keys, ["beta", "staff"], "the AND rule matched both segments");

    let nobody =
        api.post("/evaluate/v1/variant", eval("team", "checkout", "x", json!({}))).await.body;
    assert_eq!(
        (nobody["match"].clone(), nobody["reason"].clone(), nobody["variantKey"].clone()),
        (json!(false), json!("DEFAULT_EVALUATION_REASON"), json!("blue"))
    );

    let snake = json!({"namespace_key": "team", "flag_key": "dark-mode", "entity_id": "x", "context": {"plan": "team"}, "request_id": "r-1", "reference": null});
    let on = api.post("/evaluate/v1/boolean", snake).await.body;
    assert_eq!(
        (on["enabled"].clone(), on["reason"].clone(), on["requestId"].clone()),
        (json!(true), json!("MATCH_EVALUATION_REASON"), json!("r-1"))
    );

    api.post("/evaluate/v1/variant", eval("team", "nope", "x", json!({})))
        .await
        .assert_error(404, "flag \"team/nope\" not found");
    api.post("/evaluate/v1/variant", eval("team", "dark-mode", "x", json!({})))
        .await
        .assert_error(400, "flag type BOOLEAN_FLAG_TYPE invalid");
    api.post("/evaluate/v1/boolean", eval("team", "checkout", "x", json!({})))
        .await
        .assert_error(400, "flag type VARIANT_FLAG_TYPE invalid");
    let numeric =
        api.post("/evaluate/v1/variant", eval("team", "checkout", "x", json!({"age": 30}))).await;
    assert_eq!(numeric.status, 400, "context values are strings: {}", numeric.body);
    let default_ns =
        api.post("/evaluate/v1/boolean", json!({"flagKey": "missing", "entityId": "x"})).await;
    default_ns.assert_error(404, "flag \"default/missing\" not found");
}

async fn batch_answers(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    populate(&api, "default").await;
    let reply = api
        .post(
            "/evaluate/v1/batch",
            json!({"requestId": "batch-1", "requests": [
                eval("team", "checkout", "x", json!({"plan": "pro"})),
                eval("default", "dark-mode", "x", json!({})),
                eval("team", "gone", "x", json!({})),
            ]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let items = reply.body["responses"].as_array().unwrap();
    assert_eq!(reply.body["requestId"], "batch-1");
    assert_eq!(items[0]["type"], "VARIANT_EVALUATION_RESPONSE_TYPE");
    assert_eq!(items[0]["variantResponse"]["variantKey"], "green");
    assert_eq!(items[1]["type"], "BOOLEAN_EVALUATION_RESPONSE_TYPE");
    assert_eq!(
        items[2],
        json!({"type": "ERROR_EVALUATION_RESPONSE_TYPE", "errorResponse": {
        "flagKey": "gone", "namespaceKey": "team", "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"}})
    );
}

async fn reads_follow_writes_immediately(db: &TestDb) {
    let api = Api::new(db);
    api.create(
        "/api/v1/flags",
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE", "enabled": true}),
    )
    .await;
    let ask = || api.post("/evaluate/v1/boolean", json!({"flagKey": "b", "entityId": "e"}));
    assert_eq!(ask().await.body["enabled"], true);
    for round in 0..10 {
        let enabled = round % 2 == 1;
        let put = api.put("/api/v1/flags/b", json!({"name": "B", "enabled": enabled})).await;
        assert_eq!(put.status, 200);
        let answer = ask().await.body;
        let expected = if enabled {
            json!([true, "DEFAULT_EVALUATION_REASON"])
        } else {
            json!([false, "FLAG_DISABLED_EVALUATION_REASON"])
        };
        assert_eq!(json!([answer["enabled"], answer["reason"]]), expected, "round {round}");
    }
    let rollout = api
        .create(
            "/api/v1/namespaces/default/flags/b/rollouts",
            json!({"rank": 1, "threshold": {"percentage": 100, "value": true}}),
        )
        .await;
    assert_eq!(
        ask().await.body["reason"],
        "MATCH_EVALUATION_REASON",
        "a new rollout applies at once"
    );
    api.delete(&format!(
        "/api/v1/namespaces/default/flags/b/rollouts/{}",
        rollout["id"].as_str().unwrap()
    ))
    .await;
    // The last round left the flag enabled: with no rollout, its default applies again.
    let after = ask().await.body;
    assert_eq!(
        json!([after["enabled"], after["reason"]]),
        json!([true, "DEFAULT_EVALUATION_REASON"]),
        "and so does its removal"
    );
}

async fn snapshot_endpoint(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let path = "/internal/v1/evaluation/snapshot/namespace/team";
    let old_client = api.get(path).await;
    assert_eq!(old_client.status, 200);
    let etag = old_client.headers["etag"].to_str().unwrap().to_string();
    let flags = old_client.body["flags"].as_array().unwrap();
    assert_eq!(old_client.body["namespace"], json!({"key": "team"}));
    let checkout = flags.iter().find(|f| f["key"] == "checkout").unwrap();
    assert!(checkout.get("defaultVariant").is_none(), "no defaultVariant before 1.47.0");
    assert_eq!(checkout["rules"].as_array().unwrap().len(), 2, "each rule once");
    assert_eq!(checkout["rules"][0]["segmentOperator"], "AND_SEGMENT_OPERATOR");
    assert_eq!(checkout["rules"][0]["distributions"][0]["variantKey"], "blue");
    let staff = checkout["rules"][0]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "staff")
        .unwrap()
        .clone();
    assert_eq!(staff["matchType"], "ALL_SEGMENT_MATCH_TYPE");
    assert_eq!(
        staff["constraints"][0]["type"], "UNKNOWN_CONSTRAINT_COMPARISON_TYPE",
        "ENTITY_ID hidden before 1.38.0"
    );
    let dark = flags.iter().find(|f| f["key"] == "dark-mode").unwrap();
    assert_eq!(dark["rules"], json!([]));
    assert_eq!(dark["rollouts"][1]["threshold"], json!({"percentage": 25.0, "value": false}));

    let current = api
        .raw(Method::GET, path, &[("x-flipt-accept-server-version", "1.47.0")], Vec::new())
        .await
        .body;
    let checkout = current["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "checkout")
        .unwrap()
        .clone();
    assert_eq!(checkout["defaultVariant"]["key"], "blue");
    assert!(current.to_string().contains("ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"));

    let unchanged = api.raw(Method::GET, path, &[("if-none-match", &etag)], Vec::new()).await;
    assert_eq!(unchanged.status, 304);
    api.create("/api/v1/namespaces/team/flags", json!({"key": "new", "name": "New"})).await;
    let changed = api.raw(Method::GET, path, &[("if-none-match", &etag)], Vec::new()).await;
    assert_eq!(changed.status, 200, "a write changes the ETag");
    assert_ne!(changed.headers["etag"].to_str().unwrap(), etag);

    let missing = api.get("/internal/v1/evaluation/snapshot/namespace/nope").await;
    assert_eq!((missing.status, missing.body["flags"].clone()), (200, json!([])));
}
