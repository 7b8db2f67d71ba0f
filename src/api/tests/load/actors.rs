//! The load test's writers and readers, and what the writers' acknowledged writes promise.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        atomic::{AtomicBool, Ordering},
        Mutex,
    },
    time::Instant,
};

use axum::http::Method;
use serde_json::{json, Value};
use sqlx::Row;

use crate::{store::Store, testing::api::Api};

pub const WRITERS: usize = 4;
pub const READERS: usize = 2;
const MAX_OPS: usize = 5_000;

/// Snapshots readers took: namespace, the version each claimed, its boolean flags.
pub type Seen = Mutex<Vec<(String, i64, BTreeMap<String, bool>)>>;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// What one writer's acknowledged writes say must be stored.
#[derive(Default)]
pub struct Model {
    /// key → (name, enabled, variant keys)
    pub flags: BTreeMap<String, (String, bool, BTreeSet<String>)>,
    pub segments: BTreeSet<String>,
    /// flag key → segments its rules use (a used segment cannot be deleted)
    pub uses: BTreeMap<String, Vec<String>>,
    /// resource type → acknowledged writes that must each have one change record
    pub changes: BTreeMap<String, usize>,
    /// boolean flag key → its rollouts' ids
    pub rollouts: BTreeMap<String, Vec<String>>,
    /// data version of the writer's own namespace → its boolean flags' enabled values
    pub solo: BTreeMap<i64, BTreeMap<String, bool>>,
}

impl Model {
    fn wrote(&mut self, resource: &str) {
        *self.changes.entry(resource.to_string()).or_default() += 1;
    }
}

