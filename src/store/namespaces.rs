//! Namespace rows. The metadata update touches only the metadata columns: this is the query
//! that makes Flipt's #4177 (a rename that wiped a namespace's flags) impossible here.

use app::domain::Namespace;
use sqlx::{Any, Executor, FromRow};

use super::{format_timestamp, StoreError, Tx};

const COLUMNS: &str =
    "key, name, description, protected, version, data_version, created_at, updated_at";

/// A `namespaces` row as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NamespaceRow {
    pub key: String,
    pub name: String,
    pub description: String,
    pub protected: i64,
    pub version: i64,
    pub data_version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<NamespaceRow> for Namespace {
    fn from(row: NamespaceRow) -> Self {
        Namespace {
            key: row.key,
            name: row.name,
            description: row.description,
            protected: row.protected != 0,
            created_at: format_timestamp(row.created_at),
            updated_at: format_timestamp(row.updated_at),
            version: row.version,
        }
    }
}

/// A page of namespaces in creation order; `limit` 0 means all.
pub async fn list<'e, E>(db: E, limit: i64, offset: i64) -> Result<Vec<NamespaceRow>, StoreError>
where
    E: Executor<'e, Database = Any>,
{
    let limit = if limit <= 0 { i64::MAX } else { limit };
    let sql =
        format!("SELECT {COLUMNS} FROM namespaces ORDER BY created_at, key LIMIT $1 OFFSET $2");
    Ok(sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(db).await?)
}

/// How many namespaces exist.
pub async fn count<'e, E>(db: E) -> Result<i64, StoreError>
where
    E: Executor<'e, Database = Any>,
{
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM namespaces").fetch_one(db).await?)
}

/// One namespace by key.
pub async fn get<'e, E>(db: E, key: &str) -> Result<Option<NamespaceRow>, StoreError>
where
    E: Executor<'e, Database = Any>,
{
    let sql = format!("SELECT {COLUMNS} FROM namespaces WHERE key = $1");
    Ok(sqlx::query_as(&sql).bind(key).fetch_optional(db).await?)
}

/// Inserts a new, unprotected namespace. A duplicate key is [`StoreError::Unique`].
pub async fn insert(
    tx: &mut Tx,
    key: &str,
    name: &str,
    description: &str,
    now: i64,
) -> Result<NamespaceRow, StoreError> {
    let sql = format!(
        "INSERT INTO namespaces (key, name, description, protected, version, data_version, \
         created_at, updated_at) VALUES ($1, $2, $3, 0, 1, 1, $4, $4) RETURNING {COLUMNS}"
    );
    Ok(sqlx::query_as(&sql)
        .bind(key)
        .bind(name)
        .bind(description)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?)
}

/// Outcome of a guarded metadata update.
#[derive(Debug, PartialEq, Eq)]
pub enum Updated {
    Done(NamespaceRow),
    /// The key exists but its version is not the expected one.
    Stale(NamespaceRow),
    Missing,
}

/// Changes a namespace's name and description, and nothing else: no other column of this row
/// and no row of any other table. With `expected_version`, the update applies only if the
/// stored version still equals it.
pub async fn update_metadata(
    tx: &mut Tx,
    key: &str,
    name: &str,
    description: &str,
    expected_version: Option<i64>,
    now: i64,
) -> Result<Updated, StoreError> {
    let sql = format!(
        "UPDATE namespaces SET name = $1, description = $2, updated_at = $3, \
         version = version + 1 WHERE key = $4 AND ($5 IS NULL OR version = $5) \
         RETURNING {COLUMNS}"
    );
    let row: Option<NamespaceRow> = sqlx::query_as(&sql)
        .bind(name)
        .bind(description)
        .bind(now)
        .bind(key)
        .bind(expected_version)
        .fetch_optional(&mut **tx)
        .await?;
    match row {
        Some(row) => Ok(Updated::Done(row)),
        None => Ok(match get(&mut **tx, key).await? {
            Some(current) => Updated::Stale(current),
            None => Updated::Missing,
        }),
    }
}

/// Records that something inside the namespace changed; returns the new data version.
pub async fn bump_data_version(tx: &mut Tx, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE namespaces SET data_version = data_version + 1 WHERE key = $1 \
         RETURNING data_version",
    )
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Deletes a namespace row (at `expected_version`, if given); its children go by the foreign
/// keys' cascade. Returns whether a row was deleted.
pub async fn delete(
    tx: &mut Tx,
    key: &str,
    expected_version: Option<i64>,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM namespaces WHERE key = $1 AND ($2 IS NULL OR version = $2)")
            .bind(key)
            .bind(expected_version)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() > 0)
}
