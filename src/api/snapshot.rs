//! `GET /internal/v1/evaluation/snapshot/namespace/{key}`: the namespace as Flipt's client SDKs
//! read it (reference §2.6), with ETag / If-None-Match and `X-Flipt-Accept-Server-Version`
//! gating: before 1.38.0 ENTITY_ID constraints are sent as UNKNOWN, before 1.47.0 no
//! `defaultVariant`; a request without the header is treated as 1.37.1, as Flipt does.
//!
//! Each wire form of a namespace version is rendered once, when first asked for, and kept with
//! the snapshot ([`Encoded`]): every download, stream message and OFREP answer of that version
//! shares those bytes (and one gzip of them), so a download costs a copy of a reference, and
//! a hundred concurrent downloads of a large namespace hold one copy, not a hundred.

use std::{collections::HashMap, sync::Arc};

use app::{
    domain::{ComparisonType, MatchType, Segment},
    error::AppError,
};
use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Value};

use super::{path::Ids, ApiError};
use crate::{
    eval::snapshot::{rule_segment_keys, Encoded},
    eval::Snapshot,
    service::Service,
};

pub async fn get(
    State(service): State<Arc<Service>>,
    ids: Ids,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = service.snapshot(ids.get("key")).await?;
    let accepted = headers
        .get("x-flipt-accept-server-version")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_version)
        .unwrap_or((1, 37, 1));
    download(&snapshot, Form::of(accepted), &headers).await
}

/// A snapshot download: `304` when `If-None-Match` names the current version, otherwise the
/// rendered bytes of `form` (gzip-compressed for clients that accept it), with its `ETag`.
pub async fn download(
    snapshot: &Arc<Snapshot>,
    form: Form,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_matches('"'));
    let etag = HeaderValue::from_str(&snapshot.etag).ok();
    let mut response = if if_none_match == Some(snapshot.etag.as_str()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let encoded = encoded(snapshot, form).await?;
        let mut response = if accepts_gzip(headers) {
            let mut response = Body::from(gzip(encoded).await?).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            response
        } else {
            Body::from(encoded.json.clone()).into_response()
        };
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    };
    let response_headers = response.headers_mut();
    response_headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(etag) = etag {
        response_headers.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// The wire forms of a snapshot: what Flipt sends a client of a given version
/// (`X-Flipt-Accept-Server-Version`), and the v2 stream's message, which adds the `digest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Before 1.38.0: ENTITY_ID constraints as UNKNOWN, no `defaultVariant`.
    Before138 = 0,
    /// Before 1.47.0: no `defaultVariant`.
    Before147 = 1,
    Current = 2,
    /// Flipt v2's `/client/v2` snapshot: the current form plus `digest` (the ETag).
    V2 = 3,
}

impl Form {
    pub fn of(accepted: (u64, u64, u64)) -> Form {
        if accepted < (1, 38, 0) {
            Form::Before138
        } else if accepted < (1, 47, 0) {
            Form::Before147
        } else {
            Form::Current
        }
    }

    fn accepted(self) -> (u64, u64, u64) {
        match self {
            Form::Before138 => (1, 37, 1),
            Form::Before147 => (1, 46, 0),
            Form::Current | Form::V2 => (1, 47, 0),
        }
    }
}

/// The rendered bytes of `form`, rendered on first use (off the async threads: a namespace of
/// 10,000 flags is megabytes) and then shared by every client of this version.
pub async fn encoded(snapshot: &Arc<Snapshot>, form: Form) -> Result<Arc<Encoded>, ApiError> {
    let cell = &snapshot.encoded[form as usize];
    let rendered = cell
        .get_or_try_init(|| {
            let snapshot = snapshot.clone();
            async move {
                tokio::task::spawn_blocking(move || Arc::new(Encoded::new(render(&snapshot, form))))
                    .await
            }
        })
        .await;
    rendered.cloned().map_err(|error| {
        tracing::error!(%error, "rendering a snapshot failed");
        ApiError(AppError::Internal("the snapshot could not be rendered".into()))
    })
}

/// The gzip of an encoded form, compressed once, on first use.
async fn gzip(encoded: Arc<Encoded>) -> Result<Bytes, ApiError> {
    if let Some(compressed) = encoded.gzip.get() {
        return Ok(compressed.clone());
    }
    tokio::task::spawn_blocking(move || {
        encoded.gzip.get_or_init(|| compress(&encoded.json)).clone()
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "compressing a snapshot failed");
        ApiError(AppError::Internal("the snapshot could not be compressed".into()))
    })
}

