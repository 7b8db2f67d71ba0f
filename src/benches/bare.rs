//! The yardstick for the load benchmark: a bare axum server that parses a JSON body and
//! answers a JSON object of the same size as an evaluation response, with nothing else.
//! Usage: `bare ADDR`.

use axum::{routing::post, Json, Router};
use serde_json::{json, Value};

async fn answer(Json(request): Json<Value>) -> Json<Value> {
    Json(json!({
        "match": true, "segmentKeys": ["seg4"], "reason": "MATCH_EVALUATION_REASON",
        "variantKey": "a", "variantAttachment": "{\"color\":\"blue\"}",
        "requestId": "00000000-0000-0000-0000-000000000000", "requestDurationMillis": 0.01,
        "timestamp": "2026-01-01T00:00:00Z", "flagKey": request["flagKey"],
    }))
}

#[tokio::main]
async fn main() {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18099".into());
    let listener = tokio::net::TcpListener::bind(&address).await.expect("bind");
    axum::serve(listener, Router::new().route("/evaluate/v1/variant", post(answer)))
        .await
        .expect("serve");
}
