//! Importing into a Flipt server through its REST API, in the order `flipt import` uses:
//! the namespace, segments with their constraints, then each flag with its variants, default
//! variant, rules with distributions, and rollouts. Flipt cannot do this in one transaction, so
//! every conflict the documents have with what the server holds is found before the first
//! write; `--replace` (which needs a snapshot and one transaction) is refused.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Context as _};
use app::{
    domain::{Flag, Segment},
    url::encode_component,
};
use reqwest::Method;
use serde_json::{json, Value};

use super::Remote;
use crate::{
    document::{DocFlag, DocRollout, Document, NamespaceRef, SegmentRef},
    service::{ImportMode, ImportSummary, Progress},
};

/// What the server already holds in one namespace.
struct Existing {
    namespace: bool,
    flags: HashSet<String>,
    segments: HashSet<String>,
}

pub(super) async fn replay(
    remote: &Remote,
    documents: &[Document],
    mode: ImportMode,
    dry_run: bool,
    progress: &Progress<'_>,
) -> anyhow::Result<Vec<ImportSummary>> {
    if mode == ImportMode::Replace {
        bail!(
            "--replace needs a Vexil server: {} speaks Flipt's API, which cannot replace a \
             namespace in one transaction (delete its flags and segments first, or import with \
             --skip-existing)",
            remote.base
        );
    }
    // Look first, write after: a conflict stops the import before anything is written.
    let mut existing: HashMap<String, Existing> = HashMap::new();
    let mut summaries = Vec::with_capacity(documents.len());
    for document in documents {
        let key = document.namespace.key().to_string();
        if !existing.contains_key(&key) {
            existing.insert(key.clone(), look(remote, &key).await?);
        }
        let held = &existing[&key];
        let mut summary = ImportSummary {
            namespace: key.clone(),
            namespace_created: !held.namespace,
            ..Default::default()
        };
        for s in &document.segments {
            if held.segments.contains(&s.key) {
                if mode == ImportMode::CreateOnly {
                    bail!("segment \"{key}/{}\" is not unique (already on the server)", s.key);
                }
                summary.segments_skipped += 1;
            } else {
                summary.segments_created += 1;
            }
        }
        for f in &document.flags {
            if held.flags.contains(&f.key) {
                if mode == ImportMode::CreateOnly {
                    bail!("flag \"{key}/{}\" is not unique (already on the server)", f.key);
                }
                summary.flags_skipped += 1;
            } else {
                summary.flags_created += 1;
            }
        }
        summaries.push(summary);
    }
    if dry_run {
        return Ok(summaries);
    }
    let mut created_namespaces = HashSet::new();
    for document in documents {
        let key = document.namespace.key();
        let held = &existing[key];
        let base = format!("/api/v1/namespaces/{}", encode_component(key));
        if !held.namespace && created_namespaces.insert(key.to_string()) {
            let (name, description) = match &document.namespace {
                NamespaceRef::Full { name, description, .. } if !name.is_empty() => {
                    (name.as_str(), description.as_str())
                }
                _ => (key, ""),
            };
            remote
                .send(
                    Method::POST,
                    "/api/v1/namespaces",
                    Some(&json!({"key": key, "name": name, "description": description})),
                )
                .await?;
        }
        for s in &document.segments {
            if !held.segments.contains(&s.key) {
                let body = json!({"key": s.key, "name": s.name, "description": s.description, "matchType": s.match_type});
                remote.send(Method::POST, &format!("{base}/segments"), Some(&body)).await?;
                for c in &s.constraints {
                    let body = json!({"type": c.comparison_type, "property": c.property, "operator": c.operator, "value": c.value, "description": c.description});
                    remote
                        .send(
                            Method::POST,
                            &format!("{base}/segments/{}/constraints", encode_component(&s.key)),
                            Some(&body),
                        )
                        .await?;
                }
            }
            progress(1);
        }
        for f in &document.flags {
            if !held.flags.contains(&f.key) {
                create_flag(remote, &base, f)
                    .await
                    .with_context(|| format!("flag \"{key}/{}\"", f.key))?;
            }
            progress(1);
        }
    }
    Ok(summaries)
}

