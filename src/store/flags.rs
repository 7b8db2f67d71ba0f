//! Flags and variants. A page of flags with their variants is three queries, whatever its size.

use std::collections::HashMap;

use app::domain::{Flag, FlagType, Variant};
use sqlx::{AnyConnection, FromRow};

use super::{format_timestamp, sql::placeholders, sql::sql_limit, StoreError, Tx};

const FLAG_COLUMNS: &str = "namespace_key, key, name, description, enabled, type AS flag_type, \
     default_variant_id, metadata, version, created_at, updated_at";
const VARIANT_COLUMNS: &str =
    "id, namespace_key, flag_key, key, name, description, attachment, created_at, updated_at";

/// A `flags` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct FlagRow {
    pub namespace_key: String,
    pub key: String,
    pub name: String,
    pub description: String,
    pub enabled: i64,
    pub flag_type: i64,
    pub default_variant_id: Option<String>,
    pub metadata: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A `variants` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct VariantRow {
    pub id: String,
    pub namespace_key: String,
    pub flag_key: String,
    pub key: String,
    pub name: String,
    pub description: String,
    pub attachment: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<VariantRow> for Variant {
    fn from(row: VariantRow) -> Self {
        Variant {
            id: row.id,
            flag_key: row.flag_key,
            key: row.key,
            name: row.name,
            description: row.description,
            created_at: format_timestamp(row.created_at),
            updated_at: format_timestamp(row.updated_at),
            attachment: row.attachment.unwrap_or_default(),
            namespace_key: row.namespace_key,
        }
    }
}

/// Joins flag rows with their variants (already in creation order).
pub fn assemble(rows: Vec<FlagRow>, variants: Vec<VariantRow>) -> Vec<Flag> {
    let mut by_flag: HashMap<String, Vec<Variant>> = HashMap::new();
    for variant in variants {
        by_flag.entry(variant.flag_key.clone()).or_default().push(Variant::from(variant));
    }
    rows.into_iter()
        .map(|row| {
            let own: Vec<Variant> = by_flag.remove(&row.key).unwrap_or_default();
            let default_variant = row
                .default_variant_id
                .as_ref()
                .and_then(|id| own.iter().find(|v| &v.id == id).cloned());
            let metadata = row
                .metadata
                .as_deref()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                .and_then(|value| value.as_object().cloned());
            Flag {
                key: row.key,
                name: row.name,
                description: row.description,
                enabled: row.enabled != 0,
                created_at: format_timestamp(row.created_at),
                updated_at: format_timestamp(row.updated_at),
                variants: own,
                namespace_key: row.namespace_key,
                flag_type: FlagType::from_number(row.flag_type).unwrap_or_default(),
                default_variant,
                metadata,
                version: row.version,
            }
        })
        .collect()
}

/// A page of a namespace's flags in creation order, with one extra row if more exist.
pub async fn page(
    conn: &mut AnyConnection,
    namespace: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<FlagRow>, StoreError> {
    let sql = format!(
        "SELECT {FLAG_COLUMNS} FROM flags WHERE namespace_key = $1 \
         ORDER BY created_at, key LIMIT $2 OFFSET $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(namespace)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

/// How many flags the namespace has.
pub async fn count(conn: &mut AnyConnection, namespace: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM flags WHERE namespace_key = $1")
        .bind(namespace)
        .fetch_one(conn)
        .await?)
}

/// One flag row.
pub async fn get(
    conn: &mut AnyConnection,
    namespace: &str,
    key: &str,
) -> Result<Option<FlagRow>, StoreError> {
    let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE namespace_key = $1 AND key = $2");
    Ok(sqlx::query_as(&sql).bind(namespace).bind(key).fetch_optional(conn).await?)
}

/// The variants of the given flags, in creation order (one query).
pub async fn variants_of(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_keys: &[String],
) -> Result<Vec<VariantRow>, StoreError> {
    if flag_keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {VARIANT_COLUMNS} FROM variants WHERE namespace_key = $1 AND flag_key IN ({}) \
         ORDER BY created_at, id",
        placeholders(2, flag_keys.len())
    );
    let mut query = sqlx::query_as(&sql).bind(namespace);
    for key in flag_keys {
        query = query.bind(key);
    }
    Ok(query.fetch_all(conn).await?)
}

/// One variant of a flag.
pub async fn variant(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<Option<VariantRow>, StoreError> {
    let sql = format!(
        "SELECT {VARIANT_COLUMNS} FROM variants WHERE namespace_key = $1 AND flag_key = $2 AND id = $3"
    );
    Ok(sqlx::query_as(&sql).bind(namespace).bind(flag_key).bind(id).fetch_optional(conn).await?)
}

/// Inserts a flag row as given.
pub async fn insert(tx: &mut Tx, row: &FlagRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO flags (namespace_key, key, name, description, enabled, type, \
         default_variant_id, metadata, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&row.namespace_key)
    .bind(&row.key)
    .bind(&row.name)
    .bind(&row.description)
    .bind(row.enabled)
    .bind(row.flag_type)
    .bind(&row.default_variant_id)
    .bind(&row.metadata)
    .bind(row.version)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the mutable columns of a flag (Flipt's PUT replaces them all) and bumps its version.
/// Returns false when the flag is missing or its version is not `expected_version`.
pub async fn update(
    tx: &mut Tx,
    row: &FlagRow,
    expected_version: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE flags SET name = $1, description = $2, enabled = $3, default_variant_id = $4, \
         metadata = $5, updated_at = $6, version = version + 1 \
         WHERE namespace_key = $7 AND key = $8 AND ($9 IS NULL OR version = $9)",
    )
    .bind(&row.name)
    .bind(&row.description)
    .bind(row.enabled)
    .bind(&row.default_variant_id)
    .bind(&row.metadata)
    .bind(row.updated_at)
    .bind(&row.namespace_key)
    .bind(&row.key)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a flag (at `expected_version`, if given); its variants, rules and rollouts go with
/// it (cascade). Returns whether a row was deleted.
pub async fn delete(
    tx: &mut Tx,
    namespace: &str,
    key: &str,
    expected_version: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "DELETE FROM flags WHERE namespace_key = $1 AND key = $2 AND ($3 IS NULL OR version = $3)",
    )
    .bind(namespace)
    .bind(key)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes every flag of a namespace (first step of a namespace delete).
pub async fn delete_all(tx: &mut Tx, namespace: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM flags WHERE namespace_key = $1")
        .bind(namespace)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Inserts a variant row as given.
pub async fn insert_variant(tx: &mut Tx, row: &VariantRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO variants (id, namespace_key, flag_key, key, name, description, attachment, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&row.id)
    .bind(&row.namespace_key)
    .bind(&row.flag_key)
    .bind(&row.key)
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.attachment)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a variant's mutable columns.
pub async fn update_variant(tx: &mut Tx, row: &VariantRow) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE variants SET key = $1, name = $2, description = $3, attachment = $4, updated_at = $5 \
         WHERE id = $6 AND namespace_key = $7 AND flag_key = $8",
    )
    .bind(&row.key)
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.attachment)
    .bind(row.updated_at)
    .bind(&row.id)
    .bind(&row.namespace_key)
    .bind(&row.flag_key)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a variant; distributions pointing at it go too, and a flag's default is cleared.
pub async fn delete_variant(
    tx: &mut Tx,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM variants WHERE id = $1 AND namespace_key = $2 AND flag_key = $3")
            .bind(id)
            .bind(namespace)
            .bind(flag_key)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The orders the dashboard's flag list offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagOrder {
    Key,
    Name,
    Created,
    Updated,
}

/// One page of the flags whose key or name contains `search` (any case), in `order`, and how
/// many flags match in all. Sorting, filtering and paging all happen in the database.
pub async fn search(
    conn: &mut AnyConnection,
    namespace: &str,
    search: &str,
    order: FlagOrder,
    descending: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<FlagRow>, i64), StoreError> {
    let escaped: String = search
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    let pattern = format!("%{escaped}%");
    let filter = "namespace_key = $1 AND (LOWER(key) LIKE $2 ESCAPE '\\' \
                  OR LOWER(name) LIKE $2 ESCAPE '\\')";
    let column = match order {
        FlagOrder::Key => "key",
        FlagOrder::Name => "LOWER(name)",
        FlagOrder::Created => "created_at",
        FlagOrder::Updated => "updated_at",
    };
    let direction = if descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {FLAG_COLUMNS} FROM flags WHERE {filter} \
         ORDER BY {column} {direction}, key {direction} LIMIT $3 OFFSET $4"
    );
    let rows = sqlx::query_as(&sql)
        .bind(namespace)
        .bind(&pattern)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM flags WHERE {filter}"))
        .bind(namespace)
        .bind(&pattern)
        .fetch_one(&mut *conn)
        .await?;
    Ok((rows, total))
}
