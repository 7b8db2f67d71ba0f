//! Live snapshots (reference push.md §1): Flipt v2's client routes, which Flipt's client SDKs
//! in streaming mode read.
//!
//! * `GET /client/v2/environments/{env}/namespaces/{ns}/snapshot`: the namespace with `digest`,
//!   `ETag` and `304`, gzip for clients that accept it.
//! * `GET /client/v2/environments/{env}/namespaces/{ns}/stream[?digest=]`: one
//!   `{"result":<snapshot>}` line at connect (skipped when `digest` names the current version)
//!   and one per change, as newline-delimited JSON; with `Accept: text/event-stream`, server-sent
//!   events `data: {"etag","type":"refetchEvaluation"}` instead, with a comment line as
//!   keep-alive (never on the JSON form: a blank line is an error to Flipt's SDK engine).
//!
//! * `GET /ofrep/v1/_stream/{env}/{ns}/events`: OFREP's change events, the same events, opened
//!   by the URL OFREP's bulk answer advertises ([`ofrep_event_stream`]).
//!
//! Vexil has one environment, `default`. A stream never waits on a writer and no writer waits
//! on a stream: each holds a change signal ([`crate::cache::Cache::subscribe`]) and reads the
//! current snapshot when it fires, so a burst of commits reaches it as one message, and every
//! message is the version's shared rendered bytes. A client that takes nothing for
//! [`STALL`] is dropped; it resumes with its digest. Shutdown ends every stream cleanly.

use std::{
    convert::Infallible,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use app::error::AppError;
use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use tokio::sync::mpsc;

use super::{
    extract::Params,
    path::Ids,
    snapshot::{self, Form},
    ApiError,
};
use crate::service::Service;

/// The one environment.
pub const ENVIRONMENT: &str = "default";

/// How long a stream waits for its client to take a message before dropping it.
pub const STALL: Duration = Duration::from_secs(30);

/// How often an event stream with nothing to say sends a comment line, so that proxies and
/// clients do not take a quiet stream for a dead one.
pub const KEEPALIVE: Duration = Duration::from_secs(15);

/// Messages queued for one client beyond the one being written.
const QUEUED: usize = 2;

/// How stream messages are framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// `{"result":<snapshot>}\n` per version (Flipt's default).
    Lines,
    /// `id:` + `data: {"etag","type":"refetchEvaluation"}` per version.
    Events,
}

impl Framing {
    /// Server-sent events when `Accept` asks for them, as EventSource does.
    pub fn of(headers: &HeaderMap) -> Framing {
        let sse = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("text/event-stream"));
        if sse {
            Framing::Events
        } else {
            Framing::Lines
        }
    }
}

/// `environment: "x" not found` (Flipt v2) for any environment but `default`.
fn environment(key: &str) -> Result<(), ApiError> {
    if key == ENVIRONMENT {
        Ok(())
    } else {
        Err(ApiError(AppError::NotFound(format!("environment: {key:?} not found"))))
    }
}

pub async fn client_snapshot(
    State(service): State<Arc<Service>>,
    ids: Ids,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let namespace = ids.get("ns");
    service.may_evaluate(namespace)?;
    environment(ids.get("env"))?;
    let snapshot = service.snapshot(namespace).await?;
    if !snapshot.exists {
        return Err(ApiError(AppError::NotFound(format!(
            "evaluation snapshot for namespace {namespace:?} not found"
        ))));
    }
    snapshot::download(&snapshot, Form::V2, &headers).await
}

pub async fn client_stream(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    service.may_evaluate(ids.get("ns"))?;
    environment(ids.get("env"))?;
    let digest = params.get("digest").map(str::to_string);
    if digest.as_ref().is_some_and(|d| d.chars().count() != 40) {
        return Err(ApiError(AppError::Invalid(
            "invalid field digest: must be a 40-character string".into(),
        )));
    }
    // The first version is read before the response starts, so that an outage answers with a
    // status, not a stream that never sends.
    let snapshot = service.snapshot(ids.get("ns")).await?;
    Ok(open(service, snapshot.namespace.clone(), Framing::of(&headers), digest))
}

/// `GET /ofrep/v1/_stream/{env}/{ns}/events`: OFREP's change events (server-sent events only,
/// 406 otherwise, as Flipt v2). It answers without `Authorization`, which EventSource cannot
/// send, when the URL carries the credential the bulk answer advertised; a caller who may
/// evaluate in the namespace needs none. `Last-Event-ID` skips the event for a version the
/// client has seen.
pub async fn ofrep_events(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if Framing::of(&headers) != Framing::Events {
        let mut refused = (
            axum::http::StatusCode::NOT_ACCEPTABLE,
            "this route serves server-sent events: send Accept: text/event-stream\n",
        )
            .into_response();
        refused
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        return Ok(refused);
    }
    let namespace = ids.get("ns").to_string();
    service.may_follow(&namespace, params.get("credential"))?;
    environment(ids.get("env"))?;
    let seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| id.len() >= 9)
        .map(str::to_string);
    Ok(open(service, namespace, Framing::Events, seen))
}

