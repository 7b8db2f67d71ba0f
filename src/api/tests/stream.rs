//! Flipt v2's client routes: the snapshot with digest, ETag and gzip, and the change stream
//! (newline-delimited JSON and server-sent events), resumed by digest, coalescing bursts,
//! unaffected by a client that never reads, and ended by shutdown.

use std::{io::Read, time::Duration};

use axum::{body::Body, http::Method};
use http_body_util::BodyExt;
use serde_json::{json, Value};

use crate::testing::{api::Api, fixture::populate, on_both_databases, TestDb};

on_both_databases!(client_snapshot_route);
on_both_databases!(stream_sends_each_version);
on_both_databases!(event_stream_names_digests);
on_both_databases!(a_stuck_reader_holds_nobody_up);
on_both_databases!(ofrep_advertises_change_events);

const STREAM: &str = "/client/v2/environments/default/namespaces/team/stream";

/// Reads the body until `separator` ends a message; None when nothing arrives `within`.
struct Reader {
    body: Body,
    pending: Vec<u8>,
}

impl Reader {
    fn new(body: Body) -> Self {
        Reader { body, pending: Vec::new() }
    }

    async fn next(&mut self, separator: &[u8], within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.pending.windows(separator.len()).position(|w| w == separator) {
                let message: Vec<u8> = self.pending.drain(..end + separator.len()).collect();
                return Some(String::from_utf8(message).expect("UTF-8 messages"));
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await.ok()?;
            match frame {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.pending.extend_from_slice(&data);
                    }
                }
                _ => return None,
            }
        }
    }

    /// The next `{"result": …}` line's snapshot.
    async fn snapshot(&mut self, within: Duration) -> Option<Value> {
        let line = self.next(b"\n", within).await?;
        assert!(line.ends_with('\n') && !line.trim().is_empty(), "one JSON object per line");
        let mut message: Value = serde_json::from_str(&line).expect("a JSON line");
        assert_eq!(message.as_object().unwrap().len(), 1, "only `result`: {line}");
        Some(message["result"].take())
    }

    /// Whether the body ends within the bound (after what was already queued).
    async fn ended(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(None) => return true,
                Ok(Some(Ok(_))) => continue,
                _ => return false,
            }
        }
    }
}

fn flag_keys(snapshot: &Value) -> Vec<String> {
    snapshot["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect()
}

const SOON: Duration = Duration::from_secs(10);

async fn client_snapshot_route(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let path = "/client/v2/environments/default/namespaces/team/snapshot";
    let plain = api.raw(Method::GET, path, &[], Vec::new()).await;
    assert_eq!(plain.status, 200, "{}", plain.body);
    let etag = plain.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(plain.body["digest"], json!(etag), "the digest is the ETag");
    assert_eq!(etag.len(), 40);
    assert_eq!(flag_keys(&plain.body), ["checkout", "dark-mode"]);
    assert!(plain.body["flags"][0]["defaultVariant"].is_object(), "the current form");
    let v1 = api.get("/internal/v1/evaluation/snapshot/namespace/team").await;
    assert_eq!(v1.headers["etag"], etag.as_str(), "one version, one ETag on both routes");
    assert!(v1.body.get("digest").is_none(), "Flipt v1's route has no digest");

    let (status, headers, body) = api.open(path, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!((status, headers["content-encoding"].to_str().unwrap()), (200, "gzip"));
    let compressed = body.collect().await.unwrap().to_bytes();
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut json).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&json).unwrap(), plain.body);
    let refused = api.raw(Method::GET, path, &[("accept-encoding", "gzip;q=0")], Vec::new()).await;
    assert!(refused.headers.get("content-encoding").is_none());

    let unchanged = api.raw(Method::GET, path, &[("if-none-match", &etag)], Vec::new()).await;
    assert_eq!(unchanged.status, 304);
    assert_eq!(unchanged.headers["etag"], etag.as_str());

    let missing = api
        .raw(Method::GET, "/client/v2/environments/default/namespaces/nope/snapshot", &[], vec![])
        .await;
    assert_eq!(
        (missing.status, missing.body["message"].clone()),
        (404, json!("evaluation snapshot for namespace \"nope\" not found"))
    );
    let staging = api
        .raw(Method::GET, "/client/v2/environments/staging/namespaces/team/snapshot", &[], vec![])
        .await;
    assert_eq!(
        (staging.status, staging.body.clone()),
        (404, json!({"code": 5, "message": "environment: \"staging\" not found", "details": []}))
    );
    let stream = api
        .raw(Method::GET, "/client/v2/environments/staging/namespaces/team/stream", &[], vec![])
        .await;
    assert_eq!(stream.status, 404);
}

