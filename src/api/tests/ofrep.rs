//! OFREP: configuration, one flag, bulk, and its error codes.

use axum::http::Method;
use serde_json::json;

use crate::testing::{api::Api, fixture::populate, on_both_databases, TestDb};

on_both_databases!(ofrep_routes);

async fn ofrep_routes(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let config = api.get("/ofrep/v1/configuration").await.body;
    assert_eq!(
        config["capabilities"]["flagEvaluation"]["supportedTypes"],
        json!(["string", "boolean"])
    );
    assert_eq!(
        config["capabilities"]["cacheInvalidation"]["polling"]["minPollingIntervalMs"],
        1000
    );

    let team = [("x-flipt-namespace", "team")];
    let body =
        |context: serde_json::Value| serde_json::to_vec(&json!({"context": context})).unwrap();
    let pro = api
        .raw(
            Method::POST,
            "/ofrep/v1/evaluate/flags/checkout",
            &team,
            body(json!({"targetingKey": "x", "plan": "pro", "age": 30})),
        )
        .await;
    assert_eq!(pro.status, 200, "{}", pro.body);
    assert_eq!(
        pro.body,
        json!({"key": "checkout", "reason": "TARGETING_MATCH", "variant": "green", "value": "green",
        "metadata": {"segments": "beta", "attachment": "[1,2,3]"}})
    );
    let dark = api
        .raw(
            Method::POST,
            "/ofrep/v1/evaluate/flags/dark-mode",
            &team,
            body(json!({"targetingKey": "x"})),
        )
        .await
        .body;
    assert_eq!((dark["value"].clone(), dark["variant"].clone()), (json!(true), json!("true")));

    let missing =
        api.raw(Method::POST, "/ofrep/v1/evaluate/flags/nope", &team, body(json!({}))).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["errorCode"], "FLAG_NOT_FOUND");
    let bad = api
        .raw(
            Method::POST,
            "/ofrep/v1/evaluate/flags/checkout",
            &team,
            body(json!({"nested": {"a": 1}})),
        )
        .await;
    assert_eq!((bad.status, bad.body["errorCode"].clone()), (400, json!("INVALID_CONTEXT")));
    let default_ns =
        api.raw(Method::POST, "/ofrep/v1/evaluate/flags/checkout", &[], Vec::new()).await;
    assert_eq!(default_ns.status, 404, "without the header the namespace is default");

    let all_reply = api
        .raw(Method::POST, "/ofrep/v1/evaluate/flags", &team, body(json!({"targetingKey": "x"})))
        .await;
    let all = all_reply.body.clone();
    let keys: Vec<&str> =
        all["flags"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["checkout", "dark-mode"]);
    let named = api
        .raw(Method::POST, "/ofrep/v1/evaluate/flags", &team, body(json!({"flags": "dark-mode"})))
        .await
        .body;
    assert_eq!(named["flags"].as_array().unwrap().len(), 1);
    let failing = api
        .raw(
            Method::POST,
            "/ofrep/v1/evaluate/flags",
            &team,
            body(json!({"flags": "dark-mode,nope"})),
        )
        .await;
    assert_eq!(failing.status, 200, "a failing flag is an item, not a failed call");
    assert_eq!(
        failing.body["flags"][1],
        json!({"key": "nope", "errorCode": "FLAG_NOT_FOUND", "errorDetails": "flag \"team/nope\" not found"})
    );
    assert_eq!(failing.body["flags"][0]["key"], "dark-mode");

    // ETag and If-None-Match: 304 while the answers for this context stay the same.
    let context = body(json!({"targetingKey": "x"}));
    let etag = all_reply.headers["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again = [("x-flipt-namespace", "team"), ("if-none-match", etag.as_str())];
    let unchanged =
        api.raw(Method::POST, "/ofrep/v1/evaluate/flags", &again, context.clone()).await;
    assert_eq!(
        (unchanged.status, unchanged.headers["etag"].to_str().unwrap()),
        (304, etag.as_str())
    );
    let weak = format!("W/{etag}");
    let weakly = [("x-flipt-namespace", "team"), ("if-none-match", weak.as_str())];
    let unchanged =
        api.raw(Method::POST, "/ofrep/v1/evaluate/flags", &weakly, context.clone()).await;
    assert_eq!(unchanged.status, 304, "compared weakly");
    let other = body(json!({"targetingKey": "x", "plan": "pro"}));
    let differs = api.raw(Method::POST, "/ofrep/v1/evaluate/flags", &again, other).await;
    assert_eq!(differs.status, 200, "another answer, another ETag");
    api.put(
        "/api/v1/namespaces/team/flags/dark-mode",
        json!({"name": "Dark mode", "enabled": false}),
    )
    .await;
    let changed = api.raw(Method::POST, "/ofrep/v1/evaluate/flags", &again, context).await;
    assert_eq!(changed.status, 200, "a change to an answer changes the ETag");
    assert_ne!(changed.headers["etag"].to_str().unwrap(), etag);
}
