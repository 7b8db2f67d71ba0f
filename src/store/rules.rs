//! Rules, their segment references and distributions. A flag's rules load in three queries.

use std::collections::HashMap;

use app::domain::{Distribution, Rule, SegmentOperator};
use sqlx::{AnyConnection, FromRow};

use super::{format_timestamp, sql::placeholders, sql::sql_limit, StoreError, Tx};

const RULE_COLUMNS: &str =
    "id, namespace_key, flag_key, rank, segment_operator, created_at, updated_at";
const DISTRIBUTION_COLUMNS: &str = "id, rule_id, variant_id, rollout, created_at, updated_at";

/// A `rules` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RuleRow {
    pub id: String,
    pub namespace_key: String,
    pub flag_key: String,
    pub rank: i64,
    pub segment_operator: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A `rule_segments` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RuleSegmentRow {
    pub rule_id: String,
    pub segment_key: String,
}

/// A `distributions` row.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct DistributionRow {
    pub id: String,
    pub rule_id: String,
    pub variant_id: String,
    pub rollout: f64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<DistributionRow> for Distribution {
    fn from(row: DistributionRow) -> Self {
        Distribution {
            id: row.id,
            rule_id: row.rule_id,
            variant_id: row.variant_id,
            rollout: row.rollout,
            created_at: format_timestamp(row.created_at),
            updated_at: format_timestamp(row.updated_at),
        }
    }
}

/// Joins rule rows with their segments and distributions; one segment goes to `segmentKey`,
/// several to `segmentKeys`.
pub fn assemble(
    rows: Vec<RuleRow>,
    segments: &[RuleSegmentRow],
    distributions: Vec<DistributionRow>,
) -> Vec<Rule> {
    let mut keys_by_rule: HashMap<&str, Vec<String>> = HashMap::new();
    for segment in segments {
        keys_by_rule.entry(segment.rule_id.as_str()).or_default().push(segment.segment_key.clone());
    }
    let mut by_rule: HashMap<String, Vec<Distribution>> = HashMap::new();
    for distribution in distributions {
        by_rule
            .entry(distribution.rule_id.clone())
            .or_default()
            .push(Distribution::from(distribution));
    }
    rows.into_iter()
        .map(|row| {
            let keys: Vec<String> = keys_by_rule.remove(row.id.as_str()).unwrap_or_default();
            let (segment_key, segment_keys) =
                if keys.len() == 1 { (keys[0].clone(), Vec::new()) } else { (String::new(), keys) };
            Rule {
                distributions: by_rule.remove(&row.id).unwrap_or_default(),
                id: row.id,
                flag_key: row.flag_key,
                segment_key,
                rank: row.rank,
                created_at: format_timestamp(row.created_at),
                updated_at: format_timestamp(row.updated_at),
                namespace_key: row.namespace_key,
                segment_keys,
                segment_operator: SegmentOperator::from_number(row.segment_operator)
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// A page of a flag's rules in rank order.
pub async fn page(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<RuleRow>, StoreError> {
    let sql = format!(
        "SELECT {RULE_COLUMNS} FROM rules WHERE namespace_key = $1 AND flag_key = $2 \
         ORDER BY rank, created_at, id LIMIT $3 OFFSET $4"
    );
    Ok(sqlx::query_as(&sql)
        .bind(namespace)
        .bind(flag_key)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

/// How many rules the flag has.
pub async fn count(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM rules WHERE namespace_key = $1 AND flag_key = $2")
        .bind(namespace)
        .bind(flag_key)
        .fetch_one(conn)
        .await?)
}

/// One rule row of a flag.
pub async fn get(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<Option<RuleRow>, StoreError> {
    let sql = format!(
        "SELECT {RULE_COLUMNS} FROM rules WHERE namespace_key = $1 AND flag_key = $2 AND id = $3"
    );
    Ok(sqlx::query_as(&sql).bind(namespace).bind(flag_key).bind(id).fetch_optional(conn).await?)
}

/// Segment references of the given rules, in the order they were given.
pub async fn segments_of(
    conn: &mut AnyConnection,
    rule_ids: &[String],
) -> Result<Vec<RuleSegmentRow>, StoreError> {
    if rule_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT rule_id, segment_key FROM rule_segments WHERE rule_id IN ({}) ORDER BY rule_id, position",
        placeholders(1, rule_ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in rule_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Distributions of the given rules, in creation order.
pub async fn distributions_of(
    conn: &mut AnyConnection,
    rule_ids: &[String],
) -> Result<Vec<DistributionRow>, StoreError> {
    if rule_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {DISTRIBUTION_COLUMNS} FROM distributions WHERE rule_id IN ({}) ORDER BY created_at, id",
        placeholders(1, rule_ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in rule_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Inserts a rule row and its segment references.
pub async fn insert(tx: &mut Tx, row: &RuleRow, segment_keys: &[String]) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rules (id, namespace_key, flag_key, rank, segment_operator, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.namespace_key)
    .bind(&row.flag_key)
    .bind(row.rank)
    .bind(row.segment_operator)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    insert_segments(tx, &row.id, &row.namespace_key, segment_keys).await
}

async fn insert_segments(
    tx: &mut Tx,
    rule_id: &str,
    namespace: &str,
    keys: &[String],
) -> Result<(), StoreError> {
    for (position, key) in keys.iter().enumerate() {
        sqlx::query(
            "INSERT INTO rule_segments (rule_id, namespace_key, segment_key, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(rule_id)
        .bind(namespace)
        .bind(key)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces a rule's operator and segment references.
pub async fn update(tx: &mut Tx, row: &RuleRow, segment_keys: &[String]) -> Result<(), StoreError> {
    sqlx::query("UPDATE rules SET segment_operator = $1, updated_at = $2 WHERE id = $3")
        .bind(row.segment_operator)
        .bind(row.updated_at)
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM rule_segments WHERE rule_id = $1")
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
    insert_segments(tx, &row.id, &row.namespace_key, segment_keys).await
}

/// Sets one rule's rank.
pub async fn set_rank(tx: &mut Tx, id: &str, rank: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE rules SET rank = $1, updated_at = $2 WHERE id = $3")
        .bind(rank)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a rule (its references and distributions cascade).
pub async fn delete(tx: &mut Tx, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM rules WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Inserts a distribution row as given.
pub async fn insert_distribution(tx: &mut Tx, row: &DistributionRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO distributions (id, rule_id, variant_id, rollout, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.id)
    .bind(&row.rule_id)
    .bind(&row.variant_id)
    .bind(row.rollout)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a distribution's variant and rollout.
pub async fn update_distribution(tx: &mut Tx, row: &DistributionRow) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE distributions SET variant_id = $1, rollout = $2, updated_at = $3 WHERE id = $4 AND rule_id = $5",
    )
    .bind(&row.variant_id)
    .bind(row.rollout)
    .bind(row.updated_at)
    .bind(&row.id)
    .bind(&row.rule_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one distribution of a rule (Flipt also requires its variant id).
pub async fn delete_distribution(
    tx: &mut Tx,
    rule_id: &str,
    id: &str,
    variant_id: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM distributions WHERE id = $1 AND rule_id = $2 AND variant_id = $3")
            .bind(id)
            .bind(rule_id)
            .bind(variant_id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() > 0)
}
