//! Writers and readers at once for a bounded time (issue #7 §1 and §2, in process): four
//! writers create, edit and delete flags, variants, segments, rules and rollouts, edit the
//! namespace's metadata and import documents, while two readers list, evaluate and read client
//! snapshots. Afterwards: every acknowledged write is there and nothing else is missing, no
//! orphan rows, one change record per write, versions never went back, the state rebuilt from
//! the change log equals the export, and every snapshot matched the version it claimed.
//!
//! `LOAD_SECONDS` (default 3) and `LOAD_SEED` make longer or repeated runs.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use sqlx::Row;

use crate::testing::{api::Api, on_both_databases, TestDb};

on_both_databases!(writers_and_readers_at_once_keep_every_invariant);

mod actors;

use actors::{read, write, Seen, READERS, WRITERS};

fn seconds() -> u64 {
    std::env::var("LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3)
}

async fn writers_and_readers_at_once_keep_every_invariant(db: &TestDb) {
    let seed = std::env::var("LOAD_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
            as u64
            | 1
    });
    println!("load test: seed {seed} (LOAD_SEED={seed} repeats it), {} s", seconds());
    let api = Arc::new(Api::new(db));
    api.create("/api/v1/namespaces", json!({"key": "load", "name": "Load"})).await;
    for i in 0..WRITERS {
        api.create("/api/v1/namespaces", json!({"key": format!("solo-{i}"), "name": "Solo"})).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let seen_snapshots: Arc<Seen> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(seconds());

    let mut readers = Vec::new();
    for r in 0..READERS {
        let (api, stop, seen) = (api.clone(), stop.clone(), seen_snapshots.clone());
        readers.push(tokio::spawn(async move { read(&api, &stop, &seen, seed ^ r as u64).await }));
    }
    let mut writers = Vec::new();
    for i in 0..WRITERS {
        let api = api.clone();
        let store = db.store.clone();
        writers.push(tokio::spawn(async move {
            write(&api, &store, i, seed.wrapping_add(i as u64 * 7919), deadline).await
        }));
    }
    let mut models = Vec::new();
    for writer in writers {
        models.push(writer.await.unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    let mut reads = 0;
    for reader in readers {
        reads += reader.await.unwrap();
    }
    let acked: usize = models.iter().flat_map(|m| m.changes.values()).sum();
    println!("load test: {acked} acknowledged writes, {reads} reads");
    assert!(acked >= WRITERS * 10 && reads > 0, "the load ran");

    // Every acknowledged write is there; nothing that was not deleted is missing.
    let export = api.get("/api/v1/namespaces/load/export?format=json").await.body;
    let stored = state_of(&export);
    let mut expected = State::default();
    for model in &models {
        for (key, (name, enabled, variants)) in &model.flags {
            expected.flags.insert(key.clone(), (name.clone(), *enabled, variants.clone()));
        }
        expected.segments.extend(model.segments.iter().cloned());
    }
    assert_eq!(stored, expected, "the stored namespace is what the acknowledged writes made");

    // No orphan rows, by SQLite's own checks and by joins on both databases.
    let mut conn = db.store.reader().acquire().await.unwrap();
    let problems = crate::store::integrity::check(&mut conn, db.store.backend()).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");

    // One change record per acknowledged write, and the log rebuilds the state.
    let rows = sqlx::query(
        "SELECT resource_type, action, after, before FROM changes WHERE namespace_key = 'load' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    let mut rebuilt = State::default();
    let mut variants: BTreeSet<(String, String)> = BTreeSet::new();
    for row in &rows {
        let (kind, action): (String, String) = (row.try_get(0).unwrap(), row.try_get(1).unwrap());
        let after: Option<String> = row.try_get(2).unwrap();
        let before: Option<String> = row.try_get(3).unwrap();
        let after: Value = after.map(|a| serde_json::from_str(&a).unwrap()).unwrap_or_default();
        let before: Value = before.map(|b| serde_json::from_str(&b).unwrap()).unwrap_or_default();
        *counted.entry(kind.clone()).or_default() += 1;
        rebuild(&mut rebuilt, &mut variants, &kind, &action, &before, &after);
    }
    for (flag, variant) in variants {
        if let Some(entry) = rebuilt.flags.get_mut(&flag) {
            entry.2.insert(variant);
        }
    }
    let mut wanted: BTreeMap<String, usize> = BTreeMap::from([("namespace".into(), 1)]);
    for model in &models {
        for (kind, n) in &model.changes {
            *wanted.entry(kind.clone()).or_default() += n;
        }
    }
    assert_eq!(counted, wanted, "one change record per acknowledged write, by resource type");
    assert_eq!(rebuilt, stored, "replaying the change log gives the stored state");

    // Every snapshot a reader saw matched the version it claimed.
    let seen = seen_snapshots.lock().unwrap();
    assert!(!seen.is_empty());
    for (namespace, version, flags) in seen.iter() {
        let writer: usize = namespace.trim_start_matches("solo-").parse().unwrap();
        let model = &models[writer].solo;
        let at = model.range(..=*version).next_back().map(|(_, f)| f.clone()).unwrap_or_default();
        assert_eq!(flags, &at, "{namespace} snapshot claiming version {version}");
    }
}

/// Flags (name, enabled, variant keys) and segment keys.
#[derive(Debug, Default, PartialEq, Eq)]
struct State {
    flags: BTreeMap<String, (String, bool, BTreeSet<String>)>,
    segments: BTreeSet<String>,
}

fn state_of(document: &Value) -> State {
    let mut state = State::default();
    for flag in document["flags"].as_array().into_iter().flatten() {
        let variants = flag["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v["key"].as_str().unwrap().to_string())
            .collect();
        state.flags.insert(
            flag["key"].as_str().unwrap().to_string(),
            (flag["name"].as_str().unwrap().to_string(), flag["enabled"] == true, variants),
        );
    }
    for segment in document["segments"].as_array().into_iter().flatten() {
        state.segments.insert(segment["key"].as_str().unwrap().to_string());
    }
    state
}

/// Applies one change record to the state being rebuilt.
fn rebuild(
    state: &mut State,
    variants: &mut BTreeSet<(String, String)>,
    kind: &str,
    action: &str,
    before: &Value,
    after: &Value,
) {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match (kind, action) {
        ("flag", "created" | "updated") => {
            state.flags.insert(
                text(&after["key"]),
                (text(&after["name"]), after["enabled"] == true, BTreeSet::new()),
            );
        }
        ("flag", "deleted") => {
            let key = text(&before["key"]);
            state.flags.remove(&key);
            variants.retain(|(flag, _)| *flag != key);
        }
        ("variant", "created") => {
            variants.insert((text(&after["flagKey"]), text(&after["key"])));
        }
        ("variant", "deleted") => {
            variants.remove(&(text(&before["flagKey"]), text(&before["key"])));
        }
        ("segment", "created") => {
            state.segments.insert(text(&after["key"]));
        }
        ("segment", "deleted") => {
            state.segments.remove(&text(&before["key"]));
        }
        ("namespace", "imported") => {
            for flag in after["flags"].as_array().into_iter().flatten() {
                let key = text(&flag["key"]);
                state.flags.insert(
                    key.clone(),
                    (text(&flag["name"]), flag["enabled"] == true, BTreeSet::new()),
                );
                for variant in flag["variants"].as_array().into_iter().flatten() {
                    variants.insert((key.clone(), text(&variant["key"])));
                }
            }
            for segment in after["segments"].as_array().into_iter().flatten() {
                state.segments.insert(text(&segment["key"]));
            }
        }
        _ => {}
    }
}