/// The change-event stream OFREP's bulk answer advertises for `namespace`: relative to the
/// server's origin, with a credential when authentication is on.
pub fn ofrep_event_stream(
    service: &Service,
    namespace: &str,
) -> Result<(serde_json::Value, i64), AppError> {
    let mut uri =
        format!("/ofrep/v1/_stream/{ENVIRONMENT}/{}/events", app::url::encode_component(namespace));
    let mut window = 0;
    if service.auth_required() {
        let (credential, minted_in) = service.stream_credential(namespace)?;
        uri.push_str("?credential=");
        uri.push_str(&credential);
        window = minted_in;
    }
    let stream = serde_json::json!({"type": "sse", "endpoint": {"requestUri": uri}});
    Ok((stream, window))
}

/// Starts a stream of `namespace`'s versions; `last` is the digest the client already has (or
/// its first nine characters, an event's id).
pub fn open(
    service: Arc<Service>,
    namespace: String,
    framing: Framing,
    last: Option<String>,
) -> Response {
    let (sender, receiver) = mpsc::channel(QUEUED);
    tokio::spawn(produce(service, namespace, framing, last, sender));
    let content_type = match framing {
        Framing::Lines => "application/json",
        Framing::Events => "text/event-stream",
    };
    let mut response = Body::from_stream(Frames(receiver)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Proxies such as nginx would otherwise hold messages back.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// The response body: what the producer queued, in order; it ends when the producer does.
struct Frames(mpsc::Receiver<Bytes>);

impl futures_util::Stream for Frames {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|frame| frame.map(Ok))
    }
}

/// Writes each new version of `namespace` until the client leaves, stalls or the server stops.
async fn produce(
    service: Arc<Service>,
    namespace: String,
    framing: Framing,
    mut last: Option<String>,
    sender: mpsc::Sender<Bytes>,
) {
    let cache = service.cache().clone();
    // Subscribed before the first read, so a change committed in between is not missed.
    let mut changes = cache.subscribe(&namespace);
    let mut closing = service.closing();
    loop {
        match cache.get(&namespace).await {
            Ok(current) if !last.as_deref().is_some_and(|seen| current.etag.starts_with(seen)) => {
                let frames = match message(&current, framing).await {
                    Ok(frames) => frames,
                    Err(_) => return,
                };
                for frame in frames {
                    if sender.send_timeout(frame, STALL).await.is_err() {
                        return;
                    }
                }
                last = Some(current.etag.clone());
            }
            // Unchanged, or the database cannot answer now: the next signal or poll retries.
            _ => {}
        }
        let quiet = tokio::select! {
            changed = changes.changed() => if changed.is_err() { return } else { false },
            closed = closing.wait_for(|closing| *closing) => { drop(closed); return },
            () = sender.closed() => return,
            () = tokio::time::sleep(KEEPALIVE), if framing == Framing::Events => true,
        };
        if quiet {
            let keepalive = Bytes::from_static(b": keep-alive\n\n");
            if sender.send_timeout(keepalive, STALL).await.is_err() {
                return;
            }
        }
    }
}

/// One version as frames: the shared rendered snapshot between a prefix and a suffix, or the
/// event naming its digest.
async fn message(
    snapshot: &Arc<crate::eval::Snapshot>,
    framing: Framing,
) -> Result<Vec<Bytes>, ApiError> {
    Ok(match framing {
        Framing::Lines => {
            let encoded = snapshot::encoded(snapshot, Form::V2).await?;
            vec![
                Bytes::from_static(b"{\"result\":"),
                encoded.json.clone(),
                Bytes::from_static(b"}\n"),
            ]
        }
        Framing::Events => vec![Bytes::from(event(&snapshot.etag))],
    })
}

/// `id: <digest[:9]>` and `data: {"etag":"<digest>","type":"refetchEvaluation"}`.
pub fn event(etag: &str) -> String {
    let id: String = etag.chars().take(9).collect();
    let data = serde_json::json!({"etag": etag, "type": "refetchEvaluation"});
    format!("id: {id}\ndata: {data}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_name_the_digest() {
        let digest = "3f786850e387550fdab836ed7e6dc881de23001b";
        assert_eq!(
            event(digest),
            "id: 3f786850e\ndata: {\"etag\":\"3f786850e387550fdab836ed7e6dc881de23001b\",\"type\":\"refetchEvaluation\"}\n\n"
        );
    }

    #[test]
    fn event_streams_are_chosen_by_accept() {
        let mut headers = HeaderMap::new();
        assert_eq!(Framing::of(&headers), Framing::Lines);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert_eq!(Framing::of(&headers), Framing::Lines);
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/event-stream"));
        assert_eq!(Framing::of(&headers), Framing::Events);
    }
}
