//! Rollouts of boolean flags.

use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(rollout_routes);

async fn rollout_routes(db: &TestDb) {
    let api = Api::new(db);
    let base = "/api/v1/namespaces/default";
    api.create(
        &format!("{base}/flags"),
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    api.create(&format!("{base}/segments"), json!({"key": "s", "name": "S"})).await;
    let rollouts = format!("{base}/flags/b/rollouts");
    let t = api
        .create(&rollouts, json!({"rank": 1, "threshold": {"percentage": 50, "value": true}}))
        .await;
    assert_eq!(t["type"], "THRESHOLD_ROLLOUT_TYPE");
    assert_eq!(t["threshold"], json!({"percentage": 50.0, "value": true}));
    assert!(t.get("segment").is_none());
    let s = api
        .create(&rollouts, json!({"rank": 2, "segment": {"segmentKey": "s", "value": true}}))
        .await;
    assert_eq!(
        s["segment"],
        json!({"segmentKey": "s", "value": true, "segmentKeys": [], "segmentOperator": "OR_SEGMENT_OPERATOR"})
    );
    api.post(&rollouts, json!({"rank": 2, "threshold": {"percentage": 5}}))
        .await
        .assert_error(400, "rank number: 2 already exists");
    api.post(&rollouts, json!({"rank": 3}))
        .await
        .assert_error(400, "exactly one of segment and threshold must be set");
    api.post(&rollouts, json!({"rank": 3, "threshold": {"percentage": 101}}))
        .await
        .assert_error(400, "invalid field threshold.percentage: must be within range [0, 100]");
    api.post(&rollouts, json!({"rank": 3, "segment": {"segmentKey": "zz"}}))
        .await
        .assert_error(404, "flag \"default/b or segment zz\" not found");
    let (tid, sid) = (t["id"].as_str().unwrap(), s["id"].as_str().unwrap());
    api.put(&format!("{rollouts}/{tid}"), json!({"segment": {"segmentKey": "s"}}))
        .await
        .assert_error(
            400,
            "cannot change type of rollout: have \"THRESHOLD_ROLLOUT_TYPE\" attempted \"SEGMENT_ROLLOUT_TYPE\"",
        );
    let changed = api
        .put(
            &format!("{rollouts}/{tid}"),
            json!({"description": "d", "threshold": {"percentage": 10, "value": false}}),
        )
        .await
        .body;
    assert_eq!(
        (changed["description"].clone(), changed["threshold"]["percentage"].clone()),
        (json!("d"), json!(10.0))
    );
    api.get(&format!("{rollouts}/nope")).await.assert_error(404, "rollout \"nope\" not found");
    let list = api.get(&rollouts).await.body;
    assert_eq!(list["rules"].as_array().unwrap().len(), 2, "Flipt lists rollouts under `rules`");
    api.put(&format!("{rollouts}/order"), json!({"rolloutIds": [sid, tid]})).await;
    assert_eq!(api.get(&rollouts).await.body["rules"][0]["id"], sid);
    api.delete(&format!("{base}/segments/s"))
        .await
        .assert_error(400, "segment \"default/s\" is in use");
    api.delete(&format!("{rollouts}/{sid}")).await;
    assert_eq!(api.get(&rollouts).await.body["rules"][0]["rank"], 1);
    assert_eq!(api.delete(&format!("{base}/segments/s")).await.status, 200, "free once unused");
}
