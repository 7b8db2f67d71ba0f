//! The dashboard's port, implemented over the service.

use app::{domain::Namespace, error::AppError, port::VexilPort};

use super::Service;

#[async_trait::async_trait]
impl VexilPort for Service {
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError> {
        Ok(Service::list_namespaces(self, Default::default()).await?.items)
    }
}
