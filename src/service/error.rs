//! Mapping store errors to the typed application error, keeping database text in the log.

use app::error::AppError;

use crate::store::StoreError;

/// Logs a store failure with its detail and returns an error that reveals none of it.
pub fn internal(error: StoreError) -> AppError {
    tracing::error!(error = %error, "store operation failed");
    AppError::Internal("the database could not complete the request".into())
}
