//! Whole-database comparisons: what an operation changed, and that nothing else changed.

use super::TestDb;
use crate::store::dump::{self, Dump};

/// Every row of every data table.
pub async fn dump(db: &TestDb) -> Dump {
    let mut conn = db.store.reader().acquire().await.expect("a connection");
    dump::all(&mut conn).await.expect("a dump")
}

/// Every row of every table: data, change log, snapshots, tokens and sessions.
pub async fn dump_everything(db: &TestDb) -> Dump {
    let mut conn = db.store.reader().acquire().await.expect("a connection");
    dump::everything(&mut conn).await.expect("a dump")
}

/// Asserts that `after` equals `before` except for the metadata columns (`name`,
/// `description`, `updated_at`, `version`) of namespace `key`'s own row.
pub fn assert_only_metadata_changed(before: &Dump, after: &Dump, key: &str) {
    for (table, rows) in before {
        if table != "namespaces" {
            assert_eq!(rows, &after[table], "table {table} changed");
            continue;
        }
        assert_eq!(rows.len(), after[table].len(), "namespace rows appeared or vanished");
        for (old, new) in rows.iter().zip(&after[table]) {
            if old["key"] != key {
                assert_eq!(old, new, "another namespace changed");
                continue;
            }
            for (column, value) in old {
                if !["name", "description", "updated_at", "version"].contains(&column.as_str()) {
                    assert_eq!(value, &new[column], "namespace {key}: column {column} changed");
                }
            }
        }
    }
}
