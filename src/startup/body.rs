//! What a request body may cost: at most `body_limit` bytes, all of it within
//! `http_body_timeout_ms`. Enforced around the whole router, so REST handlers, uploads and the
//! dashboard's server functions share it; whatever a handler makes of the body error, the
//! client gets Flipt's error body with 413 or 408, and a timed-out connection is closed.

use std::{
    future::Future,
    pin::Pin,
    sync::{
        atomic::{AtomicU8, Ordering},
        Arc,
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};
use hyper::body::Frame;
use tokio::time::{Instant, Sleep};

/// The limits one request body must keep.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_bytes: usize,
    pub deadline: Duration,
}

const WITHIN: u8 = 0;
const TOO_LARGE: u8 = 1;
const TOO_SLOW: u8 = 2;

/// Middleware: refuses an announced oversized body at once, otherwise counts and times the body
/// as the handler reads it.
pub async fn guard(State(limits): State<BodyLimits>, request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limits.max_bytes as u64) {
        return too_large();
    }
    let verdict = Arc::new(AtomicU8::new(WITHIN));
    let (parts, body) = request.into_parts();
    let body = Guarded {
        inner: body,
        read: 0,
        limits,
        started: Instant::now(),
        sleep: None,
        verdict: verdict.clone(),
    };
    let response = next.run(Request::from_parts(parts, Body::new(body))).await;
    match verdict.load(Ordering::Acquire) {
        TOO_LARGE => too_large(),
        TOO_SLOW => {
            let message = format!(
                "the request body did not arrive within {} ms",
                limits.deadline.as_millis()
            );
            let mut response = crate::api::error_response(StatusCode::REQUEST_TIMEOUT, 4, &message);
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        _ => response,
    }
}

fn too_large() -> Response {
    crate::api::too_large()
}

/// A request body that fails, and says why, once it passes its size or its deadline.
struct Guarded {
    inner: Body,
    read: usize,
    limits: BodyLimits,
    started: Instant,
    /// Armed only when the body first has to wait: most bodies arrive with their headers.
    sleep: Option<Pin<Box<Sleep>>>,
    verdict: Arc<AtomicU8>,
}

#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("length limit exceeded")]
    TooLarge,
    #[error("request body deadline passed")]
    TooSlow,
}

impl Guarded {
    fn refuse(&self, why: Refused) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let code = if matches!(why, Refused::TooLarge) { TOO_LARGE } else { TOO_SLOW };
        self.verdict.store(code, Ordering::Release);
        Poll::Ready(Some(Err(axum::Error::new(why))))
    }
}

impl HttpBody for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                self.read += frame.data_ref().map_or(0, Bytes::len);
                if self.read > self.limits.max_bytes {
                    return self.refuse(Refused::TooLarge);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                let deadline = self.started + self.limits.deadline;
                let sleep =
                    self.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if sleep.as_mut().poll(cx).is_ready() {
                    return self.refuse(Refused::TooSlow);
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}
