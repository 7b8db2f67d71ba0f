//! Thin `#[server]` adapters: each gets the port from context and calls one method.

mod namespaces;

pub use namespaces::*;
