//! What the dashboard needs beyond the REST operations: whole pages read at once, a rule saved
//! with its distribution in one transaction, segment usage, and copying a flag.

use crate::auth::Need;
use std::collections::BTreeMap;

use app::{
    domain::{
        check_distribution, Flag, FlagDetail, FlagInput, FlagPatch, PageRequest, Rule, RuleDraft,
        SegmentChoice, SegmentListing, SegmentSummary,
    },
    error::AppError,
};

use super::{
    error::{internal, invalid_field},
    history::snap,
    new_id,
    rules::{load_rules, require_rule, require_variant},
    targets::checked_segments,
    Service,
};
use crate::{
    document::{export, Document, NamespaceRef},
    eval::Source,
    service::ImportMode,
    store::{now_nanos, rules, rules::DistributionRow, rules::RuleRow, segments},
};

impl Service {
    /// Everything the flag page shows. The data version is read first: a write that lands
    /// while the rest is read moves it past what the page holds, so the page's poll refetches.
    pub async fn flag_detail(&self, namespace: &str, key: &str) -> Result<FlagDetail, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let data_version = self.data_version(namespace).await?;
        let flag = self.get_flag(namespace, key).await?;
        let all = PageRequest::default();
        let rules = self.list_rules(namespace, key, all).await?.items;
        let rollouts = self.list_rollouts(namespace, key, all).await?.items;
        let segments = self
            .list_segments(namespace, all)
            .await?
            .items
            .into_iter()
            .map(|s| SegmentChoice { key: s.key, name: s.name })
            .collect();
        let namespaces =
            self.list_namespaces(all).await?.items.into_iter().map(|n| n.key).collect();
        Ok(FlagDetail { flag, rules, rollouts, segments, namespaces, data_version })
    }

    /// Applies the given fields over the stored flag. The version guard is the one the editor
    /// saw, so a change made since (by anyone) is refused with 409, never overwritten.
    pub async fn patch_flag(
        &self,
        namespace: &str,
        key: &str,
        patch: FlagPatch,
    ) -> Result<Flag, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let current = self.get_flag(namespace, key).await?;
        let input = FlagInput {
            key: key.to_string(),
            name: patch.name.unwrap_or(current.name),
            description: patch.description.unwrap_or(current.description),
            enabled: patch.enabled.unwrap_or(current.enabled),
            flag_type: current.flag_type,
            default_variant_id: patch
                .default_variant_id
                .unwrap_or_else(|| current.default_variant.map(|v| v.id).unwrap_or_default()),
            metadata: patch.metadata.map(serde_json::Value::Object),
            version: Some(patch.version),
        };
        self.update_flag(namespace, key, input, Some(patch.version)).await
    }

    /// Copies a flag and its variants (and which one is the default) into another namespace,
    /// as one all-or-nothing import; rules and rollouts stay behind, as in Flipt, because the
    /// segments they use may not exist there.
    pub async fn copy_flag(
        &self,
        namespace: &str,
        key: &str,
        target: &str,
    ) -> Result<Flag, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        crate::auth::require(Need::Write, Some(target))?;
        if target == namespace {
            return Err(invalid_field("namespace", "choose a namespace other than the flag's own"));
        }
        // 404 for a target that does not exist: a copy never creates namespaces.
        let target_namespace = self.get_namespace(target).await?;
        let flag = self.get_flag(namespace, key).await?;
        let source = Source { flags: vec![flag], ..Default::default() };
        let mut document: Document = export(&target_namespace, &source, false);
        document.namespace = NamespaceRef::Key(target.to_string());
        self.import(&[document], ImportMode::CreateOnly, false).await?;
        self.get_flag(target, key).await
    }

    /// Creates (`id` None, ranked last) or replaces a rule together with its whole
    /// distribution, in one transaction: either all of it is stored or nothing is.
    pub async fn save_rule_draft(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<&str>,
        draft: RuleDraft,
    ) -> Result<Rule, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let shares: Vec<f64> = draft.distributions.iter().map(|(_, share)| *share).collect();
        check_distribution(&shares).map_err(|reason| invalid_field("distributions", &reason))?;
        if draft.segment_keys.is_empty() {
            return Err(invalid_field("segmentKeys", "choose at least one segment"));
        }
        let mut tx = self.begin().await?;
        Service::require_flag(&mut tx, namespace, flag_key).await?;
        let (keys, operator) = checked_segments(
            &mut tx,
            namespace,
            "",
            &draft.segment_keys,
            draft.segment_operator,
            |k| super::error::not_found("segment", &format!("{namespace}/{k}")),
        )
        .await?;
        for (variant_id, _) in &draft.distributions {
            require_variant(&mut tx, namespace, flag_key, variant_id).await?;
        }
        let now = now_nanos();
        let (row, before) = match id {
            None => {
                let rank = rules::count(&mut tx, namespace, flag_key).await.map_err(internal)? + 1;
                let row = RuleRow {
                    id: new_id(),
                    namespace_key: namespace.to_string(),
                    flag_key: flag_key.to_string(),
                    rank,
                    segment_operator: operator.number(),
                    created_at: now,
                    updated_at: now,
                };
                rules::insert(&mut tx, &row, &keys).await.map_err(internal)?;
                (row, None)
            }
            Some(id) => {
                let current = require_rule(&mut tx, namespace, flag_key, id).await?;
                let before = load_rules(&mut tx, vec![current.clone()]).await?.remove(0);
                let row =
                    RuleRow { segment_operator: operator.number(), updated_at: now, ..current };
                rules::update(&mut tx, &row, &keys).await.map_err(internal)?;
                for old in &before.distributions {
                    rules::delete_distribution(&mut tx, &row.id, &old.id, &old.variant_id)
                        .await
                        .map_err(internal)?;
                    self.record(
                        &mut tx,
                        namespace,
                        "distribution",
                        &old.id,
                        "deleted",
                        snap(old),
                        None,
                    )
                    .await?;
                }
                (row, Some(before))
            }
        };
        let shares = draft.distributions.into_iter().filter(|(_, r)| *r > 0.0);
        for (position, (variant_id, rollout)) in shares.enumerate() {
            // Distributions are listed in creation order: keep the form's order.
            let created_at = now + position as i64;
            let distribution = DistributionRow {
                id: new_id(),
                rule_id: row.id.clone(),
                variant_id,
                rollout,
                created_at,
                updated_at: created_at,
            };
            rules::insert_distribution(&mut tx, &distribution).await.map_err(internal)?;
            let created = app::domain::Distribution::from(distribution);
            self.record(
                &mut tx,
                namespace,
                "distribution",
                &created.id,
                "created",
                None,
                snap(&created),
            )
            .await?;
        }
        let rule = load_rules(&mut tx, vec![row]).await?.remove(0);
        let action = if before.is_some() { "updated" } else { "created" };
        let before = before.as_ref().and_then(snap);
        self.record(&mut tx, namespace, "rule", &rule.id, action, before, snap(&rule)).await?;
        self.commit(tx, namespace).await?;
        Ok(rule)
    }

    /// The namespace's segments, each with the flags whose rules or rollouts use it.
    pub async fn segment_listing(&self, namespace: &str) -> Result<SegmentListing, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let data_version = self.data_version(namespace).await?;
        let list = self.list_segments(namespace, PageRequest::default()).await?.items;
        let mut usage = self.segment_usage(namespace).await?;
        let segments = list
            .into_iter()
            .map(|segment| {
                let used_by = usage.remove(&segment.key).unwrap_or_default();
                SegmentSummary { segment, used_by }
            })
            .collect();
        Ok(SegmentListing { segments, data_version })
    }

    /// One segment with the flags that use it.
    pub async fn segment_summary(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<SegmentSummary, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let segment = self.get_segment(namespace, key).await?;
        let used_by = self.segment_usage(namespace).await?.remove(key).unwrap_or_default();
        Ok(SegmentSummary { segment, used_by })
    }

    /// Segment key → keys of the flags using it, sorted.
    async fn segment_usage(
        &self,
        namespace: &str,
    ) -> Result<BTreeMap<String, Vec<String>>, AppError> {
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let pairs = segments::usage(&mut conn, namespace).await.map_err(internal)?;
        let mut usage: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (segment, flag) in pairs {
            let flags = usage.entry(segment).or_default();
            if !flags.contains(&flag) {
                flags.push(flag);
            }
        }
        Ok(usage)
    }
}
