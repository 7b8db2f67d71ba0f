//! Flipt's `/auth/v1` for the token method, field by field as the reference (§1.2–1.4, 1.9)
//! has it: the method list, creating a token (format, metadata, no `expiresAt` when none),
//! reading, listing with Flipt's paging, `self`, `self/expire`, deleting, and expiry and
//! namespace scope enforced on the next request. One deliberate difference: an `expiresAt` in
//! the past is refused (Flipt stores a token that never works).

use serde_json::{json, Value};

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(
    the_method_list_is_public_and_in_flipts_order,
    tokens_are_created_read_listed_and_deleted_as_in_flipt,
    expiry_and_scope_are_enforced_on_the_next_request,
    a_session_answers_self_with_its_own_times_and_ends_with_expire,
);

const UNAUTHENTICATED: &str = "request was not authenticated";

async fn the_method_list_is_public_and_in_flipts_order(db: &TestDb) {
    let reply = Api::new(db).anonymous().get("/auth/v1/method").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let methods = reply.body["methods"].as_array().expect("methods");
    let names: Vec<&str> = methods.iter().map(|m| m["method"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["METHOD_TOKEN", "METHOD_GITHUB", "METHOD_OIDC", "METHOD_KUBERNETES", "METHOD_JWT"]
    );
    assert_eq!(
        methods[0],
        json!({"method": "METHOD_TOKEN", "enabled": true, "sessionCompatible": false})
    );
    // OIDC is not configured in these tests: listed, off, and without metadata.
    assert_eq!(
        methods[2],
        json!({"method": "METHOD_OIDC", "enabled": false, "sessionCompatible": true})
    );
}

fn is_timestamp(value: &Value) -> bool {
    value.as_str().is_some_and(|text| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok()
    })
}

async fn tokens_are_created_read_listed_and_deleted_as_in_flipt(db: &TestDb) {
    let admin = Api::new(db);
    let created = admin
        .create(
            "/auth/v1/method/token",
            json!({"name": "ci", "description": "the pipeline", "namespaceKey": "default",
                   "metadata": {"team": "payments"}}),
        )
        .await;
    let token = created["clientToken"].as_str().unwrap();
    assert_eq!(token.len(), 44, "32 bytes, padded base64url: {token}");
    assert!(token.ends_with('=') && !token.contains(['+', '/']), "{token}");
    let auth = &created["authentication"];
    let id = auth["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "a UUID: {id}");
    assert_eq!(auth["method"], "METHOD_TOKEN");
    assert!(auth.get("expiresAt").is_none(), "no expiry, no field: {auth}");
    assert!(is_timestamp(&auth["createdAt"]) && is_timestamp(&auth["updatedAt"]), "{auth}");
    let metadata = &auth["metadata"];
    assert_eq!(metadata["io.flipt.auth.token.name"], "ci");
    assert_eq!(metadata["io.flipt.auth.token.description"], "the pipeline");
    assert_eq!(metadata["io.flipt.auth.token.namespace"], "default");
    assert_eq!(metadata["team"], "payments");

    // Read back: the same authentication.
    let read = admin.get(&format!("/auth/v1/tokens/{id}")).await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(&read.body, auth);

    // Listing: oldest first, Flipt's decimal-offset page tokens.
    let mut names = Vec::new();
    for i in 0..3 {
        let made =
            admin.create("/auth/v1/method/token", json!({"name": format!("extra-{i}")})).await;
        names.push(made["authentication"]["metadata"]["io.flipt.auth.token.name"].clone());
    }
    let all = admin.get("/auth/v1/tokens?method=METHOD_TOKEN").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.body["nextPageToken"], "");
    let listed = all.body["authentications"].as_array().unwrap();
    let total = listed.len();
    assert!(total >= 5, "the test's admin, ci and three extras: {total}");
    let listed_names: Vec<&Value> =
        listed.iter().map(|a| &a["metadata"]["io.flipt.auth.token.name"]).collect();
    assert_eq!(&listed_names[total - 3..], names.iter().collect::<Vec<_>>().as_slice());
    let first = admin.get("/auth/v1/tokens?limit=2").await;
    assert_eq!(first.body["authentications"].as_array().unwrap().len(), 2);
    assert_eq!(first.body["nextPageToken"], "2");
    let rest = admin.get("/auth/v1/tokens?limit=100&pageToken=2&method=1").await;
    assert_eq!(rest.body["authentications"].as_array().unwrap().len(), total - 2);
    assert_eq!(rest.body["nextPageToken"], "");
    assert_eq!(admin.get("/auth/v1/tokens?pageToken=x").await.status, 400);
    assert_eq!(admin.get("/auth/v1/tokens?method=METHOD_NOPE").await.status, 400);

    // Deleting: `{}`, then 404 on read and 401 for the token; deleting again is still `{}`.
    let deleted = admin.delete(&format!("/auth/v1/tokens/{id}")).await;
    assert_eq!((deleted.status, &deleted.body), (200, &json!({})));
    admin
        .get(&format!("/auth/v1/tokens/{id}"))
        .await
        .assert_error(404, &format!("authentication \"{id}\" not found"));
    admin
        .bearer(token)
        .get("/api/v1/namespaces/default/flags")
        .await
        .assert_error(401, UNAUTHENTICATED);
    assert_eq!(admin.delete(&format!("/auth/v1/tokens/{id}")).await.body, json!({}));
}

