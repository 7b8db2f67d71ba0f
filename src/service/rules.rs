//! Rules of variant flags (their distributions: `distributions.rs`).

use crate::auth::Need;
use app::{
    domain::{Page, PageRequest, Rule, RuleInput, RuleOrder},
    error::AppError,
};
use sqlx::AnyConnection;

use super::{
    error::{internal, invalid_field, not_found},
    history::snap,
    new_id,
    paging::{fetch_limit, page_of},
    targets::{checked_segments, first_segment, rule_target_missing},
    Service,
};
use crate::store::{flags, now_nanos, rules, rules::RuleRow};

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
