//! Server functions for the change log and snapshots.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{
    domain::{Change, SnapshotInfo},
    error::AppError,
};

/// The newest 200 changes of a namespace, optionally of one resource.
#[server(prefix = "/ui", endpoint = "changes/list", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_changes(
    namespace: String,
    resource_type: Option<String>,
    resource_key: Option<String>,
) -> Result<Vec<Change>, AppError> {
    let port = crate::port::use_port()?;
    super::with_status(port.list_changes(&namespace, resource_type, resource_key, 200).await)
}

/// Every snapshot, newest first.
#[server(prefix = "/ui", endpoint = "snapshots/list", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_snapshots() -> Result<Vec<SnapshotInfo>, AppError> {
    super::with_status(crate::port::use_port()?.list_snapshots().await)
}

/// Restores a namespace from a snapshot (its current state is saved first).
#[server(prefix = "/ui", endpoint = "snapshots/restore", client = crate::access::CsrfClient)]
pub async fn restore_snapshot(id: String) -> Result<(), AppError> {
    super::with_status(crate::port::use_port()?.restore_snapshot(&id).await)
}
