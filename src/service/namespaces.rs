//! Namespace reads and writes.

use app::{domain::Namespace, error::AppError};

use super::{internal, Service};
use crate::store::namespaces;

impl Service {
    /// A page of namespaces (creation order) and the total count; `limit` 0 means all.
    pub async fn list_namespaces(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Namespace>, i64), AppError> {
        let reader = self.store.reader();
        let rows = namespaces::list(reader, limit, offset).await.map_err(internal)?;
        let total = namespaces::count(reader).await.map_err(internal)?;
        Ok((rows.into_iter().map(Namespace::from).collect(), total))
    }
}
