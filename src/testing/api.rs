//! An HTTP client over the real router (`startup::router`, normalised as served), for tests.

use std::sync::Arc;

use axum::{
    body::Body,
    http::{HeaderMap, Method, Request},
    Router,
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use tower_http::normalize_path::NormalizePath;

use super::TestDb;
use crate::{
    config::Settings,
    service::Service,
    startup::{leptos_options, normalized, router, AppState},
};

/// Settings for an in-process app; only the body limit matters here.
pub fn test_settings(body_limit: usize) -> Settings {
    Settings::for_tests("sqlite://unused.db", body_limit)
}

/// A response: status, headers and the body parsed as JSON (`Value::String` if it is not).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

/// Whose credential a request carries.
#[derive(Clone, Debug)]
enum Who {
    /// An admin token made for the test on first use.
    Admin,
    Nobody,
    Bearer(String),
}

/// Sends requests to the whole application, by default with an admin token.
#[derive(Clone)]
pub struct Api {
    app: NormalizePath<Router>,
    pub service: Arc<Service>,
    admin: Arc<tokio::sync::OnceCell<String>>,
    who: Who,
}

impl Api {
    pub fn new(db: &TestDb) -> Self {
        Self::with_body_limit(db, 4 * 1024 * 1024)
    }

    pub fn with_body_limit(db: &TestDb, body_limit: usize) -> Self {
        let settings = test_settings(body_limit);
        let service = Arc::new(Service::new(db.store.clone()));
        let state =
            AppState { leptos_options: leptos_options(&settings), service: service.clone() };
        Api {
            app: normalized(router(state, &settings)),
            service,
            admin: Arc::default(),
            who: Who::Admin,
        }
    }

    /// The same application, requests carrying no credential.
    pub fn anonymous(&self) -> Api {
        Api { who: Who::Nobody, ..self.clone() }
    }

    /// The same application, requests carrying `Authorization: Bearer <token>`.
    pub fn bearer(&self, token: &str) -> Api {
        Api { who: Who::Bearer(token.to_string()), ..self.clone() }
    }

    /// The test's admin token (created in the database on first use).
    pub async fn admin_token(&self) -> String {
        let service = self.service.clone();
        self.admin
            .get_or_init(|| async move {
                let new = crate::service::NewToken {
                    name: "test-admin".into(),
                    role: Some(app::domain::Role::Admin),
                    ..Default::default()
                };
                super::as_owner(service.create_token(new)).await.expect("a test admin token").0
            })
            .await
            .clone()
    }

    /// A new token with `role`, over `namespace` (or all), made by the test's owner.
    pub async fn token(&self, role: app::domain::Role, namespace: Option<&str>) -> String {
        let new = crate::service::NewToken {
            name: format!("test-{}", role.as_str()),
            role: Some(role),
            namespace_key: namespace.unwrap_or_default().to_string(),
            ..Default::default()
        };
        super::as_owner(self.service.create_token(new)).await.expect("a test token").0
    }

    /// A GET whose answer is read as it arrives (a stream): its status, headers and body.
    pub async fn open(&self, uri: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, Body) {
        let mut request = Request::builder().method(Method::GET).uri(uri);
        if let Who::Admin = self.who {
            request =
                request.header("authorization", format!("Bearer {}", self.admin_token().await));
        }
        if let Who::Bearer(token) = &self.who {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response =
            self.app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.into_body())
    }

    /// Sends raw bytes with the given headers.
    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        let explicit = headers.iter().any(|(name, _)| {
            name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie")
        });
        let bearer = match &self.who {
            _ if explicit => None,
            Who::Admin => Some(self.admin_token().await),
            Who::Bearer(token) => Some(token.clone()),
            Who::Nobody => None,
        };
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response =
            self.app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Reply { status, headers, body }
    }

    /// Sends JSON without a Content-Type, as Flipt's Node SDK does.
    pub async fn send(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default();
        self.raw(method, uri, &[], bytes).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None).await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        self.send(Method::POST, uri, Some(body)).await
    }

    pub async fn put(&self, uri: &str, body: Value) -> Reply {
        self.send(Method::PUT, uri, Some(body)).await
    }

    pub async fn delete(&self, uri: &str) -> Reply {
        self.send(Method::DELETE, uri, None).await
    }

    /// POST that must succeed; returns the body.
    pub async fn create(&self, uri: &str, body: Value) -> Value {
        let reply = self.post(uri, body).await;
        assert_eq!(reply.status, 200, "POST {uri}: {}", reply.body);
        reply.body
    }
}

impl Reply {
    /// Asserts Flipt's error body with this status, gRPC code and message.
    pub fn assert_error(&self, status: u16, message: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["message"], message, "{}", self.body);
        let keys: Vec<&String> = self.body.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["code", "message", "details"], "exactly Flipt's three keys");
    }
}