async fn data_version(store: &Store, namespace: &str) -> i64 {
    sqlx::query("SELECT data_version FROM namespaces WHERE key = $1")
        .bind(namespace)
        .fetch_one(store.reader())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn ok(reply: crate::testing::api::Reply, what: &str) -> Value {
    assert!(reply.status == 200, "{what}: {} {}", reply.status, reply.body);
    reply.body
}

/// One writer: random operations on its own keys until the deadline; returns its model.
pub async fn write(api: &Api, store: &Store, i: usize, seed: u64, deadline: Instant) -> Model {
    let mut rng = Rng(seed | 1);
    let mut model = Model::default();
    let base = "/api/v1/namespaces/load";
    let solo = format!("solo-{i}");
    let mut solo_flags: BTreeMap<String, bool> = BTreeMap::new();
    let own = |m: &Model, rng: &mut Rng| -> Option<String> {
        let keys: Vec<&String> = m.flags.keys().filter(|k| !m.rollouts.contains_key(*k)).collect();
        (!keys.is_empty()).then(|| keys[rng.below(keys.len())].clone())
    };
    for n in 0..MAX_OPS {
        if Instant::now() >= deadline {
            break;
        }
        match rng.below(13) {
            0 | 1 => {
                let key = format!("w{i}-f{n}");
                ok(
                    api.post(&format!("{base}/flags"), json!({"key": key, "name": key})).await,
                    "create flag",
                )
                .await;
                model.flags.insert(key, (format!("w{i}-f{n}"), false, BTreeSet::new()));
                model.wrote("flag");
            }
            2 => {
                let Some(flag) = own(&model, &mut rng) else { continue };
                let key = format!("v{n}");
                ok(
                    api.post(
                        &format!("{base}/flags/{flag}/variants"),
                        json!({"key": key, "attachment": "{\"n\": 1}"}),
                    )
                    .await,
                    "variant",
                )
                .await;
                model.flags.get_mut(&flag).unwrap().2.insert(key);
                model.wrote("variant");
            }
            3 => {
                let Some(flag) = own(&model, &mut rng) else { continue };
                let (name, enabled) = (format!("renamed {n}"), rng.below(2) == 1);
                ok(
                    api.put(
                        &format!("{base}/flags/{flag}"),
                        json!({"name": name, "enabled": enabled}),
                    )
                    .await,
                    "update flag",
                )
                .await;
                let entry = model.flags.get_mut(&flag).unwrap();
                (entry.0, entry.1) = (name, enabled);
                model.wrote("flag");
            }
            4 => {
                let Some(flag) = own(&model, &mut rng) else { continue };
                ok(api.delete(&format!("{base}/flags/{flag}")).await, "delete flag").await;
                model.flags.remove(&flag);
                model.uses.remove(&flag);
                model.wrote("flag");
            }
            5 => {
                let key = format!("w{i}-s{n}");
                ok(
                    api.post(&format!("{base}/segments"), json!({"key": key, "name": key})).await,
                    "segment",
                )
                .await;
                ok(api.post(&format!("{base}/segments/{key}/constraints"), json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "x"})).await, "constraint").await;
                model.segments.insert(key);
                model.wrote("segment");
                model.wrote("constraint");
            }
            6 => {
                let used: BTreeSet<&String> = model.uses.values().flatten().collect();
                let free: Vec<String> =
                    model.segments.iter().filter(|s| !used.contains(s)).cloned().collect();
                if free.is_empty() {
                    continue;
                }
                let key = &free[rng.below(free.len())];
                ok(api.delete(&format!("{base}/segments/{key}")).await, "delete segment").await;
                model.segments.remove(key);
                model.wrote("segment");
            }
            7 => {
                let Some(flag) = own(&model, &mut rng) else { continue };
                let segments: Vec<String> = model.segments.iter().cloned().collect();
                if segments.is_empty() {
                    continue;
                }
                let segment = segments[rng.below(segments.len())].clone();
                ok(
                    api.post(
                        &format!("{base}/flags/{flag}/rules"),
                        json!({"segmentKey": segment, "rank": 1}),
                    )
                    .await,
                    "rule",
                )
                .await;
                model.uses.entry(flag).or_default().push(segment);
                model.wrote("rule");
            }
            8 => {
                let body = json!({"name": format!("Load, edited by writer {i} ({n})"), "description": "metadata only"});
                ok(api.put(base, body).await, "namespace metadata").await;
                model.wrote("namespace");
            }
            9 => {
                let key = format!("w{i}-imp{n}");
                let document = format!("namespace: load\nflags:\n  - key: {key}\n    name: {key}\n    enabled: true\n    variants:\n      - key: a\n");
                ok(
                    api.raw(
                        Method::POST,
                        "/api/v1/import?mode=skip-existing",
                        &[],
                        document.into_bytes(),
                    )
                    .await,
                    "import",
                )
                .await;
                model.flags.insert(key.clone(), (key, true, BTreeSet::from(["a".to_string()])));
                model.wrote("namespace");
            }
            10 => {
                let segments: Vec<String> = model.segments.iter().cloned().collect();
                if segments.is_empty() {
                    continue;
                }
                let key = &segments[rng.below(segments.len())];
                let body = json!({"name": format!("renamed {n}"), "matchType": "ANY_MATCH_TYPE"});
                ok(api.put(&format!("{base}/segments/{key}"), body).await, "update segment").await;
                model.wrote("segment");
            }
            11 => {
                // Boolean flags and their rollouts: create one, add a rollout, or delete one.
                let flags: Vec<String> = model.rollouts.keys().cloned().collect();
                if flags.is_empty() || rng.below(4) == 0 {
                    let key = format!("w{i}-bool{n}");
                    let body = json!({"key": key, "name": key, "type": "BOOLEAN_FLAG_TYPE"});
                    ok(api.post(&format!("{base}/flags"), body).await, "boolean flag").await;
                    model.flags.insert(key.clone(), (key.clone(), false, BTreeSet::new()));
                    model.rollouts.insert(key, Vec::new());
                    model.wrote("flag");
                    continue;
                }
                let flag = flags[rng.below(flags.len())].clone();
                let ids = model.rollouts.get_mut(&flag).unwrap();
                if ids.is_empty() || rng.below(2) == 0 {
                    let body = json!({"rank": ids.len() + 1, "threshold": {"percentage": 30, "value": true}});
                    let created = ok(
                        api.post(&format!("{base}/flags/{flag}/rollouts"), body).await,
                        "rollout",
                    )
                    .await;
                    ids.push(created["id"].as_str().unwrap().to_string());
                } else {
                    let id = ids.remove(rng.below(ids.len()));
                    ok(
                        api.delete(&format!("{base}/flags/{flag}/rollouts/{id}")).await,
                        "delete rollout",
                    )
                    .await;
                }
                model.wrote("rollout");
            }
            _ => {
                // The writer's own namespace: a write, then at once an evaluation and a
                // snapshot that must reflect it.
                let solo_base = format!("/api/v1/namespaces/{solo}");
                let key = format!("b{}", rng.below(3));
                let enabled = rng.below(2) == 1;
                if solo_flags.contains_key(&key) {
                    ok(
                        api.put(
                            &format!("{solo_base}/flags/{key}"),
                            json!({"name": key, "enabled": enabled}),
                        )
                        .await,
                        "toggle",
                    )
                    .await;
                } else {
                    ok(api.post(&format!("{solo_base}/flags"), json!({"key": key, "name": key, "type": "BOOLEAN_FLAG_TYPE", "enabled": enabled})).await, "boolean flag").await;
                }
                solo_flags.insert(key.clone(), enabled);
                let version = data_version(store, &solo).await;
                model.solo.insert(version, solo_flags.clone());
                let answer = ok(
                    api.post(
                        "/evaluate/v1/boolean",
                        json!({"namespaceKey": solo, "flagKey": key, "entityId": "e"}),
                    )
                    .await,
                    "evaluate",
                )
                .await;
                assert_eq!(answer["enabled"], enabled, "the next evaluation reflects the write");
                let snapshot = crate::testing::as_owner(api.service.snapshot(&solo)).await.unwrap();
                assert!(
                    snapshot.version >= version,
                    "snapshot {} after write {version}",
                    snapshot.version
                );
                let flags: BTreeMap<String, bool> =
                    snapshot.source.flags.iter().map(|f| (f.key.clone(), f.enabled)).collect();
                assert_eq!(flags, solo_flags, "the next snapshot reflects the write");
            }
        }
    }
    model
}

