//! The whole router, driven with `oneshot` requests on both databases.

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::*;
use crate::testing::{on_both_databases, TestDb};

fn app(db: &TestDb) -> Router {
    let settings = Settings::for_tests("sqlite://unused.db", 4 * 1024 * 1024);
    let service = Arc::new(Service::new(db.store.clone()));
    router(AppState { leptos_options: leptos_options(&settings), service }, &settings)
}

/// A viewer token for `db`, made as the command line would.
async fn viewer(db: &TestDb) -> String {
    let service = Service::new(db.store.clone());
    let new = crate::service::NewToken {
        name: "startup-test".into(),
        role: Some(app::domain::Role::Viewer),
        ..Default::default()
    };
    service.create_token(new).await.expect("a token").0
}

async fn get(app: &Router, uri: &str, token: Option<&str>) -> (u16, axum::http::HeaderMap, String) {
    let mut request = Request::get(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

on_both_databases!(
    health_answers_serving_with_a_request_id,
    the_dashboard_renders_namespaces_on_the_server,
    the_namespace_server_function_returns_json,
    unknown_pages_are_404,
);

async fn health_answers_serving_with_a_request_id(db: &TestDb) {
    let (status, headers, body) = get(&app(db), "/health", None).await;
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"status":"SERVING"}"#);
    assert!(headers.get("x-request-id").is_some(), "every response carries its request id");
}

async fn the_dashboard_renders_namespaces_on_the_server(db: &TestDb) {
    let (status, headers, _) = get(&app(db), "/", None).await;
    assert_eq!(status, 303, "a page without a credential sends the browser to sign in");
    assert_eq!(headers["location"], "/login?next=%2F");
    let (status, headers, html) = get(&app(db), "/", Some(&viewer(db).await)).await;
    assert_eq!(status, 200);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    // Complete HTML, not a streamed placeholder: readable without JavaScript.
    assert!(html.contains("<code>default</code>"), "{html}");
    assert!(html.contains("Default namespace"));
    assert!(!html.contains("Loading namespaces"));
    // And it loads the hydration bundle.
    assert!(html.contains("/pkg/vexil.js"));
}

async fn the_namespace_server_function_returns_json(db: &TestDb) {
    let (status, _, body) = get(&app(db), "/ui/namespaces/list", None).await;
    assert_eq!(status, 401, "{body}");
    let (status, _, body) = get(&app(db), "/ui/namespaces/list", Some(&viewer(db).await)).await;
    assert_eq!(status, 200, "{body}");
    let list: Vec<app::domain::Namespace> = serde_json::from_str(&body).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].key, "default");
    assert!(list[0].protected);
}

async fn unknown_pages_are_404(db: &TestDb) {
    let (status, _, html) = get(&app(db), "/no/such/page", Some(&viewer(db).await)).await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}
