//! Vexil: a Flipt-compatible feature-flag server whose writes cannot lose data.
//!
//! This crate is the server. It is the only code that knows axum, sqlx and tokio; the dashboard
//! lives in the `app` crate and reaches the service through the port it declares.

pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod document;
pub mod eval;
pub mod remote;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;

#[cfg(test)]
pub(crate) mod testing;
