//! Importing Flipt documents: all documents in one transaction, so any error leaves the
//! database exactly as it was. Values are validated as the API validates them.

mod objects;

use crate::auth::Need;
use std::collections::HashSet;

use app::error::AppError;
use serde::Serialize;

use objects::{import_flag, import_segment};

use super::{error::not_found, history::snap, internal, validate, Service};
use crate::{
    document::{Document, NamespaceRef},
    store::{flags, namespaces, now_nanos, segments, Tx},
};

/// What to do with flags and segments that already exist.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImportMode {
    /// Flipt's default: an existing key is an error.
    #[default]
    CreateOnly,
    /// Leave existing flags and segments as they are.
    SkipExisting,
    /// Remove the namespace's flags and segments first.
    Replace,
}

/// What an import did (or, in a dry run, would do) to one namespace.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub namespace: String,
    pub namespace_created: bool,
    pub replaced: bool,
    pub flags_created: usize,
    pub flags_skipped: usize,
    pub segments_created: usize,
    pub segments_skipped: usize,
}

fn within(error: AppError, number: usize, namespace: &str) -> AppError {
    let place = format!("document {number} (namespace \"{namespace}\")");
    match error {
        AppError::Invalid(m) => AppError::Invalid(format!("{place}: {m}")),
        AppError::NotFound(m) => AppError::NotFound(format!("{place}: {m}")),
        other => other,
    }
}

pub(super) fn invalid(message: String) -> AppError {
    AppError::Invalid(message)
}

impl Service {
    /// Applies `documents` in one transaction; with `dry_run` nothing is committed.
    pub async fn import(
        &self,
        documents: &[Document],
        mode: ImportMode,
        dry_run: bool,
    ) -> Result<Vec<ImportSummary>, AppError> {
        self.import_with_progress(documents, mode, dry_run, &|_| {}).await
    }

    /// [`Service::import`], calling `progress` after each flag or segment (of
    /// [`objects_in`]`(documents)`) is done.
    pub async fn import_with_progress(
        &self,
        documents: &[Document],
        mode: ImportMode,
        dry_run: bool,
        progress: &Progress<'_>,
    ) -> Result<Vec<ImportSummary>, AppError> {
        // Merging into a namespace is an editor's work; replacing one, or creating one, an
        // administrator's. Checked for every document before anything is written, inside the
        // transaction, so the namespace cannot vanish between the check and the write.
        let principal = crate::auth::current();
        let mut tx = self.begin().await?;
        for document in documents {
            let key = document.namespace.key();
            let exists = namespaces::get(&mut *tx, key).await.map_err(internal)?.is_some();
            let need =
                if mode == ImportMode::Replace || !exists { Need::Admin } else { Need::Write };
            crate::auth::check(&principal, need, Some(key))?;
        }
        let mut summaries = Vec::with_capacity(documents.len());
        for (index, document) in documents.iter().enumerate() {
            let namespace = document.namespace.key().to_string();
            if mode == ImportMode::Replace {
                self.snapshot_in(&mut tx, &namespace, "before replacing import", true).await?;
            }
            let summary = import_one(&mut tx, document, mode, progress)
                .await
                .map_err(|e| within(e, index + 1, &namespace))?;
            self.record(
                &mut tx,
                &namespace,
                "namespace",
                &namespace,
                "imported",
                None,
                snap(document),
            )
            .await?;
            summaries.push(summary);
        }
        if dry_run {
            return Ok(summaries); // dropping the transaction rolls everything back
        }
        let mut versions = Vec::new();
        for summary in &summaries {
            let version = namespaces::bump_data_version(&mut tx, &summary.namespace)
                .await
                .map_err(internal)?
                .ok_or_else(|| not_found("namespace", &summary.namespace))?;
            self.store.notify(&mut tx, &summary.namespace, version).await.map_err(internal)?;
            versions.push((summary.namespace.clone(), version));
        }
        tx.commit().await.map_err(internal)?;
        for (namespace, version) in versions {
            self.cache.invalidate(&namespace, version);
        }
        Ok(summaries)
    }
}

/// Told after each flag or segment an import has handled.
pub type Progress<'a> = dyn Fn(u64) + Send + Sync + 'a;

/// How many flags and segments `documents` hold: the length of an import's progress.
pub fn objects_in(documents: &[Document]) -> u64 {
    documents.iter().map(|d| (d.flags.len() + d.segments.len()) as u64).sum()
}

pub(super) async fn import_one(
    tx: &mut Tx,
    document: &Document,
    mode: ImportMode,
    progress: &Progress<'_>,
) -> Result<ImportSummary, AppError> {
    let key = document.namespace.key();
    validate::key("namespace", key)?;
    let mut summary = ImportSummary { namespace: key.to_string(), ..Default::default() };
    let exists = namespaces::get(&mut **tx, key).await.map_err(internal)?.is_some();
    if !exists {
        let (name, description) = match &document.namespace {
            NamespaceRef::Full { name, description, .. } if !name.is_empty() => {
                (name.as_str(), description.as_str())
            }
            _ => (key, ""),
        };
        namespaces::insert(tx, key, name, description, now_nanos())
            .await
            .map_err(|e| super::error::unique_or_internal(e, "namespace", key))?;
        summary.namespace_created = true;
    } else if mode == ImportMode::Replace {
        flags::delete_all(tx, key).await.map_err(internal)?;
        segments::delete_all(tx, key).await.map_err(internal)?;
        summary.replaced = true;
    }
    unique_keys("segment", key, document.segments.iter().map(|s| s.key.as_str()))?;
    unique_keys("flag", key, document.flags.iter().map(|f| f.key.as_str()))?;
    for segment in &document.segments {
        if segments::get(tx, key, &segment.key).await.map_err(internal)?.is_some() {
            match mode {
                ImportMode::SkipExisting => {
                    summary.segments_skipped += 1;
                    progress(1);
                    continue;
                }
                _ => {
                    return Err(invalid(format!("segment \"{key}/{}\" is not unique", segment.key)))
                }
            }
        }
        import_segment(tx, key, segment).await?;
        summary.segments_created += 1;
        progress(1);
    }
    for flag in &document.flags {
        if flags::get(tx, key, &flag.key).await.map_err(internal)?.is_some() {
            match mode {
                ImportMode::SkipExisting => {
                    summary.flags_skipped += 1;
                    progress(1);
                    continue;
                }
                _ => return Err(invalid(format!("flag \"{key}/{}\" is not unique", flag.key))),
            }
        }
        import_flag(tx, key, flag).await?;
        summary.flags_created += 1;
        progress(1);
    }
    Ok(summary)
}

fn unique_keys<'a>(
    kind: &str,
    namespace: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<(), AppError> {
    let mut seen = HashSet::new();
    for key in keys {
        if !seen.insert(key) {
            return Err(invalid(format!(
                "{kind} \"{namespace}/{key}\" appears twice in the document"
            )));
        }
    }
    Ok(())
}

pub(super) fn enum_value<T>(
    parse: impl Fn(&str) -> Option<T>,
    text: &str,
    what: &str,
) -> Result<T, AppError> {
    parse(text).ok_or_else(|| invalid(format!("invalid {what}: \"{text}\"")))
}
