//! A mixed load against the server binary, on SQLite and on PostgreSQL, for `SOAK_SECONDS` (60 by default; `.ci/soak 3600`
//! for an hour): evaluations, client snapshots, listings and writes from several clients.
//! Every `SOAK_REPORT_SECONDS` (10) it prints throughput, p99 latency and the server's
//! resident memory. It fails on any error answer, or if memory keeps growing: the last
//! interval may not exceed the first settled one by more than 25 % + 16 MiB.

use std::{
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use serde_json::json;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_vexil");
const CLIENTS: usize = 8;
const FLAGS: usize = 200;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn env_secs(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[derive(Default)]
struct Window {
    latencies_us: Vec<u64>,
}

async fn client_loop(
    client: reqwest::Client,
    base: String,
    id: usize,
    stop: Arc<AtomicBool>,
    window: Arc<Mutex<Window>>,
    errors: Arc<AtomicU64>,
) {
    let mut state = (id as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for n in 0..u64::MAX {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let flag = state % FLAGS as u64;
        let started = Instant::now();
        let request = match state % 100 {
            0..=59 => client.post(format!("{base}/evaluate/v1/variant")).json(&json!({"flagKey": format!("f{flag}"), "entityId": format!("user-{n}"), "context": {"plan": "pro"}})),
            60..=79 => client.post(format!("{base}/evaluate/v1/boolean")).json(&json!({"flagKey": "switch", "entityId": format!("user-{n}")})),
            80..=87 => client.get(format!("{base}/internal/v1/evaluation/snapshot/namespace/default")),
            88..=93 => client.get(format!("{base}/api/v1/flags?limit=20")),
            94..=97 => client.put(format!("{base}/api/v1/flags/f{flag}")).json(&json!({"name": format!("F {n}"), "enabled": n % 2 == 0})),
            _ => client.put(format!("{base}/api/v1/namespaces/default")).json(&json!({"name": "Default", "description": format!("soak {n}")})),
        };
        match request.send().await {
            Ok(response) if response.status().is_success() => {
                let _ = response.bytes().await;
                let micros = started.elapsed().as_micros() as u64;
                window.lock().unwrap().latencies_us.push(micros);
            }
            Ok(response) => {
                errors.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "soak: {} {}",
                    response.status(),
                    response.text().await.unwrap_or_default()
                );
            }
            Err(error) => {
                errors.fetch_add(1, Ordering::Relaxed);
                eprintln!("soak: {error}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_load_runs_without_errors_or_growing_memory_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("vexil-soak-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    soak(&format!("sqlite://{}/soak.db", dir.display()), "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_load_runs_without_errors_or_growing_memory_on_postgres() {
    let db = common::PostgresDb::create("vexil_soak").await;
    soak(&db.url, "postgres").await;
    db.drop_now().await;
}

async fn soak(url: &str, label: &str) {
    let seconds = env_secs("SOAK_SECONDS", 60);
    let every = env_secs("SOAK_REPORT_SECONDS", 10).max(1);
    let port = common::free_port();
    let mut command = Command::new(BIN);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("VEXIL_")) {
        command.env_remove(name);
    }
    let server = Server(
        command
            .env("VEXIL_LISTEN", format!("127.0.0.1:{port}"))
            .env("VEXIL_DATABASE_URL", url)
            .env("VEXIL_LOG_LEVEL", "warn")
            .env("VEXIL_BOOTSTRAP_TOKEN", common::TOKEN)
            .stdout(Stdio::null())
            .spawn()
            .expect("start vexil"),
    );
    let pid = server.0.id();
    let base = format!("http://127.0.0.1:{port}");
    let client = common::client(Duration::from_secs(10));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !client.get(format!("{base}/health")).send().await.is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "vexil did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut document = String::from("namespace: default\nsegments:\n  - {key: pro, name: Pro, constraints: [{type: STRING_COMPARISON_TYPE, property: plan, operator: eq, value: pro}]}\nflags:\n  - {key: switch, name: Switch, type: BOOLEAN_FLAG_TYPE, enabled: true, rollouts: [{threshold: {percentage: 50, value: true}}]}\n");
    for i in 0..FLAGS {
        document.push_str(&format!("  - {{key: f{i}, name: F{i}, enabled: true, variants: [{{key: a}}, {{key: b}}], rules: [{{segment: pro, distributions: [{{variant: a, rollout: 50}}, {{variant: b, rollout: 50}}]}}]}}\n"));
    }
    let seeded = client.post(format!("{base}/api/v1/import")).body(document).send().await.unwrap();
    assert!(seeded.status().is_success(), "{}", seeded.text().await.unwrap());

    let stop = Arc::new(AtomicBool::new(false));
    let window = Arc::new(Mutex::new(Window::default()));
    let errors = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|id| {
            tokio::spawn(client_loop(
                client.clone(),
                base.clone(),
                id,
                stop.clone(),
                window.clone(),
                errors.clone(),
            ))
        })
        .collect();
    let started = Instant::now();
    let mut memory = Vec::new();
    let (mut total, mut worst_p99) = (0usize, 0u64);
    while started.elapsed() < Duration::from_secs(seconds) {
        let left = Duration::from_secs(seconds).saturating_sub(started.elapsed());
        let interval = left.min(Duration::from_secs(every));
        tokio::time::sleep(interval).await;
        let mut latencies = std::mem::take(&mut window.lock().unwrap().latencies_us);
        latencies.sort_unstable();
        let p99 = latencies.get(latencies.len() * 99 / 100).copied().unwrap_or(0);
        let rss = rss_kib(pid);
        memory.push(rss);
        total += latencies.len();
        worst_p99 = worst_p99.max(p99);
        println!(
            "soak {label} {:>5.0} s: {:>7.0} req/s, p99 {:>6.2} ms, RSS {:>6.1} MiB, errors {}",
            started.elapsed().as_secs_f64(),
            latencies.len() as f64 / interval.as_secs_f64().max(0.001),
            p99 as f64 / 1000.0,
            rss as f64 / 1024.0,
            errors.load(Ordering::Relaxed)
        );
    }
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    drop(server);
    let rate = total as f64 / started.elapsed().as_secs_f64();
    let (settled, last) = (memory[memory.len().min(2) - 1], *memory.last().unwrap());
    println!("BENCH soak_{label}_requests_per_second={rate:.0}");
    println!("BENCH soak_{label}_p99_ms={:.2}", worst_p99 as f64 / 1000.0);
    println!(
        "BENCH soak_{label}_rss_mib={:.1}->{:.1}",
        settled as f64 / 1024.0,
        last as f64 / 1024.0
    );
    assert_eq!(errors.load(Ordering::Relaxed), 0, "no error answers under load");
    assert!(total > 0, "the load ran");
    assert!(
        last <= settled + settled / 4 + 16 * 1024,
        "resident memory kept growing: {settled} KiB after the first intervals, {last} KiB at the end"
    );
}
