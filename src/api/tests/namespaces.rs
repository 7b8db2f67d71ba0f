//! `/api/v1/namespaces`: success and every error case.

use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(
    namespace_routes,
    namespace_pages_follow_flipts_tokens,
    namespace_force_delete_takes_everything
);

async fn namespace_routes(db: &TestDb) {
    let api = Api::new(db);
    let created = api
        .create("/api/v1/namespaces", json!({"key": "team", "name": "Team", "description": "d"}))
        .await;
    assert_eq!(created["protected"], false);
    assert_eq!(created["version"], 1);
    api.post("/api/v1/namespaces", json!({"key": "team", "name": "Again"}))
        .await
        .assert_error(400, "namespace \"team\" is not unique");
    api.post("/api/v1/namespaces", json!({"key": "", "name": "x"}))
        .await
        .assert_error(400, "invalid field key: must not be empty");
    api.post("/api/v1/namespaces", json!({"key": "ok", "name": null}))
        .await
        .assert_error(400, "invalid field name: must not be empty");

    let reply = api.get("/api/v1/namespaces/team/").await;
    assert_eq!(reply.status, 200, "trailing slash is stripped");
    assert_eq!(reply.headers["etag"], "\"1\"");
    api.get("/api/v1/namespaces/nope").await.assert_error(404, "namespace \"nope\" not found");

    let updated = api
        .put(
            "/api/v1/namespaces/team",
            json!({"name": "Team A", "description": "e", "key": "ignored"}),
        )
        .await;
    assert_eq!(
        (updated.status, updated.body["key"].clone(), updated.body["version"].clone()),
        (200, json!("team"), json!(2))
    );
    api.put("/api/v1/namespaces/nope", json!({"name": "x"}))
        .await
        .assert_error(404, "namespace \"nope\" not found");
    api.put("/api/v1/namespaces/team", json!({"description": "no name"}))
        .await
        .assert_error(400, "invalid field name: must not be empty");
    let stale = api.put("/api/v1/namespaces/team", json!({"name": "Late", "version": 1})).await;
    assert_eq!(stale.status, 409);
    assert_eq!(stale.body["details"][0]["current"]["name"], "Team A");
    assert_eq!(stale.body["details"][0]["currentVersion"], 2);

    let list = api.get("/api/v1/namespaces").await.body;
    assert_eq!(list["totalCount"], 2);
    assert_eq!(list["namespaces"][0]["key"], "default");
    assert_eq!(list["nextPageToken"], "");

    api.delete("/api/v1/namespaces/default")
        .await
        .assert_error(400, "namespace \"default\" is protected");
    api.delete("/api/v1/namespaces/nope").await.assert_error(404, "namespace \"nope\" not found");
    let stale = api
        .raw(
            axum::http::Method::DELETE,
            "/api/v1/namespaces/team",
            &[("if-match", "\"1\"")],
            Vec::new(),
        )
        .await;
    assert_eq!(stale.status, 409);
    api.create("/api/v1/namespaces/team/flags", json!({"key": "f", "name": "F"})).await;
    api.delete("/api/v1/namespaces/team")
        .await
        .assert_error(400, "namespace \"team\" cannot be deleted; flags must be deleted first");
    api.delete("/api/v1/namespaces/team/flags/f").await;
    let deleted = api.delete("/api/v1/namespaces/team").await;
    assert_eq!((deleted.status, deleted.body.clone()), (200, json!({})));
    api.get("/api/v1/namespaces/team").await.assert_error(404, "namespace \"team\" not found");
}

async fn namespace_pages_follow_flipts_tokens(db: &TestDb) {
    let api = Api::new(db);
    for i in 0..5 {
        api.create("/api/v1/namespaces", json!({"key": format!("ns-{i}"), "name": "N"})).await;
    }
    let first = api.get("/api/v1/namespaces?limit=2").await.body;
    assert_eq!(first["namespaces"].as_array().unwrap().len(), 2);
    assert_eq!(first["totalCount"], 6);
    let token = first["nextPageToken"].as_str().unwrap().to_string();
    let second = api.get(&format!("/api/v1/namespaces?limit=2&page_token={token}")).await.body;
    assert_eq!(second["namespaces"][0]["key"], "ns-1");
    let last = api.get("/api/v1/namespaces?limit=2&offset=4").await.body;
    assert_eq!(last["nextPageToken"], "");
    assert_eq!(last["namespaces"][1]["key"], "ns-4");
    let all = api.get("/api/v1/namespaces?limit=0&offset=0&pageToken=&reference=").await.body;
    assert_eq!(
        all["namespaces"].as_array().unwrap().len(),
        6,
        "Flipt's CLI sends empty parameters"
    );
}

async fn namespace_force_delete_takes_everything(db: &TestDb) {
    let api = Api::new(db);
    crate::testing::fixture::populate(&api, "team").await;
    let deleted = api.delete("/api/v1/namespaces/team?force=true").await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    let dump = crate::testing::integrity::dump(db).await;
    for (table, rows) in &dump {
        let left =
            rows.iter().filter(|r| r.get("namespace_key").is_some_and(|k| k == "team")).count();
        assert_eq!(left, 0, "{table} kept rows of the deleted namespace");
    }
    assert_eq!(
        dump["rule_segments"].len() + dump["distributions"].len() + dump["rollout_segments"].len(),
        0
    );
}
