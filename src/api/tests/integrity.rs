//! Flipt #4177 at the HTTP level, and "bad input changes nothing".

use axum::http::Method;
use serde_json::json;

use crate::testing::{
    api::Api,
    fixture::populate,
    integrity::{assert_only_metadata_changed, dump},
    on_both_databases, TestDb,
};

on_both_databases!(
    renaming_and_redescribing_a_namespace_over_http_keeps_everything,
    bad_input_changes_nothing
);

async fn renaming_and_redescribing_a_namespace_over_http_keeps_everything(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "default").await;
    populate(&api, "team").await;
    for ns in ["default", "team"] {
        let original = api.get(&format!("/api/v1/namespaces/{ns}")).await.body;
        let steps = [
            ("Renamed", original["description"].as_str().unwrap().to_string()),
            ("Renamed", "A new description".to_string()),
            ("Both changed", "Both changed too".to_string()),
        ];
        for (step, (name, description)) in steps.into_iter().enumerate() {
            let before = dump(db).await;
            let reply = api
                .put(
                    &format!("/api/v1/namespaces/{ns}"),
                    json!({"name": name, "description": description}),
                )
                .await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            assert_eq!(reply.body["name"], name);
            assert_eq!(reply.body["description"], description.as_str());
            assert_eq!(
                reply.body["version"],
                original["version"].as_i64().unwrap() + step as i64 + 1
            );
            assert_only_metadata_changed(&before, &dump(db).await, ns);
        }
        // And every flag, variant, segment, rule and rollout still reads back through the API.
        let flags = api.get(&format!("/api/v1/namespaces/{ns}/flags")).await.body;
        assert_eq!(flags["totalCount"], 2);
        assert_eq!(flags["flags"][0]["variants"].as_array().unwrap().len(), 2);
        assert_eq!(flags["flags"][0]["defaultVariant"]["key"], "blue");
        let segments = api.get(&format!("/api/v1/namespaces/{ns}/segments")).await.body;
        assert_eq!(segments["totalCount"], 2);
        let rules = api.get(&format!("/api/v1/namespaces/{ns}/flags/checkout/rules")).await.body;
        assert_eq!(rules["rules"][0]["segmentKeys"], json!(["beta", "staff"]));
        assert_eq!(rules["rules"][0]["distributions"].as_array().unwrap().len(), 2);
        let rollouts =
            api.get(&format!("/api/v1/namespaces/{ns}/flags/dark-mode/rollouts")).await.body;
        assert_eq!(rollouts["totalCount"], 2);
    }
}

/// Method, path, headers, body, and the status it must get.
type BadRequest<'a> = (Method, String, &'a [(&'a str, &'a str)], Vec<u8>, u16);

async fn bad_input_changes_nothing(db: &TestDb) {
    let api = Api::with_body_limit(db, 64 * 1024);
    let filled = populate(&api, "team").await;
    let base = "/api/v1/namespaces/team";
    let rule = &filled.rule_ids[0];
    let rollout = &filled.rollout_ids[0];
    let big = "x".repeat(70 * 1024);
    let cases: Vec<BadRequest> = vec![
        (
            Method::POST,
            "/api/v1/namespaces".into(),
            &[],
            br#"{"key":"bad key","name":"x"}"#.to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/flags"),
            &[],
            br#"{"key":"ok","name":"x","type":"SOMETHING_FLAG_TYPE"}"#.to_vec(),
            400,
        ),
        (Method::POST, format!("{base}/flags"), &[], br#"{"key":5,"name":"x"}"#.to_vec(), 400),
        (Method::POST, format!("{base}/flags"), &[], br#"{"key":"ok","name":"#.to_vec(), 400),
        (
            Method::POST,
            format!("{base}/flags"),
            &[],
            br#"{"key":"ok","name":"x","metadata":[1]}"#.to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/flags"),
            &[],
            br#"{"key":"checkout","name":"dup"}"#.to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/flags"),
            &[],
            format!(r#"{{"key":"big","name":"{big}"}}"#).into_bytes(),
            413,
        ),
        (
            Method::POST,
            format!("{base}/flags/checkout/variants"),
            &[],
            br#"{"key":"v","attachment":"{nope"}"#.to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/flags/checkout/variants"),
            &[],
            br#"{"key":"blue"}"#.to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/segments/beta/constraints"),
            &[],
            br#"{"type":"REGEX_COMPARISON_TYPE","property":"p","operator":"eq","value":"v"}"#
                .to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/segments/beta/constraints"),
            &[],
            br#"{"type":"BOOLEAN_COMPARISON_TYPE","property":"p","operator":"gt","value":"v"}"#
                .to_vec(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/flags/checkout/rules"),
            &[],
            br#"{"segmentKey":"missing","rank":3}"#.to_vec(),
            404,
        ),
        (
            Method::POST,
            format!("{base}/flags/checkout/rules/{rule}/distributions"),
            &[],
            format!(r#"{{"variantId":"{}","rollout":150}}"#, filled.variant_ids[0]).into_bytes(),
            400,
        ),
        (
            Method::POST,
            format!("{base}/flags/dark-mode/rollouts"),
            &[],
            br#"{"rank":1,"threshold":{"percentage":10}}"#.to_vec(),
            400,
        ),
        (
            Method::PUT,
            format!("{base}/flags/dark-mode/rollouts/{rollout}"),
            &[],
            br#"{"threshold":{"percentage":10}}"#.to_vec(),
            400,
        ),
        (
            Method::PUT,
            base.to_string(),
            &[("if-match", "\"7\"")],
            br#"{"name":"Late"}"#.to_vec(),
            409,
        ),
        (
            Method::PUT,
            format!("{base}/flags/checkout"),
            &[],
            br#"{"name":"Late","version":9}"#.to_vec(),
            409,
        ),
        (
            Method::DELETE,
            format!("{base}/flags/checkout"),
            &[("if-match", "\"3\"")],
            Vec::new(),
            409,
        ),
        (
            Method::PUT,
            format!("{base}/segments/beta"),
            &[("if-match", "\"0\"")],
            br#"{"name":"Late"}"#.to_vec(),
            409,
        ),
        (Method::DELETE, format!("{base}/segments/beta"), &[], Vec::new(), 400),
        (Method::DELETE, base.to_string(), &[], Vec::new(), 400),
        (Method::DELETE, "/api/v1/namespaces/default".into(), &[], Vec::new(), 400),
        (Method::GET, format!("{base}/flags?offset=5"), &[], Vec::new(), 400),
        (Method::GET, format!("{base}/flags?limit=2&pageToken=garbage"), &[], Vec::new(), 400),
    ];
    for (method, uri, headers, body, status) in cases {
        let before = dump(db).await;
        let reply = api.raw(method.clone(), &uri, headers, body).await;
        assert_eq!(reply.status, status, "{method} {uri}: {}", reply.body);
        assert!(
            reply.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{method} {uri}: {}",
            reply.body
        );
        assert_eq!(before, dump(db).await, "{method} {uri} changed the database");
    }
}
