//! Segments and constraints. A page of segments with their constraints is three queries.

use std::collections::HashMap;

use app::domain::{ComparisonType, Constraint, MatchType, Segment};
use sqlx::{AnyConnection, FromRow};

use super::{format_timestamp, sql::placeholders, sql::sql_limit, StoreError, Tx};

const SEGMENT_COLUMNS: &str =
    "namespace_key, key, name, description, match_type, version, created_at, updated_at";
const CONSTRAINT_COLUMNS: &str = "id, namespace_key, segment_key, type AS comparison_type, \
     property, operator, value, description, created_at, updated_at";

/// A `segments` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SegmentRow {
    pub namespace_key: String,
    pub key: String,
    pub name: String,
    pub description: String,
    pub match_type: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A `constraints` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ConstraintRow {
    pub id: String,
    pub namespace_key: String,
    pub segment_key: String,
    pub comparison_type: i64,
    pub property: String,
    pub operator: String,
    pub value: String,
    pub description: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<ConstraintRow> for Constraint {
    fn from(row: ConstraintRow) -> Self {
        Constraint {
            id: row.id,
            segment_key: row.segment_key,
            comparison_type: ComparisonType::from_number(row.comparison_type).unwrap_or_default(),
            property: row.property,
            operator: row.operator,
            value: row.value,
            created_at: format_timestamp(row.created_at),
            updated_at: format_timestamp(row.updated_at),
            namespace_key: row.namespace_key,
            description: row.description,
        }
    }
}

/// Joins segment rows with their constraints (already in creation order).
pub fn assemble(rows: Vec<SegmentRow>, constraints: Vec<ConstraintRow>) -> Vec<Segment> {
    let mut by_segment: HashMap<String, Vec<Constraint>> = HashMap::new();
    for constraint in constraints {
        by_segment
            .entry(constraint.segment_key.clone())
            .or_default()
            .push(Constraint::from(constraint));
    }
    rows.into_iter()
        .map(|row| Segment {
            constraints: by_segment.remove(&row.key).unwrap_or_default(),
            key: row.key,
            name: row.name,
            description: row.description,
            created_at: format_timestamp(row.created_at),
            updated_at: format_timestamp(row.updated_at),
            match_type: MatchType::from_number(row.match_type).unwrap_or_default(),
            namespace_key: row.namespace_key,
            version: row.version,
        })
        .collect()
}

/// A page of a namespace's segments in creation order.
pub async fn page(
    conn: &mut AnyConnection,
    namespace: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<SegmentRow>, StoreError> {
    let sql = format!(
        "SELECT {SEGMENT_COLUMNS} FROM segments WHERE namespace_key = $1 \
         ORDER BY created_at, key LIMIT $2 OFFSET $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(namespace)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

/// How many segments the namespace has.
pub async fn count(conn: &mut AnyConnection, namespace: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM segments WHERE namespace_key = $1")
        .bind(namespace)
        .fetch_one(conn)
        .await?)
}

/// One segment row.
pub async fn get(
    conn: &mut AnyConnection,
    namespace: &str,
    key: &str,
) -> Result<Option<SegmentRow>, StoreError> {
    let sql =
        format!("SELECT {SEGMENT_COLUMNS} FROM segments WHERE namespace_key = $1 AND key = $2");
    Ok(sqlx::query_as(&sql).bind(namespace).bind(key).fetch_optional(conn).await?)
}

/// Which of `keys` exist as segments of the namespace (one query).
pub async fn existing_keys(
    conn: &mut AnyConnection,
    namespace: &str,
    keys: &[String],
) -> Result<Vec<String>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT key FROM segments WHERE namespace_key = $1 AND key IN ({})",
        placeholders(2, keys.len())
    );
    let mut query = sqlx::query_scalar(&sql).bind(namespace);
    for key in keys {
        query = query.bind(key);
    }
    Ok(query.fetch_all(conn).await?)
}

/// The constraints of the given segments, in creation order (one query).
pub async fn constraints_of(
    conn: &mut AnyConnection,
    namespace: &str,
    segment_keys: &[String],
) -> Result<Vec<ConstraintRow>, StoreError> {
    if segment_keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {CONSTRAINT_COLUMNS} FROM constraints WHERE namespace_key = $1 AND segment_key IN ({}) \
         ORDER BY created_at, id",
        placeholders(2, segment_keys.len())
    );
    let mut query = sqlx::query_as(&sql).bind(namespace);
    for key in segment_keys {
        query = query.bind(key);
    }
    Ok(query.fetch_all(conn).await?)
}

