//! An immutable, pre-indexed namespace: what the evaluation engine reads. Built once per
//! namespace data version from the stored objects; constraints are compiled and distribution
//! edges computed at build time, so an evaluation is lookups, hashing and comparisons.

use std::{collections::HashMap, sync::Arc};

use app::domain::{
    Flag, FlagType, MatchType, Rollout, RolloutType, Rule, Segment, SegmentOperator,
};

use super::{bucket, constraints::Compiled};

/// One namespace at one data version.
#[derive(Debug)]
pub struct Snapshot {
    pub namespace: String,
    /// The namespace's data version this snapshot reflects.
    pub version: i64,
    /// Changes whenever the content may have changed (see `cache`), for HTTP ETags.
    pub etag: String,
    pub flags: HashMap<String, EvalFlag>,
    /// The stored objects, in Flipt's order, for the client snapshot endpoint.
    pub source: Source,
    /// False for a namespace that is not stored (its snapshot is empty and never cached).
    pub exists: bool,
    /// Its wire forms (`api::snapshot::Form`), each rendered once, on first use, and shared as
    /// bytes by every download and stream message of this version.
    pub encoded: [tokio::sync::OnceCell<Arc<Encoded>>; ENCODED_FORMS],
}

/// How many wire forms a snapshot has (`api::snapshot::Form`).
pub const ENCODED_FORMS: usize = 4;

/// One rendered wire form: the JSON bytes and, once a client has asked for it, their gzip.
#[derive(Debug)]
pub struct Encoded {
    pub json: axum::body::Bytes,
    pub gzip: std::sync::OnceLock<axum::body::Bytes>,
}

impl Encoded {
    pub fn new(json: Vec<u8>) -> Self {
        Encoded { json: json.into(), gzip: std::sync::OnceLock::new() }
    }
}

/// The stored objects a snapshot was built from.
#[derive(Debug, Default)]
pub struct Source {
    pub flags: Vec<Flag>,
    pub segments: Vec<Segment>,
    /// Rules of every flag, in rank order per flag.
    pub rules: Vec<Rule>,
    /// Rollouts of every flag, in rank order per flag.
    pub rollouts: Vec<Rollout>,
}

#[derive(Debug)]
pub struct EvalFlag {
    pub key: String,
    pub enabled: bool,
    pub flag_type: FlagType,
    pub default_variant: Option<EvalVariant>,
    pub rules: Vec<EvalRule>,
    pub rollouts: Vec<EvalRollout>,
}

#[derive(Debug, Clone)]
pub struct EvalVariant {
    pub key: String,
    pub attachment: String,
}

#[derive(Debug)]
pub struct EvalRule {
    pub operator: SegmentOperator,
    pub segments: Vec<Arc<EvalSegment>>,
    /// Distributions with a positive rollout, in creation order, and their bucket edges.
    pub variants: Vec<EvalVariant>,
    pub edges: Vec<i32>,
}

#[derive(Debug)]
pub struct EvalSegment {
    pub key: String,
    pub match_type: MatchType,
    pub constraints: Vec<Compiled>,
}

#[derive(Debug)]
pub enum EvalRollout {
    Threshold { percentage: f32, value: bool },
    Segment { operator: SegmentOperator, value: bool, segments: Vec<Arc<EvalSegment>> },
}

impl Snapshot {
    /// Compiles the stored objects of one namespace.
    pub fn build(namespace: &str, version: i64, etag: String, source: Source) -> Self {
        let segments: HashMap<&str, Arc<EvalSegment>> = source
            .segments
            .iter()
            .map(|s| {
                let constraints = s
                    .constraints
                    .iter()
                    .map(|c| Compiled::new(c.comparison_type, &c.property, &c.operator, &c.value))
                    .collect();
                (
                    s.key.as_str(),
                    Arc::new(EvalSegment {
                        key: s.key.clone(),
                        match_type: s.match_type,
                        constraints,
                    }),
                )
            })
            .collect();
        let resolve = |keys: &[String]| -> Vec<Arc<EvalSegment>> {
            keys.iter().filter_map(|k| segments.get(k.as_str()).cloned()).collect()
        };
        let mut flags: HashMap<String, EvalFlag> = source
            .flags
            .iter()
            .map(|f| {
                let default_variant = f
                    .default_variant
                    .as_ref()
                    .map(|v| EvalVariant { key: v.key.clone(), attachment: v.attachment.clone() });
                let flag = EvalFlag {
                    key: f.key.clone(),
                    enabled: f.enabled,
                    flag_type: f.flag_type,
                    default_variant,
                    rules: Vec::new(),
                    rollouts: Vec::new(),
                };
                (f.key.clone(), flag)
            })
            .collect();
        let variants: HashMap<&str, &app::domain::Variant> =
            source.flags.iter().flat_map(|f| &f.variants).map(|v| (v.id.as_str(), v)).collect();
        for rule in &source.rules {
            let Some(flag) = flags.get_mut(&rule.flag_key) else { continue };
            let positive: Vec<(EvalVariant, f32)> = rule
                .distributions
                .iter()
                .filter(|d| d.rollout > 0.0)
                .filter_map(|d| {
                    let v = variants.get(d.variant_id.as_str())?;
                    Some((
                        EvalVariant { key: v.key.clone(), attachment: v.attachment.clone() },
                        d.rollout as f32,
                    ))
                })
                .collect();
            let shares: Vec<f32> = positive.iter().map(|(_, r)| *r).collect();
            flag.rules.push(EvalRule {
                operator: rule.segment_operator,
                segments: resolve(&rule_segment_keys(&rule.segment_key, &rule.segment_keys)),
                edges: if shares.is_empty() { Vec::new() } else { bucket::edges(&shares) },
                variants: positive.into_iter().map(|(v, _)| v).collect(),
            });
        }
        for rollout in &source.rollouts {
            let Some(flag) = flags.get_mut(&rollout.flag_key) else { continue };
            let compiled = match (rollout.rollout_type, &rollout.threshold, &rollout.segment) {
                (RolloutType::Threshold, Some(t), _) => {
                    EvalRollout::Threshold { percentage: t.percentage as f32, value: t.value }
                }
                (RolloutType::Segment, _, Some(s)) => EvalRollout::Segment {
                    operator: s.segment_operator,
                    value: s.value,
                    segments: resolve(&rule_segment_keys(&s.segment_key, &s.segment_keys)),
                },
                _ => continue,
            };
            flag.rollouts.push(compiled);
        }
        Snapshot {
            namespace: namespace.to_string(),
            version,
            etag,
            flags,
            source,
            exists: true,
            encoded: Default::default(),
        }
    }
}

/// A rule's or rollout's segment keys from Flipt's single/list convention.
pub fn rule_segment_keys(single: &str, list: &[String]) -> Vec<String> {
    if single.is_empty() {
        list.to_vec()
    } else {
        vec![single.to_string()]
    }
}
