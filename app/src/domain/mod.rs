//! The shared model: what the dashboard and the server exchange (serde only, no I/O).

mod namespace;

pub use namespace::Namespace;
