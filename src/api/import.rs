//! `POST /api/v1/import`: Flipt documents in the body (YAML, or JSON with `?format=json`),
//! applied all-or-nothing. `?mode=skip-existing` or `?mode=replace` change what happens to keys
//! that exist; `?dryRun=true` reports without changing anything.

use std::sync::Arc;

use app::error::AppError;
use axum::{body::Bytes, extract::State, Json};
use serde_json::{json, Value};

use super::{extract::Params, ApiError};
use crate::{
    document::parse_limited,
    service::{ImportMode, Service},
};

/// Parses Flipt's CLI spellings of the mode.
pub fn mode(text: Option<&str>) -> Result<ImportMode, AppError> {
    match text {
        None | Some("create") | Some("create-only") => Ok(ImportMode::CreateOnly),
        Some("skip-existing") => Ok(ImportMode::SkipExisting),
        Some("replace") => Ok(ImportMode::Replace),
        Some(other) => Err(AppError::Invalid(format!(
            "invalid field mode: \"{other}\" (expected create-only, skip-existing or replace)"
        ))),
    }
}

pub async fn import(
    State(service): State<Arc<Service>>,
    params: Params,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let mode = mode(params.get("mode"))?;
    let dry_run = params.flag("dryRun");
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::Invalid("the document is not UTF-8".into()))?;
    let json = params.get("format") == Some("json");
    let documents = parse_limited(text, json, service.document_max_depth())
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let summaries = service.import(&documents, mode, dry_run).await?;
    Ok(Json(json!({"dryRun": dry_run, "namespaces": summaries})))
}
