//! Reusable widgets.

pub mod diff;
mod error_panel;
mod forms;
mod stale;

pub use error_panel::ErrorPanel;
pub use forms::{
    after_success, failure_of, names_field, Confirm, ConfirmBox, FieldError, FormError, Refetch,
    ToastRegion, Toasts,
};
pub use stale::{edit_row, merged, StaleEdit};
