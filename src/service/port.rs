//! The dashboard's port, implemented over the service.

use app::{
    domain::{
        Change, Flag, FlagInput, FlagListing, FlagQuery, Namespace, NamespaceInput, PageRequest,
        SnapshotInfo,
    },
    error::AppError,
    port::VexilPort,
};

use super::Service;

#[async_trait::async_trait]
impl VexilPort for Service {
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError> {
        Ok(Service::list_namespaces(self, Default::default()).await?.items)
    }

    async fn create_namespace(&self, input: NamespaceInput) -> Result<Namespace, AppError> {
        Service::create_namespace(self, input).await
    }

    async fn update_namespace(
        &self,
        key: &str,
        input: NamespaceInput,
    ) -> Result<Namespace, AppError> {
        let version = input.version;
        Service::update_namespace(self, key, input, version).await
    }

    async fn delete_namespace(&self, key: &str, version: i64) -> Result<(), AppError> {
        // The dashboard deletes a namespace with everything in it; a snapshot is taken first.
        Service::delete_namespace(self, key, true, Some(version)).await
    }

    async fn list_flags(&self, namespace: &str, query: FlagQuery) -> Result<FlagListing, AppError> {
        Service::search_flags(self, namespace, query).await
    }

    async fn create_flag(&self, namespace: &str, input: FlagInput) -> Result<Flag, AppError> {
        Service::create_flag(self, namespace, input).await
    }

    async fn data_version(&self, namespace: &str) -> Result<i64, AppError> {
        Service::data_version(self, namespace).await
    }

    async fn list_changes(
        &self,
        namespace: &str,
        resource_type: Option<String>,
        resource_key: Option<String>,
        limit: i64,
    ) -> Result<Vec<Change>, AppError> {
        let request = PageRequest { limit, offset: 0 };
        let page = Service::list_changes(
            self,
            namespace,
            resource_type.as_deref(),
            resource_key.as_deref(),
            request,
        )
        .await?;
        Ok(page.items)
    }

    async fn list_snapshots(&self) -> Result<Vec<SnapshotInfo>, AppError> {
        Ok(Service::list_snapshots(self, None, PageRequest { limit: 200, offset: 0 }).await?.items)
    }

    async fn restore_snapshot(&self, id: &str) -> Result<(), AppError> {
        Service::restore_snapshot(self, id).await.map(|_| ())
    }
}
