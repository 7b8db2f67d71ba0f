//! The operation table: every route with its summary, parameters and the schemas of its
//! request and answer.

use app::domain::*;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Value};

use super::resources::resources;

/// One documented operation.
pub(super) struct Op {
    pub(super) method: &'static str,
    pub(super) path: String,
    pub(super) summary: &'static str,
    pub(super) query: &'static [(&'static str, &'static str)],
    pub(super) request: Option<Value>,
    pub(super) response: Value,
    /// The media type of a successful answer.
    pub(super) media: &'static str,
    /// OFREP answers errors in its own shape.
    pub(super) ofrep: bool,
}

pub(super) fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

pub(super) fn list<T: JsonSchema>(g: &mut SchemaGenerator, field: &str) -> Value {
    let items = schema::<T>(g);
    json!({"type": "object", "required": [field, "nextPageToken", "totalCount"], "properties": {
        field: {"type": "array", "items": items},
        "nextPageToken": {"type": "string"},
        "totalCount": {"type": "integer"},
    }})
}

fn object() -> Value {
    json!({"type": "object"})
}

pub(super) fn empty() -> Value {
    json!({"type": "object", "maxProperties": 0})
}

pub(super) const PAGE: &[(&str, &str)] =
    &[("limit", "integer"), ("offset", "integer"), ("pageToken", "string")];

pub(super) fn op(
    method: &'static str,
    path: impl Into<String>,
    summary: &'static str,
    request: Option<Value>,
    response: Value,
) -> Op {
    Op {
        method,
        path: path.into(),
        summary,
        query: &[],
        request,
        response,
        media: "application/json",
        ofrep: false,
    }
}

pub(super) fn operations(g: &mut SchemaGenerator) -> Vec<Op> {
    let ns = "/api/v1/namespaces/{ns}";
    let batch_answer = json!({"type": "object", "required": ["requestId", "responses"], "properties": {
        "requestId": {"type": "string"}, "responses": {"type": "array", "items": object()},
    }});
    let mut ops = vec![
        op(
            "get",
            "/health",
            "Serving while the database answers",
            None,
            json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}),
        ),
        op("get", "/meta/info", "What this server is (Flipt's shape)", None, object()),
        op(
            "get",
            "/meta/config",
            "The configuration in Flipt's shape, without secrets",
            None,
            object(),
        ),
        Op {
            media: "text/plain",
            ..op("get", "/metrics", "Prometheus metrics", None, json!({"type": "string"}))
        },
        op("get", "/api/v1/openapi.json", "This document", None, object()),
        Op {
            query: PAGE,
            ..op(
                "get",
                "/api/v1/namespaces",
                "List namespaces",
                None,
                list::<Namespace>(g, "namespaces"),
            )
        },
        op(
            "post",
            "/api/v1/namespaces",
            "Create a namespace",
            Some(schema::<NamespaceInput>(g)),
            schema::<Namespace>(g),
        ),
        op("get", ns, "Get a namespace", None, schema::<Namespace>(g)),
        op(
            "put",
            ns,
            "Update a namespace's name and description only (If-Match or version)",
            Some(schema::<NamespaceInput>(g)),
            schema::<Namespace>(g),
        ),
        Op {
            query: &[("force", "boolean")],
            ..op(
                "delete",
                ns,
                "Delete a namespace (snapshot first; force if not empty)",
                None,
                empty(),
            )
        },
        Op {
            query: &[("mode", "string"), ("dryRun", "boolean"), ("format", "string")],
            ..op(
                "post",
                "/api/v1/import",
                "Import Flipt documents, all or nothing",
                Some(json!({"type": "string"})),
                object(),
            )
        },
        Op {
            query: &[
                ("namespace", "string"),
                ("limit", "integer"),
                ("offset", "integer"),
                ("pageToken", "string"),
            ],
            ..op(
                "get",
                "/api/v1/snapshots",
                "List snapshots",
                None,
                list::<SnapshotInfo>(g, "snapshots"),
            )
        },
        op(
            "post",
            "/api/v1/snapshots",
            "Take a snapshot now",
            Some(
                json!({"type": "object", "required": ["namespace"], "properties": {"namespace": {"type": "string"}, "reason": {"type": "string"}}}),
            ),
            schema::<SnapshotInfo>(g),
        ),
        Op {
            query: &[("format", "string")],
            ..op("get", "/api/v1/snapshots/{id}", "A snapshot and its document", None, object())
        },
        op(
            "post",
            "/api/v1/snapshots/{id}/restore",
            "Restore a snapshot (snapshot first)",
            None,
            object(),
        ),
        op(
            "post",
            "/evaluate/v1/variant",
            "Evaluate a variant flag",
            Some(schema::<EvaluationRequest>(g)),
            schema::<VariantEvaluationResponse>(g),
        ),
        op(
            "post",
            "/evaluate/v1/boolean",
            "Evaluate a boolean flag",
            Some(schema::<EvaluationRequest>(g)),
            schema::<BooleanEvaluationResponse>(g),
        ),
        op(
            "post",
            "/evaluate/v1/batch",
            "Evaluate several flags",
            Some(schema::<BatchEvaluationRequest>(g)),
            schema::<BatchEvaluationResponse>(g),
        ),
        op(
            "post",
            "/api/v1/evaluate",
            "Flipt's v1 evaluation (default namespace)",
            Some(object()),
            object(),
        ),
        op(
            "post",
            "/api/v1/batch-evaluate",
            "Flipt's v1 batch evaluation (default namespace)",
            Some(object()),
            batch_answer.clone(),
        ),
        op("post", format!("{ns}/evaluate"), "Flipt's v1 evaluation", Some(object()), object()),
        op(
            "post",
            format!("{ns}/batch-evaluate"),
            "Flipt's v1 batch evaluation",
            Some(object()),
            batch_answer,
        ),
        op(
            "get",
            "/internal/v1/evaluation/snapshot/namespace/{key}",
            "The namespace as Flipt's client SDKs read it (ETag, If-None-Match)",
            None,
            object(),
        ),
        op(
            "get",
            "/client/v2/environments/{env}/namespaces/{ns}/snapshot",
            "Flipt v2's client snapshot: the namespace with its digest (ETag, If-None-Match, gzip)",
            None,
            object(),
        ),
        Op {
            query: &[("digest", "string")],
            ..op(
                "get",
                "/client/v2/environments/{env}/namespaces/{ns}/stream",
                "Flipt v2's client stream: a {\"result\": snapshot} line at connect and per change \
                 (server-sent events with Accept: text/event-stream); never ends by itself",
                None,
                object(),
            )
        },
        Op {
            query: &[("credential", "string")],
            media: "text/event-stream",
            ..op(
                "get",
                "/ofrep/v1/_stream/{env}/{ns}/events",
                "OFREP change events (server-sent events; the URL OFREP's bulk answer advertises)",
                None,
                json!({"type": "string"}),
            )
        },
        Op {
            ofrep: true,
            ..op("get", "/ofrep/v1/configuration", "OFREP provider configuration", None, object())
        },
        Op {
            ofrep: true,
            ..op(
                "post",
                "/ofrep/v1/evaluate/flags",
                "OFREP bulk evaluation",
                Some(object()),
                object(),
            )
        },
        Op {
            ofrep: true,
            ..op(
                "post",
                "/ofrep/v1/evaluate/flags/{key}",
                "OFREP evaluation",
                Some(object()),
                object(),
            )
        },
    ];
    ops.extend(resources(g, ns, true));
    ops.extend(resources(g, "/api/v1", false));
    ops
}
