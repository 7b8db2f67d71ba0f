//! Vexil's dashboard: a Leptos app rendered on the server (`ssr`) and hydrated in the browser
//! (`hydrate`). It never touches the database: its server functions call the [`port::VexilPort`]
//! that the server provides through Leptos context.

// Leptos views are nested types; the segment page's is deeper than the default limit allows.
#![recursion_limit = "256"]

pub mod access;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;
mod shell;
pub mod theme;
pub mod url;

pub use shell::{shell, App};

/// Entry point of the wasm bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
