//! Importing Flipt documents: all documents in one transaction, so any error leaves the
//! database exactly as it was. Values are validated as the API validates them.

use std::collections::{HashMap, HashSet};

use app::{
    domain::{ComparisonType, FlagType, MatchType, SegmentOperator},
    error::AppError,
};
use serde::Serialize;

use super::{error::not_found, history::snap, internal, new_id, validate, Service};
use crate::{
    document::{DocFlag, DocSegment, Document, NamespaceRef, SegmentRef},
    store::{
        flags, flags::FlagRow, flags::VariantRow, namespaces, now_nanos, rollouts, rollouts::Part,
        rollouts::RolloutRow, rules, rules::DistributionRow, rules::RuleRow, segments,
        segments::ConstraintRow, segments::SegmentRow, Tx,
    },
};

/// What to do with flags and segments that already exist.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImportMode {
    /// Flipt's default: an existing key is an error.
    #[default]
    CreateOnly,
    /// Leave existing flags and segments as they are.
    SkipExisting,
    /// Remove the namespace's flags and segments first.
    Replace,
}

/// What an import did (or, in a dry run, would do) to one namespace.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub namespace: String,
    pub namespace_created: bool,
    pub replaced: bool,
    pub flags_created: usize,
    pub flags_skipped: usize,
    pub segments_created: usize,
    pub segments_skipped: usize,
}

fn within(error: AppError, number: usize, namespace: &str) -> AppError {
    let place = format!("document {number} (namespace \"{namespace}\")");
    match error {
        AppError::Invalid(m) => AppError::Invalid(format!("{place}: {m}")),
        AppError::NotFound(m) => AppError::NotFound(format!("{place}: {m}")),
        other => other,
    }
}

fn invalid(message: String) -> AppError {
    AppError::Invalid(message)
}

impl Service {
    /// Applies `documents` in one transaction; with `dry_run` nothing is committed.
    pub async fn import(
        &self,
        documents: &[Document],
        mode: ImportMode,
        dry_run: bool,
    ) -> Result<Vec<ImportSummary>, AppError> {
        let mut tx = self.begin().await?;
        let mut summaries = Vec::with_capacity(documents.len());
        for (index, document) in documents.iter().enumerate() {
            let namespace = document.namespace.key().to_string();
            if mode == ImportMode::Replace {
                self.snapshot_in(&mut tx, &namespace, "before replacing import", true).await?;
            }
            let summary = import_one(&mut tx, document, mode)
                .await
                .map_err(|e| within(e, index + 1, &namespace))?;
            self.record(
                &mut tx,
                &namespace,
                "namespace",
                &namespace,
                "imported",
                None,
                snap(document),
            )
            .await?;
            summaries.push(summary);
        }
        if dry_run {
            return Ok(summaries); // dropping the transaction rolls everything back
        }
        let mut versions = Vec::new();
        for summary in &summaries {
            let version = namespaces::bump_data_version(&mut tx, &summary.namespace)
                .await
                .map_err(internal)?
                .ok_or_else(|| not_found("namespace", &summary.namespace))?;
            self.store.notify(&mut tx, &summary.namespace, version).await.map_err(internal)?;
            versions.push((summary.namespace.clone(), version));
        }
        tx.commit().await.map_err(|e| internal(e.into()))?;
        for (namespace, version) in versions {
            self.cache.invalidate(&namespace, version);
        }
        Ok(summaries)
    }
}

pub(super) async fn import_one(
    tx: &mut Tx,
    document: &Document,
    mode: ImportMode,
) -> Result<ImportSummary, AppError> {
    let key = document.namespace.key();
    validate::key("namespace", key)?;
    let mut summary = ImportSummary { namespace: key.to_string(), ..Default::default() };
    let exists = namespaces::get(&mut **tx, key).await.map_err(internal)?.is_some();
    if !exists {
        let (name, description) = match &document.namespace {
            NamespaceRef::Full { name, description, .. } if !name.is_empty() => {
                (name.as_str(), description.as_str())
            }
            _ => (key, ""),
        };
        namespaces::insert(tx, key, name, description, now_nanos()).await.map_err(internal)?;
        summary.namespace_created = true;
    } else if mode == ImportMode::Replace {
        flags::delete_all(tx, key).await.map_err(internal)?;
        segments::delete_all(tx, key).await.map_err(internal)?;
        summary.replaced = true;
    }
    unique_keys("segment", key, document.segments.iter().map(|s| s.key.as_str()))?;
    unique_keys("flag", key, document.flags.iter().map(|f| f.key.as_str()))?;
    for segment in &document.segments {
        if segments::get(tx, key, &segment.key).await.map_err(internal)?.is_some() {
            match mode {
                ImportMode::SkipExisting => {
                    summary.segments_skipped += 1;
                    continue;
                }
                _ => {
                    return Err(invalid(format!("segment \"{key}/{}\" is not unique", segment.key)))
                }
            }
        }
        import_segment(tx, key, segment).await?;
        summary.segments_created += 1;
    }
    for flag in &document.flags {
        if flags::get(tx, key, &flag.key).await.map_err(internal)?.is_some() {
            match mode {
                ImportMode::SkipExisting => {
                    summary.flags_skipped += 1;
                    continue;
                }
                _ => return Err(invalid(format!("flag \"{key}/{}\" is not unique", flag.key))),
            }
        }
        import_flag(tx, key, flag).await?;
        summary.flags_created += 1;
    }
    Ok(summary)
}

fn unique_keys<'a>(
    kind: &str,
    namespace: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<(), AppError> {
    let mut seen = HashSet::new();
    for key in keys {
        if !seen.insert(key) {
            return Err(invalid(format!(
                "{kind} \"{namespace}/{key}\" appears twice in the document"
            )));
        }
    }
    Ok(())
}

fn enum_value<T>(parse: impl Fn(&str) -> Option<T>, text: &str, what: &str) -> Result<T, AppError> {
    parse(text).ok_or_else(|| invalid(format!("invalid {what}: \"{text}\"")))
}

async fn import_segment(
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

async fn import_flag(tx: &mut Tx, namespace: &str, flag: &DocFlag) -> Result<(), AppError> {
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
