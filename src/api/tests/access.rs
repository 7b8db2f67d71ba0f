//! The route table: every REST route (read from `api/mod.rs`, so a new route without a rule
//! fails here) and every server function (from the registry the router serves) is asked by
//! each kind of caller: nobody, a malformed, an expired or a revoked token, each role, and an
//! admin token scoped to another namespace. Each refusal has Flipt's status and body and leaves
//! the whole database, tokens and change log included, exactly as it was.

use app::domain::Role;
use axum::http::Method;
use serde_json::json;

use crate::testing::{
    api::Api, fixture::populate, integrity::dump_everything, on_both_databases, TestDb,
};

on_both_databases!(every_route_refuses_whom_it_must, no_secret_is_stored_in_plain);

/// What a route needs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rule {
    Public,
    /// Any authenticated caller (who am I, sign out).
    Anyone,
    Evaluate,
    Read,
    Write,
    /// Administrator of the route's namespace.
    Admin,
    /// Administrator of every namespace.
    AdminAll,
}

/// The rule of each REST route, by method and path template as `api/mod.rs` writes them.
fn rest_rule(method: &str, path: &str) -> Option<Rule> {
    use Rule::*;
    let rule = match (method, path) {
        ("GET", "/health")
        | ("GET", "/auth/v1/method")
        | ("GET", "/login")
        | ("POST", "/login") => Public,
        ("POST", "/logout") => Public,
        // Its credential is in the URL (EventSource sends no header); the route checks it.
        ("GET", "/ofrep/v1/_stream/{env}/{ns}/events") => Public,
        // Public, as Flipt's: the service-account token is the credential.
        ("POST", "/auth/v1/method/kubernetes/serviceaccount") => Public,
        (
            "GET",
            "/auth/v1/method/oidc/{provider}/authorize"
            | "/auth/v1/method/oidc/{provider}/callback",
        ) => Public,
        ("GET", "/auth/v1/self") | ("PUT", "/auth/v1/self/expire") => Anyone,
        ("POST", "/auth/v1/method/token")
        | (_, "/auth/v1/tokens")
        | (_, "/auth/v1/tokens/{id}") => AdminAll,
        (_, "/auth/v1/{*rest}") | (_, "/api/v1/{*rest}") => Anyone,
        // `metrics_public` is on by default, as in Flipt (scrapers send no credential).
        ("GET", "/metrics") => Public,
        ("GET", "/meta/info") | ("GET", "/meta/config") | ("GET", "/api/v1/openapi.json") => Read,
        (_, p) if p.starts_with("/evaluate/v1/") || p.starts_with("/ofrep/v1/") => Evaluate,
        (_, p) if p.starts_with("/internal/v1/evaluation/snapshot/") => Evaluate,
        (_, p) if p.starts_with("/client/v2/") => Evaluate,
        (_, p) if p.ends_with("/evaluate") || p.ends_with("/batch-evaluate") => Evaluate,
        ("POST", "/api/v1/namespaces") => AdminAll,
        ("GET", "/api/v1/namespaces") | ("GET", "/api/v1/namespaces/{ns}") => Read,
        (_, "/api/v1/namespaces/{ns}") => Admin,
        (_, p) if p.starts_with("/api/v1/snapshots") => AdminAll,
        ("POST", "/api/v1/import") | ("POST", "/ui/import") => Write,
        ("POST", "/ui/access/tokens/create") => AdminAll,
        ("GET", _) => Read,
        ("POST" | "PUT" | "DELETE", _) => Write,
        _ => return None,
    };
    Some(rule)
}

