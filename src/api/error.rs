//! Flipt's error body `{"code","message","details":[]}` with its gRPC code → HTTP mapping.

use app::error::AppError;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

/// What a client is told to wait before retrying when the database cannot answer: about one
/// health-check round, short enough that an SDK's retry lands soon after recovery.
const RETRY_AFTER_SECONDS: &str = "2";

/// Flipt's error body with a gRPC `code` and an HTTP `status`, for refusals made outside the
/// service (body limits, timeouts).
pub fn error_response(status: StatusCode, code: u16, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message, "details": []}))).into_response()
}

/// An error rendered the way Flipt renders it (reference §2.2).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError(error)
    }
}

impl ApiError {
    /// The gRPC code and HTTP status for this error.
    pub fn codes(&self) -> (u16, StatusCode) {
        match &self.0 {
            AppError::Invalid(_) => (3, StatusCode::BAD_REQUEST),
            AppError::NotFound(_) => (5, StatusCode::NOT_FOUND),
            AppError::Conflict { .. } => (10, StatusCode::CONFLICT),
            AppError::Unavailable(_) => (14, StatusCode::SERVICE_UNAVAILABLE),
            AppError::StorageFull(_) => (8, StatusCode::INSUFFICIENT_STORAGE),
            AppError::Unauthenticated(_) => (16, StatusCode::UNAUTHORIZED),
            AppError::PermissionDenied(_) => (7, StatusCode::FORBIDDEN),
            AppError::Internal(_) | AppError::Transport(_) => {
                (13, StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (code, status) = self.codes();
        let (message, details) = match self.0 {
            AppError::Invalid(m)
            | AppError::NotFound(m)
            | AppError::Internal(m)
            | AppError::Unavailable(m)
            | AppError::StorageFull(m)
            | AppError::Unauthenticated(m)
            | AppError::PermissionDenied(m)
            | AppError::Transport(m) => (m, json!([])),
            // The stored object rides along so the caller can show what changed and retry.
            AppError::Conflict { message, current_version, current } => {
                (message, json!([{"currentVersion": current_version, "current": current}]))
            }
        };
        let mut response =
            (status, Json(json!({"code": code, "message": message, "details": details})))
                .into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::INSUFFICIENT_STORAGE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}
