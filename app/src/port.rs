//! The port the dashboard's server functions need. The server implements it over its service
//! layer and provides it through Leptos context; this crate never sees a database.

use std::sync::Arc;

use crate::{
    domain::{
        Change, Flag, FlagInput, FlagListing, FlagQuery, Namespace, NamespaceInput, SnapshotInfo,
    },
    error::AppError,
};

/// Everything the dashboard asks of the server.
#[async_trait::async_trait]
pub trait VexilPort: Send + Sync + 'static {
    /// All namespaces, oldest first.
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError>;
    /// A new, unprotected namespace.
    async fn create_namespace(&self, input: NamespaceInput) -> Result<Namespace, AppError>;
    /// Name and description only, guarded by the version the editor saw (409 if stale).
    async fn update_namespace(
        &self,
        key: &str,
        input: NamespaceInput,
    ) -> Result<Namespace, AppError>;
    /// Deletes a namespace and everything in it (after a snapshot), guarded by version.
    async fn delete_namespace(&self, key: &str, version: i64) -> Result<(), AppError>;
    /// One page of a namespace's flags, searched and ordered by the server.
    async fn list_flags(&self, namespace: &str, query: FlagQuery) -> Result<FlagListing, AppError>;
    /// A new flag (without variants), validated as the REST API validates it.
    async fn create_flag(&self, namespace: &str, input: FlagInput) -> Result<Flag, AppError>;
    /// The namespace's data version: it changes with every write to anything inside it.
    async fn data_version(&self, namespace: &str) -> Result<i64, AppError>;
    /// The newest changes of a namespace, optionally of one resource type and key.
    async fn list_changes(
        &self,
        namespace: &str,
        resource_type: Option<String>,
        resource_key: Option<String>,
        limit: i64,
    ) -> Result<Vec<Change>, AppError>;
    /// Every snapshot, newest first.
    async fn list_snapshots(&self) -> Result<Vec<SnapshotInfo>, AppError>;
    /// Makes a namespace what the snapshot saved.
    async fn restore_snapshot(&self, id: &str) -> Result<(), AppError>;
}

/// The shared handle provided through context.
pub type Port = Arc<dyn VexilPort>;

/// The port from Leptos context, or a typed error if the server forgot to provide it.
pub fn use_port() -> Result<Port, AppError> {
    leptos::prelude::use_context::<Port>()
        .ok_or_else(|| AppError::Internal("service port missing from context".into()))
}
