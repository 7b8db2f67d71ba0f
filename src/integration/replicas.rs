//! Two `vexil serve` processes on one PostgreSQL database: a write on one must reach
//! evaluations on the other within the stated bound (one cache poll interval; in practice a
//! NOTIFY delivers it in milliseconds). Prints the delays it observed.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use sqlx::{AnyConnection, Connection, Executor};

mod common;

use common::free_port;

const BIN: &str = env!("CARGO_BIN_EXE_vexil");
const POLL_MS: u64 = 1000;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(url: &str, port: u16) -> Server {
    let child = Command::new(BIN)
        .arg("serve")
        .env("VEXIL_LISTEN", format!("127.0.0.1:{port}"))
        .env("VEXIL_DATABASE_URL", url)
        .env("VEXIL_CACHE_POLL_MS", POLL_MS.to_string())
        .env("VEXIL_LOG_LEVEL", "warn")
        .env("VEXIL_BOOTSTRAP_TOKEN", common::TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vexil");
    Server(child)
}

/// Two replicas on `url`, both healthy: the servers (stopped when dropped), their base URLs,
/// and a client with the admin token.
async fn replicas(url: &str) -> ((Server, Server), (String, String), reqwest::Client) {
    let (port_a, port_b) = (free_port(), free_port());
    let servers = (start(url, port_a), start(url, port_b));
    let (a, b) = (format!("http://127.0.0.1:{port_a}"), format!("http://127.0.0.1:{port_b}"));
    let client = common::client(Duration::from_secs(30));
    wait_healthy(&client, &a).await;
    wait_healthy(&client, &b).await;
    (servers, (a, b), client)
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client.get(format!("{base}/health")).send().await.is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{base} did not become healthy");
}

async fn enabled_on(client: &reqwest::Client, base: &str) -> bool {
    let answer: Value = client
        .post(format!("{base}/evaluate/v1/boolean"))
        .body(json!({"flagKey": "switch", "entityId": "e"}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["enabled"].as_bool().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_replica_reaches_the_other_within_the_bound() {
    let db = common::PostgresDb::create("vexil_replicas").await;
    let url = db.url.clone();

    let delays = {
        let (_servers, (a, b), client) = replicas(&url).await;
        let created = client
            .post(format!("{a}/api/v1/flags"))
            .body(json!({"key": "switch", "name": "Switch", "type": "BOOLEAN_FLAG_TYPE", "enabled": true}).to_string())
            .send()
            .await
            .unwrap();
        assert!(created.status().is_success());

        // Background load on both replicas while the delays are measured: writes of other
        // flags and evaluations, so notifications and rebuilds compete with the measurement.
        let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let background: Vec<_> = [a.clone(), b.clone()]
            .into_iter()
            .enumerate()
            .map(|(side, base)| {
                let (client, busy) = (client.clone(), busy.clone());
                tokio::spawn(async move {
                    for n in 0..100_000 {
                        if !busy.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        let key = format!("bg-{side}-{n}");
                        let body = json!({"key": key, "name": key, "enabled": true}).to_string();
                        let created =
                            client.post(format!("{base}/api/v1/flags")).body(body).send().await;
                        assert!(created.is_ok_and(|r| r.status().is_success()), "background write");
                        let _ = enabled_on(&client, &base).await;
                    }
                })
            })
            .collect();
        let mut delays = Vec::new();
        for round in 0..20 {
            let enabled = round % 2 == 1;
            assert_ne!(
                enabled_on(&client, &b).await,
                enabled,
                "round {round}: B starts on the old value"
            );
            let written = Instant::now();
            let put = client
                .put(format!("{a}/api/v1/flags/switch"))
                .body(json!({"name": "Switch", "enabled": enabled}).to_string())
                .send()
                .await
                .unwrap();
            assert!(put.status().is_success());
            let bound = Duration::from_millis(POLL_MS) + Duration::from_secs(2);
            loop {
                if enabled_on(&client, &b).await == enabled {
                    delays.push(written.elapsed());
                    break;
                }
                assert!(written.elapsed() < bound, "round {round}: B still stale after {bound:?}");
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        busy.store(false, std::sync::atomic::Ordering::Relaxed);
        for task in background {
            task.await.unwrap();
        }
        // A change that sends no notification (written straight into the database): only the
        // poll can find it, within one interval plus a rebuild.
        let was = enabled_on(&client, &b).await;
        let mut direct = AnyConnection::connect(&url).await.unwrap();
        let mut tx = direct.begin().await.unwrap();
        let flip = format!("UPDATE flags SET enabled = {} WHERE key = 'switch'", i32::from(!was));
        tx.execute(flip.as_str()).await.unwrap();
        tx.execute("UPDATE namespaces SET data_version = data_version + 1 WHERE key = 'default'")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let written = Instant::now();
        while enabled_on(&client, &b).await == was {
            assert!(
                written.elapsed() < Duration::from_millis(POLL_MS * 3),
                "the poll never caught the change"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        println!("without a notification the poll caught the change after {:?}", written.elapsed());
        direct.close().await.unwrap();
        delays
    };
    db.drop_now().await;

    let mut sorted = delays.clone();
    sorted.sort();
    println!("BENCH replica_staleness_max_ms={:.1}", sorted[sorted.len() - 1].as_secs_f64() * 1e3);
    println!(
        "replica staleness over {} writes under load: median {:?}, max {:?} (bound {} ms + one rebuild)",
        sorted.len(),
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1],
        POLL_MS
    );
}

/// The session's CSRF token, read from a dashboard page as the browser would.
async fn csrf_of(client: &reqwest::Client, base: &str, cookie: &str) -> String {
    let page = client
        .get(format!("{base}/settings/general"))
        .header("cookie", cookie)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"vexil-viewer\" content=\"";
    let start =
        page.find(marker).unwrap_or_else(|| panic!("the viewer meta tag: {page}")) + marker.len();
    let json = page[start..page[start..].find('"').unwrap() + start].replace("&quot;", "\"");
    serde_json::from_str::<Value>(&json).unwrap()["csrf_token"].as_str().unwrap().to_string()
}

/// Waits until `request` answers 401 on the other replica; how long that took.
async fn refused_after(
    started: Instant,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> Duration {
    let bound = Duration::from_millis(POLL_MS) + Duration::from_secs(2);
    loop {
        if request().send().await.unwrap().status() == 401 {
            return started.elapsed();
        }
        assert!(started.elapsed() < bound, "still accepted after {bound:?}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_and_sign_out_reach_the_other_replica_at_once() {
    let db = common::PostgresDb::create("vexil_revoke").await;
    let (revocations, sign_outs) = {
        let (_servers, (a, b), admin) = replicas(&db.url).await;
        let plain = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let (mut revocations, mut sign_outs) = (Vec::new(), Vec::new());
        for round in 0..10 {
            // A token used on B (so B has it cached), revoked on A.
            let created: Value = admin
                .post(format!("{a}/auth/v1/method/token"))
                .body(json!({"name": format!("r{round}"), "role": "viewer"}).to_string())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let token = created["clientToken"].as_str().unwrap().to_string();
            let id = created["authentication"]["id"].as_str().unwrap().to_string();
            let on_b = || plain.get(format!("{b}/api/v1/flags")).bearer_auth(&token);
            assert_eq!(on_b().send().await.unwrap().status(), 200);
            let revoked = admin.delete(format!("{a}/auth/v1/tokens/{id}")).send().await.unwrap();
            assert_eq!(revoked.status(), 200);
            revocations.push(refused_after(Instant::now(), on_b).await);

            // A dashboard session made on B, signed out on A.
            let signed_in = plain
                .post(format!("{b}/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("token={}&next=%2F", common::TOKEN))
                .send()
                .await
                .unwrap();
            assert_eq!(signed_in.status(), 303);
            let cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
            let cookie = cookie.split(';').next().unwrap().to_string();
            let with_cookie = || plain.get(format!("{b}/api/v1/flags")).header("cookie", &cookie);
            assert_eq!(with_cookie().send().await.unwrap().status(), 200);
            let csrf = csrf_of(&plain, &a, &cookie).await;
            let out = plain
                .put(format!("{a}/auth/v1/self/expire"))
                .header("cookie", &cookie)
                .header("x-csrf-token", csrf)
                .send()
                .await
                .unwrap();
            assert_eq!(out.status(), 200);
            sign_outs.push(refused_after(Instant::now(), with_cookie).await);
        }
        (revocations, sign_outs)
    };
    db.drop_now().await;
    for (what, mut delays) in [("token revocation", revocations), ("sign-out", sign_outs)] {
        delays.sort();
        println!(
            "{what} reached the other replica after: median {:?}, max {:?} (bound: cache_poll_ms = {POLL_MS} ms)",
            delays[delays.len() / 2],
            delays[delays.len() - 1]
        );
    }
}

/// The next `{"result": …}` line of a snapshot stream, within `bound`.
async fn next_snapshot(
    stream: &mut reqwest::Response,
    pending: &mut Vec<u8>,
    bound: Duration,
) -> Value {
    let deadline = tokio::time::Instant::now() + bound;
    loop {
        if let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let mut message: Value = serde_json::from_slice(&line).expect("a JSON line");
            return message["result"].take();
        }
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no stream message within {bound:?}"))
            .expect("the stream stays open")
            .expect("the stream does not end");
        pending.extend_from_slice(&chunk);
    }
}

fn has_flag(snapshot: &Value, key: &str) -> bool {
    snapshot["flags"].as_array().unwrap().iter().any(|f| f["key"] == key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_one_replica_sees_writes_on_the_other() {
    let db = common::PostgresDb::create("vexil_replica_stream").await;
    let url = db.url.clone();
    let delays = {
        let (_servers, (a, b), client) = replicas(&url).await;
        // No overall timeout on the stream itself: each read is bounded instead.
        let streaming = reqwest::Client::builder().build().unwrap();
        let mut stream = streaming
            .get(format!("{b}/client/v2/environments/default/namespaces/default/stream"))
            .header("authorization", format!("Bearer {}", common::TOKEN))
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), 200);
        let mut pending = Vec::new();
        let bound = Duration::from_millis(POLL_MS) + Duration::from_secs(2);
        let first = next_snapshot(&mut stream, &mut pending, bound).await;
        assert!(!has_flag(&first, "from-a-0"));
        let mut delays = Vec::new();
        for round in 0..10 {
            let key = format!("from-a-{round}");
            let written = Instant::now();
            let created = client
                .post(format!("{a}/api/v1/flags"))
                .body(json!({"key": key, "name": key}).to_string())
                .send()
                .await
                .unwrap();
            assert!(created.status().is_success());
            let snapshot = next_snapshot(&mut stream, &mut pending, bound).await;
            delays.push(written.elapsed());
            assert!(has_flag(&snapshot, &key), "round {round}: B's stream sent A's write");
        }
        // Written straight into the database, no notification: the poll finds it.
        let mut direct = AnyConnection::connect(&url).await.unwrap();
        let mut tx = direct.begin().await.unwrap();
        tx.execute("UPDATE flags SET name = 'Renamed directly' WHERE key = 'from-a-0'")
            .await
            .unwrap();
        tx.execute("UPDATE namespaces SET data_version = data_version + 1 WHERE key = 'default'")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let polled =
            next_snapshot(&mut stream, &mut pending, Duration::from_millis(POLL_MS * 3)).await;
        assert!(polled["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "Renamed directly"));
        direct.close().await.unwrap();
        delays
    };
    db.drop_now().await;
    let mut sorted = delays.clone();
    sorted.sort();
    println!(
        "BENCH stream_replica_delay_p50_ms={:.1} stream_replica_delay_max_ms={:.1}",
        sorted[sorted.len() / 2].as_secs_f64() * 1e3,
        sorted[sorted.len() - 1].as_secs_f64() * 1e3
    );
}
