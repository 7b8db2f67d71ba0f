//! Segments and constraints.

use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(segment_routes, constraint_routes);

async fn segment_routes(db: &TestDb) {
    let api = Api::new(db);
    let base = "/api/v1/namespaces/default/segments";
    let s = api.create(base, json!({"key": "s", "name": "S", "matchType": "ANY_MATCH_TYPE"})).await;
    assert_eq!(
        (s["matchType"].clone(), s["constraints"].clone(), s["version"].clone()),
        (json!("ANY_MATCH_TYPE"), json!([]), json!(1))
    );
    api.post(base, json!({"key": "s", "name": "S"}))
        .await
        .assert_error(400, "segment \"default/s\" is not unique");
    api.post(base, json!({"key": "s s", "name": "S"}))
        .await
        .assert_error(400, "invalid field key: contains invalid characters");
    api.post(base, json!({"key": "t", "name": "T", "matchType": "SOME_MATCH_TYPE"})).await;
    assert_eq!(api.get(base).await.body["totalCount"], 1, "the unknown enum created nothing");
    api.get(&format!("{base}/nope")).await.assert_error(404, "segment \"default/nope\" not found");
    let updated = api.put(&format!("{base}/s"), json!({"name": "S2"})).await.body;
    assert_eq!(
        (updated["matchType"].clone(), updated["version"].clone()),
        (json!("ALL_MATCH_TYPE"), json!(2)),
        "omitted matchType resets to ALL"
    );
    api.put(&format!("{base}/nope"), json!({"name": "x"}))
        .await
        .assert_error(404, "segment \"default/nope\" not found");
    let stale = api.put(&format!("{base}/s"), json!({"name": "x", "version": 1})).await;
    assert_eq!(stale.status, 409);
    api.post(base, json!({"key": "", "name": "x"}))
        .await
        .assert_error(400, "invalid field key: must not be empty");
    api.get(&format!("{base}?pageToken=abc"))
        .await
        .assert_error(400, "limit must be set when offset or pageToken is set");
    assert_eq!(api.delete(&format!("{base}/s")).await.body, json!({}));
    assert_eq!(api.delete(&format!("{base}/s")).await.status, 200);
}

async fn constraint_routes(db: &TestDb) {
    let api = Api::new(db);
    let base = "/api/v1/namespaces/default/segments";
    api.create(base, json!({"key": "s", "name": "S"})).await;
    let c = api.create(&format!("{base}/s/constraints"), json!({"type": "DATETIME_COMPARISON_TYPE", "property": "at", "operator": "GT", "value": "2025-03-01T10:00:00+01:00"})).await;
    assert_eq!(
        (c["operator"].clone(), c["value"].clone()),
        (json!("gt"), json!("2025-03-01T09:00:00Z"))
    );
    let id = c["id"].as_str().unwrap();
    api.post(
        &format!("{base}/nope/constraints"),
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"}),
    )
    .await
    .assert_error(404, "segment \"default/nope\" not found");
    api.post(
        &format!("{base}/s/constraints"),
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "gt", "value": "v"}),
    )
    .await
    .assert_error(400, "constraint operator \"gt\" is not valid for type string");
    api.post(
        &format!("{base}/s/constraints"),
        json!({"property": "p", "operator": "eq", "value": "v"}),
    )
    .await
    .assert_error(400, "invalid constraint type: \"UNKNOWN_COMPARISON_TYPE\"");
    let boolean = api
        .create(
            &format!("{base}/s/constraints"),
            json!({"type": 3, "property": "b", "operator": "true", "value": "x"}),
        )
        .await;
    assert_eq!(boolean["value"], "", "no-value operators store an empty value");
    let updated = api.put(&format!("{base}/s/constraints/{id}"), json!({"type": "NUMBER_COMPARISON_TYPE", "property": "n", "operator": "isoneof", "value": "[1, 2]"})).await;
    assert_eq!((updated.status, updated.body["value"].clone()), (200, json!("[1,2]")));
    api.put(
        &format!("{base}/s/constraints/nope"),
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "n", "operator": "eq", "value": "1"}),
    )
    .await
    .assert_error(404, "constraint \"nope\" not found");
    assert_eq!(api.delete(&format!("{base}/s/constraints/{id}")).await.status, 200);
    assert_eq!(
        api.get(&format!("{base}/s")).await.body["constraints"].as_array().unwrap().len(),
        1
    );
}