async fn look(remote: &Remote, key: &str) -> anyhow::Result<Existing> {
    let base = format!("/api/v1/namespaces/{}", encode_component(key));
    if remote.find::<Value>(&base).await?.is_none() {
        return Ok(Existing { namespace: false, flags: HashSet::new(), segments: HashSet::new() });
    }
    let flags: Vec<Flag> = remote.list(&format!("{base}/flags"), "flags").await?;
    let segments: Vec<Segment> = remote.list(&format!("{base}/segments"), "segments").await?;
    Ok(Existing {
        namespace: true,
        flags: flags.into_iter().map(|f| f.key).collect(),
        segments: segments.into_iter().map(|s| s.key).collect(),
    })
}

fn segment_fields(reference: &SegmentRef) -> (String, Vec<String>, String) {
    match reference {
        SegmentRef::Key(key) => (key.clone(), Vec::new(), String::new()),
        SegmentRef::Many { key, keys, operator } => {
            (key.clone().unwrap_or_default(), keys.clone(), operator.clone().unwrap_or_default())
        }
    }
}

fn operator(text: &str) -> &str {
    if text.is_empty() {
        "OR_SEGMENT_OPERATOR"
    } else {
        text
    }
}

async fn create_flag(remote: &Remote, base: &str, f: &DocFlag) -> anyhow::Result<()> {
    let flag_type =
        f.flag_type.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "VARIANT_FLAG_TYPE".into());
    let metadata = f.metadata.clone().map(Value::Object).unwrap_or_else(|| json!({}));
    let body = json!({"key": f.key, "name": f.name, "description": f.description, "enabled": f.enabled, "type": flag_type, "metadata": metadata});
    remote.send(Method::POST, &format!("{base}/flags"), Some(&body)).await?;
    let path = format!("{base}/flags/{}", encode_component(&f.key));
    let mut variant_ids = HashMap::new();
    let mut default_id = None;
    for v in &f.variants {
        let attachment = match &v.attachment {
            Some(value) if !value.is_null() => serde_json::to_string(value)?,
            _ => String::new(),
        };
        let body = json!({"key": v.key, "name": v.name, "description": v.description, "attachment": attachment});
        let created = remote.send(Method::POST, &format!("{path}/variants"), Some(&body)).await?;
        let id = created["id"].as_str().unwrap_or_default().to_string();
        if v.default {
            default_id = Some(id.clone());
        }
        variant_ids.insert(v.key.clone(), id);
    }
    if let Some(id) = default_id {
        let body = json!({"key": f.key, "name": f.name, "description": f.description, "enabled": f.enabled, "defaultVariantId": id, "metadata": metadata});
        remote.send(Method::PUT, &path, Some(&body)).await?;
    }
    for (index, rule) in f.rules.iter().enumerate() {
        let (key, keys, op) = segment_fields(&rule.segment);
        let rank = rule.rank.filter(|r| *r > 0).unwrap_or(index as i64 + 1);
        let body = json!({"segmentKey": key, "segmentKeys": keys, "segmentOperator": operator(&op), "rank": rank});
        let created = remote.send(Method::POST, &format!("{path}/rules"), Some(&body)).await?;
        let rule_id = created["id"].as_str().unwrap_or_default().to_string();
        for d in &rule.distributions {
            let Some(variant_id) = variant_ids.get(&d.variant) else {
                bail!("rule {}: variant \"{}\" is not a variant of the flag", index + 1, d.variant);
            };
            let body = json!({"variantId": variant_id, "rollout": d.rollout});
            remote
                .send(Method::POST, &format!("{path}/rules/{rule_id}/distributions"), Some(&body))
                .await?;
        }
    }
    for (index, rollout) in f.rollouts.iter().enumerate() {
        let body = rollout_body(rollout, index as i64 + 1);
        remote.send(Method::POST, &format!("{path}/rollouts"), Some(&body)).await?;
    }
    Ok(())
}

fn rollout_body(rollout: &DocRollout, rank: i64) -> Value {
    let mut body = json!({"rank": rank, "description": rollout.description});
    if let Some(s) = &rollout.segment {
        let op = s.operator.clone().unwrap_or_default();
        body["segment"] = json!({
            "segmentKey": s.key.clone().unwrap_or_default(),
            "segmentKeys": s.keys,
            "segmentOperator": operator(&op),
            "value": s.value,
        });
    }
    if let Some(t) = &rollout.threshold {
        body["threshold"] = json!({"percentage": t.percentage, "value": t.value});
    }
    body
}
