//! `GET /api/v1/namespaces/{ns}/changes`: the change log, newest first, filterable by
//! `resourceType` and `resourceKey`, paged like every Flipt list.

use std::sync::Arc;

use axum::{extract::State, response::Response};

use super::{extract::Params, json, path::Ids, ApiError};
use crate::service::Service;

pub async fn list(
    State(service): State<Arc<Service>>,
    ids: Ids,
    params: Params,
) -> Result<Response, ApiError> {
    let page = service
        .list_changes(
            ids.ns(),
            params.get("resourceType"),
            params.get("resourceKey"),
            params.page(false)?,
        )
        .await?;
    Ok(json::list("changes", page))
}
