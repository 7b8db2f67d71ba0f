//! Stored objects → Flipt documents.

use std::collections::HashMap;

use app::domain::{Namespace, Rule, SegmentOperator};

use super::*;
use crate::eval::{snapshot::rule_segment_keys, Source};

/// The version `vexil export` writes.
pub const EXPORT_VERSION: &str = "1.4";

fn segment_ref(single: &str, list: &[String], operator: SegmentOperator) -> SegmentRef {
    let keys = rule_segment_keys(single, list);
    if keys.len() == 1 {
        return SegmentRef::Key(keys[0].clone());
    }
    let operator = (operator == SegmentOperator::And).then(|| operator.wire_name().to_string());
    SegmentRef::Many { key: None, keys, operator }
}

/// One namespace as a document; `sort_by_key` orders flags and segments by key (Flipt's
/// `--sort-by-key`), otherwise they keep their creation order.
pub fn export(namespace: &Namespace, source: &Source, sort_by_key: bool) -> Document {
    let mut rules_by_flag: HashMap<&str, Vec<&Rule>> = HashMap::new();
    for rule in &source.rules {
        rules_by_flag.entry(rule.flag_key.as_str()).or_default().push(rule);
    }
    let mut rollouts_by_flag: HashMap<&str, Vec<DocRollout>> = HashMap::new();
    for rollout in &source.rollouts {
        let segment = rollout.segment.as_ref().map(|s| {
            let keys = rule_segment_keys(&s.segment_key, &s.segment_keys);
            let (key, keys) =
                if keys.len() == 1 { (Some(keys[0].clone()), Vec::new()) } else { (None, keys) };
            let operator = (s.segment_operator == SegmentOperator::And)
                .then(|| s.segment_operator.wire_name().to_string());
            DocRolloutSegment { key, keys, operator, value: s.value }
        });
        let threshold = rollout
            .threshold
            .as_ref()
            .map(|t| DocThreshold { percentage: t.percentage, value: t.value });
        rollouts_by_flag.entry(rollout.flag_key.as_str()).or_default().push(DocRollout {
            description: rollout.description.clone(),
            segment,
            threshold,
        });
    }
    let mut flags: Vec<DocFlag> = source
        .flags
        .iter()
        .map(|flag| {
            let default_id = flag.default_variant.as_ref().map(|v| v.id.as_str());
            let variant_key =
                |id: &str| flag.variants.iter().find(|v| v.id == id).map(|v| v.key.clone());
            let rules = rules_by_flag
                .get(flag.key.as_str())
                .map(|rules| {
                    rules
                        .iter()
                        .map(|rule| DocRule {
                            segment: segment_ref(
                                &rule.segment_key,
                                &rule.segment_keys,
                                rule.segment_operator,
                            ),
                            rank: None,
                            distributions: rule
                                .distributions
                                .iter()
                                .filter_map(|d| {
                                    Some(DocDistribution {
                                        variant: variant_key(&d.variant_id)?,
                                        rollout: d.rollout,
                                    })
                                })
                                .collect(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            DocFlag {
                key: flag.key.clone(),
                name: flag.name.clone(),
                flag_type: Some(flag.flag_type.wire_name().to_string()),
                description: flag.description.clone(),
                enabled: flag.enabled,
                metadata: flag.metadata.clone().filter(|m| !m.is_empty()),
                variants: flag
                    .variants
                    .iter()
                    .map(|v| DocVariant {
                        key: v.key.clone(),
                        name: v.name.clone(),
                        description: v.description.clone(),
                        attachment: (!v.attachment.is_empty())
                            .then(|| serde_json::from_str(&v.attachment).ok())
                            .flatten(),
                        default: default_id == Some(v.id.as_str()),
                    })
                    .collect(),
                rules,
                rollouts: rollouts_by_flag.remove(flag.key.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    let mut segments: Vec<DocSegment> = source
        .segments
        .iter()
        .map(|s| DocSegment {
            key: s.key.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            constraints: s
                .constraints
                .iter()
                .map(|c| DocConstraint {
                    comparison_type: c.comparison_type.wire_name().to_string(),
                    property: c.property.clone(),
                    operator: c.operator.clone(),
                    value: c.value.clone(),
                    description: c.description.clone(),
                })
                .collect(),
            match_type: s.match_type.wire_name().to_string(),
        })
        .collect();
    if sort_by_key {
        flags.sort_by(|a, b| a.key.cmp(&b.key));
        segments.sort_by(|a, b| a.key.cmp(&b.key));
    }
    Document {
        version: EXPORT_VERSION.to_string(),
        namespace: NamespaceRef::Full {
            key: namespace.key.clone(),
            name: namespace.name.clone(),
            description: namespace.description.clone(),
        },
        flags,
        segments,
    }
}

/// Several documents as one YAML stream (`---` between documents).
pub fn to_yaml_stream(documents: &[Document]) -> Result<String, serde_yaml::Error> {
    let mut out = String::new();
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&serde_yaml::to_string(document)?);
    }
    Ok(out)
}
