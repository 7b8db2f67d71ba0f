//! The one error type that crosses from the service to the dashboard, typed on both sides.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What went wrong, in terms a person or an API client can act on. Database text never
/// reaches this type: the store maps its errors before they leave the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request was malformed or breaks a rule (Flipt: InvalidArgument, HTTP 400).
    #[error("{0}")]
    Invalid(String),
    /// The named object does not exist (HTTP 404).
    #[error("{0}")]
    NotFound(String),
    /// The object changed since the caller read it (HTTP 409).
    #[error("{message}")]
    Conflict {
        message: String,
        current_version: i64,
        /// The object as stored now, so the caller can show what changed.
        current: serde_json::Value,
    },
    /// The database cannot work now (down, or did not answer in time); nothing was
    /// acknowledged, and the same request may succeed shortly (HTTP 503 with Retry-After).
    #[error("{0}")]
    Unavailable(String),
    /// The database's disk is full; nothing was stored (HTTP 507).
    #[error("{0}")]
    StorageFull(String),
    /// No credential, or one that is malformed, unknown, expired or revoked (Flipt: code 16,
    /// HTTP 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller's role does not allow this (Flipt: code 7, HTTP 403). Nothing was changed.
    #[error("{0}")]
    PermissionDenied(String),
    /// The server could not do its part; details are in the server log (HTTP 500).
    #[error("internal error: {0}")]
    Internal(String),
    /// The call never reached the service (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not parse (a hand-made request, a number field with text) are
            // the caller's mistake, refused before any of our code runs.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::Invalid(value.to_string())
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unparsable_arguments_are_the_callers_mistake() {
        let args = AppError::from_server_fn_error(ServerFnErrorErr::Args("invalid digit".into()));
        assert!(
            matches!(args, AppError::Invalid(ref m) if m.contains("invalid digit")),
            "{args:?}"
        );
        let missing = AppError::from_server_fn_error(ServerFnErrorErr::MissingArg("key".into()));
        assert!(matches!(missing, AppError::Invalid(_)), "{missing:?}");
        let network = AppError::from_server_fn_error(ServerFnErrorErr::Request("refused".into()));
        assert!(matches!(network, AppError::Transport(_)), "{network:?}");
    }
}
