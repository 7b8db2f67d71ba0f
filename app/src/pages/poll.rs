//! The version check that brings changes made elsewhere (another tab, the REST API, another
//! replica) into an open page: the page follows the namespace's change events
//! (`/ofrep/v1/_stream/default/{ns}/events`, server-sent events; the session cookie is the
//! credential) and, on each, asks for the namespace's data version; when it moved past the one
//! its data was read at, it bumps its refetch key. While the event stream is not open (not yet,
//! or broken) the page asks every two seconds instead, and every 30 s while it is, as a safety
//! net. Data on screen is kept while the refetch runs (the pages use `Transition`), never
//! cleared, so what someone is typing stays.

use leptos::prelude::*;

use crate::{components::Refetch, error::AppError, server_fns::data_version};

/// How often an open page asks whether its namespace changed when it has no event stream.
const VERSION_POLL_MS: u64 = 2_000;

/// How long after a change event the page checks, so that its own writes' re-reads land first;
/// while one of its own writes is in flight or just ended, it waits that long again, up to
/// [`SETTLE_TRIES`] times.
const EVENT_SETTLE_MS: u64 = 200;
const SETTLE_TRIES: u32 = 10;

/// Runs `check` once the page's own writes have settled (or after `tries` waits).
fn settle_then(check: impl Fn() + Clone + 'static, tries: u32) {
    set_timeout(
        move || {
            if tries > 0 && crate::access::own_writes::busy(EVENT_SETTLE_MS as f64) {
                settle_then(check, tries - 1);
            } else {
                check();
            }
        },
        std::time::Duration::from_millis(EVENT_SETTLE_MS),
    );
}

/// Polls skipped while the event stream is open (30 s between checks).
const POLLS_PER_CHECK_WITH_EVENTS: u64 = 15;

/// Starts the check for `namespace` (in the browser only; the server renders once).
/// `known` is the data version the page's data was read at; `refresh` is its refetch key.
fn poll_version(namespace: Memo<String>, known: RwSignal<Option<i64>>, refresh: RwSignal<u64>) {
    Effect::new(move |_| {
        let namespace = namespace.get();
        let check = {
            let namespace = namespace.clone();
            move || {
                let namespace = namespace.clone();
                leptos::task::spawn_local(async move {
                    // The page may have gone while the answer was on its way.
                    if let Ok(version) = data_version(namespace).await {
                        if known.try_get_untracked().flatten().is_some_and(|seen| seen != version) {
                            known.try_set(Some(version));
                            refresh.try_update(|n| *n += 1);
                        }
                    }
                });
            }
        };
        // An event right after one of the page's own writes: the page is already re-reading
        // (and may be leaving); a moment later the check finds nothing new, or the page gone.
        let on_event = {
            let check = check.clone();
            move || settle_then(check.clone(), SETTLE_TRIES)
        };
        let streaming = events::follow(&namespace, on_event);
        let ticks = std::cell::Cell::new(0u64);
        let tick = move || {
            ticks.set(ticks.get() + 1);
            if !streaming.is_open() || ticks.get().is_multiple_of(POLLS_PER_CHECK_WITH_EVENTS) {
                check();
            }
        };
        if let Ok(handle) =
            set_interval_with_handle(tick, std::time::Duration::from_millis(VERSION_POLL_MS))
        {
            on_cleanup(move || handle.clear());
        }
    });
}

/// The namespace's change events, in the browser.
#[cfg(feature = "hydrate")]
mod events {
    use std::{cell::Cell, rc::Rc};

    use leptos::prelude::on_cleanup;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};

    /// Whether the event stream is open now.
    #[derive(Clone)]
    pub struct Following(Rc<Cell<bool>>);

    impl Following {
        pub fn is_open(&self) -> bool {
            self.0.get()
        }
    }

    /// Opens the stream; `on_change` runs for each event. Closed when the page goes.
    pub fn follow(namespace: &str, on_change: impl Fn() + 'static) -> Following {
        let open = Rc::new(Cell::new(false));
        let url =
            format!("/ofrep/v1/_stream/default/{}/events", crate::url::encode_component(namespace));
        let Ok(source) = web_sys::EventSource::new(&url) else { return Following(open) };
        let on_message = Closure::<dyn FnMut()>::new(on_change);
        let on_open = Closure::<dyn FnMut()>::new({
            let open = open.clone();
            move || open.set(true)
        });
        // EventSource reconnects by itself after a dropped connection; polling covers the gap.
        let on_error = Closure::<dyn FnMut()>::new({
            let open = open.clone();
            move || open.set(false)
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let kept = SendWrapper::new((source, on_message, on_open, on_error));
        on_cleanup(move || {
            let (source, ..) = kept.take();
            source.close();
        });
        Following(open)
    }
}

/// On the server there is nothing to follow: the page renders once.
#[cfg(not(feature = "hydrate"))]
mod events {
    #[derive(Clone)]
    pub struct Following;

    impl Following {
        pub fn is_open(&self) -> bool {
            false
        }
    }

    pub fn follow(_namespace: &str, _on_change: impl Fn() + 'static) -> Following {
        Following
    }
}

/// A page's version key: its resources read it, so they refetch when it moves, which happens
/// after each of the page's own writes ([`Refetch`], bumped by the forms) and when the version
/// check sees the namespace change elsewhere.
#[derive(Clone, Copy)]
pub struct VersionKey {
    refresh: RwSignal<u64>,
    known: RwSignal<Option<i64>>,
}

impl VersionKey {
    /// Provides the key to the page's forms and starts the version check for `namespace`.
    pub fn new(namespace: Memo<String>) -> Self {
        let key = VersionKey { refresh: RwSignal::new(0), known: RwSignal::new(None) };
        provide_context(Refetch(key.refresh));
        poll_version(namespace, key.known, key.refresh);
        key
    }

    /// Reads (and tracks) the key.
    pub fn get(&self) -> u64 {
        self.refresh.get()
    }

    /// Remembers the data version each load of `resource` was read at.
    pub fn follow<T>(&self, resource: Resource<Result<T, AppError>>, version: fn(&T) -> i64)
    where
        T: Clone + Send + Sync + 'static,
    {
        let known = self.known;
        Effect::new(move |_| {
            if let Some(Ok(value)) = resource.get() {
                known.set(Some(version(&value)));
            }
        });
    }
}
