//! Path parameters shared by the namespaced and the legacy (default-namespace) routes.

use std::collections::HashMap;

use app::error::AppError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::ApiError;

/// The path's parameters; a route without `{ns}` (or an empty one) means `default`.
pub struct Ids(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(map) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError(AppError::Invalid(format!("invalid path: {e}"))))?;
        if map.values().any(|value| value.contains('\0')) {
            return Err(ApiError(super::extract::nul_refused()));
        }
        Ok(Ids(map))
    }
}

impl Ids {
    pub fn ns(&self) -> &str {
        self.0.get("ns").map(String::as_str).filter(|s| !s.is_empty()).unwrap_or("default")
    }

    /// A parameter the route always has.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or_default()
    }
}
