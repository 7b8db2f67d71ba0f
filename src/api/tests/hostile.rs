//! Hostile request bodies (issue #7 §5): random JSON, near-valid bodies with one field
//! replaced by anything, and random bytes, sent to every endpoint that reads a body. The
//! server never answers 5xx, and a refused request changes nothing (full dumps compared).
//! `HOSTILE_CASES` (default 300) and `HOSTILE_SEED` make longer or repeated runs.

use axum::http::Method;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::{json, Value};

use crate::testing::{
    api::Api, fixture::populate, integrity::dump, on_both_databases, strategies::json_value, TestDb,
};

on_both_databases!(
    hostile_bodies_get_4xx_and_change_nothing,
    nul_characters_are_refused_everywhere
);

/// PostgreSQL cannot store NUL in text (schemathesis found the 500s): in a path, a body or an
/// imported document it is a 400 on both databases, with nothing changed.
async fn nul_characters_are_refused_everywhere(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let before = dump(db).await;
    let flag = json!({"key": "k", "name": "a\u{0}b"});
    let cases: Vec<(Method, &str, Vec<u8>)> = vec![
        (Method::GET, "/api/v1/namespaces/%00", Vec::new()),
        (Method::GET, "/api/v1/namespaces/team/flags/a%00", Vec::new()),
        (Method::POST, "/api/v1/namespaces/team/flags", flag.to_string().into_bytes()),
        (Method::PUT, "/api/v1/namespaces/team", br#"{"name": "x\u0000"}"#.to_vec()),
        (
            Method::POST,
            "/api/v1/import",
            b"namespace: team\nsegments:\n  - {key: s, name: \"a\\0b\"}\n".to_vec(),
        ),
    ];
    for (method, uri, body) in cases {
        let reply = api.raw(method.clone(), uri, &[], body).await;
        assert_eq!(reply.status, 400, "{method} {uri}: {}", reply.body);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains("NUL characters"), "{method} {uri}: {message}");
        assert_eq!(dump(db).await, before, "{method} {uri} changed nothing");
    }
}

/// Endpoints that read a body, each with a body it accepts.
fn endpoints(rule: &str, variant: &str) -> Vec<(Method, String, Value)> {
    let ns = "/api/v1/namespaces/team";
    vec![
        (Method::POST, "/api/v1/namespaces".into(), json!({"key": "other", "name": "Other"})),
        (Method::PUT, ns.into(), json!({"name": "Team", "description": "d"})),
        (
            Method::POST,
            format!("{ns}/flags"),
            json!({"key": "new", "name": "New", "type": "VARIANT_FLAG_TYPE"}),
        ),
        (Method::PUT, format!("{ns}/flags/checkout"), json!({"name": "Checkout", "enabled": true})),
        (
            Method::POST,
            format!("{ns}/flags/checkout/variants"),
            json!({"key": "red", "attachment": "{}"}),
        ),
        (
            Method::PUT,
            format!("{ns}/flags/checkout/variants/{variant}"),
            json!({"key": "blue", "name": "Blue"}),
        ),
        (
            Method::POST,
            format!("{ns}/segments"),
            json!({"key": "new", "name": "New", "matchType": "ALL_MATCH_TYPE"}),
        ),
        (
            Method::POST,
            format!("{ns}/segments/beta/constraints"),
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"}),
        ),
        (
            Method::POST,
            format!("{ns}/flags/checkout/rules"),
            json!({"segmentKey": "beta", "rank": 3}),
        ),
        (
            Method::POST,
            format!("{ns}/flags/checkout/rules/{rule}/distributions"),
            json!({"variantId": variant, "rollout": 10}),
        ),
        (Method::PUT, format!("{ns}/flags/checkout/rules/order"), json!({"ruleIds": [rule]})),
        (
            Method::POST,
            format!("{ns}/flags/dark-mode/rollouts"),
            json!({"rank": 3, "threshold": {"percentage": 5, "value": true}}),
        ),
        (
            Method::POST,
            "/evaluate/v1/variant".into(),
            json!({"namespaceKey": "team", "flagKey": "checkout", "entityId": "e", "context": {"plan": "pro"}}),
        ),
        (
            Method::POST,
            "/evaluate/v1/boolean".into(),
            json!({"namespaceKey": "team", "flagKey": "dark-mode", "entityId": "e"}),
        ),
        (
            Method::POST,
            "/evaluate/v1/batch".into(),
            json!({"requests": [{"namespaceKey": "team", "flagKey": "checkout", "entityId": "e"}]}),
        ),
        (
            Method::POST,
            "/ofrep/v1/evaluate/flags/checkout".into(),
            json!({"context": {"targetingKey": "e"}}),
        ),
        (Method::POST, "/api/v1/import".into(), json!({"namespace": "team"})),
    ]
}

#[derive(Debug, Clone)]
enum Body {
    Any(Value),
    Replace(String, Value),
    Bytes(Vec<u8>),
}

fn body() -> impl Strategy<Value = (usize, Body)> {
    let body = prop_oneof![
        2 => json_value().prop_map(Body::Any),
        4 => (crate::testing::strategies::field_name(), json_value()).prop_map(|(f, v)| Body::Replace(f, v)),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(Body::Bytes),
    ];
    (0usize..64, body)
}

async fn hostile_bodies_get_4xx_and_change_nothing(db: &TestDb) {
    let api = Api::new(db);
    let filled = populate(&api, "team").await;
    let cases: u32 =
        std::env::var("HOSTILE_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    let seed: u64 =
        std::env::var("HOSTILE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
                as u64
        });
    println!("hostile bodies: {cases} cases, HOSTILE_SEED={seed}");
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let (mut refused, mut accepted) = (0, 0);
    let mut before = dump(db).await;
    for case in 0..cases {
        let (pick, body) = body().new_tree(&mut runner).unwrap().current();
        let list = endpoints(&filled.rule_ids[0], &filled.variant_ids[0]);
        let (method, uri, valid) = &list[pick % list.len()];
        let raw = match &body {
            Body::Any(value) => value.to_string().into_bytes(),
            Body::Replace(field, value) => {
                let mut changed = valid.clone();
                changed[field.as_str()] = value.clone();
                changed.to_string().into_bytes()
            }
            Body::Bytes(bytes) => bytes.clone(),
        };
        let reply = api.raw(method.clone(), uri, &[], raw.clone()).await;
        let shown = String::from_utf8_lossy(&raw);
        assert!(
            reply.status < 500,
            "case {case}: {method} {uri} {shown} → {} {}",
            reply.status,
            reply.body
        );
        let after = dump(db).await;
        if reply.status >= 400 {
            refused += 1;
            assert_eq!(after, before, "case {case}: refused {method} {uri} {shown} changed data");
            assert!(
                ["message", "errorDetails"]
                    .iter()
                    .any(|field| reply.body[*field].as_str().is_some_and(|m| !m.is_empty())),
                "case {case}: an error says why: {}",
                reply.body
            );
        } else {
            accepted += 1;
        }
        before = after;
    }
    println!("hostile bodies: {refused} refused, {accepted} accepted, none failed the server");
    assert!(refused > cases / 4, "most hostile bodies are refused");
}
