//! The body limit on every route that reads a body: each REST operation with a request body in
//! the OpenAPI table, every POST server function, and the dashboard's upload. Each answers 413
//! with Flipt's JSON body, whether the size was announced (Content-Length) or found while
//! reading, and nothing changes.

use axum::http::Method;

use crate::{
    api::openapi,
    testing::{api::Api, fixture::populate, integrity::dump, on_both_databases, TestDb},
};

on_both_databases!(an_oversized_body_gets_413_with_flipts_body_on_every_route);

const LIMIT: usize = 2048;

/// Every (method, path) that reads a body, with path parameters filled from the fixture.
fn body_routes() -> Vec<(Method, String)> {
    let mut routes = Vec::new();
    let paths = openapi::document()["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("operations") {
            if operation.get("requestBody").is_none() {
                continue;
            }
            let filled = path
                .replace("{ns}", "team")
                .replace("{flagKey}", "checkout")
                .replace("{segmentKey}", "beta")
                .replace("{key}", "checkout");
            let filled = filled.replace("{ruleId}", "r").replace("{id}", "x");
            routes.push((method.to_uppercase().parse().expect("a method"), filled));
        }
    }
    assert!(routes.len() > 20, "the OpenAPI table lists the body-reading routes: {routes:?}");
    let server_fns: Vec<_> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(_, method)| method == Method::POST)
        .map(|(path, method)| (method, path.to_string()))
        .collect();
    assert!(server_fns.len() > 10, "the server functions are registered: {server_fns:?}");
    routes.extend(server_fns);
    routes.push((Method::POST, "/ui/import".into()));
    routes
}

async fn an_oversized_body_gets_413_with_flipts_body_on_every_route(db: &TestDb) {
    let api = Api::with_body_limit(db, LIMIT);
    populate(&api, "team").await;
    let before = dump(db).await;
    let body = vec![b'x'; LIMIT + 1];
    let length = body.len().to_string();
    for (method, uri) in body_routes() {
        // The upload reads its body only as multipart.
        let media = if uri == "/ui/import" {
            "multipart/form-data; boundary=x"
        } else {
            "application/json"
        };
        for headers in [vec![("content-length", length.as_str())], vec![]] {
            let headers = [headers, vec![("content-type", media)]].concat();
            let reply = api.raw(method.clone(), &uri, &headers, body.clone()).await;
            let announced = headers.len() == 2;
            assert_eq!(
                reply.status, 413,
                "{method} {uri} (length announced: {announced}): {}",
                reply.body
            );
            assert_eq!(reply.body["code"], 8, "{method} {uri}: Flipt's body, got {}", reply.body);
            let message = reply.body["message"].as_str().unwrap_or_default();
            assert!(message.contains("body_limit"), "{method} {uri}: {message}");
        }
    }
    assert_eq!(dump(db).await, before, "refused bodies change nothing");
}
