//! Hostile clients against the release binary: 500 connections that never finish their
//! headers and bodies that never end are cut at their timeouts while an ordinary client keeps
//! its latency, and documents nested 100,000 deep are refused before any parser sees them.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::common::{free_port, start_command, vexil};

const HEADER_TIMEOUT: Duration = Duration::from_millis(2000);
const BODY_TIMEOUT: Duration = Duration::from_millis(3000);
const MARGIN: Duration = Duration::from_millis(1500);
const SLOW_HEADERS: usize = 500;
const ENDLESS_BODIES: usize = 20;

/// Sends a request head byte by byte, never finishing; returns when the server closed it.
async fn slow_headers(port: u16, started: Instant) -> Duration {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
    for _ in 0..200 {
        if stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
            return started.elapsed();
        }
        let mut buf = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(250), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            _ => {}
        }
    }
    panic!("a connection that never finished its headers was kept for 50 s");
}

/// Sends a chunked body that never ends; returns the status line and when it came.
async fn endless_body(port: u16, started: Instant) -> (String, Duration) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    // Authenticated: without a credential the door refuses it before reading any body.
    let head = format!(
        "POST /api/v1/namespaces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{{\r\n",
        crate::common::TOKEN
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    for _ in 0..200 {
        let _ = stream.write_all(b"1\r\n \r\n").await;
        let mut buf = [0u8; 1024];
        match tokio::time::timeout(Duration::from_millis(250), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    (text.lines().next().unwrap_or_default().to_string(), started.elapsed())
}

fn p99(mut latencies: Vec<Duration>) -> Duration {
    latencies.sort();
    latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_clients_are_cut_at_their_timeouts_and_deep_documents_refused_at_once() {
    let _serial = crate::one_at_a_time().await;
    let dir = std::env::temp_dir().join(format!("vexil-hostile-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/vexil.db", dir.display());
    let client = crate::common::client(Duration::from_secs(10));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut command = vexil(&url, &["serve"], port);
    command
        .env("VEXIL_HTTP_HEADER_TIMEOUT_MS", HEADER_TIMEOUT.as_millis().to_string())
        .env("VEXIL_HTTP_BODY_TIMEOUT_MS", BODY_TIMEOUT.as_millis().to_string());
    let server = crate::Server(Some(start_command(&client, command, port).await.0));
    let flag = json!({"key": "f", "name": "F", "type": "BOOLEAN_FLAG_TYPE", "enabled": true});
    let created = client.post(format!("{base}/api/v1/flags")).json(&flag).send().await.unwrap();
    assert!(created.status().is_success());

    let started = Instant::now();
    let slow: Vec<_> =
        (0..SLOW_HEADERS).map(|_| tokio::spawn(slow_headers(port, started))).collect();
    let endless: Vec<_> =
        (0..ENDLESS_BODIES).map(|_| tokio::spawn(endless_body(port, started))).collect();
    let mut latencies = Vec::new();
    let body = json!({"namespaceKey": "default", "flagKey": "f", "entityId": "u"});
    while started.elapsed() < BODY_TIMEOUT + MARGIN {
        let sent = Instant::now();
        let reply =
            client.post(format!("{base}/evaluate/v1/boolean")).json(&body).send().await.unwrap();
        assert_eq!(reply.status(), 200);
        latencies.push(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for task in slow {
        let closed = task.await.unwrap();
        assert!(closed <= HEADER_TIMEOUT + MARGIN, "slow headers cut after {closed:?}");
    }
    for task in endless {
        let (status, at) = task.await.unwrap();
        assert!(status.starts_with("HTTP/1.1 408"), "an endless body gets 408: {status:?}");
        assert!(at <= BODY_TIMEOUT + MARGIN, "an endless body is cut after {at:?}");
    }
    let worst = p99(latencies.clone());
    assert!(
        worst < Duration::from_millis(100),
        "a normal client's p99 stays under 100 ms: {worst:?}"
    );
    println!("hostile: {SLOW_HEADERS} slow-header and {ENDLESS_BODIES} endless-body connections cut; normal client p99 {worst:?} over {} requests", latencies.len());

    deep_documents_are_refused_at_once(&client, &base).await;
    server.stop();
    std::fs::remove_dir_all(&dir).ok();
}

/// Nesting 100,000 deep, as flow YAML, block YAML and JSON, to the import and to a JSON route.
async fn deep_documents_are_refused_at_once(client: &reqwest::Client, base: &str) {
    let depth = 100_000;
    let cases = [
        (
            "/api/v1/import",
            "application/yaml",
            format!("namespace: default\nflags: {}", "[".repeat(depth)),
        ),
        (
            "/api/v1/import",
            "application/yaml",
            format!("namespace: default\nflags:\n{}x\n", "- ".repeat(depth)),
        ),
        ("/api/v1/import", "application/json", format!("{{\"flags\": {}", "[".repeat(depth))),
        (
            "/api/v1/flags",
            "application/json",
            format!(r#"{{"key": "deep", "name": "d", "metadata": {}"#, r#"{"a":"#.repeat(depth)),
        ),
    ];
    for (path, media, body) in cases {
        let sent = Instant::now();
        let reply = client
            .post(format!("{base}{path}"))
            .header("content-type", media)
            .body(body)
            .send()
            .await
            .unwrap();
        let took = sent.elapsed();
        let status = reply.status();
        let answer: serde_json::Value = reply.json().await.unwrap();
        assert_eq!(status, 400, "{path} {media}: {answer}");
        assert_eq!(answer["code"], 3, "Flipt's body: {answer}");
        assert!(took < Duration::from_secs(1), "{path} {media}: refused in {took:?}");
        println!("deep {media} to {path}: 400 in {took:?}: {}", answer["message"]);
    }
}
