//! Creating one document's segments and flags (with variants, rules, distributions and
//! rollouts) inside the import's transaction, validated as the API validates them.

use std::collections::HashMap;

use app::{
    domain::{ComparisonType, FlagType, MatchType, SegmentOperator},
    error::AppError,
};

use super::{enum_value, invalid};
use crate::{
    document::{DocFlag, DocSegment, SegmentRef},
    service::{error::not_found, internal, new_id, validate},
    store::{
        flags, flags::FlagRow, flags::VariantRow, now_nanos, rollouts, rollouts::Part,
        rollouts::RolloutRow, rules, rules::DistributionRow, rules::RuleRow, segments,
        segments::ConstraintRow, segments::SegmentRow, Tx,
    },
};

pub(super) async fn import_segment(
    tx: &mut Tx,
    namespace: &str,
    segment: &DocSegment,
) -> Result<(), AppError> {
    validate::key("key", &segment.key)?;
    validate::required("name", &segment.name)?;
    let match_type = enum_value(MatchType::from_wire_name, &segment.match_type, "match type")?;
    let now = now_nanos();
    let row = SegmentRow {
        namespace_key: namespace.to_string(),
        key: segment.key.clone(),
        name: segment.name.clone(),
        description: segment.description.clone(),
        match_type: match_type.number(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    segments::insert(tx, &row).await.map_err(internal)?;
    for constraint in &segment.constraints {
        let comparison = enum_value(
            ComparisonType::from_wire_name,
            &constraint.comparison_type,
            "constraint type",
        )?;
        let checked = validate::constraint(
            comparison,
            &constraint.property,
            &constraint.operator,
            &constraint.value,
        )?;
        let now = now_nanos();
        let row = ConstraintRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            segment_key: segment.key.clone(),
            comparison_type: comparison.number(),
            property: constraint.property.clone(),
            operator: checked.operator,
            value: checked.value,
            description: constraint.description.clone(),
            created_at: now,
            updated_at: now,
        };
        segments::insert_constraint(tx, &row).await.map_err(internal)?;
    }
    Ok(())
}

/// Segment keys and operator of a rule or rollout reference, checked to exist.
async fn referenced(
    tx: &mut Tx,
    namespace: &str,
    key: Option<&str>,
    keys: &[String],
    operator: Option<&str>,
) -> Result<(Vec<String>, SegmentOperator), AppError> {
    let all: Vec<String> =
        key.map(str::to_string).into_iter().chain(keys.iter().cloned()).collect();
    if all.is_empty() {
        return Err(invalid("a rule or rollout names no segment".into()));
    }
    let existing = segments::existing_keys(tx, namespace, &all).await.map_err(internal)?;
    if let Some(missing) = all.iter().find(|k| !existing.contains(k)) {
        return Err(not_found("segment", &format!("{namespace}/{missing}")));
    }
    let operator = match operator {
        Some(text) if all.len() > 1 => {
            enum_value(SegmentOperator::from_wire_name, text, "segment operator")?
        }
        _ => SegmentOperator::Or,
    };
    Ok((all, operator))
}

pub(super) async fn import_flag(
    tx: &mut Tx,
    namespace: &str,
    flag: &DocFlag,
) -> Result<(), AppError> {
    validate::key("key", &flag.key)?;
    validate::required("name", &flag.name)?;
    let flag_type = enum_value(
        FlagType::from_wire_name,
        flag.flag_type.as_deref().unwrap_or("VARIANT_FLAG_TYPE"),
        "flag type",
    )?;
    let metadata = match &flag.metadata {
        Some(map) => validate::metadata(&serde_json::Value::Object(map.clone()))?,
        None => None,
    };
    let now = now_nanos();
    let mut row = FlagRow {
        namespace_key: namespace.to_string(),
        key: flag.key.clone(),
        name: flag.name.clone(),
        description: flag.description.clone(),
        enabled: i64::from(flag.enabled),
        flag_type: flag_type.number(),
        default_variant_id: None,
        metadata,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    flags::insert(tx, &row).await.map_err(internal)?;
    let mut variant_ids: HashMap<&str, String> = HashMap::new();
    for variant in &flag.variants {
        validate::required("key", &variant.key)?;
        let attachment = match &variant.attachment {
            Some(value) => validate::attachment(&value.to_string())?,
            None => None,
        };
        let now = now_nanos();
        let id = new_id();
        let created = VariantRow {
            id: id.clone(),
            namespace_key: namespace.to_string(),
            flag_key: flag.key.clone(),
            key: variant.key.clone(),
            name: variant.name.clone(),
            description: variant.description.clone(),
            attachment,
            created_at: now,
            updated_at: now,
        };
        if variant_ids.insert(variant.key.as_str(), id.clone()).is_some() {
            return Err(invalid(format!(
                "variant \"{}\" appears twice in flag \"{}\"",
                variant.key, flag.key
            )));
        }
        flags::insert_variant(tx, &created).await.map_err(internal)?;
        if variant.default {
            row.default_variant_id = Some(id);
        }
    }
    if row.default_variant_id.is_some() {
        flags::update(tx, &row, None).await.map_err(internal)?;
    }
    for (index, rule) in flag.rules.iter().enumerate() {
        let (key, keys, operator) = match &rule.segment {
            SegmentRef::Key(key) => (Some(key.as_str()), &[][..], None),
            SegmentRef::Many { key, keys, operator } => {
                (key.as_deref(), keys.as_slice(), operator.as_deref())
            }
        };
        let (segment_keys, operator) = referenced(tx, namespace, key, keys, operator).await?;
        let rank = rule.rank.unwrap_or(index as i64 + 1);
        if rank <= 0 {
            return Err(invalid(format!(
                "flag \"{}\": rule rank must be greater than 0",
                flag.key
            )));
        }
        let now = now_nanos();
        let created = RuleRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            flag_key: flag.key.clone(),
            rank,
            segment_operator: operator.number(),
            created_at: now,
            updated_at: now,
        };
        rules::insert(tx, &created, &segment_keys).await.map_err(internal)?;
        for distribution in &rule.distributions {
            let variant_id = variant_ids.get(distribution.variant.as_str()).ok_or_else(|| {
                invalid(format!(
                    "flag \"{}\": distribution names unknown variant \"{}\"",
                    flag.key, distribution.variant
                ))
            })?;
            validate::percentage("rollout", distribution.rollout)?;
            let now = now_nanos();
            let row = DistributionRow {
                id: new_id(),
                rule_id: created.id.clone(),
                variant_id: variant_id.clone(),
                rollout: distribution.rollout,
                created_at: now,
                updated_at: now,
            };
            rules::insert_distribution(tx, &row).await.map_err(internal)?;
        }
    }
    for (index, rollout) in flag.rollouts.iter().enumerate() {
        let now = now_nanos();
        let mut created = RolloutRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            flag_key: flag.key.clone(),
            rollout_type: 0,
            description: rollout.description.clone(),
            rank: index as i64 + 1,
            created_at: now,
            updated_at: now,
        };
        match (&rollout.segment, &rollout.threshold) {
            (Some(segment), None) => {
                let (keys, operator) = referenced(
                    tx,
                    namespace,
                    segment.key.as_deref(),
                    &segment.keys,
                    segment.operator.as_deref(),
                )
                .await?;
                created.rollout_type = app::domain::RolloutType::Segment.number();
                let part = Part::Segment {
                    keys: &keys,
                    operator: operator.number(),
                    value: segment.value,
                };
                rollouts::insert(tx, &created, part).await.map_err(internal)?;
            }
            (None, Some(threshold)) => {
                validate::percentage("percentage", threshold.percentage)?;
                created.rollout_type = app::domain::RolloutType::Threshold.number();
                let part =
                    Part::Threshold { percentage: threshold.percentage, value: threshold.value };
                rollouts::insert(tx, &created, part).await.map_err(internal)?;
            }
            _ => {
                return Err(invalid(format!(
                    "flag \"{}\": a rollout needs exactly one of segment and threshold",
                    flag.key
                )))
            }
        }
    }
    Ok(())
}
