//! The version check that brings changes made elsewhere (another tab, the REST API) into an
//! open page: every few seconds the page asks for the namespace's data version and, when it
//! moved past the one its data was read at, bumps its refetch key. Data on screen is kept
//! while the refetch runs (the pages use `Transition`), never cleared.

use leptos::prelude::*;

use crate::server_fns::data_version;

/// How often an open page asks whether its namespace changed.
const VERSION_POLL_MS: u64 = 2_000;

/// Starts the check for `namespace` (in the browser only; the server renders once).
/// `known` is the data version the page's data was read at; `refresh` is its refetch key.
pub fn poll_version(namespace: Memo<String>, known: RwSignal<Option<i64>>, refresh: RwSignal<u64>) {
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
