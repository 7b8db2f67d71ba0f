//! Thin `#[server]` adapters: each gets the port from context and calls one method.

mod access;
mod flag_detail;
mod flags;
mod history;
mod namespaces;
mod preferences;
mod segments;

pub use access::*;
pub use flag_detail::*;
pub use flags::*;
pub use history::*;
pub use namespaces::*;
pub use preferences::*;
pub use segments::*;

/// Gives a failed call the HTTP status of its error (400, 404, 409, 500) instead of a blanket
/// 500, so clients and logs see what happened. A plain HTML form post (no JavaScript) is
/// left alone: it is answered with a redirect back to the page, carrying the error in the
/// URL for the page to show, and a browser follows a redirect only with a 3xx status.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    use crate::error::AppError;
    use http::StatusCode;
    let html_form = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    });
    if html_form {
        return result;
    }
    if let Err(error) = &result {
        let status = match error {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::PermissionDenied(_) => StatusCode::FORBIDDEN,
            AppError::Internal(_) | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
    result
}
