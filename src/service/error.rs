//! Flipt's error messages, and the mapping of store errors that keeps database text in the log.

use app::error::AppError;
use serde::Serialize;

use crate::store::StoreError;

/// Logs a store failure with its detail and returns an error that reveals none of it; a text
/// the database cannot store (a NUL character, on PostgreSQL) is the caller's error instead,
/// and a database that cannot work now (a full disk, an outage) says so, so that people and
/// SDKs know to retry rather than report a bug.
pub fn internal(error: StoreError) -> AppError {
    match error {
        StoreError::Unrepresentable => {
            AppError::Invalid("text values must not contain NUL characters (U+0000)".into())
        }
        StoreError::DiskFull(detail) => {
            tracing::error!(%detail, "database disk full; write refused");
            AppError::StorageFull(
                "the database disk is full: nothing was stored; free space on the database's \
                 filesystem and retry"
                    .into(),
            )
        }
        StoreError::Unavailable(detail) => {
            tracing::warn!(%detail, "database unavailable; request refused");
            AppError::Unavailable(
                "the database is unavailable: the request was not carried out; retry shortly"
                    .into(),
            )
        }
        other => {
            tracing::error!(error = %other, "store operation failed");
            AppError::Internal("the database could not complete the request".into())
        }
    }
}

/// `flag "ns/key" not found`.
pub fn not_found(kind: &str, name: &str) -> AppError {
    AppError::NotFound(format!("{kind} \"{name}\" not found"))
}

/// `flag "ns/key" is not unique`.
pub fn not_unique(kind: &str, name: &str) -> AppError {
    AppError::Invalid(format!("{kind} \"{name}\" is not unique"))
}

/// `invalid field key: must not be empty`.
pub fn empty_field(field: &str) -> AppError {
    invalid_field(field, "must not be empty")
}

/// `invalid field key: contains invalid characters`.
pub fn invalid_field(field: &str, reason: &str) -> AppError {
    AppError::Invalid(format!("invalid field {field}: {reason}"))
}

/// 409 carrying what is stored now, so the caller can show the difference and retry.
pub fn conflict<T: Serialize>(
    kind: &str,
    name: &str,
    sent: i64,
    current_version: i64,
    current: &T,
) -> AppError {
    AppError::Conflict {
        message: format!(
            "{kind} \"{name}\" was changed by someone else: it is at version {current_version}, \
             the request was based on version {sent}"
        ),
        current_version,
        current: serde_json::to_value(current).unwrap_or_default(),
    }
}

/// Maps a unique violation to Flipt's "is not unique", anything else to [`internal`].
pub fn unique_or_internal(error: StoreError, kind: &str, name: &str) -> AppError {
    match error {
        StoreError::Unique => not_unique(kind, name),
        other => internal(other),
    }
}

/// Maps a foreign-key violation on insert (the parent vanished in a concurrent delete) to
/// Flipt's 404 for that parent, anything else to [`internal`].
pub fn parent_or_internal(error: StoreError, kind: &str, name: &str) -> AppError {
    match error {
        StoreError::ForeignKey => not_found(kind, name),
        other => internal(other),
    }
}
