//! Import: round trip, Flipt's own documents, all-or-nothing failures, and the modes.

use axum::http::Method;
use serde_json::{json, Value};

use crate::{
    store::Backend,
    testing::{api::Api, fixture::populate, integrity::dump, on_both_databases, TestDb},
};

on_both_databases!(
    export_import_export_round_trips,
    flipts_corpus_document_imports_and_evaluates,
    broken_documents_change_nothing,
    a_large_document_within_the_body_limit_imports,
    import_modes
);

async fn import(api: &Api, query: &str, body: &str) -> crate::testing::api::Reply {
    api.raw(Method::POST, &format!("/api/v1/import{query}"), &[], body.as_bytes().to_vec()).await
}

async fn export_json(api: &Api, ns: &str) -> Value {
    api.get(&format!("/api/v1/namespaces/{ns}/export?format=json")).await.body
}

async fn export_import_export_round_trips(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let first = export_json(&api, "team").await;
    let yaml = match api.get("/api/v1/namespaces/team/export").await.body {
        Value::String(text) => text,
        other => panic!("{other}"),
    };
    let empty = match db.store.backend() {
        Backend::Sqlite => TestDb::sqlite().await,
        Backend::Postgres => TestDb::postgres().await,
    };
    let other = Api::new(&empty);
    let reply = import(&other, "", &yaml).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["namespaces"][0]["flagsCreated"], 2);
    assert_eq!(reply.body["namespaces"][0]["segmentsCreated"], 2);
    assert_eq!(
        export_json(&other, "team").await,
        first,
        "export → import → export gives the same document"
    );
    let answer = other.post("/evaluate/v1/variant", json!({"namespaceKey": "team", "flagKey": "checkout", "entityId": "x", "context": {"plan": "pro"}})).await;
    assert_eq!(answer.body["variantKey"], "green", "and it evaluates as before");
}

async fn flipts_corpus_document_imports_and_evaluates(db: &TestDb) {
    let api = Api::new(db);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/end2end/clients/testdata/flipt-test-corpus/features.yml"
    );
    let reply = import(&api, "", &std::fs::read_to_string(path).unwrap()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer = api.post("/evaluate/v1/variant", json!({"flagKey": "flag_variant", "entityId": "some-fixed-entity-id", "context": {"segment1": "segment1"}})).await;
    assert_eq!(
        (answer.body["variantKey"].clone(), answer.body["match"].clone()),
        (json!("variant1"), json!(true))
    );
}

async fn broken_documents_change_nothing(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let valid = "namespace: fresh\nflags:\n  - key: ok\n    name: OK\n";
    let cases: [(&str, String, u16, &str); 10] = [
        // Not Flipt documents at all: refused with what was found, no "imported" history entry.
        ("a Flipt configuration file", "log:\n  level: INFO\nserver:\n  http_port: 8080\n".into(), 400, "top-level keys \"log\", \"server\" are not part of Flipt's format"),
        ("an empty file", "".into(), 400, "the file holds no Flipt document"),
        ("only a version", "version: \"1.4\"\n".into(), 400, "no namespace, flags or segments (found: version)"),
        ("a list", "- key: f\n".into(), 400, "not a Flipt document: expected a mapping"),
        ("bad YAML", "namespace: team\nflags:\n  - key: [oops\n".into(), 400, "line"),
        ("unknown segment", "namespace: fresh\nflags:\n  - key: f\n    name: F\n    rules:\n      - segment: nowhere\n".into(), 404, "segment \"fresh/nowhere\" not found"),
        ("duplicate keys", "namespace: fresh\nflags:\n  - {key: f, name: F}\n  - {key: f, name: G}\n".into(), 400, "appears twice"),
        ("unknown enum", "namespace: fresh\nflags:\n  - {key: f, name: F, type: TRISTATE_FLAG_TYPE}\n".into(), 400, "invalid flag type"),
        ("existing key", "namespace: team\nflags:\n  - {key: checkout, name: Again}\n".into(), 400, "flag \"team/checkout\" is not unique"),
        ("second document fails", format!("{valid}---\nnamespace: team\nsegments:\n  - {{key: beta, name: B, match_type: ALL_MATCH_TYPE}}\n"), 400, "document 2"),
    ];
    for (what, body, status, needle) in cases {
        let before = dump(db).await;
        let reply = import(&api, "", &body).await;
        assert_eq!(reply.status, status, "{what}: {}", reply.body);
        assert!(
            reply.body["message"].as_str().unwrap_or_default().contains(needle),
            "{what}: {}",
            reply.body
        );
        assert_eq!(before, dump(db).await, "{what} changed the database");
    }
    api.post("/api/v1/import?mode=sometimes", json!({})).await.assert_error(
        400,
        "invalid field mode: \"sometimes\" (expected create-only, skip-existing or replace)",
    );
}

/// A document of 10,000 flags (2.2 MB) is within the default `body_limit` (4 MiB) and
/// imports; axum's own 2 MiB extractor limit must not cut in first.
async fn a_large_document_within_the_body_limit_imports(db: &TestDb) {
    let api = Api::new(db);
    let mut text = String::from("version: \"1.4\"\nnamespace: big\nflags:\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "  - key: flag-{i:05}\n    name: Flag number {i:05} of the large import\n    description: One of ten thousand flags imported in a single request, 2.2 MB in all\n    enabled: true\n    variants:\n      - key: on\n      - key: off\n"
        ));
    }
    assert!(text.len() > 2_200_000, "{} bytes: over axum's 2 MiB default", text.len());
    api.post("/api/v1/namespaces", json!({"key": "big", "name": "Big"})).await;
    let reply = import(&api, "", &text).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let listed = api.get("/api/v1/namespaces/big/flags?limit=1").await;
    assert_eq!(listed.body["totalCount"], 10_000, "{}", listed.body);
}

async fn import_modes(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let doc = "namespace: team\nflags:\n  - {key: checkout, name: Replaced}\n  - {key: brand-new, name: New}\nsegments:\n  - {key: beta, name: B, match_type: ALL_MATCH_TYPE}\n";

    let before = dump(db).await;
    let dry = import(&api, "?mode=replace&dryRun=true", doc).await;
    assert_eq!(
        (dry.status, dry.body["dryRun"].clone(), dry.body["namespaces"][0]["replaced"].clone()),
        (200, json!(true), json!(true))
    );
    assert_eq!(before, dump(db).await, "a dry run changes nothing");

    let skip = import(&api, "?mode=skip-existing", doc).await.body;
    assert_eq!(
        json!([
            skip["namespaces"][0]["flagsCreated"],
            skip["namespaces"][0]["flagsSkipped"],
            skip["namespaces"][0]["segmentsSkipped"]
        ]),
        json!([1, 1, 1])
    );
    assert_eq!(
        api.get("/api/v1/namespaces/team/flags/checkout").await.body["name"],
        "Checkout",
        "kept as it was"
    );

    let replaced = import(&api, "?mode=replace", doc).await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    let flags = api.get("/api/v1/namespaces/team/flags").await.body;
    assert_eq!(flags["totalCount"], 2);
    assert_eq!(flags["flags"][0]["name"], "Replaced");
    assert_eq!(
        api.get("/api/v1/namespaces/team/segments/staff").await.status,
        404,
        "replace removed what the document lacks"
    );
    let changes =
        api.get("/api/v1/namespaces/team/changes?resourceType=namespace&limit=1").await.body;
    assert_eq!(changes["changes"][0]["action"], "imported");
}
