//! Stored namespace snapshots.

use sqlx::{AnyConnection, FromRow};

use super::{sql::sql_limit, StoreError, Tx};

const COLUMNS: &str = "id, namespace_key, reason, automatic, document, data_version, created_at";

/// A `snapshots` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SnapshotRow {
    pub id: String,
    pub namespace_key: String,
    pub reason: String,
    pub automatic: i64,
    pub document: String,
    pub data_version: i64,
    pub created_at: i64,
}

pub async fn insert(tx: &mut Tx, row: &SnapshotRow) -> Result<(), StoreError> {
    sqlx::query(&format!("INSERT INTO snapshots ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        .bind(&row.id)
        .bind(&row.namespace_key)
        .bind(&row.reason)
        .bind(row.automatic)
        .bind(&row.document)
        .bind(row.data_version)
        .bind(row.created_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<SnapshotRow>, StoreError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM snapshots WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Newest first, for one namespace or all.
pub async fn page(
    conn: &mut AnyConnection,
    namespace: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<SnapshotRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM snapshots WHERE ($1 IS NULL OR namespace_key = $1) \
         ORDER BY created_at DESC, id LIMIT $2 OFFSET $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(namespace)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

pub async fn count(conn: &mut AnyConnection, namespace: Option<&str>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM snapshots WHERE ($1 IS NULL OR namespace_key = $1)",
    )
    .bind(namespace)
    .fetch_one(conn)
    .await?)
}

/// Deletes a namespace's automatic snapshots beyond the newest `keep`, and those older than
/// `before` (Unix nanoseconds), but never its newest snapshot. Returns how many went.
pub async fn prune(
    tx: &mut Tx,
    namespace: &str,
    keep: i64,
    before: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "DELETE FROM snapshots WHERE namespace_key = $1 AND automatic = 1 \
         AND id NOT IN (SELECT id FROM snapshots WHERE namespace_key = $1 ORDER BY created_at DESC, id LIMIT 1) \
         AND (created_at < $2 OR id NOT IN (SELECT id FROM snapshots WHERE namespace_key = $1 AND automatic = 1 \
              ORDER BY created_at DESC, id LIMIT $3))",
    )
    .bind(namespace)
    .bind(before)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
