//! Server functions for namespaces. Writes are POSTs that `ActionForm` submits as plain HTML
//! forms, so they work before (or without) hydration.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{domain::Namespace, error::AppError};

/// All namespaces, oldest first.
#[server(prefix = "/ui", endpoint = "namespaces/list", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_namespaces() -> Result<Vec<Namespace>, AppError> {
    super::with_status(crate::port::use_port()?.list_namespaces().await)
}

/// Creates a namespace.
#[server(prefix = "/ui", endpoint = "namespaces/create", client = crate::access::CsrfClient)]
pub async fn create_namespace(
    key: String,
    name: String,
    description: String,
) -> Result<Namespace, AppError> {
    let input = crate::domain::NamespaceInput { key, name, description, version: None };
    super::with_status(crate::port::use_port()?.create_namespace(input).await)
}

/// Renames or re-describes a namespace; `version` is the one the form was rendered with.
#[server(prefix = "/ui", endpoint = "namespaces/update", client = crate::access::CsrfClient)]
pub async fn update_namespace(
    key: String,
    name: String,
    description: String,
    version: i64,
) -> Result<Namespace, AppError> {
    let input = crate::domain::NamespaceInput {
        key: key.clone(),
        name,
        description,
        version: Some(version),
    };
    super::with_status(crate::port::use_port()?.update_namespace(&key, input).await)
}

/// Deletes a namespace and everything in it (a snapshot is taken first).
#[server(prefix = "/ui", endpoint = "namespaces/delete", client = crate::access::CsrfClient)]
pub async fn delete_namespace(key: String, version: i64) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.delete_namespace(&key, version).await)
}
