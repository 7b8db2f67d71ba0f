//! PostgreSQL stopped for 10 s under a read, write and evaluation load, in a throw-away
//! cluster this test starts (initdb + pg_ctl on a free port; never the machine's own server).
//! Nothing waits much longer than the acquire timeout, evaluations answer 200 throughout
//! (stale, and marked so, while the database is away), /health flips both ways within the
//! bound, and every acknowledged write is there afterwards.

use std::{
    path::PathBuf,
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::common::{free_port, get_json, start_command, vexil};

/// The default `database_acquire_timeout_ms`, the bound every request must keep.
const BOUND: Duration = Duration::from_millis(2000);
/// Scheduling and HTTP overhead on a busy two-core machine.
const MARGIN: Duration = Duration::from_millis(1500);
const OUTAGE: Duration = Duration::from_secs(10);

/// A PostgreSQL cluster of the test's own, run as the `postgres` user.
struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    fn create() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries in /usr/lib/postgresql")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|bin| bin.join("initdb").exists())
            .max()
            .expect("initdb");
        let dir = std::env::temp_dir().join(format!("vexil-pg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .unwrap()
            .success());
        let cluster = Cluster { dir, bin, port: free_port() };
        let data = cluster.dir.join("data");
        let init = cluster.as_postgres(
            "initdb",
            &["-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "--no-sync"],
        );
        assert!(init, "initdb (needs root to run as the postgres user)");
        cluster
    }

    fn as_postgres(&self, tool: &str, args: &[&str]) -> bool {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(tool))
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn pg_ctl(&self, action: &str) -> bool {
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        let options =
            format!("-p {} -c listen_addresses=127.0.0.1 -k {}", self.port, self.dir.display());
        let (data, log) = (data.to_str().unwrap(), log.to_str().unwrap());
        match action {
            "start" => {
                self.as_postgres("pg_ctl", &["-D", data, "-l", log, "-w", "-o", &options, "start"])
            }
            _ => self.as_postgres("pg_ctl", &["-D", data, "-m", "fast", "-w", "stop"]),
        }
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.pg_ctl("stop");
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// One request's outcome, timed from the test's start.
#[derive(Clone, Debug)]
struct Sample {
    kind: &'static str,
    at: Duration,
    took: Duration,
    status: u16,
    stale: bool,
}

type Samples = Arc<Mutex<Vec<Sample>>>;

async fn timed(
    kind: &'static str,
    t0: Instant,
    request: reqwest::RequestBuilder,
    samples: &Samples,
) -> u16 {
    let started = Instant::now();
    let (status, stale) = match request.send().await {
        Ok(reply) => (reply.status().as_u16(), reply.headers().contains_key("x-vexil-stale-ms")),
        Err(_) => (0, false),
    };
    let sample = Sample { kind, at: started - t0, took: started.elapsed(), status, stale };
    samples.lock().unwrap().push(sample);
    status
}

/// Runs one kind of client until `until`, pausing `pause` between requests.
fn client_loop(
    kind: &'static str,
    client: reqwest::Client,
    base: String,
    t0: Instant,
    until: Instant,
    samples: Samples,
    acked: Arc<Mutex<Vec<String>>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for n in 0..100_000 {
            if Instant::now() >= until {
                return;
            }
            let request = match kind {
                "evaluate" => client.post(format!("{base}/evaluate/v1/boolean")).json(
                    &json!({"namespaceKey": "outage", "flagKey": "b", "entityId": format!("e{n}")}),
                ),
                "write" => client
                    .post(format!("{base}/api/v1/namespaces/outage/flags"))
                    .json(&json!({"key": format!("w{n}"), "name": "w"})),
                "read" => client.get(format!("{base}/api/v1/namespaces/outage/flags")),
                _ => client.get(format!("{base}/health")),
            };
            let status = timed(kind, t0, request, &samples).await;
            if kind == "write" && (200..300).contains(&status) {
                acked.lock().unwrap().push(format!("w{n}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_outage_fails_fast_and_evaluations_keep_serving() {
    let _serial = crate::one_at_a_time().await;
    let cluster = Cluster::create();
    assert!(cluster.pg_ctl("start"), "the throw-away cluster starts");
    let client = crate::common::client(Duration::from_secs(30));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut command = vexil(&cluster.url(), &["serve"], port);
    command.env("VEXIL_LOG_LEVEL", "off"); // every refusal during the outage is expected
    let server = crate::Server(Some(start_command(&client, command, port).await.0));
    for (path, body) in [
        ("/api/v1/namespaces", json!({"key": "outage", "name": "Outage"})),
        (
            "/api/v1/namespaces/outage/flags",
            json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE", "enabled": true}),
        ),
    ] {
        let reply = client.post(format!("{base}{path}")).json(&body).send().await.unwrap();
        assert!(reply.status().is_success(), "{path}: {}", reply.text().await.unwrap());
    }
    let warm = client
        .post(format!("{base}/evaluate/v1/boolean"))
        .json(&json!({"namespaceKey": "outage", "flagKey": "b", "entityId": "warm"}))
        .send()
        .await
        .unwrap();
    assert_eq!(warm.status(), 200);
    // A write just before the outage: the cached snapshot is now superseded, and its rebuild
    // would need the database.
    let edited = client
        .put(format!("{base}/api/v1/namespaces/outage/flags/b"))
        .json(&json!({"name": "B edited", "enabled": true}))
        .send()
        .await
        .unwrap();
    assert!(edited.status().is_success());

    let t0 = Instant::now();
    let stop_at = Duration::from_secs(2);
    let until = t0 + stop_at + OUTAGE + Duration::from_secs(6);
    let samples: Samples = Arc::default();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let tasks: Vec<_> = ["evaluate", "write", "read", "health"]
        .into_iter()
        .map(|kind| {
            client_loop(
                kind,
                client.clone(),
                base.clone(),
                t0,
                until,
                samples.clone(),
                acked.clone(),
            )
        })
        .collect();
    tokio::time::sleep_until((t0 + stop_at).into()).await;
    // The outage starts when the stop is issued: a fast shutdown ends sessions at once.
    let stopped = t0.elapsed();
    assert!(cluster.pg_ctl("stop"), "PostgreSQL stops");
    tokio::time::sleep(OUTAGE).await;
    assert!(cluster.pg_ctl("start"), "PostgreSQL starts again");
    let restarted = t0.elapsed();
    for task in tasks {
        task.await.unwrap();
    }
    let samples = samples.lock().unwrap().clone();
    check(&samples, stopped, restarted);

    let listed: Value =
        get_json(&client, &format!("{base}/api/v1/namespaces/outage/flags?limit=100000")).await;
    let stored: Vec<&str> =
        listed["flags"].as_array().unwrap().iter().filter_map(|f| f["key"].as_str()).collect();
    let acked = acked.lock().unwrap();
    for key in acked.iter() {
        assert!(stored.contains(&key.as_str()), "acknowledged write {key} survived the outage");
    }
    println!("outage: {} requests, {} acknowledged writes all stored", samples.len(), acked.len());
    server.stop();
}

/// The outage's promises, read from the samples.
fn check(samples: &[Sample], stopped: Duration, restarted: Duration) {
    let slowest = samples.iter().max_by_key(|s| s.took).unwrap();
    assert!(slowest.took <= BOUND + MARGIN, "no request waits past the bound: {slowest:?}");
    let evaluations: Vec<_> = samples.iter().filter(|s| s.kind == "evaluate").collect();
    assert!(
        evaluations.iter().all(|s| s.status == 200),
        "evaluations answer 200 throughout: {:?}",
        evaluations.iter().find(|s| s.status != 200)
    );
    assert!(evaluations.iter().any(|s| s.stale), "answers during the outage are marked stale");
    let refused: Vec<_> = samples.iter().filter(|s| s.kind == "write" && s.status == 503).collect();
    assert!(!refused.is_empty(), "writes during the outage are refused with 503");
    let health = |from: Duration, status: u16| {
        samples
            .iter()
            .map(|s| (s, s.at + s.took))
            .filter(|(s, answered)| s.kind == "health" && *answered >= from && s.status == status)
            .map(|(_, answered)| answered)
            .min()
    };
    let down = health(stopped, 503).expect("/health says NOT_SERVING during the outage") - stopped;
    let up = health(restarted, 200).expect("/health says SERVING after the outage") - restarted;
    assert!(down <= BOUND + MARGIN, "/health flips to NOT_SERVING within the bound: {down:?}");
    assert!(up <= BOUND + MARGIN, "/health flips back to SERVING within the bound: {up:?}");
    let fresh = evaluations
        .iter()
        .filter(|s| s.at >= restarted && !s.stale)
        .map(|s| s.at + s.took)
        .min()
        .expect("fresh answers after the outage")
        - restarted;
    assert!(fresh <= BOUND + MARGIN, "fresh answers return within the bound: {fresh:?}");
    let entered = evaluations
        .iter()
        .filter(|s| s.at >= stopped && s.stale)
        .map(|s| s.at + s.took)
        .min()
        .unwrap()
        - stopped;
    println!("BENCH degraded_enter_ms={}", entered.as_millis().max(down.as_millis()));
    println!("BENCH degraded_exit_ms={}", fresh.as_millis().max(up.as_millis()));
    println!("outage: slowest request {:?} ({}), health down after {down:?}, up after {up:?}, fresh answers after {fresh:?}",
        slowest.took, slowest.kind);
}
