//! `POST /ui/import`: the dashboard's file upload. A plain multipart form (file `document`,
//! `mode`, optional `dry_run`), so it works without JavaScript; the answer is a redirect back to
//! Settings with the outcome in the query string, which that page shows.

use std::sync::Arc;

use axum::{
    extract::{Multipart, State},
    response::Redirect,
};

use super::import::mode;
use crate::{document::parse_limited, service::Service};

fn back(key: &str, message: &str) -> Redirect {
    let encoded = app::url::encode_component(message);
    Redirect::to(&format!("/settings/namespaces?{key}={encoded}#import"))
}

pub async fn upload(State(service): State<Arc<Service>>, mut form: Multipart) -> Redirect {
    let (mut text, mut json, mut mode_text, mut dry_run) = (None, false, None, false);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("document") => {
                    json = field.file_name().is_some_and(|n| n.ends_with(".json"));
                    match field.text().await {
                        Ok(body) => text = Some(body),
                        Err(e) => {
                            return back("import_error", &format!("cannot read the file: {e}"))
                        }
                    }
                }
                Some("mode") => mode_text = field.text().await.ok(),
                Some("dry_run") => dry_run = true,
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return back("import_error", &format!("cannot read the upload: {e}")),
        }
    }
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return back("import_error", "choose a file to import");
    };
    let mode = match mode(mode_text.as_deref().filter(|m| !m.is_empty())) {
        Ok(mode) => mode,
        Err(e) => return back("import_error", &e.to_string()),
    };
    let documents = match parse_limited(&text, json, service.document_max_depth()) {
        Ok(documents) => documents,
        Err(e) => return back("import_error", &e.to_string()),
    };
    match service.import(&documents, mode, dry_run).await {
        Ok(summaries) => {
            let parts: Vec<String> = summaries
                .iter()
                .map(|s| {
                    format!(
                        "{}: {} flags and {} segments created, {} skipped",
                        s.namespace,
                        s.flags_created,
                        s.segments_created,
                        s.flags_skipped + s.segments_skipped
                    )
                })
                .collect();
            let prefix = if dry_run { "Dry run, nothing changed. " } else { "" };
            back("imported", &format!("{prefix}{}", parts.join("; ")))
        }
        Err(e) => back("import_error", &e.to_string()),
    }
}
