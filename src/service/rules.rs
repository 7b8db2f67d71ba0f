//! Rules and distributions of variant flags.

use crate::auth::Need;
use app::{
    domain::{
        Distribution, DistributionInput, Page, PageRequest, Rule, RuleInput, RuleOrder,
        SegmentOperator,
    },
    error::AppError,
};
use sqlx::AnyConnection;

use super::{
    error::{empty_field, internal, invalid_field, not_found},
    history::snap,
    new_id,
    paging::{fetch_limit, page_of},
    validate, Service,
};
use crate::store::{flags, now_nanos, rules, rules::DistributionRow, rules::RuleRow, segments, Tx};

/// Rules with their segments and distributions, in three queries.
pub(super) async fn load_rules(
    conn: &mut AnyConnection,
    rows: Vec<RuleRow>,
) -> Result<Vec<Rule>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let refs = rules::segments_of(conn, &ids).await.map_err(internal)?;
    let distributions = rules::distributions_of(conn, &ids).await.map_err(internal)?;
    Ok(rules::assemble(rows, &refs, distributions))
}

/// Flipt's refusal of a rule whose flag or segment does not exist in the namespace.
pub(super) fn rule_target_missing(namespace: &str, flag_key: &str, segment_key: &str) -> AppError {
    AppError::NotFound(format!(
        "flag \"{namespace}/{flag_key}\" or segment \"{namespace}/{segment_key}\" not found"
    ))
}

/// Flipt's refusal of a rollout naming a flag or segment that does not exist (quoted as
/// Flipt quotes it, around both).
pub(super) fn rollout_target_missing(
    namespace: &str,
    flag_key: &str,
    segment_key: &str,
) -> AppError {
    AppError::NotFound(format!(
        "flag \"{namespace}/{flag_key} or segment {segment_key}\" not found"
    ))
}

/// The first segment a rule or rollout request names (for messages about it).
pub(super) fn first_segment<'a>(single: &'a str, list: &'a [String]) -> &'a str {
    if single.is_empty() {
        list.first().map_or("", String::as_str)
    } else {
        single
    }
}

/// The segment keys of a rule or rollout request: exactly one of the single and list forms,
/// de-duplicated, each existing in the namespace (else `missing(key)`). One segment forces the
/// OR operator.
pub(super) async fn checked_segments(
    conn: &mut AnyConnection,
    namespace: &str,
    single: &str,
    list: &[String],
    operator: SegmentOperator,
    missing: impl Fn(&str) -> AppError,
) -> Result<(Vec<String>, SegmentOperator), AppError> {
    let mut keys: Vec<String> = match (single.is_empty(), list.is_empty()) {
        (false, false) => {
            return Err(AppError::Invalid(
                "only one of segmentKey and segmentKeys may be set".into(),
            ))
        }
        (true, true) => return Err(empty_field("segmentKey")),
        (false, true) => vec![single.to_string()],
        (true, false) => list.to_vec(),
    };
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    let existing = segments::existing_keys(conn, namespace, &keys).await.map_err(internal)?;
    if let Some(key) = keys.iter().find(|k| !existing.contains(k)) {
        return Err(missing(key));
    }
    let operator = if keys.len() == 1 { SegmentOperator::Or } else { operator };
    Ok((keys, operator))
}

