//! The version check that brings changes made elsewhere (another tab, the REST API) into an
//! open page: every few seconds the page asks for the namespace's data version and, when it
//! moved past the one its data was read at, bumps its refetch key. Data on screen is kept
//! while the refetch runs (the pages use `Transition`), never cleared.

use leptos::prelude::*;

use crate::{components::Refetch, error::AppError, server_fns::data_version};

/// How often an open page asks whether its namespace changed.
const VERSION_POLL_MS: u64 = 2_000;

/// Starts the check for `namespace` (in the browser only; the server renders once).
/// `known` is the data version the page's data was read at; `refresh` is its refetch key.
fn poll_version(namespace: Memo<String>, known: RwSignal<Option<i64>>, refresh: RwSignal<u64>) {
    Effect::new(move |_| {
        let namespace = namespace.get();
        let check = move || {
            let namespace = namespace.clone();
            leptos::task::spawn_local(async move {
                if let Ok(version) = data_version(namespace).await {
                    if known.get_untracked().is_some_and(|seen| seen != version) {
                        known.set(Some(version));
                        refresh.update(|n| *n += 1);
                    }
                }
            });
        };
        if let Ok(handle) =
            set_interval_with_handle(check, std::time::Duration::from_millis(VERSION_POLL_MS))
        {
            on_cleanup(move || handle.clear());
        }
    });
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
