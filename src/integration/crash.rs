//! kill -9 in the middle of a write load, on SQLite and on PostgreSQL, several times: after a
//! restart every write that was answered with success is there, `vexil check` finds the
//! database sound, and the server starts without manual repair. Prints the recovery times.
//!
//! `CRASH_ROUNDS` (default 3) makes longer runs.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{json, Value};

mod common;

use common::{free_port, get_json, start, vexil};

const CLIENTS: usize = 6;

/// What clients were told succeeded: flag keys, and (flag, variant) pairs.
#[derive(Default)]
struct Acked {
    flags: Vec<String>,
    variants: Vec<(String, String)>,
    /// Namespace names sent (a rename may commit and lose its answer to the kill).
    names_sent: Vec<String>,
    /// Namespace names whose rename was answered with success.
    names_acked: Vec<String>,
}

async fn load(client: reqwest::Client, base: String, id: String, acked: Arc<Mutex<Acked>>) {
    for n in 0..100_000 {
        let key = format!("{id}-{n}");
        let created = client
            .post(format!("{base}/api/v1/namespaces/crash/flags"))
            .json(&json!({"key": key, "name": key, "enabled": true}))
            .send()
            .await;
        match created {
            Ok(r) if r.status().is_success() => acked.lock().unwrap().flags.push(key.clone()),
            _ => return, // the server is gone
        }
        let variant = client
            .post(format!("{base}/api/v1/namespaces/crash/flags/{key}/variants"))
            .json(&json!({"key": "v", "attachment": "{\"n\": 1}"}))
            .send()
            .await;
        match variant {
            Ok(r) if r.status().is_success() => {
                acked.lock().unwrap().variants.push((key, "v".into()))
            }
            _ => return,
        }
        let name = format!("Crash {id} {n}");
        acked.lock().unwrap().names_sent.push(name.clone());
        let renamed = client
            .put(format!("{base}/api/v1/namespaces/crash"))
            .json(&json!({"name": name, "description": "metadata only"}))
            .send()
            .await;
        match renamed {
            Ok(r) if r.status().is_success() => acked.lock().unwrap().names_acked.push(name),
            _ => return,
        }
    }
}

async fn crash_rounds(url: &str, label: &str) {
    let rounds: usize =
        std::env::var("CRASH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let client = common::client(Duration::from_secs(10));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (mut server, _) = start(&client, url, port).await;
    let created = client
        .post(format!("{base}/api/v1/namespaces"))
        .json(&json!({"key": "crash", "name": "Crash"}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());
    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut recoveries = Vec::new();
    for round in 0..rounds {
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|c| {
                tokio::spawn(load(
                    client.clone(),
                    base.clone(),
                    format!("r{round}c{c}"),
                    acked.clone(),
                ))
            })
            .collect();
        let delay = 400 + (round as u64 * 337) % 900;
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.kill().expect("kill -9"); // SIGKILL: no shutdown, no checkpoint
        server.wait().unwrap();
        for task in tasks {
            task.await.unwrap();
        }
        let (restarted, took) = start(&client, url, port).await;
        server = restarted;
        recoveries.push(took);

        let listed: Value =
            get_json(&client, &format!("{base}/api/v1/namespaces/crash/flags?limit=1000000")).await;
        let stored: std::collections::HashMap<String, Value> = listed["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["key"].as_str().unwrap().to_string(), f.clone()))
            .collect();
        let namespace: Value = get_json(&client, &format!("{base}/api/v1/namespaces/crash")).await;
        let acked = acked.lock().unwrap();
        // The stored name is one a client sent, whole, and not the original once a rename was
        // acknowledged: the metadata update neither tore nor rolled back.
        let name = namespace["name"].as_str().unwrap_or_default().to_string();
        assert!(acked.names_sent.contains(&name), "{label} round {round}: stored name {name:?}");
        assert!(!acked.names_acked.is_empty(), "{label} round {round}: renames were acknowledged");
        for key in &acked.flags {
            assert!(
                stored.contains_key(key),
                "{label} round {round}: acknowledged flag {key} is gone"
            );
        }
        for (flag, variant) in &acked.variants {
            let has = stored[flag]["variants"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v["key"] == variant.as_str());
            assert!(has, "{label} round {round}: acknowledged variant {flag}/{variant} is gone");
        }
        assert!(!acked.flags.is_empty(), "{label}: the load wrote before the kill");
        println!("{label} round {round}: killed after {delay} ms with {} flags acknowledged; restart healthy in {took:?}", acked.flags.len());
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let check = vexil(url, &["check"], free_port()).output().unwrap();
    assert!(
        check.status.success(),
        "{label}: vexil check: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let worst = recoveries.iter().max().unwrap();
    println!("BENCH crash_recovery_{label}_ms={}", worst.as_millis());
    println!("{label}: {rounds} kills, every acknowledged write kept, check ok, slowest recovery {worst:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_dash_nine_during_writes_loses_nothing_acknowledged_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("vexil-crash-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    crash_rounds(&format!("sqlite://{}/crash.db", dir.display()), "sqlite").await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_dash_nine_during_writes_loses_nothing_acknowledged_on_postgres() {
    let db = common::PostgresDb::create("vexil_crash").await;
    crash_rounds(&db.url, "postgres").await;
    db.drop_now().await;
}
