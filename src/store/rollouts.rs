//! Rollouts of boolean flags with their threshold or segment parts. A flag's rollouts load in
//! four queries.

use std::collections::HashMap;

use app::domain::{Rollout, RolloutSegment, RolloutThreshold, RolloutType, SegmentOperator};
use sqlx::{AnyConnection, FromRow};

use super::{format_timestamp, sql::placeholders, sql::sql_limit, StoreError, Tx};

const ROLLOUT_COLUMNS: &str =
    "id, namespace_key, flag_key, type AS rollout_type, description, rank, created_at, updated_at";

/// A `rollouts` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RolloutRow {
    pub id: String,
    pub namespace_key: String,
    pub flag_key: String,
    pub rollout_type: i64,
    pub description: String,
    pub rank: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A `rollout_thresholds` row.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ThresholdRow {
    pub rollout_id: String,
    pub percentage: f64,
    pub value: i64,
}

/// A `rollout_segments` row with one of its references (one row per referenced segment).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SegmentRefRow {
    pub rollout_id: String,
    pub value: i64,
    pub segment_operator: i64,
    pub segment_key: String,
}

/// Joins rollout rows with their parts.
pub fn assemble(
    rows: Vec<RolloutRow>,
    thresholds: &[ThresholdRow],
    refs: &[SegmentRefRow],
) -> Vec<Rollout> {
    let thresholds: HashMap<&str, &ThresholdRow> =
        thresholds.iter().map(|t| (t.rollout_id.as_str(), t)).collect();
    let mut refs_by_rollout: HashMap<&str, Vec<&SegmentRefRow>> = HashMap::new();
    for reference in refs {
        refs_by_rollout.entry(reference.rollout_id.as_str()).or_default().push(reference);
    }
    rows.into_iter()
        .map(|row| {
            let rollout_type = RolloutType::from_number(row.rollout_type).unwrap_or_default();
            let threshold = thresholds
                .get(row.id.as_str())
                .map(|t| RolloutThreshold { percentage: t.percentage, value: t.value != 0 });
            let own: Vec<&SegmentRefRow> =
                refs_by_rollout.remove(row.id.as_str()).unwrap_or_default();
            let segment = own.first().map(|first| {
                let keys: Vec<String> = own.iter().map(|r| r.segment_key.clone()).collect();
                let (segment_key, segment_keys) = if keys.len() == 1 {
                    (keys[0].clone(), Vec::new())
                } else {
                    (String::new(), keys)
                };
                RolloutSegment {
                    segment_key,
                    value: first.value != 0,
                    segment_keys,
                    segment_operator: SegmentOperator::from_number(first.segment_operator)
                        .unwrap_or_default(),
                }
            });
            Rollout {
                id: row.id,
                namespace_key: row.namespace_key,
                flag_key: row.flag_key,
                rollout_type,
                rank: row.rank,
                description: row.description,
                created_at: format_timestamp(row.created_at),
                updated_at: format_timestamp(row.updated_at),
                segment: if rollout_type == RolloutType::Segment { segment } else { None },
                threshold: if rollout_type == RolloutType::Threshold { threshold } else { None },
            }
        })
        .collect()
}

/// A page of a flag's rollouts in rank order.
pub async fn page(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<RolloutRow>, StoreError> {
    let sql = format!(
        "SELECT {ROLLOUT_COLUMNS} FROM rollouts WHERE namespace_key = $1 AND flag_key = $2 \
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

/// How many rollouts the flag has.
pub async fn count(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM rollouts WHERE namespace_key = $1 AND flag_key = $2",
    )
    .bind(namespace)
    .bind(flag_key)
    .fetch_one(conn)
    .await?)
}

/// One rollout row of a flag.
pub async fn get(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<Option<RolloutRow>, StoreError> {
    let sql = format!("SELECT {ROLLOUT_COLUMNS} FROM rollouts WHERE namespace_key = $1 AND flag_key = $2 AND id = $3");
    Ok(sqlx::query_as(&sql).bind(namespace).bind(flag_key).bind(id).fetch_optional(conn).await?)
}

/// Thresholds of the given rollouts.
pub async fn thresholds_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<ThresholdRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT rollout_id, percentage, value FROM rollout_thresholds WHERE rollout_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Segment parts of the given rollouts, one row per referenced segment, in given order.
pub async fn segment_refs_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<SegmentRefRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT rs.rollout_id, rs.value, rs.segment_operator, r.segment_key \
         FROM rollout_segments rs JOIN rollout_segment_references r ON r.rollout_segment_id = rs.id \
         WHERE rs.rollout_id IN ({}) ORDER BY rs.rollout_id, r.position",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Whether a rollout of the flag already has this rank.
pub async fn rank_taken(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    rank: i64,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rollouts WHERE namespace_key = $1 AND flag_key = $2 AND rank = $3",
    )
    .bind(namespace)
    .bind(flag_key)
    .bind(rank)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The parts of a rollout to write.
pub enum Part<'a> {
    Threshold { percentage: f64, value: bool },
    Segment { keys: &'a [String], operator: i64, value: bool },
}

/// Inserts a rollout row and its part.
pub async fn insert(tx: &mut Tx, row: &RolloutRow, part: Part<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rollouts (id, namespace_key, flag_key, type, description, rank, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.id)
    .bind(&row.namespace_key)
    .bind(&row.flag_key)
    .bind(row.rollout_type)
    .bind(&row.description)
    .bind(row.rank)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    insert_part(tx, row, part).await
}

async fn insert_part(tx: &mut Tx, row: &RolloutRow, part: Part<'_>) -> Result<(), StoreError> {
    match part {
        Part::Threshold { percentage, value } => {
            sqlx::query(
                "INSERT INTO rollout_thresholds (id, namespace_key, rollout_id, percentage, value) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&row.namespace_key)
            .bind(&row.id)
            .bind(percentage)
            .bind(i64::from(value))
            .execute(&mut **tx)
            .await?;
        }
        Part::Segment { keys, operator, value } => {
            let segment_id = uuid::Uuid::new_v4().to_string();
            sqlx::query("INSERT INTO rollout_segments (id, rollout_id, value, segment_operator) VALUES ($1, $2, $3, $4)")
                .bind(&segment_id)
                .bind(&row.id)
                .bind(i64::from(value))
                .bind(operator)
                .execute(&mut **tx)
                .await?;
            for (position, key) in keys.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO rollout_segment_references (rollout_segment_id, namespace_key, segment_key, position) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(&segment_id)
                .bind(&row.namespace_key)
                .bind(key)
                .bind(position as i64)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
}

/// Replaces a rollout's description and part (its type never changes).
pub async fn update(tx: &mut Tx, row: &RolloutRow, part: Part<'_>) -> Result<(), StoreError> {
    sqlx::query("UPDATE rollouts SET description = $1, updated_at = $2 WHERE id = $3")
        .bind(&row.description)
        .bind(row.updated_at)
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM rollout_thresholds WHERE rollout_id = $1")
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM rollout_segments WHERE rollout_id = $1")
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
    insert_part(tx, row, part).await
}

/// Sets one rollout's rank.
pub async fn set_rank(tx: &mut Tx, id: &str, rank: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE rollouts SET rank = $1, updated_at = $2 WHERE id = $3")
        .bind(rank)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a rollout (its parts cascade).
pub async fn delete(tx: &mut Tx, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM rollouts WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}
