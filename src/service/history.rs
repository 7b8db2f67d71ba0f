//! Recording every write in the change log, inside the write's own transaction, and reading
//! the log back.

use crate::auth::Need;
use app::{
    domain::{Change, Page, PageRequest},
    error::AppError,
};
use serde::Serialize;
use serde_json::Value;

use super::{
    internal,
    paging::{fetch_limit, page_of},
    Service,
};
use crate::store::{changes, changes::NewChange, now_nanos, Tx};

/// An object as the change log stores it.
pub fn snap<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

impl Service {
    /// Appends one change to the log inside `tx`: it commits or rolls back with the write.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn record(
        &self,
        tx: &mut Tx,
        namespace: &str,
        resource_type: &str,
        resource_key: &str,
        action: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), AppError> {
        // Who: the running request's principal (an email or a token, with its role).
        let actor = crate::auth::current().actor();
        let change = NewChange {
            namespace_key: namespace,
            resource_type,
            resource_key,
            action,
            actor: &actor,
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
            created_at: now_nanos(),
        };
        changes::insert(tx, &change).await.map_err(internal)
    }

    /// A page of a namespace's changes, newest first, optionally for one resource type and key.
    pub async fn list_changes(
        &self,
        namespace: &str,
        resource_type: Option<&str>,
        resource_key: Option<&str>,
        request: PageRequest,
    ) -> Result<Page<Change>, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let rows = changes::page(
            &mut conn,
            namespace,
            resource_type,
            resource_key,
            fetch_limit(request),
            request.offset,
        )
        .await
        .map_err(internal)?;
        let total = changes::count(&mut conn, namespace, resource_type, resource_key)
            .await
            .map_err(internal)?;
        let items = rows.into_iter().map(Change::from).collect();
        Ok(page_of(items, request, total, |c: &Change| c.id.to_string()))
    }
}