async fn expiry_and_scope_are_enforced_on_the_next_request(db: &TestDb) {
    let admin = Api::new(db);
    // Flipt stores a token that expired before it was made; Vexil says so and stores nothing.
    let before = admin.get("/auth/v1/tokens").await.body;
    admin
        .post("/auth/v1/method/token", json!({"name": "old", "expiresAt": "2001-01-01T00:00:00Z"}))
        .await
        .assert_error(400, "invalid field expiresAt: must be in the future");
    admin
        .post("/auth/v1/method/token", json!({"name": "far", "expiresAt": "9999-12-31T00:00:00Z"}))
        .await
        .assert_error(
            400,
            "invalid field expiresAt: \"9999-12-31T00:00:00Z\" is outside the times Vexil \
             stores (1677-09-21 to 2262-04-11)",
        );
    assert_eq!(admin.get("/auth/v1/tokens").await.body, before);

    // self, then self/expire (the body is ignored), then nothing.
    let made = admin.create("/auth/v1/method/token", json!({"name": "short-lived"})).await;
    let token = made["clientToken"].as_str().unwrap();
    let me = admin.bearer(token).get("/auth/v1/self").await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body, made["authentication"]);
    let expired = admin.bearer(token).put("/auth/v1/self/expire", json!({"ignored": true})).await;
    assert_eq!((expired.status, &expired.body), (200, &json!({})));
    admin.bearer(token).get("/auth/v1/self").await.assert_error(401, UNAUTHENTICATED);
    let row = admin
        .get(&format!("/auth/v1/tokens/{}", made["authentication"]["id"].as_str().unwrap()))
        .await;
    assert!(is_timestamp(&row.body["expiresAt"]), "expired, not deleted: {}", row.body);

    // A namespace-scoped token: its namespace's management and evaluation, nothing else.
    let scoped = admin
        .create("/auth/v1/method/token", json!({"name": "default-only", "namespaceKey": "default"}))
        .await;
    let scoped = admin.bearer(scoped["clientToken"].as_str().unwrap());
    assert_eq!(scoped.get("/api/v1/namespaces/default/flags").await.status, 200);
    admin.create("/api/v1/namespaces", json!({"key": "elsewhere", "name": "Elsewhere"})).await;
    for refused in [
        "/api/v1/namespaces/elsewhere/flags",
        "/api/v1/namespaces",
        "/auth/v1/self",
        "/auth/v1/tokens",
        "/meta/info",
    ] {
        scoped.get(refused).await.assert_error(401, UNAUTHENTICATED);
    }
    let batch = |namespaces: &[&str]| {
        let requests: Vec<Value> = namespaces
            .iter()
            .map(|ns| json!({"namespaceKey": ns, "flagKey": "f", "entityId": "e", "context": {}}))
            .collect();
        json!({"requests": requests})
    };
    scoped
        .post("/evaluate/v1/batch", batch(&["default", "elsewhere"]))
        .await
        .assert_error(401, UNAUTHENTICATED);
    scoped.post("/evaluate/v1/batch", batch(&[])).await.assert_error(401, UNAUTHENTICATED);
    scoped
        .post("/ofrep/v1/evaluate/flags", json!({"context": {"targetingKey": "e"}}))
        .await
        .assert_error(401, UNAUTHENTICATED);
    let allowed = scoped.post("/evaluate/v1/batch", batch(&["default", ""])).await;
    assert_ne!(allowed.status, 401, "{}", allowed.body);
}

async fn a_session_answers_self_with_its_own_times_and_ends_with_expire(db: &TestDb) {
    let admin = Api::new(db);
    let token = admin.admin_token().await;
    let form = format!("token={token}&next=%2F");
    let nobody = admin.anonymous();
    let signed_in = nobody
        .raw(
            axum::http::Method::POST,
            "/login",
            &[("content-type", "application/x-www-form-urlencoded")],
            form.into_bytes(),
        )
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let cookie =
        signed_in.headers["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let with_cookie = |method: axum::http::Method, uri: &'static str| {
        let cookie = cookie.clone();
        let nobody = nobody.clone();
        async move { nobody.raw(method, uri, &[("cookie", cookie.as_str())], Vec::new()).await }
    };
    let me = with_cookie(axum::http::Method::GET, "/auth/v1/self").await;
    assert_eq!(me.status, 200, "{}", me.body);
    let (created, expires) =
        (me.body["createdAt"].as_str().unwrap(), me.body["expiresAt"].as_str().unwrap());
    let parse = |t: &str| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap()
    };
    let lifetime = parse(expires) - parse(created);
    assert!(
        lifetime > time::Duration::hours(23) && lifetime <= time::Duration::hours(24),
        "{}",
        me.body
    );
    assert_eq!(me.body["method"], "METHOD_TOKEN", "{}", me.body);
    assert_eq!(me.body["metadata"]["io.flipt.auth.token.name"], "test-admin", "{}", me.body);
    assert_ne!(
        me.body["id"],
        admin.get("/auth/v1/self").await.body["id"],
        "the session, not its token"
    );

    // Flipt's sign-out: `PUT /auth/v1/self/expire` ends the session and clears the cookie.
    // Same-origin and CSRF rules apply to a cookie's PUT: it carries neither, so it is refused.
    let forged = with_cookie(axum::http::Method::PUT, "/auth/v1/self/expire").await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(with_cookie(axum::http::Method::GET, "/auth/v1/self").await.status, 200);
    let secret = cookie.strip_prefix("vexil_session=").unwrap();
    let csrf = crate::auth::secret::csrf_of(secret);
    let ended = nobody
        .raw(
            axum::http::Method::PUT,
            "/auth/v1/self/expire",
            &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
            Vec::new(),
        )
        .await;
    assert_eq!((ended.status, &ended.body), (200, &json!({})));
    let cleared = ended.headers["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("vexil_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    with_cookie(axum::http::Method::GET, "/auth/v1/self").await.assert_error(401, UNAUTHENTICATED);
    // The token it was made from still works: ending a session revokes nothing else.
    assert_eq!(admin.get("/auth/v1/self").await.status, 200);
}
