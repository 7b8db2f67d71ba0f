//! Reusable widgets.

pub mod diff;
mod error_panel;

pub use error_panel::ErrorPanel;
