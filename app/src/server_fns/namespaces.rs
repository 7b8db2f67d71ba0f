//! Server functions for namespaces.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{domain::Namespace, error::AppError};

/// All namespaces, oldest first.
#[server(prefix = "/ui", endpoint = "namespaces/list", input = GetUrl)]
pub async fn list_namespaces() -> Result<Vec<Namespace>, AppError> {
    crate::port::use_port()?.list_namespaces().await
}
