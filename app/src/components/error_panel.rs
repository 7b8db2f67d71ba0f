//! Shows a typed error in the page, never a raw string or a blank page.

use leptos::prelude::*;

use crate::error::AppError;

/// A visible, accessible panel describing what failed.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let title = match &error {
        AppError::Invalid(_) => "That request was not valid",
        AppError::NotFound(_) => "Not found",
        AppError::Conflict { .. } => "Changed by someone else",
        AppError::Unavailable(_) => "The database is not answering: nothing was saved",
        AppError::StorageFull(_) => "The database disk is full: nothing was saved",
        AppError::Unauthenticated(_) => "You are not signed in (or your session ended)",
        AppError::PermissionDenied(_) => "Your role does not allow this: nothing was changed",
        AppError::Internal(_) => "The server could not complete this",
        AppError::Transport(_) => "The server could not be reached",
    };
    view! {
        <div class="error-panel" role="alert">
            <strong>{title}</strong>
            <p>{error.to_string()}</p>
        </div>
    }
}
