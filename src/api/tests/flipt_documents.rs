//! The import documents from Flipt's own repository (`src/testing/flipt_documents`, see its
//! README): each valid one imports and exports back to the same flags, variants, rules,
//! rollouts and segments; each one Flipt rejects is rejected here too, with nothing changed.

use axum::http::Method;
use serde_json::{json, Value};

use crate::{
    document::{parse, Document},
    testing::{api::Api, integrity::dump, on_both_databases, TestDb},
};

on_both_databases!(flipts_repository_documents_import_as_flipt_imports_them);

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/testing/flipt_documents");

/// Documents Flipt's importer refuses, and the reason it gives.
const REFUSED: [(&str, &str); 4] = [
    // build/testing/testdata/default.yml is a Flipt configuration file, not a document.
    ("build_default", "not a Flipt document: top-level key \"log\" is not part of Flipt's format"),
    ("ext_import_invalid_version", "unsupported version \"5.0\""),
    ("ext_import_v1_flag_type_not_supported", "flag.type is supported in version >=1.1, found 1.0"),
    (
        "ext_import_v1_rollouts_not_supported",
        "flag.rollouts is supported in version >=1.1, found 1.0",
    ),
];

async fn flipts_repository_documents_import_as_flipt_imports_them(db: &TestDb) {
    let mut names: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".yml") || name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the vendored documents are there: {names:?}");
    let (mut imported, mut refused) = (0, 0);
    for name in &names {
        let text = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
        let json = name.ends_with(".json");
        let fresh = db.fresh().await;
        let api = Api::new(&fresh);
        let stem = name.trim_end_matches(".json").trim_end_matches(".yml");
        if let Some((_, reason)) = REFUSED.iter().find(|(refused, _)| *refused == stem) {
            let before = dump(&fresh).await;
            let reply = import(&api, json, &text).await;
            assert_eq!(reply.status, 400, "{name}: {}", reply.body);
            let message = reply.body["message"].as_str().unwrap_or_default();
            assert!(message.contains(reason), "{name}: {message}");
            assert_eq!(dump(&fresh).await, before, "{name}: a refused import changes nothing");
            refused += 1;
            continue;
        }
        let documents = parse(&text, json).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Flipt's importer tests run against a mock that has every segment; on a real server a
        // rule naming a segment the document does not define is refused (by Flipt as here)
        // until that segment exists.
        let missing = undefined_segments(&documents);
        if let Some((namespace, segment)) = missing.first() {
            let before = dump(&fresh).await;
            let reply = import(&api, json, &text).await;
            assert_eq!(reply.status, 404, "{name}: {}", reply.body);
            let message = reply.body["message"].as_str().unwrap_or_default();
            let expected =
                format!("(namespace \"{namespace}\"): segment \"{namespace}/{segment}\" not found");
            assert!(message.ends_with(&expected), "{name}: {message}");
            assert_eq!(dump(&fresh).await, before, "{name}: nothing half-imported");
            for (namespace, segment) in &missing {
                if api.get(&format!("/api/v1/namespaces/{namespace}")).await.status == 404 {
                    api.create("/api/v1/namespaces", json!({"key": namespace, "name": namespace}))
                        .await;
                }
                api.create(
                    &format!("/api/v1/namespaces/{namespace}/segments"),
                    json!({"key": segment, "name": segment, "matchType": "ANY_MATCH_TYPE"}),
                )
                .await;
            }
        }
        let reply = import(&api, json, &text).await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
        for document in merged(&documents) {
            let namespace = document.namespace.key();
            let exported =
                api.get(&format!("/api/v1/namespaces/{namespace}/export?format=json")).await.body;
            let input = serde_json::to_value(&document).unwrap();
            assert_eq!(
                flags(&exported),
                flags(&input),
                "{name}: namespace {namespace}'s flags come back as the document has them"
            );
            let wanted = segments(&input);
            let got: Vec<Value> = segments(&exported)
                .into_iter()
                .filter(|s| wanted.iter().any(|w| w["key"] == s["key"]))
                .collect();
            assert_eq!(got, wanted, "{name}: namespace {namespace}'s segments");
            if let Some(first) = document.flags.iter().find(|f| f.enabled && !f.rules.is_empty()) {
                let answer = api
                    .post(
                        "/evaluate/v1/variant",
                        json!({"namespaceKey": namespace, "flagKey": first.key, "entityId": "e"}),
                    )
                    .await;
                assert_eq!(answer.status, 200, "{name}: {} evaluates", first.key);
            }
        }
        imported += 1;
    }
    assert_eq!((imported, refused), (names.len() - 7, 7));
}

