//! `GET /api/v1/namespaces/{ns}/export`: the namespace as a Flipt document, YAML by default
//! (`?format=json` for JSON), ready for `flipt import` or `vexil import`.

use std::sync::Arc;

use app::error::AppError;
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};

use super::{extract::Params, path::Ids, ApiError};
use crate::{document::to_yaml_stream, service::Service};

pub async fn namespace(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
) -> Result<Response, ApiError> {
    let keys = [ids.ns().to_string()];
    let mut documents = service.export(Some(&keys), params.flag("sortByKey")).await?;
    let document = documents.remove(0);
    if params.get("format") == Some("json") {
        return Ok(Json(document).into_response());
    }
    let yaml =
        to_yaml_stream(&[document]).map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
    Ok(([(header::CONTENT_TYPE, "application/yaml")], yaml).into_response())
}
