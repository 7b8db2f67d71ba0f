//! Snapshots: a namespace's whole content saved as its Flipt document, automatically inside
//! every destructive write's transaction and on demand; restore replaces the namespace with a
//! snapshot in one transaction, after saving what it replaces.

use crate::auth::Need;
use std::time::Duration;

use app::{
    domain::{Namespace, Page, PageRequest, SnapshotInfo},
    error::AppError,
};

use super::{
    error::not_found,
    history::snap,
    import::{import_one, ImportSummary},
    internal,
    paging::{fetch_limit, page_of},
    ImportMode, Service,
};
use crate::{
    document::{export, Document, NamespaceRef},
    store::{
        format_timestamp, namespaces, now_nanos, snapshots, snapshots::SnapshotRow, Store, Tx,
    },
};

/// How many automatic snapshots to keep per namespace, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    pub keep: i64,
    pub max_age: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { keep: 20, max_age: Duration::from_secs(30 * 24 * 3600) }
    }
}

impl From<SnapshotRow> for SnapshotInfo {
    fn from(row: SnapshotRow) -> Self {
        SnapshotInfo {
            id: row.id,
            namespace_key: row.namespace_key,
            reason: row.reason,
            automatic: row.automatic != 0,
            data_version: row.data_version,
            created_at: format_timestamp(row.created_at),
        }
    }
}

impl Service {
    /// Saves the namespace as `tx` sees it; `None` if it does not exist. Automatic snapshots
    /// are pruned to the retention, never below the newest one.
    pub(super) async fn snapshot_in(
        &self,
        tx: &mut Tx,
        namespace: &str,
        reason: &str,
        automatic: bool,
    ) -> Result<Option<SnapshotInfo>, AppError> {
        let Some(row) = namespaces::get(&mut **tx, namespace).await.map_err(internal)? else {
            return Ok(None);
        };
        let data_version = row.data_version;
        let source = Store::load_in(tx, namespace).await.map_err(internal)?;
        let document = export(&Namespace::from(row), &source, false);
        let stored = SnapshotRow {
            id: uuid::Uuid::new_v4().to_string(),
            namespace_key: namespace.to_string(),
            reason: reason.to_string(),
            automatic: i64::from(automatic),
            document: serde_json::to_string(&document)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            data_version,
            created_at: now_nanos(),
        };
        snapshots::insert(tx, &stored).await.map_err(internal)?;
        if automatic {
            let cutoff = stored.created_at
                - i64::try_from(self.retention.max_age.as_nanos()).unwrap_or(i64::MAX);
            snapshots::prune(tx, namespace, self.retention.keep, cutoff).await.map_err(internal)?;
        }
        Ok(Some(SnapshotInfo::from(stored)))
    }

    /// Takes a snapshot now (`vexil snapshot`, `POST /api/v1/snapshots`).
    pub async fn create_snapshot(
        &self,
        namespace: &str,
        reason: &str,
    ) -> Result<SnapshotInfo, AppError> {
        crate::auth::require(Need::Admin, Some(namespace))?;
        if namespace.is_empty() {
            return Err(AppError::Invalid("invalid field namespace: must not be empty".into()));
        }
        let mut tx = self.begin().await?;
        let reason = if reason.is_empty() { "on demand" } else { reason };
        let info = self
            .snapshot_in(&mut tx, namespace, reason, false)
            .await?
            .ok_or_else(|| not_found("namespace", namespace))?;
        tx.commit().await.map_err(internal)?;
        Ok(info)
    }

    /// Snapshots, newest first, of one namespace or all.
    pub async fn list_snapshots(
        &self,
        namespace: Option<&str>,
        request: PageRequest,
    ) -> Result<Page<SnapshotInfo>, AppError> {
        crate::auth::require(Need::Admin, namespace)?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let rows = snapshots::page(&mut conn, namespace, fetch_limit(request), request.offset)
            .await
            .map_err(internal)?;
        let total = snapshots::count(&mut conn, namespace).await.map_err(internal)?;
        let items = rows.into_iter().map(SnapshotInfo::from).collect();
        Ok(page_of(items, request, total, |s: &SnapshotInfo| s.id.clone()))
    }

    /// One snapshot and its document.
    pub async fn get_snapshot(&self, id: &str) -> Result<(SnapshotInfo, Document), AppError> {
        crate::auth::require(Need::Admin, None)?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let row = snapshots::get(&mut conn, id)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("snapshot", id))?;
        let document: Document =
            serde_json::from_str(&row.document).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((SnapshotInfo::from(row), document))
    }

    /// Makes the namespace exactly what the snapshot saved (metadata, flags, segments), after
    /// saving its current state as another snapshot; one transaction, recorded as a change.
    pub async fn restore_snapshot(
        &self,
        id: &str,
    ) -> Result<(SnapshotInfo, ImportSummary), AppError> {
        crate::auth::require(Need::Admin, None)?;
        let (info, document) = self.get_snapshot(id).await?;
        let namespace = info.namespace_key.clone();
        let mut tx = self.begin().await?;
        let before = self.snapshot_in(&mut tx, &namespace, "before restore", true).await?;
        if let NamespaceRef::Full { name, description, .. } = &document.namespace {
            if before.is_some() {
                namespaces::update_metadata(
                    &mut tx,
                    &namespace,
                    name,
                    description,
                    None,
                    now_nanos(),
                )
                .await
                .map_err(internal)?;
            }
        }
        let summary = import_one(&mut tx, &document, ImportMode::Replace, &|_| {}).await?;
        self.record(
            &mut tx,
            &namespace,
            "namespace",
            &namespace,
            "restored",
            None,
            snap(&document),
        )
        .await?;
        self.commit(tx, &namespace).await?;
        self.cache.forget(&namespace);
        Ok((info, summary))
    }
}
