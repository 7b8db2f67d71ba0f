//! Snapshots and restore: each destructive operation is reversible, and a restore brings back
//! exactly the earlier state (compared as exported documents).

use std::time::Duration;

use app::domain::{FlagInput, NamespaceInput};
use serde_json::{json, Value};

use crate::{
    service::{Retention, Service},
    testing::{api::Api, fixture::populate, on_both_databases, TestDb},
};

on_both_databases!(
    restore_undoes_a_namespace_delete,
    restore_undoes_a_replacing_import_and_edits,
    automatic_snapshots_follow_the_retention,
);

async fn export(api: &Api, ns: &str) -> Value {
    api.get(&format!("/api/v1/namespaces/{ns}/export?format=json")).await.body
}

async fn newest(api: &Api, ns: &str) -> Value {
    api.get(&format!("/api/v1/snapshots?namespace={ns}&limit=1")).await.body["snapshots"][0].clone()
}

async fn restore_undoes_a_namespace_delete(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let original = export(&api, "team").await;
    assert_eq!(api.delete("/api/v1/namespaces/team?force=true").await.status, 200);
    let saved = newest(&api, "team").await;
    assert_eq!(
        (saved["reason"].clone(), saved["automatic"].clone()),
        (json!("before namespace delete"), json!(true))
    );
    let id = saved["id"].as_str().unwrap();
    let yaml = api.get(&format!("/api/v1/snapshots/{id}?format=yaml")).await.body;
    assert!(yaml.as_str().is_some_and(|y| y.contains("checkout")), "downloadable as a document");

    let restored = api.post(&format!("/api/v1/snapshots/{id}/restore"), json!({})).await;
    assert_eq!(restored.status, 200, "{}", restored.body);
    assert_eq!(export(&api, "team").await, original, "every flag and segment is back");
    let answer = api.post("/evaluate/v1/variant", json!({"namespaceKey": "team", "flagKey": "checkout", "entityId": "x", "context": {"plan": "pro"}})).await;
    assert_eq!(answer.body["variantKey"], "green", "and evaluates as before");
    let log = api.get("/api/v1/namespaces/team/changes?resourceType=namespace&limit=1").await.body;
    assert_eq!(log["changes"][0]["action"], "restored");
    api.post("/api/v1/snapshots/nope/restore", json!({}))
        .await
        .assert_error(404, "snapshot \"nope\" not found");
    api.post("/api/v1/snapshots", json!({}))
        .await
        .assert_error(400, "invalid field namespace: must not be empty");
}

async fn restore_undoes_a_replacing_import_and_edits(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let original = export(&api, "team").await;
    let body = b"namespace: team\nflags:\n  - {key: only, name: Only}\n".to_vec();
    let replaced =
        api.raw(axum::http::Method::POST, "/api/v1/import?mode=replace", &[], body).await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    let saved = newest(&api, "team").await;
    assert_eq!(saved["reason"], "before replacing import");
    api.post(&format!("/api/v1/snapshots/{}/restore", saved["id"].as_str().unwrap()), json!({}))
        .await;
    assert_eq!(export(&api, "team").await, original, "the import is undone");

    let manual = api
        .create("/api/v1/snapshots", json!({"namespace": "team", "reason": "before the edits"}))
        .await;
    assert_eq!(
        (manual["automatic"].clone(), manual["reason"].clone()),
        (json!(false), json!("before the edits"))
    );
    api.put("/api/v1/namespaces/team", json!({"name": "Renamed", "description": "changed"})).await;
    api.put("/api/v1/namespaces/team/flags/checkout", json!({"name": "Changed", "enabled": false}))
        .await;
    api.delete("/api/v1/namespaces/team/flags/dark-mode").await;
    api.create("/api/v1/namespaces/team/segments", json!({"key": "extra", "name": "Extra"})).await;
    assert_ne!(export(&api, "team").await, original);
    let restored = api
        .post(&format!("/api/v1/snapshots/{}/restore", manual["id"].as_str().unwrap()), json!({}))
        .await;
    assert_eq!(restored.status, 200, "{}", restored.body);
    assert_eq!(export(&api, "team").await, original, "names, flags and segments are as they were");
    assert_eq!(
        newest(&api, "team").await["reason"],
        "before restore",
        "and the restore itself is reversible"
    );
}

async fn automatic_snapshots_follow_the_retention(db: &TestDb) {
    let service = Service::new(db.store.clone())
        .with_retention(Retention { keep: 2, max_age: Duration::from_secs(3600) });
    service
        .create_namespace(NamespaceInput {
            key: "r".into(),
            name: "R".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..5 {
        let key = format!("f{i}");
        service
            .create_flag(
                "r",
                FlagInput { key: key.clone(), name: key.clone(), ..Default::default() },
            )
            .await
            .unwrap();
        service.delete_flag("r", &key, None).await.unwrap();
    }
    let kept = service.list_snapshots(Some("r"), Default::default()).await.unwrap();
    assert_eq!(kept.total_count, 2, "only the newest automatic snapshots stay");
    assert_eq!(kept.items[0].reason, "before deleting flag f4");
    service.delete_flag("r", "never-existed", None).await.unwrap();
    assert_eq!(
        service.list_snapshots(Some("r"), Default::default()).await.unwrap().items[0].reason,
        "before deleting flag f4",
        "deleting nothing saves nothing"
    );
}
