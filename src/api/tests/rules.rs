//! Rules, distributions and ordering.

use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(rule_routes, distribution_routes, rule_order_and_renumbering);

async fn setup(api: &Api) -> (String, String) {
    let base = "/api/v1/namespaces/default";
    api.create(&format!("{base}/flags"), json!({"key": "f", "name": "F"})).await;
    for key in ["a", "b"] {
        api.create(&format!("{base}/segments"), json!({"key": key, "name": key})).await;
    }
    let v1 = api.create(&format!("{base}/flags/f/variants"), json!({"key": "v1"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let v2 = api.create(&format!("{base}/flags/f/variants"), json!({"key": "v2"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    (v1, v2)
}

async fn rule_routes(db: &TestDb) {
    let api = Api::new(db);
    setup(&api).await;
    let rules = "/api/v1/namespaces/default/flags/f/rules";
    let one = api
        .create(
            rules,
            json!({"segmentKey": "a", "segmentOperator": "AND_SEGMENT_OPERATOR", "rank": 1}),
        )
        .await;
    assert_eq!((one["segmentKey"].clone(), one["segmentKeys"].clone()), (json!("a"), json!([])));
    assert_eq!(one["segmentOperator"], "OR_SEGMENT_OPERATOR", "one segment forces OR");
    let two = api
        .create(rules, json!({"segment_keys": ["a", "b"], "segment_operator": 1, "rank": 2}))
        .await;
    assert_eq!(
        (two["segmentKey"].clone(), two["segmentKeys"].clone()),
        (json!(""), json!(["a", "b"]))
    );
    assert_eq!(two["segmentOperator"], "AND_SEGMENT_OPERATOR");
    api.post(rules, json!({"segmentKey": "a", "rank": 0}))
        .await
        .assert_error(400, "invalid field rank: must be greater than 0");
    api.post(rules, json!({"rank": 1}))
        .await
        .assert_error(400, "invalid field segmentKey: must not be empty");
    api.post(rules, json!({"segmentKey": "zzz", "rank": 1}))
        .await
        .assert_error(404, "flag \"default/f\" or segment \"default/zzz\" not found");
    api.post("/api/v1/namespaces/default/flags/g/rules", json!({"segmentKey": "a", "rank": 1}))
        .await
        .assert_error(404, "flag \"default/g\" or segment \"default/a\" not found");
    let id = one["id"].as_str().unwrap();
    assert_eq!(api.get(&format!("{rules}/{id}")).await.body["id"], id);
    api.get(&format!("{rules}/nope")).await.assert_error(404, "rule \"nope\" not found");
    let updated = api
        .put(
            &format!("{rules}/{id}"),
            json!({"segmentKeys": ["b", "a"], "segmentOperator": "AND_SEGMENT_OPERATOR"}),
        )
        .await
        .body;
    assert_eq!(
        (updated["segmentKeys"].clone(), updated["rank"].clone()),
        (json!(["b", "a"]), json!(1))
    );
    let page = api.get(&format!("{rules}?limit=1")).await.body;
    assert_eq!(
        (page["totalCount"].clone(), page["rules"].as_array().unwrap().len()),
        (json!(2), 1)
    );
    assert_ne!(page["nextPageToken"], "");
    api.delete("/api/v1/namespaces/default/segments/a")
        .await
        .assert_error(400, "segment \"default/a\" is in use");
}

async fn distribution_routes(db: &TestDb) {
    let api = Api::new(db);
    let (v1, v2) = setup(&api).await;
    let rules = "/api/v1/namespaces/default/flags/f/rules";
    let rule = api.create(rules, json!({"segmentKey": "a", "rank": 1})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let d = api
        .create(&format!("{rules}/{rule}/distributions"), json!({"variantId": v1, "rollout": 40}))
        .await;
    assert_eq!((d["ruleId"].as_str(), d["rollout"].as_f64()), (Some(rule.as_str()), Some(40.0)));
    let id = d["id"].as_str().unwrap();
    api.post(&format!("{rules}/{rule}/distributions"), json!({"variantId": v1, "rollout": -1}))
        .await
        .assert_error(400, "invalid field rollout: must be greater than or equal to '0'");
    api.post(&format!("{rules}/{rule}/distributions"), json!({"variantId": "nope", "rollout": 1}))
        .await
        .assert_error(
            404,
            &format!(
                "variant \"nope\", rule \"{rule}\", flag \"f\" in namespace \"default\" not found"
            ),
        );
    api.post(&format!("{rules}/nope/distributions"), json!({"variantId": v1, "rollout": 1}))
        .await
        .assert_error(
            404,
            &format!(
                "variant \"{v1}\", rule \"nope\", flag \"f\" in namespace \"default\" not found"
            ),
        );
    let moved = api
        .put(&format!("{rules}/{rule}/distributions/{id}"), json!({"variantId": v2, "rollout": 60}))
        .await;
    assert_eq!((moved.status, moved.body["variantId"].as_str()), (200, Some(v2.as_str())));
    api.delete(&format!("{rules}/{rule}/distributions/{id}"))
        .await
        .assert_error(400, "invalid field variantId: must not be empty");
    assert_eq!(
        api.delete(&format!("{rules}/{rule}/distributions/{id}?variantId={v2}")).await.status,
        200
    );
    assert_eq!(api.get(&format!("{rules}/{rule}")).await.body["distributions"], json!([]));
}

async fn rule_order_and_renumbering(db: &TestDb) {
    let api = Api::new(db);
    setup(&api).await;
    let rules = "/api/v1/namespaces/default/flags/f/rules";
    let mut ids = Vec::new();
    for rank in 1..=3 {
        ids.push(
            api.create(rules, json!({"segmentKey": "a", "rank": rank})).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let reply =
        api.put(&format!("{rules}/order"), json!({"ruleIds": [ids[2], ids[0], ids[1]]})).await;
    assert_eq!((reply.status, reply.body.clone()), (200, json!({})));
    let order: Vec<String> = api.get(rules).await.body["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order, vec![ids[2].clone(), ids[0].clone(), ids[1].clone()]);
    api.put(&format!("{rules}/order"), json!({"ruleIds": [ids[0]]}))
        .await
        .assert_error(400, "invalid field ruleIds: must contain atleast 2 elements");
    api.put(&format!("{rules}/order"), json!({"ruleIds": [ids[0], "nope"]}))
        .await
        .assert_error(404, "rule \"nope\" not found");
    api.delete(&format!("{rules}/{}", ids[2])).await;
    let ranks: Vec<i64> = api.get(rules).await.body["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rank"].as_i64().unwrap())
        .collect();
    assert_eq!(ranks, vec![1, 2], "a delete renumbers the rest");
}