/// One reader: lists, evaluates and takes snapshots until stopped; returns how many reads.
pub async fn read(api: &Api, stop: &AtomicBool, seen: &Seen, seed: u64) -> usize {
    let mut rng = Rng(seed | 1);
    let mut reads = 0;
    let mut namespace_version = 0;
    let mut flag_versions: BTreeMap<String, i64> = BTreeMap::new();
    for _ in 0..1_000_000 {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let listed = api.get("/api/v1/namespaces/load/flags?limit=50").await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        let flags = listed.body["flags"].as_array().cloned().unwrap_or_default();
        for flag in &flags {
            let key = flag["key"].as_str().unwrap().to_string();
            let version = flag["version"].as_i64().unwrap();
            let last = flag_versions.entry(key.clone()).or_insert(version);
            assert!(version >= *last, "flag {key}: version went from {last} to {version}");
            *last = version;
        }
        if !flags.is_empty() {
            let flag = &flags[rng.below(flags.len())];
            let body = json!({"namespaceKey": "load", "flagKey": flag["key"], "entityId": "e"});
            let kind = if flag["type"] == "BOOLEAN_FLAG_TYPE" { "boolean" } else { "variant" };
            let answer = api.post(&format!("/evaluate/v1/{kind}"), body).await;
            assert!(answer.status == 200 || answer.status == 404, "{}", answer.body);
        }
        let namespace = api.get("/api/v1/namespaces/load").await.body;
        let version = namespace["version"].as_i64().unwrap();
        assert!(
            version >= namespace_version,
            "namespace version went from {namespace_version} to {version}"
        );
        namespace_version = version;
        let solo = format!("solo-{}", rng.below(WRITERS));
        let snapshot = crate::testing::as_owner(api.service.snapshot(&solo)).await.unwrap();
        let flags = snapshot.source.flags.iter().map(|f| (f.key.clone(), f.enabled)).collect();
        seen.lock().unwrap().push((solo, snapshot.version, flags));
        reads += 4;
        tokio::task::yield_now().await;
    }
    reads
}
