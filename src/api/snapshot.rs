//! `GET /internal/v1/evaluation/snapshot/namespace/{key}`: the namespace as Flipt's client SDKs
//! read it (reference §2.6), with ETag / If-None-Match and `X-Flipt-Accept-Server-Version`
//! gating: before 1.38.0 ENTITY_ID constraints are sent as UNKNOWN, before 1.47.0 no
//! `defaultVariant`; a request without the header is treated as 1.37.1, as Flipt does.

use std::{collections::HashMap, sync::Arc};

use app::domain::{ComparisonType, MatchType, Segment};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{path::Ids, ApiError};
use crate::{eval::snapshot::rule_segment_keys, eval::Snapshot, service::Service};

pub async fn get(
    State(service): State<Arc<Service>>,
    ids: Ids,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = service.snapshot(ids.get("key")).await?;
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_matches('"'));
    let etag = HeaderValue::from_str(&snapshot.etag).ok();
    if if_none_match == Some(snapshot.etag.as_str()) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Some(etag) = etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        return Ok(response);
    }
    let accepted = headers
        .get("x-flipt-accept-server-version")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_version)
        .unwrap_or((1, 37, 1));
    let mut response = Json(render(&snapshot, accepted)).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `v1.47.0`, `1.47.0` or `1.47.0-rc1` → (1, 47, 0).
fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let text = text.trim().trim_start_matches('v');
    let core = text.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>());
    Some((
        parts.next()?.ok()?,
        parts.next().unwrap_or(Ok(0)).ok()?,
        parts.next().unwrap_or(Ok(0)).ok()?,
    ))
}

fn comparison_name(t: ComparisonType, accepted: (u64, u64, u64)) -> &'static str {
    match t {
        ComparisonType::String => "STRING_CONSTRAINT_COMPARISON_TYPE",
        ComparisonType::Number => "NUMBER_CONSTRAINT_COMPARISON_TYPE",
        ComparisonType::Boolean => "BOOLEAN_CONSTRAINT_COMPARISON_TYPE",
        ComparisonType::DateTime => "DATETIME_CONSTRAINT_COMPARISON_TYPE",
        ComparisonType::EntityId if accepted >= (1, 38, 0) => {
            "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"
        }
        _ => "UNKNOWN_CONSTRAINT_COMPARISON_TYPE",
    }
}

fn segment_json(segment: &Segment, accepted: (u64, u64, u64)) -> Value {
    let match_type = match segment.match_type {
        MatchType::All => "ALL_SEGMENT_MATCH_TYPE",
        MatchType::Any => "ANY_SEGMENT_MATCH_TYPE",
    };
    let constraints: Vec<Value> = segment
        .constraints
        .iter()
        .map(|c| {
            json!({"id": c.id, "type": comparison_name(c.comparison_type, accepted),
                   "property": c.property, "operator": c.operator, "value": c.value})
        })
        .collect();
    json!({"key": segment.key, "name": segment.name, "description": segment.description,
           "matchType": match_type, "constraints": constraints})
}

/// The snapshot document; every rule once, empty arrays always present.
pub fn render(snapshot: &Snapshot, accepted: (u64, u64, u64)) -> Value {
    let source = &snapshot.source;
    let segments: HashMap<&str, Value> =
        source.segments.iter().map(|s| (s.key.as_str(), segment_json(s, accepted))).collect();
    let pick = |keys: Vec<String>| -> Vec<Value> {
        keys.iter().filter_map(|k| segments.get(k.as_str()).cloned()).collect()
    };
    let mut rules_by_flag: HashMap<&str, Vec<Value>> = HashMap::new();
    let variants: HashMap<&str, &app::domain::Variant> =
        source.flags.iter().flat_map(|f| &f.variants).map(|v| (v.id.as_str(), v)).collect();
    for rule in &source.rules {
        let distributions: Vec<Value> = rule
            .distributions
            .iter()
            .filter_map(|d| {
                let v = variants.get(d.variant_id.as_str())?;
                Some(json!({"id": d.id, "ruleId": d.rule_id, "variantId": d.variant_id,
                            "variantKey": v.key, "variantAttachment": v.attachment, "rollout": d.rollout}))
            })
            .collect();
        rules_by_flag.entry(rule.flag_key.as_str()).or_default().push(json!({
            "id": rule.id, "rank": rule.rank, "segmentOperator": rule.segment_operator,
            "segments": pick(rule_segment_keys(&rule.segment_key, &rule.segment_keys)),
            "distributions": distributions,
        }));
    }
    let mut rollouts_by_flag: HashMap<&str, Vec<Value>> = HashMap::new();
    for rollout in &source.rollouts {
        let mut item = json!({"type": rollout.rollout_type, "rank": rollout.rank, "description": rollout.description});
        if let Some(t) = &rollout.threshold {
            item["threshold"] = json!({"percentage": t.percentage, "value": t.value});
        }
        if let Some(s) = &rollout.segment {
            item["segment"] = json!({"value": s.value, "segmentOperator": s.segment_operator,
                                     "segments": pick(rule_segment_keys(&s.segment_key, &s.segment_keys))});
        }
        rollouts_by_flag.entry(rollout.flag_key.as_str()).or_default().push(item);
    }
    let flags: Vec<Value> = source
        .flags
        .iter()
        .map(|f| {
            let mut flag = json!({
                "key": f.key, "name": f.name, "description": f.description, "enabled": f.enabled,
                "type": f.flag_type, "createdAt": f.created_at, "updatedAt": f.updated_at,
                "rules": rules_by_flag.remove(f.key.as_str()).unwrap_or_default(),
                "rollouts": rollouts_by_flag.remove(f.key.as_str()).unwrap_or_default(),
            });
            if let (Some(v), true) = (&f.default_variant, accepted >= (1, 47, 0)) {
                flag["defaultVariant"] =
                    json!({"id": v.id, "key": v.key, "attachment": v.attachment});
            }
            flag
        })
        .collect();
    json!({"namespace": {"key": snapshot.namespace}, "flags": flags})
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions_parse_like_semver() {
        assert_eq!(parse_version("1.47.0"), Some((1, 47, 0)));
        assert_eq!(parse_version("v1.38.2-rc1"), Some((1, 38, 2)));
        assert_eq!(parse_version("2"), Some((2, 0, 0)));
        assert_eq!(parse_version("x.y"), None);
        assert!((1, 37, 1) < (1, 38, 0));
    }
}