fn compress(json: &[u8]) -> Bytes {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(json.len() / 8),
        flate2::Compression::fast(),
    );
    encoder.write_all(json).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail").into()
}

/// Whether `Accept-Encoding` allows gzip (`gzip` or `*`, unless its `q` is 0).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|value| {
        value.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
    })
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

/// The snapshot document of `form`; every rule once, empty arrays always present. Written flag
/// by flag, so that only one flag's JSON tree exists at a time beside the output.
pub fn render(snapshot: &Snapshot, form: Form) -> Vec<u8> {
    let accepted = form.accepted();
    let source = &snapshot.source;
    let segments: HashMap<&str, Value> =
        source.segments.iter().map(|s| (s.key.as_str(), segment_json(s, accepted))).collect();
    let pick = |keys: Vec<String>| -> Vec<Value> {
        keys.iter().filter_map(|k| segments.get(k.as_str()).cloned()).collect()
    };
    let variants: HashMap<&str, &app::domain::Variant> =
        source.flags.iter().flat_map(|f| &f.variants).map(|v| (v.id.as_str(), v)).collect();
    let mut rules_by_flag: HashMap<&str, Vec<&app::domain::Rule>> = HashMap::new();
    for rule in &source.rules {
        rules_by_flag.entry(rule.flag_key.as_str()).or_default().push(rule);
    }
    let mut rollouts_by_flag: HashMap<&str, Vec<&app::domain::Rollout>> = HashMap::new();
    for rollout in &source.rollouts {
        rollouts_by_flag.entry(rollout.flag_key.as_str()).or_default().push(rollout);
    }
    let rule_json = |rule: &app::domain::Rule| -> Value {
        let distributions: Vec<Value> = rule
            .distributions
            .iter()
            .filter_map(|d| {
                let v = variants.get(d.variant_id.as_str())?;
                Some(json!({"id": d.id, "ruleId": d.rule_id, "variantId": d.variant_id,
                            "variantKey": v.key, "variantAttachment": v.attachment, "rollout": d.rollout}))
            })
            .collect();
        json!({
            "id": rule.id, "rank": rule.rank, "segmentOperator": rule.segment_operator,
            "segments": pick(rule_segment_keys(&rule.segment_key, &rule.segment_keys)),
            "distributions": distributions,
        })
    };
    let rollout_json = |rollout: &app::domain::Rollout| -> Value {
        let mut item = json!({"type": rollout.rollout_type, "rank": rollout.rank, "description": rollout.description});
        if let Some(t) = &rollout.threshold {
            item["threshold"] = json!({"percentage": t.percentage, "value": t.value});
        }
        if let Some(s) = &rollout.segment {
            item["segment"] = json!({"value": s.value, "segmentOperator": s.segment_operator,
                                     "segments": pick(rule_segment_keys(&s.segment_key, &s.segment_keys))});
        }
        item
    };
    let mut out = Vec::with_capacity(256 + source.flags.len() * 512);
    let write = |out: &mut Vec<u8>, value: &Value| {
        serde_json::to_writer(out, value).expect("JSON values always serialise");
    };
    out.extend_from_slice(b"{\"namespace\":");
    write(&mut out, &json!({"key": snapshot.namespace}));
    out.extend_from_slice(b",\"flags\":[");
    for (i, f) in source.flags.iter().enumerate() {
        let rules = rules_by_flag.remove(f.key.as_str()).unwrap_or_default();
        let rollouts = rollouts_by_flag.remove(f.key.as_str()).unwrap_or_default();
        let mut flag = json!({
            "key": f.key, "name": f.name, "description": f.description, "enabled": f.enabled,
            "type": f.flag_type, "createdAt": f.created_at, "updatedAt": f.updated_at,
            "rules": rules.into_iter().map(rule_json).collect::<Vec<_>>(),
            "rollouts": rollouts.into_iter().map(rollout_json).collect::<Vec<_>>(),
        });
        if let (Some(v), true) = (&f.default_variant, accepted >= (1, 47, 0)) {
            flag["defaultVariant"] = json!({"id": v.id, "key": v.key, "attachment": v.attachment});
        }
        if i > 0 {
            out.push(b',');
        }
        write(&mut out, &flag);
    }
    out.push(b']');
    if form == Form::V2 {
        out.extend_from_slice(b",\"digest\":");
        write(&mut out, &Value::String(snapshot.etag.clone()));
    }
    out.push(b'}');
    out
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
