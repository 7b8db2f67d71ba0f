//! Concurrent editors: with the same version, exactly one write wins and the rest get 409.

use std::sync::Arc;

use axum::http::Method;
use serde_json::json;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(concurrent_edits_with_one_version_let_exactly_one_win);

async fn concurrent_edits_with_one_version_let_exactly_one_win(db: &TestDb) {
    let api = Arc::new(Api::new(db));
    api.create("/api/v1/namespaces", json!({"key": "race", "name": "Race"})).await;
    api.create("/api/v1/namespaces/race/flags", json!({"key": "f", "name": "F"})).await;
    api.create("/api/v1/namespaces/race/segments", json!({"key": "s", "name": "S"})).await;
    for uri in [
        "/api/v1/namespaces/race",
        "/api/v1/namespaces/race/flags/f",
        "/api/v1/namespaces/race/segments/s",
    ] {
        let writers = (0..8).map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                let body = format!(r#"{{"name":"writer {i}"}}"#).into_bytes();
                api.raw(Method::PUT, uri, &[("if-match", "\"1\"")], body).await
            })
        });
        let mut statuses = Vec::new();
        let mut winner = None;
        for writer in writers {
            let reply = writer.await.unwrap();
            if reply.status == 200 {
                winner = Some(reply.body["name"].clone());
            }
            statuses.push(reply.status);
        }
        statuses.sort();
        assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409], "{uri}");
        let stored = api.get(uri).await.body;
        assert_eq!(stored["version"], 2, "{uri}: one update, one version step");
        assert_eq!(Some(stored["name"].clone()), winner, "{uri}: the stored name is the winner's");
    }
}