/// One constraint of a segment.
pub async fn constraint(
    conn: &mut AnyConnection,
    namespace: &str,
    segment_key: &str,
    id: &str,
) -> Result<Option<ConstraintRow>, StoreError> {
    let sql = format!(
        "SELECT {CONSTRAINT_COLUMNS} FROM constraints WHERE namespace_key = $1 AND segment_key = $2 AND id = $3"
    );
    Ok(sqlx::query_as(&sql).bind(namespace).bind(segment_key).bind(id).fetch_optional(conn).await?)
}

/// Inserts a segment row as given.
pub async fn insert(tx: &mut Tx, row: &SegmentRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO segments (namespace_key, key, name, description, match_type, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.namespace_key)
    .bind(&row.key)
    .bind(&row.name)
    .bind(&row.description)
    .bind(row.match_type)
    .bind(row.version)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a segment's mutable columns and bumps its version; false when missing or stale.
pub async fn update(
    tx: &mut Tx,
    row: &SegmentRow,
    expected_version: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE segments SET name = $1, description = $2, match_type = $3, updated_at = $4, \
         version = version + 1 WHERE namespace_key = $5 AND key = $6 AND ($7 IS NULL OR version = $7)",
    )
    .bind(&row.name)
    .bind(&row.description)
    .bind(row.match_type)
    .bind(row.updated_at)
    .bind(&row.namespace_key)
    .bind(&row.key)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a segment (at `expected_version`, if given) and its constraints; fails with a
/// foreign-key error while in use.
pub async fn delete(
    tx: &mut Tx,
    namespace: &str,
    key: &str,
    expected_version: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "DELETE FROM segments WHERE namespace_key = $1 AND key = $2 AND ($3 IS NULL OR version = $3)",
    )
    .bind(namespace)
    .bind(key)
    .bind(expected_version)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Inserts a constraint row as given.
pub async fn insert_constraint(tx: &mut Tx, row: &ConstraintRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO constraints (id, namespace_key, segment_key, type, property, operator, value, \
         description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&row.id)
    .bind(&row.namespace_key)
    .bind(&row.segment_key)
    .bind(row.comparison_type)
    .bind(&row.property)
    .bind(&row.operator)
    .bind(&row.value)
    .bind(&row.description)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a constraint's mutable columns.
pub async fn update_constraint(tx: &mut Tx, row: &ConstraintRow) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE constraints SET type = $1, property = $2, operator = $3, value = $4, description = $5, \
         updated_at = $6 WHERE id = $7 AND namespace_key = $8 AND segment_key = $9",
    )
    .bind(row.comparison_type)
    .bind(&row.property)
    .bind(&row.operator)
    .bind(&row.value)
    .bind(&row.description)
    .bind(row.updated_at)
    .bind(&row.id)
    .bind(&row.namespace_key)
    .bind(&row.segment_key)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one constraint.
pub async fn delete_constraint(
    tx: &mut Tx,
    namespace: &str,
    segment_key: &str,
    id: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "DELETE FROM constraints WHERE id = $1 AND namespace_key = $2 AND segment_key = $3",
    )
    .bind(id)
    .bind(namespace)
    .bind(segment_key)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes every segment of a namespace (after its flags, so no reference blocks it).
pub async fn delete_all(tx: &mut Tx, namespace: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM segments WHERE namespace_key = $1")
        .bind(namespace)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// `(segment key, flag key)` for every rule and rollout of the namespace that uses a segment.
pub async fn usage(
    conn: &mut AnyConnection,
    namespace: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let sql = "SELECT rs.segment_key, r.flag_key FROM rule_segments rs \
         JOIN rules r ON r.id = rs.rule_id WHERE rs.namespace_key = $1 \
         UNION SELECT ref.segment_key, ro.flag_key FROM rollout_segment_references ref \
         JOIN rollout_segments s ON s.id = ref.rollout_segment_id \
         JOIN rollouts ro ON ro.id = s.rollout_id WHERE ref.namespace_key = $2 \
         ORDER BY 1, 2";
    Ok(sqlx::query_as(sql).bind(namespace).bind(namespace).fetch_all(conn).await?)
}
