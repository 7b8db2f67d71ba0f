//! The dashboard's server functions over HTTP: refusals carry their real status and change
//! nothing, and a plain HTML form post (no JavaScript) is answered with a redirect back to the
//! page, the error in the URL for the page to show.

use axum::http::Method;
use serde_json::json;

use crate::testing::{api::Api, integrity::dump, on_both_databases, TestDb};

on_both_databases!(server_function_refusals_have_their_status_and_change_nothing);

const FORM: &str = "application/x-www-form-urlencoded";

async fn server_function_refusals_have_their_status_and_change_nothing(db: &TestDb) {
    let api = Api::new(db);
    api.create("/api/v1/namespaces/default/flags", json!({"key": "f", "name": "F"})).await;
    let before = dump(db).await;
    let json_call = |path: &'static str, body: &'static str| {
        let api = &api;
        async move {
            let headers = [("content-type", FORM), ("accept", "application/json")];
            api.raw(Method::POST, path, &headers, body.as_bytes().to_vec()).await
        }
    };

    // Arguments the framework cannot parse: the caller's mistake, not the server's.
    let reply = json_call("/ui/flags/metadata", "namespace=default&key=f&version=abc").await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(reply.body["Invalid"].as_str().unwrap().contains("arguments"), "{}", reply.body);
    let reply = json_call("/ui/flags/update", "namespace=default").await;
    assert_eq!(reply.status, 400, "{}", reply.body);

    // Refusals from the service keep their own status.
    let over = "namespace=default&flag_key=f&segment_keys[]=s&variant_ids[]=a&shares[]=abc";
    let reply = json_call("/ui/rules/save", over).await;
    assert_eq!(
        (reply.status, &reply.body),
        (400, &json!({"Invalid": "invalid field rollout: \"abc\" is not a number"}))
    );
    let reply = json_call("/ui/flags/update", "namespace=default&key=f&version=7&name=X").await;
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert_eq!(reply.body["Conflict"]["current_version"], 1);
    let reply = json_call("/ui/flags/copy", "namespace=default&key=f&target=nowhere").await;
    assert_eq!(reply.status, 404, "{}", reply.body);
    assert_eq!(dump(db).await, before, "refused calls changed something");

    // Without JavaScript the browser posts the form and follows a redirect back to the page.
    let page = "http://vexil.test/namespaces/default/flags/f";
    let headers = [("content-type", FORM), ("accept", "text/html"), ("referer", page)];
    let body = b"namespace=default&key=f&version=7&name=X".to_vec();
    let reply = api.raw(Method::POST, "/ui/flags/update", &headers, body).await;
    assert!((300..400).contains(&reply.status), "a form post must be redirected: {}", reply.status);
    let location = reply.headers["location"].to_str().unwrap();
    assert!(location.starts_with(page) && location.contains("__err="), "{location}");
    assert_eq!(dump(db).await, before);

    let body = b"namespace=default&key=f&version=1&name=Renamed".to_vec();
    let reply = api.raw(Method::POST, "/ui/flags/update", &headers, body).await;
    assert!((300..400).contains(&reply.status), "{}", reply.status);
    // Back to the page, without the error of an earlier attempt (Leptos leaves an empty `?`).
    assert_eq!(reply.headers["location"].to_str().unwrap().trim_end_matches('?'), page);
    assert_eq!(api.get("/api/v1/namespaces/default/flags/f").await.body["name"], "Renamed");
}