/// `(method, path)` of every `.route(…)` in `api/mod.rs`, with the nested resource routes
/// under both of their prefixes (rollouts, changes and export only under a namespace).
fn rest_routes() -> Vec<(String, String)> {
    let source = include_str!("../mod.rs");
    let (main, nested) = source.split_once("fn resources(").expect("the resources() routes");
    let nested_rollouts_from = nested.find("if !with_rollouts").expect("the rollout routes");
    let mut routes = Vec::new();
    for (text, prefixes) in [
        (main, vec![""]),
        (&nested[..nested_rollouts_from], vec!["/api/v1/namespaces/{ns}", "/api/v1"]),
        (&nested[nested_rollouts_from..], vec!["/api/v1/namespaces/{ns}"]),
    ] {
        for chunk in text.split(".route(").skip(1) {
            let path = chunk.split('"').nth(1).expect("a quoted path");
            let call = &chunk[..chunk.find("\n        .").unwrap_or(chunk.len())];
            for method in ["get", "post", "put", "delete", "any"] {
                let used =
                    call.contains(&format!("{method}(")) && !call.contains(&format!("_{method}("));
                if used {
                    let method = if method == "any" { "POST" } else { method };
                    for prefix in &prefixes {
                        routes.push((method.to_uppercase(), format!("{prefix}{path}")));
                    }
                }
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

/// A concrete path for a template, aimed at the fixture in namespace `acc`.
fn concrete(template: &str) -> String {
    template
        .replace("{ns}", "acc")
        // An environment that does not exist: a stream let in would otherwise never end.
        .replace("{env}", "no-such-environment")
        .replace("{key}", "acc")
        .replace("{flagKey}", "checkout")
        .replace("{segmentKey}", "beta")
        .replace("{ruleId}", "no-such-rule")
        .replace("{id}", "no-such-id")
        .replace("{*rest}", "no/such/route")
}

/// Every argument any server function takes, so each call parses and reaches the service
/// (unknown fields are ignored).
const FORM: &str = "namespace=acc&key=checkout&version=1&flag_key=checkout&segment_key=beta\
    &variant_key=v9&id=no-such-id&target=other&what=rules&ids[0]=no-such-id&kind=threshold\
    &theme=dark&comparison_type=STRING_COMPARISON_TYPE&property=p&operator=eq&name=N\
    &description=&search=&sort=key&descending=false&page=1&flag_type=VARIANT_FLAG_TYPE&offset=0";

/// The rule of every server function, by endpoint.
fn server_fn_rule(path: &str) -> Option<Rule> {
    use Rule::*;
    let rule = match path.strip_prefix("/ui/")? {
        "preferences/theme" | "access/tokens/new" => Anyone,
        "namespaces/list" | "namespaces/version" | "changes/list" => Read,
        "namespaces/create" => AdminAll,
        "namespaces/update" | "namespaces/delete" => Admin,
        e if e.starts_with("access/") || e.starts_with("snapshots/") => AdminAll,
        "console/evaluate" => Evaluate,
        e if e.ends_with("/list") || e.ends_with("/detail") => Read,
        _ => Write,
    };
    Some(rule)
}

/// Calls that would end the caller's own credential; tested on their own.
const SELF_ENDING: &[&str] = &["/auth/v1/self/expire"];

/// Who asks.
#[derive(Clone, Debug)]
enum Caller {
    Nobody,
    Malformed,
    Expired,
    Revoked,
    Role(Role),
    ScopedElsewhere,
}

async fn every_route_refuses_whom_it_must(db: &TestDb) {
    let admin = Api::new(db);
    populate(&admin, "acc").await;
    populate(&admin, "other").await;
    let expired = {
        let reply = admin
            .post(
                "/auth/v1/method/token",
                json!({"name": "soon", "expiresAt": "2100-01-01T00:00:00Z", "role": "admin"}),
            )
            .await;
        let token = reply.body["clientToken"].as_str().unwrap().to_string();
        let as_it = admin.bearer(&token);
        assert_eq!(as_it.put("/auth/v1/self/expire", json!({})).await.status, 200);
        token
    };
    let revoked = {
        let reply =
            admin.post("/auth/v1/method/token", json!({"name": "gone", "role": "admin"})).await;
        let id = reply.body["authentication"]["id"].as_str().unwrap().to_string();
        assert_eq!(admin.delete(&format!("/auth/v1/tokens/{id}")).await.status, 200);
        reply.body["clientToken"].as_str().unwrap().to_string()
    };
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((Caller::Role(role), Some(admin.token(role, None).await)));
    }
    let elsewhere = admin
        .post("/auth/v1/method/token", json!({"name": "other-ns", "namespaceKey": "other"}))
        .await
        .body["clientToken"]
        .as_str()
        .unwrap()
        .to_string();
    let mut callers = vec![
        (Caller::Nobody, None),
        (Caller::Malformed, Some(String::new())),
        (Caller::Expired, Some(expired)),
        (Caller::Revoked, Some(revoked)),
        (Caller::ScopedElsewhere, Some(elsewhere)),
    ];
    callers.extend(tokens);

    let mut requests: Vec<(String, String, Rule, Option<&'static str>)> = Vec::new();
    let rest = rest_routes();
    assert!(rest.len() > 60, "the route list was read: {rest:?}");
    for (method, template) in &rest {
        let rule = rest_rule(method, template)
            .unwrap_or_else(|| panic!("no access rule for {method} {template}: add one"));
        requests.push((method.clone(), concrete(template), rule, None));
    }
    let server_fns: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method.to_string(), path.to_string()))
        .collect();
    assert!(server_fns.len() > 30, "server functions are registered: {server_fns:?}");
    for (method, path) in &server_fns {
        let rule =
            server_fn_rule(path).unwrap_or_else(|| panic!("no access rule for server fn {path}"));
        requests.push((method.clone(), path.clone(), rule, Some(FORM)));
    }

    let mut checked = 0;
    let mut wrong = Vec::new();
    for (method, path, rule, form) in &requests {
        for (caller, token) in &callers {
            let Some(status) = expected_refusal(*rule, caller, path) else { continue };
            // The dashboard's upload forms answer with a redirect that carries the refusal.
            let status = if status == 403 && path.starts_with("/ui/") && form.is_none() {
                303
            } else {
                status
            };
            let before = dump_everything(db).await;
            let reply = send(&admin, method, path, *form, token.as_deref()).await;
            if reply.status != status {
                wrong.push(format!(
                    "{method} {path} as {caller:?} ({rule:?}): {} {}",
                    reply.status, reply.body
                ));
                continue;
            }
            assert_refusal(&reply, path, status);
            assert_eq!(
                before,
                dump_everything(db).await,
                "{method} {path} as {caller:?} changed data"
            );
            checked += 1;
        }
        // Those the rule lets in are not refused, and nothing fails on the server (their
        // answer may still be 400 or 404: most paths name objects that do not exist).
        for (caller, token) in &callers {
            if expected_refusal(*rule, caller, path).is_some()
                || *rule == Rule::Public
                || SELF_ENDING.contains(&path.as_str())
            {
                continue;
            }
            let reply = send(&admin, method, path, *form, token.as_deref()).await;
            if [401, 403].contains(&reply.status) || reply.status >= 500 {
                wrong.push(format!(
                    "{method} {path} as {caller:?} ({rule:?}) refused or failed: {} {}",
                    reply.status, reply.body
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
    assert!(checked > 500, "only {checked} refusals were checked");
}

/// The status a caller must be refused with, or `None` if the rule lets it in.
fn expected_refusal(rule: Rule, caller: &Caller, path: &str) -> Option<u16> {
    let needed = match rule {
        Rule::Public => return None,
        Rule::Anyone => Role::Client,
        Rule::Evaluate => Role::Client,
        Rule::Read => Role::Viewer,
        Rule::Write => Role::Editor,
        Rule::Admin | Rule::AdminAll => Role::Admin,
    };
    match caller {
        Caller::Nobody | Caller::Malformed | Caller::Expired | Caller::Revoked => Some(401),
        // Flipt: a namespace-scoped token is 401 outside its namespace and outside the
        // management, evaluation and snapshot servers.
        // Unknown management paths are answered 404 to anyone the door lets in.
        Caller::ScopedElsewhere if rule == Rule::Anyone && path.starts_with("/api/v1/") => None,
        Caller::ScopedElsewhere => Some(401),
        Caller::Role(role) if *role < needed => Some(403),
        Caller::Role(_) => None,
    }
}

/// Flipt's bodies from the REST API and the door; the typed error from a server function;
/// a redirect naming the refusal from an upload form.
fn assert_refusal(reply: &crate::testing::api::Reply, path: &str, status: u16) {
    match status {
        401 => assert_eq!(
            reply.body,
            json!({"code": 16, "message": "request was not authenticated", "details": []}),
            "{path}"
        ),
        403 if path.starts_with("/ui/") => {
            assert_eq!(reply.body, json!({"PermissionDenied": "permission denied"}), "{path}")
        }
        403 => assert_eq!(
            reply.body,
            json!({"code": 7, "message": "permission denied", "details": []}),
            "{path}"
        ),
        _ => {
            let location = reply.headers["location"].to_str().unwrap_or_default();
            assert!(location.contains("permission%20denied"), "{path}: {location}");
        }
    }
}

async fn send(
    api: &Api,
    method: &str,
    path: &str,
    form: Option<&str>,
    token: Option<&str>,
) -> crate::testing::api::Reply {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers: Vec<(&str, &str)> = match &auth {
        Some(value) => vec![("authorization", value.as_str())],
        None => vec![],
    };
    let api = if token.is_none() { api.anonymous() } else { api.clone() };
    let multipart = path == "/ui/import";
    let form = if path == "/ui/access/tokens/create" { Some("name=t&role=viewer") } else { form };
    if multipart {
        headers.push(("content-type", "multipart/form-data; boundary=X"));
    }
    let (uri, body) = match form {
        _ if multipart => (
            path.to_string(),
            b"--X\r\nContent-Disposition: form-data; name=\"document\"; filename=\"d.yaml\"\r\n\r\nnamespace: acc\r\n--X--\r\n".to_vec(),
        ),
        Some(form) if method == Method::GET => (format!("{path}?{form}"), Vec::new()),
        Some(form) => {
            headers.push(("content-type", "application/x-www-form-urlencoded"));
            (path.to_string(), form.as_bytes().to_vec())
        }
        // An import must hold a document (an empty one is refused as such, before any role).
        None if path.starts_with("/api/v1/import") => (path.to_string(), b"namespace: acc\n".to_vec()),
        None => (path.to_string(), if method == Method::GET { Vec::new() } else { b"{}".to_vec() }),
    };
    api.raw(method, &uri, &headers, body).await
}

/// Tokens and session cookies are stored as their SHA-256 hashes only: the whole database,
/// read row by row, holds none of them in plain text (and does hold their hashes, so the dump
/// did read those tables).
async fn no_secret_is_stored_in_plain(db: &TestDb) {
    let admin = Api::new(db);
    let mut secrets =
        vec![admin.admin_token().await, admin.token(Role::Viewer, Some("default")).await];
    let created = admin
        .post("/auth/v1/method/token", json!({"name": "over-the-api", "metadata": {"team": "x"}}))
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    secrets.push(created.body["clientToken"].as_str().unwrap().to_string());
    let form = format!("token={}&next=%2F", secrets[1]);
    let signed_in = admin
        .anonymous()
        .raw(
            Method::POST,
            "/login",
            &[("content-type", "application/x-www-form-urlencoded")],
            form.into_bytes(),
        )
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let cookie = signed_in.headers["set-cookie"].to_str().unwrap();
    let session = cookie
        .strip_prefix("vexil_session=")
        .and_then(|rest| rest.split(';').next())
        .expect("a session cookie")
        .to_string();
    secrets.push(session);

    let dump = serde_json::to_string(&dump_everything(db).await).unwrap();
    for secret in &secrets {
        assert!(secret.len() >= 43, "{secret:?} is a whole secret");
        assert!(!dump.contains(secret.as_str()), "a secret is stored in plain text");
        assert!(dump.contains(&crate::auth::secret::hash(secret)), "the dump reads the hashes");
    }
}