/// A file's documents with those of one namespace joined, as importing them leaves it.
fn merged(documents: &[Document]) -> Vec<Document> {
    let mut joined: Vec<Document> = Vec::new();
    for document in documents {
        match joined.iter_mut().find(|d| d.namespace.key() == document.namespace.key()) {
            Some(earlier) => {
                earlier.flags.extend(document.flags.iter().cloned());
                earlier.segments.extend(document.segments.iter().cloned());
            }
            None => joined.push(document.clone()),
        }
    }
    joined
}

async fn import(api: &Api, json: bool, text: &str) -> crate::testing::api::Reply {
    let query = if json { "?format=json" } else { "" };
    api.raw(Method::POST, &format!("/api/v1/import{query}"), &[], text.as_bytes().to_vec()).await
}

/// Segments that rules or rollouts name but no document of the file defines.
fn undefined_segments(documents: &[Document]) -> Vec<(String, String)> {
    let mut missing = Vec::new();
    for document in documents {
        let namespace = document.namespace.key();
        let value = serde_json::to_value(document).unwrap();
        let mut named: Vec<String> = Vec::new();
        for flag in array(&value["flags"]) {
            for rule in array(&flag["rules"]) {
                named.extend(segment_keys(&rule["segment"]));
            }
            for rollout in array(&flag["rollouts"]) {
                named.extend(segment_keys(&rollout["segment"]));
            }
        }
        for key in named {
            let defined = document.segments.iter().any(|s| s.key == key);
            let pair = (namespace.to_string(), key);
            if !defined && !missing.contains(&pair) {
                missing.push(pair);
            }
        }
    }
    missing
}

fn array(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

fn text(value: &Value) -> Value {
    json!(value.as_str().unwrap_or_default())
}

/// `segment: key` or `segment: {key | keys, operator}` as a list of keys.
fn segment_keys(segment: &Value) -> Vec<String> {
    match segment {
        Value::String(key) => vec![key.clone()],
        Value::Object(fields) => fields
            .get("key")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .chain(array(&segment["keys"]).iter().filter_map(|k| k.as_str().map(str::to_string)))
            .collect(),
        _ => Vec::new(),
    }
}

fn segment_ref(segment: &Value) -> Value {
    let keys = segment_keys(segment);
    let operator = if keys.len() > 1 {
        json!(segment["operator"].as_str().unwrap_or("OR_SEGMENT_OPERATOR"))
    } else {
        Value::Null
    };
    json!({"keys": keys, "operator": operator})
}

/// What a document says about its flags, with Flipt's defaults filled in.
fn flags(document: &Value) -> Vec<Value> {
    array(&document["flags"])
        .iter()
        .map(|f| {
            json!({
                "key": f["key"], "name": f["name"], "description": text(&f["description"]),
                "enabled": f["enabled"].as_bool().unwrap_or(false),
                "type": f["type"].as_str().unwrap_or("VARIANT_FLAG_TYPE"),
                "metadata": if f["metadata"].is_null() { json!({}) } else { f["metadata"].clone() },
                "variants": array(&f["variants"]).iter().map(|v| json!({
                    "key": v["key"], "name": text(&v["name"]), "description": text(&v["description"]),
                    "attachment": v["attachment"], "default": v["default"].as_bool().unwrap_or(false),
                })).collect::<Vec<_>>(),
                "rules": array(&f["rules"]).iter().map(|r| json!({
                    "segment": segment_ref(&r["segment"]),
                    "distributions": array(&r["distributions"]).iter()
                        .map(|d| json!([d["variant"], d["rollout"].as_f64()])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "rollouts": array(&f["rollouts"]).iter().map(|r| json!({
                    "description": text(&r["description"]),
                    "segment": if r["segment"].is_null() { Value::Null } else { json!({
                        "ref": segment_ref(&r["segment"]),
                        "value": r["segment"]["value"].as_bool().unwrap_or(false),
                    })},
                    "threshold": if r["threshold"].is_null() { Value::Null } else { json!([
                        r["threshold"]["percentage"].as_f64(),
                        r["threshold"]["value"].as_bool().unwrap_or(false),
                    ])},
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn segments(document: &Value) -> Vec<Value> {
    array(&document["segments"])
        .iter()
        .map(|s| {
            json!({
                "key": s["key"], "name": s["name"], "description": text(&s["description"]),
                "match_type": s["match_type"],
                "constraints": array(&s["constraints"]).iter().map(|c| json!({
                    "type": c["type"], "property": c["property"], "operator": c["operator"],
                    "value": text(&c["value"]), "description": text(&c["description"]),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}