async fn stream_sends_each_version(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let (status, headers, body) = api.open(STREAM, &[("accept", "application/json")]).await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "application/json"));
    let mut stream = Reader::new(body);
    let first = stream.snapshot(SOON).await.expect("the current snapshot at connect");
    assert_eq!(flag_keys(&first), ["checkout", "dark-mode"]);
    let digest = first["digest"].as_str().unwrap().to_string();
    let v2 = api.get("/client/v2/environments/default/namespaces/team/snapshot").await.body;
    assert_eq!(first, v2, "a stream message is the snapshot route's document");

    api.create("/api/v1/namespaces/team/flags", json!({"key": "new", "name": "New"})).await;
    let second = stream.snapshot(SOON).await.expect("a message for the write");
    assert_eq!(flag_keys(&second), ["checkout", "dark-mode", "new"]);
    assert_ne!(second["digest"], json!(digest));

    // A burst arrives as at most one message per write, and the last one is the final state.
    for i in 0..5 {
        api.create(
            "/api/v1/namespaces/team/flags",
            json!({"key": format!("burst-{i}"), "name": "B"}),
        )
        .await;
    }
    let mut messages = 0;
    let last = loop {
        let snapshot = stream.snapshot(SOON).await.expect("the burst reaches the stream");
        messages += 1;
        if flag_keys(&snapshot).len() == 8 {
            break snapshot;
        }
        assert!(messages < 5, "no more messages than writes");
    };
    assert_eq!(flag_keys(&last).last().unwrap(), "burst-4");
    assert!(
        stream.snapshot(Duration::from_millis(300)).await.is_none(),
        "nothing is sent while nothing changes"
    );

    // Resuming with the current digest skips the first message; a bad digest is refused.
    let current = last["digest"].as_str().unwrap().to_string();
    let (_, _, body) = api.open(&format!("{STREAM}?digest={current}"), &[]).await;
    let mut resumed = Reader::new(body);
    assert!(resumed.snapshot(Duration::from_millis(300)).await.is_none(), "already current");
    api.put("/api/v1/namespaces/team/flags/new", json!({"name": "Renamed"})).await;
    let after = resumed.snapshot(SOON).await.expect("the next change");
    assert_eq!(after["flags"][2]["name"], "Renamed");
    let bad = api.raw(Method::GET, &format!("{STREAM}?digest=abc"), &[], vec![]).await;
    assert_eq!(
        (bad.status, bad.body["message"].clone()),
        (400, json!("invalid field digest: must be a 40-character string"))
    );
    let garbled = api.raw(Method::GET, &format!("{STREAM}?digest=%ZZ"), &[], vec![]).await;
    assert_eq!((garbled.status, garbled.body["code"].clone()), (400, json!(3)), "Flipt's body");

    // Deleting the namespace sends its empty state; shutdown ends every stream.
    assert_eq!(api.delete("/api/v1/namespaces/team?force=true").await.status, 200);
    let renamed = stream.snapshot(SOON).await.expect("the rename reached the first stream too");
    assert_eq!(renamed["flags"][2]["name"], "Renamed");
    let gone = stream.snapshot(SOON).await.expect("the deletion reaches the stream");
    assert_eq!(flag_keys(&gone), Vec::<String>::new());
    api.service.close_streams();
    assert!(stream.ended(SOON).await, "shutdown ends the stream");
    assert!(resumed.ended(SOON).await, "shutdown ends every stream");
}

