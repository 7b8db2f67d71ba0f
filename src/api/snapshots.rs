//! `/api/v1/snapshots`: list (`?namespace=`), take one (`POST {namespace, reason}`), download
//! (`GET /{id}`, `?format=yaml` for the bare document) and restore (`POST /{id}/restore`).

use std::sync::Arc;

use app::error::AppError;
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    extract::{Body, Params},
    json,
    path::Ids,
    ApiError,
};
use crate::{document::to_yaml_stream, service::Service};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TakeSnapshot {
    #[serde(alias = "namespace_key", alias = "namespaceKey")]
    namespace: Option<String>,
    reason: Option<String>,
}

pub async fn list(
    State(service): State<Arc<Service>>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = service.list_snapshots(params.get("namespace"), params.page(false)?).await?;
    Ok(json::list("snapshots", page))
}

pub async fn create(
    State(service): State<Arc<Service>>,
    Body(body): Body<TakeSnapshot>,
) -> Result<Response, ApiError> {
    let namespace = body.namespace.unwrap_or_default();
    let info =
        service.create_snapshot(&namespace, body.reason.as_deref().unwrap_or_default()).await?;
    Ok(Json(info).into_response())
}

pub async fn get(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
) -> Result<Response, ApiError> {
    let (info, document) = service.get_snapshot(ids.get("id")).await?;
    if params.get("format") == Some("yaml") {
        let yaml =
            to_yaml_stream(&[document]).map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
        return Ok(([(header::CONTENT_TYPE, "application/yaml")], yaml).into_response());
    }
    Ok(Json(json!({"snapshot": info, "document": document})).into_response())
}

pub async fn restore(State(service): State<Arc<Service>>, ids: Ids) -> Result<Response, ApiError> {
    let (info, summary) = service.restore_snapshot(ids.get("id")).await?;
    Ok(Json(json!({"restored": info, "namespace": summary})).into_response())
}
