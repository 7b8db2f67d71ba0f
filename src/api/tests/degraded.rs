//! Degraded mode through the whole router: with the database unreachable (its pools closed),
//! evaluations answer from the last snapshot and say how stale it is, writes and management
//! reads answer 503 with Retry-After, /health says NOT_SERVING, and /metrics shows it all.

use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(an_unreachable_database_degrades_to_stale_answers_and_503s);

async fn an_unreachable_database_degrades_to_stale_answers_and_503s(db: &TestDb) {
    let api = Api::new(db);
    let flag = json!({"key": "f", "name": "F", "type": "BOOLEAN_FLAG_TYPE", "enabled": true});
    api.create("/api/v1/flags", flag).await;
    let evaluate = json!({"flagKey": "f", "entityId": "u"});
    let fresh = api.post("/evaluate/v1/boolean", evaluate.clone()).await;
    assert_eq!(fresh.status, 200);
    assert!(fresh.headers.get("x-vexil-stale-ms").is_none(), "fresh answers carry no mark");
    // A write just before the outage supersedes the cached snapshot.
    api.put("/api/v1/flags/f", json!({"name": "F", "enabled": false})).await;

    db.store.close().await;
    let stale = api.post("/evaluate/v1/boolean", evaluate.clone()).await;
    assert_eq!(stale.status, 200, "{}", stale.body);
    assert_eq!(stale.body["enabled"], true, "the last snapshot read from the database");
    let age = stale.headers.get("x-vexil-stale-ms").expect("a stale answer is marked");
    assert!(age.to_str().unwrap().parse::<u64>().is_ok(), "{age:?}");
    let ofrep =
        api.post("/ofrep/v1/evaluate/flags/f", json!({"context": {"targetingKey": "u"}})).await;
    assert_eq!(ofrep.status, 200, "OFREP keeps answering: {}", ofrep.body);
    let snapshot = api.get("/internal/v1/evaluation/snapshot/namespace/default").await;
    assert_eq!(snapshot.status, 200, "the client snapshot keeps answering");

    for reply in [
        api.post("/api/v1/flags", json!({"key": "g", "name": "G"})).await,
        api.get("/api/v1/flags").await,
        api.put("/api/v1/namespaces/default", json!({"name": "Renamed"})).await,
    ] {
        assert_eq!(reply.status, 503, "{}", reply.body);
        assert_eq!(reply.body["code"], 14, "Flipt's body: {}", reply.body);
        assert!(reply.body["message"].as_str().unwrap().contains("unavailable"), "{}", reply.body);
        assert_eq!(reply.headers["retry-after"], "2");
    }
    let never_read = api
        .post(
            "/evaluate/v1/boolean",
            json!({"namespaceKey": "other", "flagKey": "f", "entityId": "u"}),
        )
        .await;
    assert_eq!(never_read.status, 503, "no snapshot to stand in: {}", never_read.body);
    let health = api.get("/health").await;
    assert_eq!(health.status, 503);
    assert_eq!(health.body["status"], "NOT_SERVING");
    let metrics = api.get("/metrics").await.body;
    let metrics = metrics.as_str().unwrap();
    assert!(metrics.contains("\nvexil_database_up 0\n"), "{metrics}");
    let served = metrics
        .lines()
        .find_map(|l| l.strip_prefix("vexil_cache_stale_served_total "))
        .and_then(|n| n.parse::<u64>().ok());
    assert!(served.is_some_and(|n| n >= 3), "three stale answers counted: {metrics}");
    assert!(
        !metrics.contains("\nvexil_cache_staleness_seconds 0\n"),
        "the superseded snapshot ages"
    );
}
