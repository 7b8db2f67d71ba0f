//! The evaluation engine: pure and synchronous, over an immutable [`Snapshot`]. No I/O, no
//! clocks: timing and metrics belong to the service.
//!
//! Semantics (ARCHITECTURE §2.6): bucketing of Flipt's Rust engine, constraint parsing of
//! Flipt's Go server, rules and rollouts in rank order, and disabled flags as `flipt-client`
//! 1.4.5 answers them.

pub mod bucket;
pub mod constraints;
pub mod snapshot;

use std::collections::HashMap;

use app::domain::{EvaluationReason, FlagType, MatchType, SegmentOperator};

pub use snapshot::{EvalFlag, Snapshot, Source};
use snapshot::{EvalRollout, EvalSegment};

/// Why an evaluation could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    FlagNotFound,
    /// The flag exists but is of the other type.
    WrongType(FlagType),
}

/// A variant flag's answer, before request metadata is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantOutcome {
    pub matched: bool,
    pub reason: EvaluationReason,
    pub variant_key: String,
    pub attachment: String,
    pub segment_keys: Vec<String>,
}

/// A boolean flag's answer, before request metadata is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooleanOutcome {
    pub enabled: bool,
    pub reason: EvaluationReason,
    pub segment_keys: Vec<String>,
}

fn flag<'a>(
    snapshot: &'a Snapshot,
    key: &str,
    expected: FlagType,
) -> Result<&'a EvalFlag, EvalError> {
    let flag = snapshot.flags.get(key).ok_or(EvalError::FlagNotFound)?;
    if flag.flag_type != expected {
        return Err(EvalError::WrongType(flag.flag_type));
    }
    Ok(flag)
}

fn segment_matches(
    segment: &EvalSegment,
    context: &HashMap<String, String>,
    entity_id: &str,
) -> bool {
    let mut results = segment
        .constraints
        .iter()
        .map(|c| c.matches(context.get(&c.property).map(String::as_str), entity_id));
    match segment.match_type {
        MatchType::All => results.all(|m| m),
        MatchType::Any => segment.constraints.is_empty() || results.any(|m| m),
    }
}

/// The keys of the matching segments, if the operator is satisfied.
fn matching_segments(
    segments: &[std::sync::Arc<EvalSegment>],
    operator: SegmentOperator,
    context: &HashMap<String, String>,
    entity_id: &str,
) -> Option<Vec<String>> {
    let matched: Vec<String> = segments
        .iter()
        .filter(|s| segment_matches(s, context, entity_id))
        .map(|s| s.key.clone())
        .collect();
    let satisfied = match operator {
        SegmentOperator::Or => !matched.is_empty(),
        SegmentOperator::And => matched.len() == segments.len(),
    };
    satisfied.then_some(matched)
}

/// Evaluates a variant flag.
pub fn variant(
    snapshot: &Snapshot,
    flag_key: &str,
    entity_id: &str,
    context: &HashMap<String, String>,
) -> Result<VariantOutcome, EvalError> {
    let flag = flag(snapshot, flag_key, FlagType::Variant)?;
    let mut outcome = VariantOutcome {
        matched: false,
        reason: EvaluationReason::Unknown,
        variant_key: String::new(),
        attachment: String::new(),
        segment_keys: Vec::new(),
    };
    if let Some(default) = &flag.default_variant {
        outcome.reason = EvaluationReason::Default;
        outcome.variant_key = default.key.clone();
        outcome.attachment = default.attachment.clone();
    }
    if !flag.enabled {
        outcome.reason = EvaluationReason::FlagDisabled;
        return Ok(outcome);
    }
    for rule in &flag.rules {
        let Some(segment_keys) =
            matching_segments(&rule.segments, rule.operator, context, entity_id)
        else {
            continue;
        };
        outcome.segment_keys = segment_keys;
        if rule.variants.is_empty() {
            outcome.matched = true;
            outcome.reason = EvaluationReason::Match;
            return Ok(outcome);
        }
        match bucket::pick(&rule.edges, bucket::variant_bucket(flag_key, entity_id)) {
            Some(index) => {
                let variant = &rule.variants[index];
                outcome.matched = true;
                outcome.reason = EvaluationReason::Match;
                outcome.variant_key = variant.key.clone();
                outcome.attachment = variant.attachment.clone();
            }
            None => {
                outcome.matched = false;
                outcome.reason = EvaluationReason::Default;
            }
        }
        return Ok(outcome);
    }
    Ok(outcome)
}

/// Evaluates a boolean flag. A disabled flag still applies its rollouts; with none it answers
/// `false` with FLAG_DISABLED (as `flipt-client` 1.4.5 does).
pub fn boolean(
    snapshot: &Snapshot,
    flag_key: &str,
    entity_id: &str,
    context: &HashMap<String, String>,
) -> Result<BooleanOutcome, EvalError> {
    let flag = flag(snapshot, flag_key, FlagType::Boolean)?;
    if !flag.enabled && flag.rollouts.is_empty() {
        return Ok(BooleanOutcome {
            enabled: false,
            reason: EvaluationReason::FlagDisabled,
            segment_keys: Vec::new(),
        });
    }
    for rollout in &flag.rollouts {
        match rollout {
            EvalRollout::Threshold { percentage, value } => {
                if (bucket::threshold_bucket(entity_id, flag_key) as f32) < *percentage {
                    return Ok(BooleanOutcome {
                        enabled: *value,
                        reason: EvaluationReason::Match,
                        segment_keys: Vec::new(),
                    });
                }
            }
            EvalRollout::Segment { operator, value, segments } => {
                if let Some(segment_keys) =
                    matching_segments(segments, *operator, context, entity_id)
                {
                    return Ok(BooleanOutcome {
                        enabled: *value,
                        reason: EvaluationReason::Match,
                        segment_keys,
                    });
                }
            }
        }
    }
    Ok(BooleanOutcome {
        enabled: flag.enabled,
        reason: EvaluationReason::Default,
        segment_keys: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
