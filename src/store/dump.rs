//! A complete, ordered dump of every data table, to prove that an operation changed exactly
//! what it should (tests, integrity checks).

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::{any::AnyRow, AnyConnection, Column, Row};

use super::StoreError;

/// Each data table and the columns that order its rows completely.
pub const TABLES: &[(&str, &str)] = &[
    ("namespaces", "key"),
    ("flags", "namespace_key, key"),
    ("variants", "id"),
    ("segments", "namespace_key, key"),
    ("constraints", "id"),
    ("rules", "id"),
    ("rule_segments", "rule_id, segment_key"),
    ("distributions", "id"),
    ("rollouts", "id"),
    ("rollout_thresholds", "id"),
    ("rollout_segments", "id"),
    ("rollout_segment_references", "rollout_segment_id, segment_key"),
];

/// The tables outside the flag data that a refused request must not change either: the
/// change log, snapshots and access control (a token's `last_used_at` is bookkeeping written
/// in batches, not data, and is left out).
pub const OTHER_TABLES: &[(&str, &str)] = &[
    ("changes", "id"),
    ("snapshots", "id"),
    ("authentications", "id"),
    ("sessions", "id"),
    ("oidc_logins", "state"),
    ("auth_state", "id"),
];

/// Every table, data and otherwise.
pub async fn everything(conn: &mut AnyConnection) -> Result<Dump, StoreError> {
    let mut dump = all(&mut *conn).await?;
    for (table, order) in OTHER_TABLES {
        let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .fetch_all(&mut *conn)
            .await?;
        let mut rows: Vec<BTreeMap<String, Value>> = rows.iter().map(row_to_map).collect();
        for row in &mut rows {
            row.remove("last_used_at");
        }
        dump.insert(table.to_string(), rows);
    }
    Ok(dump)
}

/// Table name → rows, each row a column → value map.
pub type Dump = BTreeMap<String, Vec<BTreeMap<String, Value>>>;

/// Reads every row of every data table.
pub async fn all(conn: &mut AnyConnection) -> Result<Dump, StoreError> {
    let mut dump = Dump::new();
    for (table, order) in TABLES {
        let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .fetch_all(&mut *conn)
            .await?;
        dump.insert(table.to_string(), rows.iter().map(row_to_map).collect());
    }
    Ok(dump)
}

fn row_to_map(row: &AnyRow) -> BTreeMap<String, Value> {
    row.columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                v.map(Value::from)
            } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
                v.map(Value::from)
            } else {
                row.try_get::<Option<String>, _>(i).ok().flatten().map(Value::from)
            };
            (column.name().to_string(), value.unwrap_or(Value::Null))
        })
        .collect()
}