pub(super) async fn require_rule(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<RuleRow, AppError> {
    rules::get(conn, namespace, flag_key, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| not_found("rule", id))
}

impl Service {
    /// A page of a flag's rules in rank order.
    pub async fn list_rules(
        &self,
        namespace: &str,
        flag_key: &str,
        request: PageRequest,
    ) -> Result<Page<Rule>, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let rows =
            rules::page(&mut conn, namespace, flag_key, fetch_limit(request), request.offset)
                .await
                .map_err(internal)?;
        let total = rules::count(&mut conn, namespace, flag_key).await.map_err(internal)?;
        let items = load_rules(&mut conn, rows).await?;
        Ok(page_of(items, request, total, |r: &Rule| r.id.clone()))
    }

    /// One rule.
    pub async fn get_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<Rule, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let row = require_rule(&mut conn, namespace, flag_key, id).await?;
        Ok(load_rules(&mut conn, vec![row]).await?.remove(0))
    }

    /// Adds a rule at the given rank.
    pub async fn create_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        input: RuleInput,
    ) -> Result<Rule, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        if input.rank <= 0 {
            return Err(invalid_field("rank", "must be greater than 0"));
        }
        let mut tx = self.begin().await?;
        let target_missing = |segment: &str| rule_target_missing(namespace, flag_key, segment);
        if !Service::flag_exists(&mut tx, namespace, flag_key).await? {
            return Err(target_missing(first_segment(&input.segment_key, &input.segment_keys)));
        }
        let (keys, operator) = checked_segments(
            &mut tx,
            namespace,
            &input.segment_key,
            &input.segment_keys,
            input.segment_operator,
            target_missing,
        )
        .await?;
        let now = now_nanos();
        let row = RuleRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            flag_key: flag_key.to_string(),
            rank: input.rank,
            segment_operator: operator.number(),
            created_at: now,
            updated_at: now,
        };
        rules::insert(&mut tx, &row, &keys).await.map_err(internal)?;
        let rule = load_rules(&mut tx, vec![row]).await?.remove(0);
        self.record(&mut tx, namespace, "rule", &rule.id, "created", None, snap(&rule)).await?;
        self.commit(tx, namespace).await?;
        Ok(rule)
    }

    /// Replaces a rule's segments and operator (its rank changes only through ordering).
    pub async fn update_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
        input: RuleInput,
    ) -> Result<Rule, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let current = require_rule(&mut tx, namespace, flag_key, id).await?;
        let before = snap(&load_rules(&mut tx, vec![current.clone()]).await?.remove(0));
        let (keys, operator) = checked_segments(
            &mut tx,
            namespace,
            &input.segment_key,
            &input.segment_keys,
            input.segment_operator,
            |segment| rule_target_missing(namespace, flag_key, segment),
        )
        .await?;
        let row =
            RuleRow { segment_operator: operator.number(), updated_at: now_nanos(), ..current };
        rules::update(&mut tx, &row, &keys).await.map_err(internal)?;
        let rule = load_rules(&mut tx, vec![row]).await?.remove(0);
        self.record(&mut tx, namespace, "rule", id, "updated", before, snap(&rule)).await?;
        self.commit(tx, namespace).await?;
        Ok(rule)
    }

    /// Deletes a rule and renumbers the remaining ones 1..n (idempotent).
    pub async fn delete_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let Some(row) = rules::get(&mut tx, namespace, flag_key, id).await.map_err(internal)?
        else {
            return Ok(());
        };
        let before = snap(&load_rules(&mut tx, vec![row]).await?.remove(0));
        rules::delete(&mut tx, id).await.map_err(internal)?;
        let remaining = rules::page(&mut tx, namespace, flag_key, 0, 0).await.map_err(internal)?;
        let now = now_nanos();
        for (index, rule) in remaining.iter().enumerate() {
            rules::set_rank(&mut tx, &rule.id, index as i64 + 1, now).await.map_err(internal)?;
        }
        self.record(&mut tx, namespace, "rule", id, "deleted", before, None).await?;
        self.commit(tx, namespace).await?;
        Ok(())
    }

    /// Gives the listed rules ranks 1..n in the listed order.
    pub async fn order_rules(
        &self,
        namespace: &str,
        flag_key: &str,
        order: RuleOrder,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        if order.rule_ids.len() < 2 {
            return Err(invalid_field("ruleIds", "must contain atleast 2 elements"));
        }
        let mut tx = self.begin().await?;
        Service::require_flag(&mut tx, namespace, flag_key).await?;
        let existing = rules::page(&mut tx, namespace, flag_key, 0, 0).await.map_err(internal)?;
        if let Some(unknown) =
            order.rule_ids.iter().find(|id| !existing.iter().any(|r| &r.id == *id))
        {
            return Err(not_found("rule", unknown));
        }
        let now = now_nanos();
        for (index, id) in order.rule_ids.iter().enumerate() {
            rules::set_rank(&mut tx, id, index as i64 + 1, now).await.map_err(internal)?;
        }
        let ids = |rows: Vec<RuleRow>| snap(&rows.into_iter().map(|r| r.id).collect::<Vec<_>>());
        let after = rules::page(&mut tx, namespace, flag_key, 0, 0).await.map_err(internal)?;
        self.record(
            &mut tx,
            namespace,
            "rule_order",
            flag_key,
            "updated",
            ids(existing),
            ids(after),
        )
        .await?;
        self.commit(tx, namespace).await?;
        Ok(())
    }

    /// Adds a distribution to a rule; its variant must belong to the same flag.
    pub async fn create_distribution(
        &self,
        namespace: &str,
        flag_key: &str,
        rule_id: &str,
        input: DistributionInput,
    ) -> Result<Distribution, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("variantId", &input.variant_id)?;
        validate::percentage("rollout", input.rollout)?;
        let mut tx = self.begin().await?;
        require_distribution_targets(&mut tx, namespace, flag_key, rule_id, &input.variant_id)
            .await?;
        let now = now_nanos();
        let row = DistributionRow {
            id: new_id(),
            rule_id: rule_id.to_string(),
            variant_id: input.variant_id,
            rollout: input.rollout,
            created_at: now,
            updated_at: now,
        };
        rules::insert_distribution(&mut tx, &row).await.map_err(internal)?;
        let created = Distribution::from(row);
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
        self.commit(tx, namespace).await?;
        Ok(created)
    }

    /// Changes a distribution's variant and rollout.
    pub async fn update_distribution(
        &self,
        namespace: &str,
        flag_key: &str,
        rule_id: &str,
        id: &str,
        input: DistributionInput,
    ) -> Result<Distribution, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("variantId", &input.variant_id)?;
        validate::percentage("rollout", input.rollout)?;
        let mut tx = self.begin().await?;
        require_distribution_targets(&mut tx, namespace, flag_key, rule_id, &input.variant_id)
            .await?;
        let current = rules::distributions_of(&mut tx, &[rule_id.to_string()])
            .await
            .map_err(internal)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| not_found("distribution", id))?;
        let before = snap(&Distribution::from(current.clone()));
        let row = DistributionRow {
            variant_id: input.variant_id,
            rollout: input.rollout,
            updated_at: now_nanos(),
            ..current
        };
        rules::update_distribution(&mut tx, &row).await.map_err(internal)?;
        let after = Distribution::from(row);
        self.record(&mut tx, namespace, "distribution", id, "updated", before, snap(&after))
            .await?;
        self.commit(tx, namespace).await?;
        Ok(after)
    }

    /// Deletes a distribution; Flipt requires the variant id too (idempotent).
    pub async fn delete_distribution(
        &self,
        namespace: &str,
        flag_key: &str,
        rule_id: &str,
        id: &str,
        variant_id: &str,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("variantId", variant_id)?;
        let mut tx = self.begin().await?;
        if rules::get(&mut tx, namespace, flag_key, rule_id).await.map_err(internal)?.is_none() {
            return Ok(());
        }
        let before = rules::distributions_of(&mut tx, &[rule_id.to_string()])
            .await
            .map_err(internal)?
            .into_iter()
            .find(|d| d.id == id && d.variant_id == variant_id)
            .map(Distribution::from);
        if rules::delete_distribution(&mut tx, rule_id, id, variant_id).await.map_err(internal)? {
            let before = before.as_ref().and_then(snap);
            self.record(&mut tx, namespace, "distribution", id, "deleted", before, None).await?;
            self.commit(tx, namespace).await?;
        }
        Ok(())
    }
}

/// A distribution's rule and variant must exist under the flag; Flipt names all three when
/// either is missing.
async fn require_distribution_targets(
    tx: &mut Tx,
    namespace: &str,
    flag_key: &str,
    rule_id: &str,
    variant_id: &str,
) -> Result<(), AppError> {
    let rule = rules::get(tx, namespace, flag_key, rule_id).await.map_err(internal)?;
    let variant = flags::variant(tx, namespace, flag_key, variant_id).await.map_err(internal)?;
    if rule.is_none() || variant.is_none() {
        return Err(AppError::NotFound(format!(
            "variant \"{variant_id}\", rule \"{rule_id}\", flag \"{flag_key}\" in namespace \"{namespace}\" not found"
        )));
    }
    Ok(())
}

pub(super) async fn require_variant(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<(), AppError> {
    flags::variant(conn, namespace, flag_key, id)
        .await
        .map_err(internal)?
        .map(|_| ())
        .ok_or_else(|| not_found("variant", id))
}
