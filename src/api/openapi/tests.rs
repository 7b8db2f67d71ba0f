//! The OpenAPI document against the router.

use axum::http::Method;
use serde_json::Value;

use crate::testing::{api::Api, TestDb};

/// Every route the router declares (from its source) is documented, except the dashboard's
/// form posts, the sign-in page, Flipt's `/auth/v1` (documented in the README; fuzzing it
/// would revoke the fuzzer's own token) and the catch-alls.
#[test]
fn every_route_is_documented() {
    let source = include_str!("../mod.rs");
    let documented: Vec<&String> = super::document()["paths"].as_object().unwrap().keys().collect();
    let mut routes = 0;
    for piece in source.split(".route(\"").skip(1) {
        let route = &piece[..piece.find('"').unwrap()];
        let not_api = route.starts_with("/ui/")
            || route.starts_with("/auth/")
            || route == "/login"
            || route == "/logout";
        if not_api || route.contains('*') {
            continue;
        }
        routes += 1;
        assert!(documented.iter().any(|path| path.ends_with(route)), "{route} is not documented");
    }
    assert!(routes >= 30, "found the routes ({routes})");
}

/// Every documented operation is routed: never 405, never the unknown-route answer.
#[tokio::test]
async fn every_documented_operation_is_routed() {
    let db = TestDb::sqlite().await;
    let api = Api::new(&db);
    for (path, methods) in super::document()["paths"].as_object().unwrap() {
        let uri = path.replace("{ns}", "default").replace(['{', '}'], "");
        for method in methods.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let reply = api.raw(method.clone(), &uri, &[], b"{}".to_vec()).await;
            assert_ne!(reply.status, 405, "{method} {path}");
            let unknown = reply.status == 404
                && (reply.body["message"] == "Not Found"
                    || reply.body == Value::String(String::new()));
            assert!(!unknown, "{method} {path} is not routed: {}", reply.body);
        }
    }
    let document = super::document();
    assert_eq!(document["openapi"], "3.0.3");
    let text = document.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(
            document["components"]["schemas"].get(name).is_some(),
            "{name} is referenced but not defined"
        );
    }
}
