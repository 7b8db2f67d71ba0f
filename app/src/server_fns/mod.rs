//! Thin `#[server]` adapters: each gets the port from context and calls one method.

mod flags;
mod history;
mod namespaces;

pub use flags::*;
pub use history::*;
pub use namespaces::*;

/// Gives a failed call the HTTP status of its error (400, 404, 409, 500) instead of a blanket
/// 500, so clients and logs see what happened.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    use crate::error::AppError;
    use http::StatusCode;
    if let Err(error) = &result {
        let status = match error {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Internal(_) | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
    result
}
