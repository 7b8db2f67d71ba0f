//! The database's own integrity: SQLite's page and foreign-key checks, and on both databases a
//! search for rows whose parent is gone. `vexil check` and the crash tests run it.

use sqlx::{AnyConnection, Row};

use super::{Backend, StoreError};

/// Every reference between data tables: (child, child columns, parent, parent columns).
const REFERENCES: &[(&str, &[&str], &str, &[&str])] = &[
    ("flags", &["namespace_key"], "namespaces", &["key"]),
    ("flags", &["default_variant_id"], "variants", &["id"]),
    ("variants", &["namespace_key", "flag_key"], "flags", &["namespace_key", "key"]),
    ("segments", &["namespace_key"], "namespaces", &["key"]),
    ("constraints", &["namespace_key", "segment_key"], "segments", &["namespace_key", "key"]),
    ("rules", &["namespace_key", "flag_key"], "flags", &["namespace_key", "key"]),
    ("rule_segments", &["rule_id"], "rules", &["id"]),
    ("rule_segments", &["namespace_key", "segment_key"], "segments", &["namespace_key", "key"]),
    ("distributions", &["rule_id"], "rules", &["id"]),
    ("distributions", &["variant_id"], "variants", &["id"]),
    ("rollouts", &["namespace_key", "flag_key"], "flags", &["namespace_key", "key"]),
    ("rollout_thresholds", &["rollout_id"], "rollouts", &["id"]),
    ("rollout_segments", &["rollout_id"], "rollouts", &["id"]),
    ("rollout_segment_references", &["rollout_segment_id"], "rollout_segments", &["id"]),
    (
        "rollout_segment_references",
        &["namespace_key", "segment_key"],
        "segments",
        &["namespace_key", "key"],
    ),
];

/// Problems found; empty when the database is sound.
pub async fn check(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    if backend == Backend::Sqlite {
        for row in sqlx::query("PRAGMA integrity_check").fetch_all(&mut *conn).await? {
            let text: String = row.try_get(0)?;
            if text != "ok" {
                problems.push(format!("integrity_check: {text}"));
            }
        }
        let violations = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await?;
        for row in violations {
            let table: String = row.try_get(0)?;
            let parent: String = row.try_get(2)?;
            problems.push(format!("foreign_key_check: a row of {table} has no {parent} row"));
        }
    }
    for (child, columns, parent, keys) in REFERENCES {
        let joined: Vec<String> =
            columns.iter().zip(*keys).map(|(c, k)| format!("c.{c} = p.{k}")).collect();
        let present: Vec<String> = columns.iter().map(|c| format!("c.{c} IS NOT NULL")).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM {child} c LEFT JOIN {parent} p ON {} WHERE {} AND p.{} IS NULL",
            joined.join(" AND "),
            present.join(" AND "),
            keys[0]
        );
        let orphans: i64 = sqlx::query(&sql).fetch_one(&mut *conn).await?.try_get(0)?;
        if orphans > 0 {
            problems.push(format!(
                "{orphans} row(s) of {child} ({}) point to no {parent} row",
                columns.join(", ")
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use crate::testing::{api::Api, fixture::populate, on_both_databases, TestDb};

    on_both_databases!(finds_orphans_and_passes_a_sound_database);

    async fn finds_orphans_and_passes_a_sound_database(db: &TestDb) {
        populate(&Api::new(db), "team").await;
        let mut conn = db.store.writer().acquire().await.unwrap();
        assert_eq!(
            super::check(&mut conn, db.store.backend()).await.unwrap(),
            Vec::<String>::new()
        );
        // Break it behind the foreign keys' back, as a torn write would.
        let off = match db.store.backend() {
            crate::store::Backend::Sqlite => "PRAGMA foreign_keys = OFF",
            crate::store::Backend::Postgres => "SET session_replication_role = replica",
        };
        sqlx::query(off).execute(&mut *conn).await.unwrap();
        sqlx::query("DELETE FROM flags WHERE key = 'checkout'").execute(&mut *conn).await.unwrap();
        let problems = super::check(&mut conn, db.store.backend()).await.unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("of variants (namespace_key, flag_key) point to no flags")),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.contains("of rules")), "{problems:?}");
    }
}
