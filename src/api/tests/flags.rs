//! Flags and variants, namespaced and legacy.

use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(
    flag_routes,
    flag_put_follows_flipts_replacement_rules,
    variant_routes,
    legacy_routes_target_default
);

async fn flag_routes(db: &TestDb) {
    let api = Api::new(db);
    let base = "/api/v1/namespaces/default/flags";
    let flag = api
        .create(
            base,
            json!({"key": "f", "name": "F", "type": 1, "enabled": true, "metadata": {"a": 1}}),
        )
        .await;
    assert_eq!(flag["type"], "BOOLEAN_FLAG_TYPE");
    assert_eq!(flag["variants"], json!([]));
    assert_eq!(flag["metadata"], json!({"a": 1}));
    assert!(flag.get("defaultVariant").is_none(), "unset messages are omitted");
    api.post(base, json!({"key": "f", "name": "F"}))
        .await
        .assert_error(400, "flag \"default/f\" is not unique");
    api.post(base, json!({"key": "a/b", "name": "F"}))
        .await
        .assert_error(400, "invalid field key: contains invalid characters");
    api.post("/api/v1/namespaces/nope/flags", json!({"key": "f", "name": "F"}))
        .await
        .assert_error(404, "namespace \"nope\" not found");
    let reply = api.get(&format!("{base}/f")).await;
    assert_eq!((reply.status, reply.headers["etag"].to_str().unwrap()), (200, "\"1\""));
    api.get(&format!("{base}/g")).await.assert_error(404, "flag \"default/g\" not found");
    api.put(&format!("{base}/g"), json!({"name": "G"}))
        .await
        .assert_error(404, "flag \"default/g\" not found");
    let stale = api
        .raw(
            axum::http::Method::PUT,
            &format!("{base}/f"),
            &[("if-match", "\"5\"")],
            br#"{"name":"x"}"#.to_vec(),
        )
        .await;
    assert_eq!(
        (stale.status, stale.body["details"][0]["current"]["name"].clone()),
        (409, json!("F"))
    );
    let fresh = api
        .raw(
            axum::http::Method::PUT,
            &format!("{base}/f"),
            &[("if-match", "W/\"1\"")],
            br#"{"name":"G","enabled":true}"#.to_vec(),
        )
        .await;
    assert_eq!((fresh.status, fresh.body["version"].clone()), (200, json!(2)));
    assert_eq!(api.delete(&format!("{base}/f")).await.body, json!({}));
    assert_eq!(api.delete(&format!("{base}/f")).await.status, 200, "deletes are idempotent");
    api.get(&format!("{base}/f")).await.assert_error(404, "flag \"default/f\" not found");
}

async fn flag_put_follows_flipts_replacement_rules(db: &TestDb) {
    let api = Api::new(db);
    let base = "/api/v1/namespaces/default/flags";
    api.create(
        base,
        json!({"key": "f", "name": "F", "enabled": true, "metadata": {"owner": "me"}}),
    )
    .await;
    let variant = api.create(&format!("{base}/f/variants"), json!({"key": "v"})).await;
    let id = variant["id"].as_str().unwrap();
    let set = api
        .put(&format!("{base}/f"), json!({"name": "F", "enabled": true, "defaultVariantId": id}))
        .await
        .body;
    assert_eq!(set["defaultVariant"]["key"], "v");
    assert_eq!(set["metadata"], json!({"owner": "me"}), "metadata untouched when absent");
    let cleared = api
        .put(&format!("{base}/f"), json!({"name": "F", "metadata": {}, "defaultVariantId": null}))
        .await
        .body;
    assert_eq!(cleared["enabled"], false, "a PUT without enabled disables the flag");
    assert!(cleared.get("defaultVariant").is_none(), "a PUT without defaultVariantId clears it");
    assert!(cleared.get("metadata").is_none(), "an empty object clears metadata");
    api.put(&format!("{base}/f"), json!({"name": "F", "defaultVariantId": "nope"}))
        .await
        .assert_error(404, "variant \"nope\" not found");
    let other =
        api.post(base, json!({"key": "g", "name": "G", "type": "VARIANT_FLAG_TYPE"})).await.body;
    assert_eq!(other["type"], "VARIANT_FLAG_TYPE");
}

async fn variant_routes(db: &TestDb) {
    let api = Api::new(db);
    let base = "/api/v1/namespaces/default/flags";
    api.create(base, json!({"key": "f", "name": "F"})).await;
    let v = api
        .create(
            &format!("{base}/f/variants"),
            json!({"key": "v1", "attachment": "{ \"a\": [1, 2] }"}),
        )
        .await;
    assert_eq!(v["attachment"], "{\"a\":[1,2]}", "attachments are stored compacted");
    assert_eq!((v["flagKey"].clone(), v["namespaceKey"].clone()), (json!("f"), json!("default")));
    let id = v["id"].as_str().unwrap();
    api.post(&format!("{base}/f/variants"), json!({"key": "v1"}))
        .await
        .assert_error(400, "variant \"v1\" is not unique");
    api.post(&format!("{base}/f/variants"), json!({"name": "no key"}))
        .await
        .assert_error(400, "invalid field key: must not be empty");
    api.post(&format!("{base}/g/variants"), json!({"key": "v"}))
        .await
        .assert_error(404, "flag \"default/g\" not found");
    api.post(&format!("{base}/f/variants"), json!({"key": "v2", "attachment": "nope"}))
        .await
        .assert_error(400, "invalid field attachment: must be a json string");
    let renamed =
        api.put(&format!("{base}/f/variants/{id}"), json!({"key": "v9", "name": "Nine"})).await;
    assert_eq!(
        (renamed.status, renamed.body["key"].clone(), renamed.body["attachment"].clone()),
        (200, json!("v9"), json!(""))
    );
    api.put(&format!("{base}/f/variants/nope"), json!({"key": "x"}))
        .await
        .assert_error(404, "variant \"nope\" not found");
    assert_eq!(api.delete(&format!("{base}/f/variants/{id}")).await.status, 200);
    assert_eq!(api.get(&format!("{base}/f")).await.body["variants"], json!([]));
}

async fn legacy_routes_target_default(db: &TestDb) {
    let api = Api::new(db);
    api.create("/api/v1/flags", json!({"key": "legacy", "name": "Legacy"})).await;
    api.create("/api/v1/segments", json!({"key": "s", "name": "S"})).await;
    let flag = api.get("/api/v1/namespaces/default/flags/legacy").await.body;
    assert_eq!(flag["namespaceKey"], "default");
    assert_eq!(api.get("/api/v1/flags").await.body["totalCount"], 1);
    assert_eq!(api.get("/api/v1/segments/s").await.body["namespaceKey"], "default");
    api.get("/api/v1/no/such/route").await.assert_error(404, "Not Found");
}
