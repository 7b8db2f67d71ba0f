//! Legacy evaluation, `/meta/info` and `/metrics`.

use serde_json::json;

use crate::testing::{api::Api, fixture::populate, on_both_databases, TestDb};

on_both_databases!(legacy_evaluation, meta_info_and_metrics);

async fn legacy_evaluation(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let one = api
        .post(
            "/api/v1/namespaces/team/evaluate",
            json!({"flagKey": "checkout", "entityId": "x", "context": {"plan": "pro"}}),
        )
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(
        json!([
            one.body["match"],
            one.body["value"],
            one.body["segmentKey"],
            one.body["reason"],
            one.body["namespaceKey"]
        ]),
        json!([true, "green", "beta", "MATCH_EVALUATION_REASON", "team"])
    );
    assert_eq!(one.body["requestContext"], json!({"plan": "pro"}));
    api.post("/api/v1/evaluate", json!({"flagKey": "checkout"}))
        .await
        .assert_error(400, "invalid field entityId: must not be empty");
    api.post("/api/v1/evaluate", json!({"entityId": "x"}))
        .await
        .assert_error(400, "invalid field flagKey: must not be empty");

    let batch = json!({"requestId": "b", "requests": [
        {"flagKey": "checkout", "entityId": "x", "context": {}}, {"flagKey": "nope", "entityId": "x"}]});
    api.post("/api/v1/namespaces/team/batch-evaluate", batch.clone())
        .await
        .assert_error(404, "flag \"team/nope\" not found");
    let mut skipping = batch;
    skipping["excludeNotFound"] = json!(true);
    let reply = api.post("/api/v1/namespaces/team/batch-evaluate", skipping).await;
    assert_eq!((reply.status, reply.body["requestId"].clone()), (200, json!("b")));
    assert_eq!(reply.body["responses"].as_array().unwrap().len(), 1);
    assert_eq!(reply.body["responses"][0]["value"], "blue", "no rule matched: the default variant");
}

async fn meta_info_and_metrics(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let info = api.get("/meta/info").await.body;
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["storage"]["type"], "database");
    for _ in 0..3 {
        api.post("/evaluate/v1/variant", json!({"namespaceKey": "team", "flagKey": "checkout", "entityId": "x", "context": {"plan": "pro"}})).await;
    }
    api.post(
        "/evaluate/v1/variant",
        json!({"namespaceKey": "team", "flagKey": "nope", "entityId": "x"}),
    )
    .await;
    let text = match api.get("/metrics").await.body {
        serde_json::Value::String(text) => text,
        other => panic!("metrics are text: {other}"),
    };
    assert!(
        text.contains("flipt_evaluations_requests_total{namespace=\"team\",flag=\"checkout\"} 3"),
        "{text}"
    );
    assert!(text.contains("flipt_evaluations_results_total{namespace=\"team\",flag=\"checkout\",reason=\"MATCH_EVALUATION_REASON\",match=\"true\"} 3"));
    assert!(text.contains(
        "flipt_evaluations_latency_milliseconds_count{namespace=\"team\",flag=\"checkout\"} 3"
    ));
    assert!(text.contains("flipt_evaluations_errors_total 1"));
    assert!(
        text.contains("flipt_cache_hit_total{cache=\"evaluation\",type=\"snapshot\"} 3"),
        "{text}"
    );
    assert!(text.contains("flipt_cache_miss_total{cache=\"evaluation\",type=\"snapshot\"} 1"));
}
