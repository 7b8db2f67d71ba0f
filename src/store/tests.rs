//! Store tests, each run on SQLite and on PostgreSQL in a database of its own.

use super::namespaces::{self, Updated};
use super::{now_nanos, StoreError};
use crate::testing::{on_both_databases, TestDb};

on_both_databases!(
    migrations_create_the_protected_default_namespace,
    migrations_are_idempotent,
    duplicate_namespace_keys_are_rejected,
    metadata_update_changes_only_name_description_and_version,
    stale_metadata_update_changes_nothing,
    a_rolled_back_write_leaves_no_trace,
    data_version_bumps_only_the_named_namespace,
);

async fn migrations_create_the_protected_default_namespace(db: &TestDb) {
    let default =
        namespaces::get(db.store.reader(), "default").await.unwrap().expect("default exists");
    assert_eq!(default.name, "Default");
    assert_eq!(default.description, "Default namespace");
    assert_eq!(default.protected, 1);
    assert_eq!(default.version, 1);
    assert!(default.created_at > 1_700_000_000_000_000_000, "nanoseconds since 1970");
}

async fn migrations_are_idempotent(db: &TestDb) {
    db.store.migrate().await.expect("second run is a no-op");
    assert_eq!(namespaces::count(db.store.reader()).await.unwrap(), 1);
}

async fn duplicate_namespace_keys_are_rejected(db: &TestDb) {
    let mut tx = db.store.begin().await.unwrap();
    let error = namespaces::insert(&mut tx, "default", "Again", "", now_nanos()).await.unwrap_err();
    assert!(matches!(error, StoreError::Unique), "{error:?}");
}

async fn insert_team(db: &TestDb, key: &str) -> namespaces::NamespaceRow {
    let mut tx = db.store.begin().await.unwrap();
    let row = namespaces::insert(&mut tx, key, "Team", "Team flags", now_nanos()).await.unwrap();
    tx.commit().await.unwrap();
    row
}

async fn metadata_update_changes_only_name_description_and_version(db: &TestDb) {
    let before = insert_team(db, "team").await;
    let default_before = namespaces::get(db.store.reader(), "default").await.unwrap();

    let mut tx = db.store.begin().await.unwrap();
    let now = now_nanos();
    let updated = namespaces::update_metadata(&mut tx, "team", "Renamed", "New text", Some(1), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let Updated::Done(after) = updated else { panic!("expected the update to apply: {updated:?}") };
    assert_eq!(after.name, "Renamed");
    assert_eq!(after.description, "New text");
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.updated_at, now);
    // Everything else is exactly as it was.
    assert_eq!(after.key, before.key);
    assert_eq!(after.protected, before.protected);
    assert_eq!(after.created_at, before.created_at);
    assert_eq!(after.data_version, before.data_version);
    assert_eq!(namespaces::get(db.store.reader(), "default").await.unwrap(), default_before);
}

async fn stale_metadata_update_changes_nothing(db: &TestDb) {
    let before = insert_team(db, "team").await;
    let mut tx = db.store.begin().await.unwrap();
    let outcome = namespaces::update_metadata(&mut tx, "team", "Late", "", Some(7), now_nanos())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(outcome, Updated::Stale(before.clone()));
    assert_eq!(namespaces::get(db.store.reader(), "team").await.unwrap(), Some(before));

    let mut tx = db.store.begin().await.unwrap();
    let missing =
        namespaces::update_metadata(&mut tx, "nope", "x", "", None, now_nanos()).await.unwrap();
    assert_eq!(missing, Updated::Missing);
}

async fn a_rolled_back_write_leaves_no_trace(db: &TestDb) {
    let mut tx = db.store.begin().await.unwrap();
    namespaces::insert(&mut tx, "ghost", "Ghost", "", now_nanos()).await.unwrap();
    drop(tx);
    assert_eq!(namespaces::get(db.store.reader(), "ghost").await.unwrap(), None);
}

async fn data_version_bumps_only_the_named_namespace(db: &TestDb) {
    insert_team(db, "team").await;
    let mut tx = db.store.begin().await.unwrap();
    assert_eq!(namespaces::bump_data_version(&mut tx, "team").await.unwrap(), Some(2));
    assert_eq!(namespaces::bump_data_version(&mut tx, "nope").await.unwrap(), None);
    tx.commit().await.unwrap();
    let default = namespaces::get(db.store.reader(), "default").await.unwrap().unwrap();
    assert_eq!(default.data_version, 1);
}

/// SQLite sometimes rolls a transaction back by itself (a full disk, an I/O error, a trigger's
/// RAISE(ROLLBACK)) and sometimes only the failed statement (RAISE(ABORT)). That sequence once
/// left the write connection inside a transaction that never committed: later writes were
/// acknowledged and never stored. Temporary triggers on the write connection replay it.
#[tokio::test]
async fn writes_after_sqlite_rolled_back_on_its_own_are_committed_for_real() {
    use sqlx::Executor;
    let db = TestDb::sqlite().await;
    let arm = "CREATE TEMP TRIGGER IF NOT EXISTS refuse_gone BEFORE INSERT ON namespaces \
               WHEN NEW.key = 'gone' BEGIN SELECT RAISE(ROLLBACK, 'rolled back by SQLite'); END; \
               CREATE TEMP TRIGGER IF NOT EXISTS refuse_abort BEFORE INSERT ON namespaces \
               WHEN NEW.key = 'abort' BEGIN SELECT RAISE(ABORT, 'statement refused'); END;";
    for key in ["gone", "abort", "gone", "abort"] {
        db.store.writer().execute(arm).await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        assert!(namespaces::insert(&mut tx, key, "Refused", "", now_nanos()).await.is_err());
        drop(tx);
    }
    let mut tx = db.store.begin().await.unwrap();
    namespaces::insert(&mut tx, "kept", "Kept", "", now_nanos()).await.unwrap();
    tx.commit().await.expect("the commit is real");
    let reader = db.store.reader();
    assert!(
        namespaces::get(reader, "kept").await.unwrap().is_some(),
        "visible to other connections"
    );
    for key in ["gone", "abort"] {
        assert!(namespaces::get(reader, key).await.unwrap().is_none(), "{key} was refused");
    }
    // And the write connection is free: a write after it commits too.
    let mut tx = db.store.begin().await.unwrap();
    namespaces::insert(&mut tx, "after", "After", "", now_nanos()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(namespaces::get(reader, "after").await.unwrap().is_some());
}
