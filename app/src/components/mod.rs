//! Reusable widgets.

mod error_panel;

pub use error_panel::ErrorPanel;
