//! `GET /api/v1/openapi.json`: the REST API as an OpenAPI 3.0 document, built from the
//! operation table below and the JSON Schemas of the wire types (derived from the Rust types
//! the handlers read and write). A test compares the table with the router's routes, so a
//! route cannot go undocumented.

use std::sync::OnceLock;

use axum::Json;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

mod operations;
mod resources;

use operations::operations;

/// The document (built once).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

fn build() -> Value {
    let mut g = SchemaSettings::openapi3().into_generator();
    let error = json!({"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "integer"}, "message": {"type": "string"}, "details": {"type": "array"},
    }});
    let ofrep_error = json!({"type": "object", "required": ["errorCode"], "properties": {
        "key": {"type": "string"}, "errorCode": {"type": "string"}, "errorDetails": {"type": "string"},
    }});
    let mut paths = Map::new();
    for op in operations(&mut g) {
        let mut parameters: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|part| part.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
            .map(|name| {
                // Keys of the seeded test data, so example-based runs reach real objects.
                let example = match name {
                    "ns" => "default",
                    "flagKey" | "key" => "checkout",
                    "segmentKey" => "beta",
                    _ => "unknown",
                };
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}, "example": example})
            })
            .collect();
        parameters.extend(op.query.iter().map(|(name, kind)| json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}})));
        let failure = if op.ofrep { &ofrep_error } else { &error };
        let mut operation = json!({
            "summary": op.summary,
            "operationId": format!("{} {}", op.method, op.path),
            "parameters": parameters,
            "responses": {
                "200": {"description": "success", "content": {op.media: {"schema": op.response}}},
                "304": {"description": "not modified (If-None-Match)"},
                "4XX": {"description": "refused; nothing changed", "content": {"application/json": {"schema": failure}}},
            },
        });
        if let Some(body) = op.request {
            let media =
                if body["type"] == "string" { "application/yaml" } else { "application/json" };
            operation["requestBody"] =
                json!({"required": false, "content": {media: {"schema": body}}});
        }
        let entry = paths.entry(op.path).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Vexil",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Flipt's REST API (management, evaluation, OFREP, client snapshots) with Vexil's history, snapshots and import.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": g.take_definitions(true)},
    })
}

pub async fn get() -> Result<Json<Value>, super::ApiError> {
    crate::auth::require(crate::auth::Need::Read, None)?;
    Ok(Json(document().clone()))
}

#[cfg(test)]
mod tests;
