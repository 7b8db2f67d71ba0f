//! The port the dashboard's server functions need. The server implements it over its service
//! layer and provides it through Leptos context; this crate never sees a database.

use std::sync::Arc;

use crate::{domain::Namespace, error::AppError};

/// Everything the dashboard asks of the server.
#[async_trait::async_trait]
pub trait VexilPort: Send + Sync + 'static {
    /// All namespaces, oldest first.
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError>;
}

/// The shared handle provided through context.
pub type Port = Arc<dyn VexilPort>;

/// The port from Leptos context, or a typed error if the server forgot to provide it.
pub fn use_port() -> Result<Port, AppError> {
    leptos::prelude::use_context::<Port>()
        .ok_or_else(|| AppError::Internal("service port missing from context".into()))
}
