//! SQLite on a filesystem of 8 MiB that the test fills: refused writes are refused for real
//! (507 with Flipt's body), acknowledged ones are stored, writes work again once space is
//! freed, and a restart and `vexil check` agree.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::common::{free_port, get_json, start_command, vexil};

/// The server with its log off: every refusal here is expected, and logged as an error.
fn quiet(url: &str, port: u16) -> std::process::Command {
    let mut command = vexil(url, &["serve"], port);
    command.env("VEXIL_LOG_LEVEL", "off");
    command
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(size: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("vexil-full-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .expect("run mount");
        assert!(mounted.success(), "mounting a tmpfs needs root (CI runs as root)");
        SmallDisk(dir)
    }

    /// Fills the disk with a file until fewer than `leave` bytes are free.
    fn fill(&self, leave: u64) -> PathBuf {
        let filler = self.0.join("filler");
        let free = free_bytes(&self.0);
        let size = free.saturating_sub(leave);
        std::fs::write(&filler, vec![0xA5u8; size as usize]).unwrap();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        Command::new("umount").arg(&self.0).status().ok();
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn free_bytes(dir: &Path) -> u64 {
    let out = Command::new("df").args(["--output=avail", "-B1"]).arg(dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().nth(1).and_then(|l| l.trim().parse().ok()).expect("df prints the free bytes")
}

/// What the writers were told, per flag key: its description if acknowledged, `None` if refused.
type Outcomes = Arc<Mutex<BTreeMap<String, Option<String>>>>;

/// One write, checked as a client would: a 2xx must be readable at once, a refusal must be
/// 507 or 503 with Flipt's body and a message a person can act on.
async fn write(client: &reqwest::Client, base: &str, key: &str, outcomes: &Outcomes) -> bool {
    let description = format!("{key} {}", "x".repeat(6000));
    let reply = client
        .post(format!("{base}/api/v1/namespaces/full/flags"))
        .json(&json!({"key": key, "name": key, "description": description}))
        .send()
        .await
        .expect("the server answers");
    let status = reply.status().as_u16();
    let retry_after = reply.headers().get("retry-after").is_some();
    let body: Value = reply.json().await.expect("a JSON body");
    if (200..300).contains(&status) {
        let read = client.get(format!("{base}/api/v1/namespaces/full/flags/{key}")).send().await;
        let read = read.expect("the server answers");
        assert_eq!(read.status(), 200, "acknowledged flag {key} must be readable at once");
        outcomes.lock().unwrap().insert(key.to_string(), Some(description));
        return true;
    }
    assert!(status == 507 || status == 503, "a refused write is 507/503, got {status}: {body}");
    assert!(retry_after, "a refusal says when to retry");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(body["code"].is_number(), "Flipt's error body: {body}");
    if status == 507 {
        assert!(message.contains("disk is full"), "{message}");
    }
    outcomes.lock().unwrap().insert(key.to_string(), None);
    false
}

/// Writes with `writers` concurrent clients until `refusals` writes were refused, then frees
/// the space and writes again; finally restarts and compares.
async fn fill_refuse_free(writers: usize, refusals: usize) {
    let _serial = crate::one_at_a_time().await;
    let disk = SmallDisk::mount("8m");
    let url = format!("sqlite://{}/vexil.db", disk.0.display());
    let client = crate::common::client(Duration::from_secs(20));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = crate::Server(Some(start_command(&client, quiet(&url, port), port).await.0));
    let created = client
        .post(format!("{base}/api/v1/namespaces"))
        .json(&json!({"key": "full", "name": "Full"}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());
    let filler = disk.fill(600 * 1024);

    let outcomes: Outcomes = Arc::default();
    let refused = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(120);
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (client, base, outcomes, refused) =
                (client.clone(), base.clone(), outcomes.clone(), refused.clone());
            tokio::spawn(async move {
                use std::sync::atomic::Ordering::Relaxed;
                for n in 0..5_000 {
                    if refused.load(Relaxed) >= refusals || Instant::now() > deadline {
                        return;
                    }
                    if !write(&client, &base, &format!("w{w}-{n}"), &outcomes).await {
                        refused.fetch_add(1, Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let refused_count = refused.load(std::sync::atomic::Ordering::Relaxed);
    assert!(refused_count >= refusals, "the disk filled up (refused {refused_count})");

    // A metadata edit on the full disk is refused too, and leaves the namespace as it was.
    let renamed = client
        .put(format!("{base}/api/v1/namespaces/full"))
        .json(&json!({"name": "Renamed on a full disk"}))
        .send()
        .await
        .unwrap();
    let renamed_ok = renamed.status().is_success();

    std::fs::remove_file(&filler).unwrap();
    for n in 0..10 {
        let key = format!("after-{n}");
        assert!(
            write(&client, &base, &key, &outcomes).await,
            "{key}: writes work once space is freed"
        );
    }

    server.stop();
    let server = crate::Server(Some(start_command(&client, quiet(&url, port), port).await.0));
    let stored: Value =
        get_json(&client, &format!("{base}/api/v1/namespaces/full/flags?limit=100000")).await;
    let stored: BTreeMap<String, String> = stored["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["key"].as_str().unwrap().into(), f["description"].as_str().unwrap().into()))
        .collect();
    let outcomes = outcomes.lock().unwrap().clone();
    let acked = outcomes.values().filter(|o| o.is_some()).count();
    for (key, outcome) in &outcomes {
        match outcome {
            Some(description) => assert_eq!(
                stored.get(key),
                Some(description),
                "acknowledged flag {key} is stored with its content after a restart"
            ),
            None => assert!(!stored.contains_key(key), "refused flag {key} must not be stored"),
        }
    }
    assert_eq!(stored.len(), acked, "nothing but the acknowledged flags is stored");
    let namespace: Value = get_json(&client, &format!("{base}/api/v1/namespaces/full")).await;
    let expected_name = if renamed_ok { "Renamed on a full disk" } else { "Full" };
    assert_eq!(namespace["name"], expected_name, "the namespace rename's answer was the truth");
    server.stop();

    let check = vexil(&url, &["check"], free_port()).output().unwrap();
    assert!(
        check.status.success(),
        "vexil check: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    println!(
        "disk full, {writers} writer(s): {acked} acknowledged and stored, {} refused and absent",
        outcomes.len() - acked
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_for_real_and_recovers_when_space_is_freed() {
    fill_refuse_free(1, 6).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_under_concurrent_writers_loses_nothing_acknowledged() {
    fill_refuse_free(4, 24).await;
}