async fn event_stream_names_digests(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let (status, headers, body) = api.open(STREAM, &[("accept", "text/event-stream")]).await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "text/event-stream"));
    let mut events = Reader::new(body);
    let etag = api.get("/client/v2/environments/default/namespaces/team/snapshot").await.headers
        ["etag"]
        .to_str()
        .unwrap()
        .to_string();
    let first = events.next(b"\n\n", SOON).await.expect("an event at connect");
    assert_eq!(
        first,
        format!(
            "id: {}\ndata: {{\"etag\":\"{etag}\",\"type\":\"refetchEvaluation\"}}\n\n",
            &etag[..9]
        )
    );
    api.create("/api/v1/namespaces/team/flags", json!({"key": "new", "name": "New"})).await;
    let second = events.next(b"\n\n", SOON).await.expect("an event for the write");
    let now = api.get("/client/v2/environments/default/namespaces/team/snapshot").await;
    assert!(second.contains(now.headers["etag"].to_str().unwrap()), "{second}");
}

async fn a_stuck_reader_holds_nobody_up(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    // Never read: its messages pile up to the queue's bound, then it waits alone.
    let (_, _, stuck) = api.open(STREAM, &[]).await;
    let (_, _, live) = api.open(STREAM, &[]).await;
    let mut live = Reader::new(live);
    live.snapshot(SOON).await.expect("the first message");
    let writes = async {
        for i in 0..20 {
            api.create(
                "/api/v1/namespaces/team/flags",
                json!({"key": format!("f-{i}"), "name": "F"}),
            )
            .await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), writes)
        .await
        .expect("writes are not held up by a stream that is not read");
    let last = loop {
        let snapshot = live.snapshot(SOON).await.expect("the live stream keeps up");
        if flag_keys(&snapshot).len() == 22 {
            break snapshot;
        }
    };
    assert_eq!(flag_keys(&last).last().unwrap(), "f-19");
    drop(stuck);
}

async fn ofrep_advertises_change_events(db: &TestDb) {
    let api = Api::new(db);
    populate(&api, "team").await;
    let team = [("x-flipt-namespace", "team")];
    let context = serde_json::to_vec(&json!({"context": {"targetingKey": "u-1"}})).unwrap();
    let bulk = api.raw(Method::POST, "/ofrep/v1/evaluate/flags", &team, context.clone()).await;
    assert_eq!(bulk.status, 200, "{}", bulk.body);
    let streams = bulk.body["eventStreams"].as_array().expect("eventStreams").clone();
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0]["type"], "sse");
    let uri = streams[0]["endpoint"]["requestUri"].as_str().unwrap().to_string();
    assert!(uri.starts_with("/ofrep/v1/_stream/default/team/events?credential="), "{uri}");
    let token = api.admin_token().await;
    assert!(!uri.contains(&token), "never the client's own token");

    // EventSource sends no Authorization: the URL's credential is enough, for this namespace.
    let anonymous = api.anonymous();
    let sse = [("accept", "text/event-stream")];
    let (status, headers, body) = anonymous.open(&uri, &sse).await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "text/event-stream"));
    let mut events = Reader::new(body);
    let first = events.next(b"\n\n", SOON).await.expect("an event at connect");
    assert!(first.contains("\"type\":\"refetchEvaluation\""), "{first}");
    api.create("/api/v1/namespaces/team/flags", json!({"key": "new", "name": "New"})).await;
    let second = events.next(b"\n\n", SOON).await.expect("an event for the write");
    assert_ne!(first, second);
    let id = second.lines().next().unwrap().strip_prefix("id: ").unwrap().to_string();

    // Reconnecting with the last id skips the event for the version already seen.
    let (_, _, body) = anonymous.open(&uri, &[sse[0], ("last-event-id", id.as_str())]).await;
    let mut resumed = Reader::new(body);
    assert!(resumed.next(b"\n\n", Duration::from_millis(300)).await.is_none());

    let without = uri.split('?').next().unwrap();
    let (status, _, _) = anonymous.open(without, &sse).await;
    assert_eq!(status, 401, "no credential, no token");
    let elsewhere = uri.replace("/team/", "/default/");
    let (status, _, _) = anonymous.open(&elsewhere, &sse).await;
    assert_eq!(status, 401, "a credential opens its own namespace only");
    let (status, headers, _) = anonymous.open(&uri, &[]).await;
    assert_eq!(status, 406, "server-sent events only");
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/plain"));
    let (status, _, _) = api.open("/ofrep/v1/_stream/default/team/events", &sse).await;
    assert_eq!(status, 200, "a caller who may evaluate needs no credential");
    api.service.close_streams();
    assert!(events.ended(SOON).await);
}
