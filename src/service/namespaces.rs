//! Namespace reads and writes. The metadata update is the store's narrow UPDATE and nothing
//! else; a delete removes flags, then segments, then the namespace, in one transaction.

use crate::auth::Need;
use app::{
    domain::{Namespace, NamespaceInput, Page, PageRequest},
    error::AppError,
};

use super::{
    error::{conflict, internal, not_found, unique_or_internal},
    history::snap,
    paging::{fetch_limit, page_of},
    validate, Service,
};
use crate::store::{flags, namespaces, namespaces::Updated, now_nanos, segments};

impl Service {
    /// A page of namespaces in creation order.
    /// A caller whose roles name single namespaces sees only those.
    pub async fn list_namespaces(&self, request: PageRequest) -> Result<Page<Namespace>, AppError> {
        let principal = crate::auth::current();
        if principal.flipt_scoped {
            // Flipt: a namespace-scoped token cannot list namespaces (there is no namespace
            // in the request to match).
            return Err(crate::auth::unauthenticated("namespace-scoped token listing namespaces"));
        }
        let viewer = Some(crate::auth::Role::Viewer);
        if principal.role_in(None) < viewer {
            // Not a refusal (nor counted as one) while some namespace is in reach.
            let visible: Vec<String> = principal
                .namespaces()
                .unwrap_or_default()
                .into_iter()
                .filter(|ns| principal.role_in(Some(ns)) >= viewer)
                .map(str::to_string)
                .collect();
            if visible.is_empty() {
                crate::auth::check(&principal, Need::Read, None)?;
            }
            return self.some_namespaces(&visible, request).await;
        }
        let reader = self.store.reader();
        let rows = namespaces::list(reader, fetch_limit(request), request.offset)
            .await
            .map_err(internal)?;
        let total = namespaces::count(reader).await.map_err(internal)?;
        let items = rows.into_iter().map(Namespace::from).collect();
        Ok(page_of(items, request, total, |n: &Namespace| n.key.clone()))
    }

    /// The namespaces among `keys` that exist, as one page.
    async fn some_namespaces(
        &self,
        keys: &[String],
        request: PageRequest,
    ) -> Result<Page<Namespace>, AppError> {
        let mut found = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(row) = namespaces::get(self.store.reader(), key).await.map_err(internal)? {
                found.push(Namespace::from(row));
            }
        }
        let total = found.len() as i64;
        let items = found.into_iter().skip(request.offset.max(0) as usize).collect();
        Ok(page_of(items, request, total, |n: &Namespace| n.key.clone()))
    }

    /// One namespace.
    pub async fn get_namespace(&self, key: &str) -> Result<Namespace, AppError> {
        crate::auth::require(Need::Read, Some(key))?;
        namespaces::get(self.store.reader(), key)
            .await
            .map_err(internal)?
            .map(Namespace::from)
            .ok_or_else(|| not_found("namespace", key))
    }

    /// Creates an unprotected namespace.
    pub async fn create_namespace(&self, input: NamespaceInput) -> Result<Namespace, AppError> {
        crate::auth::require(Need::Admin, Some(&input.key))?;
        validate::key("key", &input.key)?;
        validate::required("name", &input.name)?;
        let mut tx = self.begin().await?;
        let row =
            namespaces::insert(&mut tx, &input.key, &input.name, &input.description, now_nanos())
                .await
                .map_err(|e| unique_or_internal(e, "namespace", &input.key))?;
        let created = Namespace::from(row);
        self.record(&mut tx, &input.key, "namespace", &input.key, "created", None, snap(&created))
            .await?;
        tx.commit().await.map_err(internal)?;
        // A namespace of this key may have existed before: nothing cached about it still holds.
        self.cache.forget(&input.key);
        Ok(created)
    }

    /// Changes name and description only. With `expected_version`, a stale caller gets 409
    /// and nothing changes.
    pub async fn update_namespace(
        &self,
        key: &str,
        input: NamespaceInput,
        expected_version: Option<i64>,
    ) -> Result<Namespace, AppError> {
        crate::auth::require(Need::Admin, Some(key))?;
        validate::required("name", &input.name)?;
        let mut tx = self.begin().await?;
        let before = namespaces::get(&mut *tx, key).await.map_err(internal)?.map(Namespace::from);
        let outcome = namespaces::update_metadata(
            &mut tx,
            key,
            &input.name,
            &input.description,
            expected_version,
            now_nanos(),
        )
        .await
        .map_err(internal)?;
        match outcome {
            Updated::Done(row) => {
                // Metadata is not flag data: the data version (and every cache keyed on it)
                // stays as it is. The UPDATE above is the only statement that touches namespace
                // data; the other write is the change log's own row.
                let after = Namespace::from(row);
                let before = before.as_ref().and_then(snap);
                self.record(&mut tx, key, "namespace", key, "updated", before, snap(&after))
                    .await?;
                tx.commit().await.map_err(internal)?;
                Ok(after)
            }
            Updated::Stale(current) => {
                let current = Namespace::from(current);
                let sent = expected_version.unwrap_or_default();
                Err(conflict("namespace", key, sent, current.version, &current))
            }
            Updated::Missing => Err(not_found("namespace", key)),
        }
    }

    /// Deletes a namespace. Without `force`, a protected namespace or one with flags is
    /// refused (Flipt's rules); with it, flags go first so no segment reference blocks the rest.
    pub async fn delete_namespace(
        &self,
        key: &str,
        force: bool,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Admin, Some(key))?;
        let mut tx = self.begin().await?;
        let row = namespaces::get(&mut *tx, key)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("namespace", key))?;
        if let Some(sent) = expected_version.filter(|v| *v != row.version) {
            let current = Namespace::from(row);
            return Err(conflict("namespace", key, sent, current.version, &current));
        }
        if !force && row.protected != 0 {
            return Err(AppError::Invalid(format!("namespace \"{key}\" is protected")));
        }
        if !force && flags::count(&mut tx, key).await.map_err(internal)? > 0 {
            return Err(AppError::Invalid(format!(
                "namespace \"{key}\" cannot be deleted; flags must be deleted first"
            )));
        }
        let before = Namespace::from(row.clone());
        self.snapshot_in(&mut tx, key, "before namespace delete", true).await?;
        flags::delete_all(&mut tx, key).await.map_err(internal)?;
        segments::delete_all(&mut tx, key).await.map_err(internal)?;
        self.record(&mut tx, key, "namespace", key, "deleted", snap(&before), None).await?;
        self.store.notify(&mut tx, key, -1).await.map_err(internal)?;
        // Guarded again by the DELETE itself: an edit since our read rolls all of this back.
        if !namespaces::delete(&mut tx, key, Some(row.version)).await.map_err(internal)? {
            let current =
                namespaces::get(&mut *tx, key).await.map_err(internal)?.map(Namespace::from);
            return Err(match current {
                Some(current) => conflict("namespace", key, row.version, current.version, &current),
                None => not_found("namespace", key),
            });
        }
        tx.commit().await.map_err(internal)?;
        self.cache.forget(key);
        Ok(())
    }
}
