//! Shared by the binary-level tests: the server as a process, free ports and throw-away
//! PostgreSQL databases.
#![allow(dead_code)] // each test target uses its own part

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use sqlx::{AnyConnection, Connection, Executor};

pub const BIN: &str = env!("CARGO_BIN_EXE_vexil");

/// The admin token every test server is bootstrapped with (`VEXIL_BOOTSTRAP_TOKEN`).
pub const TOKEN: &str = "vexil-binary-tests-admin-token";

/// An HTTP client that sends [`TOKEN`] with every request and gives up after `timeout`.
pub fn client(timeout: Duration) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {TOKEN}").parse().expect("a valid header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder().default_headers(headers).timeout(timeout).build().unwrap()
}

/// `vexil ARGS` on `url`, listening on `port`, with none of the caller's `VEXIL_*` settings.
pub fn vexil(url: &str, args: &[&str], port: u16) -> Command {
    let mut command = Command::new(BIN);
    command.args(args);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("VEXIL_")) {
        command.env_remove(name);
    }
    command
        .env("VEXIL_LISTEN", format!("127.0.0.1:{port}"))
        .env("VEXIL_DATABASE_URL", url)
        .env("VEXIL_LOG_LEVEL", "warn")
        .env("VEXIL_BOOTSTRAP_TOKEN", TOKEN)
        .stdout(Stdio::null());
    command
}

/// Starts the server and waits for /health; returns it and how long that took.
pub async fn start(client: &reqwest::Client, url: &str, port: u16) -> (Child, Duration) {
    start_command(client, vexil(url, &["serve"], port), port).await
}

/// Starts `command` (a `vexil serve`) and waits until it answers /health.
pub async fn start_command(
    client: &reqwest::Client,
    mut command: Command,
    port: u16,
) -> (Child, Duration) {
    let started = Instant::now();
    let mut child = command.stderr(Stdio::inherit()).spawn().expect("start");
    let deadline = started + Duration::from_secs(60);
    loop {
        let health = client.get(format!("http://127.0.0.1:{port}/health")).send().await;
        if health.is_ok_and(|r| r.status().is_success()) {
            return (child, started.elapsed());
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("vexil exited with {status} instead of starting");
        }
        assert!(Instant::now() < deadline, "vexil did not become healthy within 60 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Stops a server the way an operator does (SIGTERM to its PID) and waits for it to exit.
pub fn stop(mut child: Child) {
    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success());
    if !sent {
        child.kill().ok();
    }
    child.wait().expect("the server exits");
}

/// GETs `url` and parses the answer as JSON; any failure fails the test.
pub async fn get_json(client: &reqwest::Client, url: &str) -> serde_json::Value {
    let reply = client.get(url).send().await.expect("the server answers");
    reply.json().await.expect("a JSON answer")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A database of its own on `TEST_POSTGRES_URL`'s server (default the local one), dropped by
/// [`PostgresDb::drop_now`]. Fails, never skips, when PostgreSQL does not answer.
pub struct PostgresDb {
    admin: AnyConnection,
    name: String,
    pub url: String,
}

impl PostgresDb {
    pub async fn create(prefix: &str) -> Self {
        sqlx::any::install_default_drivers();
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AnyConnection::connect(&admin_url).await.expect("PostgreSQL must answer");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        let url = format!("{}/{name}", &admin_url[..admin_url.rfind('/').unwrap()]);
        PostgresDb { admin, name, url }
    }

    /// Drops the database, closing whatever still uses it.
    pub async fn drop_now(mut self) {
        let sql = format!("DROP DATABASE {} WITH (FORCE)", self.name);
        self.admin.execute(sql.as_str()).await.unwrap();
    }
}
