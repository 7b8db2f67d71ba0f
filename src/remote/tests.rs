//! Import and export over real HTTP: a served Vexil (router on 127.0.0.1) as the remote, read
//! and written through Flipt's REST API (the replay path) and through Vexil's import endpoint.

use axum::{body::Body, http::Request};
use serde_json::json;

use super::{replay::replay, status_of, Remote};
use crate::{
    document::{parse, to_yaml_stream},
    service::{ImportMode, Service},
    testing::{api::Api, fixture::populate, integrity::dump, on_both_databases, TestDb},
};

on_both_databases!(
    export_over_rest_equals_the_local_export,
    replaying_through_the_rest_api_rebuilds_the_namespace,
    a_vexil_remote_imports_all_or_nothing
);

/// Serves `db`'s whole application on an ephemeral port; returns its base URL.
async fn serve(db: &TestDb) -> String {
    let settings = crate::testing::api::test_settings(4 * 1024 * 1024);
    let service = std::sync::Arc::new(Service::new(db.store.clone()));
    let state = crate::startup::AppState {
        leptos_options: crate::startup::leptos_options(&settings),
        service,
    };
    let app = crate::startup::normalized(crate::startup::router(state, &settings));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, axum::ServiceExt::<Request<Body>>::into_make_service(app)).await
    });
    format!("http://{address}")
}

async fn local_export(db: &TestDb, ns: &str) -> String {
    let documents =
        Service::new(db.store.clone()).export(Some(&[ns.to_string()]), false).await.unwrap();
    to_yaml_stream(&documents).unwrap()
}

async fn export_over_rest_equals_the_local_export(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    populate(&api, "default").await;
    let remote = Remote::new(&serve(db).await, Some(api.admin_token().await)).unwrap();
    for ns in ["team", "default"] {
        let documents = remote.export(Some(&[ns.to_string()]), false).await.unwrap();
        assert_eq!(to_yaml_stream(&documents).unwrap(), local_export(db, ns).await, "{ns}");
    }
    let all = remote.export(None, true).await.unwrap();
    assert_eq!(all.iter().map(|d| d.namespace.key()).collect::<Vec<_>>(), ["default", "team"]);
    let missing = remote.export(Some(&["nowhere".to_string()]), false).await.unwrap_err();
    assert!(missing.to_string().contains("namespace \"nowhere\" not found"), "{missing}");
}

async fn replaying_through_the_rest_api_rebuilds_the_namespace(db: &TestDb) {
    let source = db.fresh().await;
    populate(&Api::new(&source), "team").await;
    let yaml = local_export(&source, "team").await;
    let documents = parse(&yaml, false).unwrap();
    let token = Api::new(db).admin_token().await;
    let remote = Remote::new(&serve(db).await, Some(token)).unwrap();
    let counted = std::sync::atomic::AtomicU64::new(0);
    let tick = |n: u64| {
        counted.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    };

    let empty = dump(db).await;
    let dry = replay(&remote, &documents, ImportMode::CreateOnly, true, &tick).await.unwrap();
    assert!(dry[0].namespace_created && dry[0].flags_created == 2, "{dry:?}");
    assert_eq!(dump(db).await, empty, "a dry run writes nothing");

    let done = replay(&remote, &documents, ImportMode::CreateOnly, false, &tick).await.unwrap();
    assert_eq!((done[0].flags_created, done[0].segments_created), (2, 2));
    assert_eq!(counted.load(std::sync::atomic::Ordering::Relaxed), 4, "one tick per object");
    assert_eq!(local_export(db, "team").await, yaml, "the replayed namespace exports the same");

    let before = dump(db).await;
    let again =
        replay(&remote, &documents, ImportMode::CreateOnly, false, &tick).await.unwrap_err();
    assert!(again.to_string().contains("is not unique"), "{again}");
    assert_eq!(dump(db).await, before, "a conflict is found before the first write");
    let skipped =
        replay(&remote, &documents, ImportMode::SkipExisting, false, &tick).await.unwrap();
    assert_eq!((skipped[0].flags_skipped, skipped[0].segments_skipped), (2, 2));
    let replace = replay(&remote, &documents, ImportMode::Replace, false, &tick).await.unwrap_err();
    assert!(replace.to_string().contains("--replace needs a Vexil server"), "{replace}");
    assert_eq!(dump(db).await, before);
}

async fn a_vexil_remote_imports_all_or_nothing(db: &TestDb) {
    let base = format!("{}/", serve(db).await);
    let wrong = Remote::new(&base, Some("not-a-token".into())).unwrap();
    let refused = wrong.is_vexil().await.unwrap_err().to_string();
    assert!(refused.contains("401") || refused.contains("not authenticated"), "{refused}");
    let remote = Remote::new(&base, Some(Api::new(db).admin_token().await)).unwrap();
    assert!(remote.is_vexil().await.unwrap());
    let good = "namespace: {key: ops, name: Ops}\nsegments:\n  - {key: s, name: S}\nflags:\n  - key: f\n    name: F\n    enabled: true\n    variants: [{key: on}]\n    rules:\n      - segment: s\n        distributions: [{variant: on, rollout: 100}]\n";
    let documents = parse(good, false).unwrap();
    let summaries = remote
        .import(good, false, &documents, ImportMode::CreateOnly, false, &|_| {})
        .await
        .unwrap();
    assert!(summaries[0].namespace_created && summaries[0].flags_created == 1, "{summaries:?}");
    let answer = Api::new(db)
        .post(
            "/evaluate/v1/variant",
            json!({"namespaceKey": "ops", "flagKey": "f", "entityId": "e"}),
        )
        .await;
    assert_eq!(answer.body["variantKey"], "on", "{}", answer.body);

    let before = dump(db).await;
    let broken = format!("{good}---\nnamespace: more\nflags:\n  - key: g\n    name: G\n    rules:\n      - segment: nowhere\n");
    let documents = parse(&broken, false).unwrap();
    let error = remote
        .import(&broken, false, &documents, ImportMode::SkipExisting, false, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), Some(reqwest::StatusCode::NOT_FOUND), "{error}");
    assert!(error.to_string().contains("segment \"more/nowhere\" not found"), "{error}");
    assert_eq!(dump(db).await, before, "the failed second document undid the first");

    let refused = Remote::new("ftp://example", None).err().unwrap().to_string();
    assert!(refused.contains("http:// or https://"), "{refused}");
}
