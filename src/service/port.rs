//! The dashboard's port, implemented over the service.

use app::{
    domain::{Namespace, NamespaceInput},
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
}
