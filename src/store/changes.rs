//! The change log: one row per write, inserted by the write's own transaction.

use app::domain::Change;
use sqlx::{AnyConnection, FromRow};

use super::{format_timestamp, sql::sql_limit, StoreError, Tx};

/// A `changes` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChangeRow {
    pub id: i64,
    pub namespace_key: String,
    pub resource_type: String,
    pub resource_key: String,
    pub action: String,
    pub actor: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: i64,
}

impl From<ChangeRow> for Change {
    fn from(row: ChangeRow) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Change {
            id: row.id,
            namespace_key: row.namespace_key,
            resource_type: row.resource_type,
            resource_key: row.resource_key,
            action: row.action,
            actor: row.actor,
            before: parse(row.before),
            after: parse(row.after),
            created_at: format_timestamp(row.created_at),
        }
    }
}

/// A change about to be recorded.
pub struct NewChange<'a> {
    pub namespace_key: &'a str,
    pub resource_type: &'a str,
    pub resource_key: &'a str,
    pub action: &'a str,
    pub actor: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: i64,
}

/// Appends a change inside the write's transaction.
pub async fn insert(tx: &mut Tx, change: &NewChange<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO changes (namespace_key, resource_type, resource_key, action, actor, before, after, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(change.namespace_key)
    .bind(change.resource_type)
    .bind(change.resource_key)
    .bind(change.action)
    .bind(change.actor)
    .bind(&change.before)
    .bind(&change.after)
    .bind(change.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const FILTER: &str = "namespace_key = $1 AND ($2 IS NULL OR resource_type = $2) AND ($3 IS NULL OR resource_key = $3)";

/// A page of a namespace's changes, newest first, optionally for one resource type or object.
pub async fn page(
    conn: &mut AnyConnection,
    namespace: &str,
    resource_type: Option<&str>,
    resource_key: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ChangeRow>, StoreError> {
    let sql = format!(
        "SELECT id, namespace_key, resource_type, resource_key, action, actor, before, after, created_at \
         FROM changes WHERE {FILTER} ORDER BY id DESC LIMIT $4 OFFSET $5"
    );
    Ok(sqlx::query_as(&sql)
        .bind(namespace)
        .bind(resource_type)
        .bind(resource_key)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

/// How many changes match the same filter.
pub async fn count(
    conn: &mut AnyConnection,
    namespace: &str,
    resource_type: Option<&str>,
    resource_key: Option<&str>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM changes WHERE {FILTER}"))
        .bind(namespace)
        .bind(resource_type)
        .bind(resource_key)
        .fetch_one(conn)
        .await?)
}
