//! Who is signed in, as the page knows it, and the CSRF token its writes carry.
//!
//! The server renders the caller ([`Viewer`]) into a `<meta name="vexil-viewer">` tag, so the
//! page knows it synchronously on both sides: during server rendering from context, after
//! hydration from that tag. Forms carry the token as a hidden field (for posts without
//! JavaScript); server functions called from the hydrated app send it as `x-csrf-token`
//! through [`CsrfClient`].

use leptos::prelude::*;
use leptos::server_fn::{
    client::{browser::BrowserClient, Client},
    error::FromServerFnError,
    request::browser::BrowserRequest,
    response::browser::BrowserResponse,
};

use crate::domain::Viewer;

/// The meta tag that carries the viewer as JSON.
pub const VIEWER_META: &str = "vexil-viewer";

/// The caller of this page; anonymous (and allowed nothing) if unknown.
pub fn use_viewer() -> Viewer {
    use_context::<Viewer>().unwrap_or_else(viewer_from_page)
}

/// Puts the viewer into context on the client, read from the page the server rendered.
pub fn provide_viewer() {
    if use_context::<Viewer>().is_none() {
        provide_context(viewer_from_page());
    }
}

fn viewer_from_page() -> Viewer {
    #[cfg(feature = "hydrate")]
    {
        let content = document()
            .query_selector(&format!("meta[name='{VIEWER_META}']"))
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"));
        if let Some(viewer) = content.and_then(|json| serde_json::from_str(&json).ok()) {
            return viewer;
        }
    }
    Viewer::default()
}

/// The viewer as the meta tag's content.
#[component]
pub fn ViewerMeta() -> impl IntoView {
    let json = serde_json::to_string(&use_viewer()).unwrap_or_default();
    view! { <meta name=VIEWER_META content=json /> }
}

/// The hidden field every dashboard form carries.
#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name="csrf_token" value=use_viewer().csrf_token /> }
}

/// Shows its children only to callers who may edit in the page's namespace.
#[component]
pub fn WriteOnly(children: Children) -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    use_viewer().can_write(&crate::url::namespace_of_path(&path)).then(children)
}

/// Shows its children only to administrators of all namespaces.
#[component]
pub fn AdminOnly(children: Children) -> impl IntoView {
    use_viewer().admin.then(children)
}

/// The browser client of every server function: as `fetch`, plus the page's CSRF token.
pub struct CsrfClient;

impl<E, IS, OS> Client<E, IS, OS> for CsrfClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(
        req: BrowserRequest,
    ) -> impl std::future::Future<Output = Result<BrowserResponse, E>> + Send {
        let token = viewer_from_page().csrf_token;
        if !token.is_empty() {
            req.headers().set("x-csrf-token", &token);
        }
        let write = own_writes::begin(&req.url());
        let sent = <BrowserClient as Client<E, IS, OS>>::send(req);
        async move {
            let answer = sent.await;
            own_writes::end(write);
            answer
        }
    }

    #[allow(clippy::type_complexity)]
    fn open_websocket(
        path: &str,
    ) -> impl std::future::Future<
        Output = Result<
            (
                impl futures::Stream<Item = Result<bytes::Bytes, bytes::Bytes>> + Send + 'static,
                impl futures::Sink<bytes::Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl std::future::Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}

/// The page's own writes in flight, and when the last one ended: a change event that follows
/// one of them is the page's own doing (its forms re-read after a write), so the page waits
/// for it to settle before checking (`pages::poll`).
pub mod own_writes {
    use std::cell::Cell;

    thread_local! {
        static IN_FLIGHT: Cell<u32> = const { Cell::new(0) };
        static LAST_ENDED_MS: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    }

    /// Server functions that only read (the access rules name them the same way).
    fn is_read(url: &str) -> bool {
        let path = url.split('?').next().unwrap_or_default();
        path.ends_with("/list") || path.ends_with("/detail") || path.ends_with("/version")
    }

    /// Notes a request to `url`; true when it is a write.
    pub fn begin(url: &str) -> bool {
        let write = !is_read(url);
        if write {
            IN_FLIGHT.with(|n| n.set(n.get() + 1));
        }
        write
    }

    pub fn end(write: bool) {
        if write {
            IN_FLIGHT.with(|n| n.set(n.get().saturating_sub(1)));
            LAST_ENDED_MS.with(|t| t.set(now_ms()));
        }
    }

    /// Whether a write is in flight or ended less than `within_ms` ago.
    pub fn busy(within_ms: f64) -> bool {
        IN_FLIGHT.with(Cell::get) > 0 || now_ms() - LAST_ENDED_MS.with(Cell::get) < within_ms
    }

    #[cfg(feature = "hydrate")]
    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    #[cfg(not(feature = "hydrate"))]
    fn now_ms() -> f64 {
        0.0
    }
}
