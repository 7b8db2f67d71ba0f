//! The flag's metadata (Flipt's free-form key/value object): a table of rows, each a key, a
//! value and whether the value is text or JSON. Saved whole, against the version the form was
//! rendered with; a stale save shows what changed and can re-apply only the rows edited here.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::Place;
use crate::{
    components::{after_success, failure_of, FieldError, FormError, StaleEdit},
    domain::{metadata_from_rows, metadata_rows, Flag},
    error::AppError,
    server_fns::SaveMetadata,
};

/// Empty rows offered for new entries.
const NEW_ROWS: usize = 2;

#[component]
pub(super) fn FlagMetadata(flag: Flag, place: Place) -> impl IntoView {
    let save = ServerAction::<SaveMetadata>::new();
    after_success(save, |flag| format!("Saved the metadata of {}", flag.key));
    let error = Signal::derive(failure_of(save));
    let shown = flag.metadata.clone().unwrap_or_default();
    // What was sent, kept so a refused stale save can be shown and re-applied.
    let sent = RwSignal::new(None::<Map<String, Value>>);
    Effect::new(move |_| {
        if let Some(input) = save.input().get() {
            let rows = metadata_from_rows(&input.meta_keys, &input.meta_values, &input.meta_kinds);
            sent.set(rows.ok());
        }
    });
    let stale = {
        let shown = shown.clone();
        move || match error.get() {
            Some(AppError::Conflict { current, current_version, .. }) => {
                let current = serde_json::from_value::<Flag>(current).ok()?;
                let view = view! {
                    <MetadataConflict shown=shown.clone() current version=current_version yours=sent.get_untracked() save />
                };
                Some(view)
            }
            _ => None,
        }
    };
    let not_conflict =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Conflict { .. })));
    let mut rows = metadata_rows(Some(&shown));
    rows.extend((0..NEW_ROWS).map(|_| (String::new(), String::new(), false)));
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(index, (key, value, json))| {
            let n = index + 1;
            view! {
                <div class="form-row meta-row" data-testid="metadata-row">
                    <input name="meta_keys[]" value=key aria-label=format!("Metadata key {n}") placeholder="key" />
                    <select name="meta_kinds[]" aria-label=format!("Metadata type {n}")>
                        <option value="text" selected=!json>"text"</option>
                        <option value="json" selected=json>"JSON"</option>
                    </select>
                    <input name="meta_values[]" value=value aria-label=format!("Metadata value {n}") placeholder="value" />
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="flag-metadata-table">
            <h2>"Metadata"</h2>
            <p class="muted">"Free-form key/value pairs kept with the flag (owner, ticket, …). Empty rows are ignored."</p>
            {stale}
            <FormError error=not_conflict fields=&["metadata"] />
            <WriteOnly><ActionForm action=save><CsrfField />
                <input type="hidden" name="namespace" value=place.namespace />
                <input type="hidden" name="key" value=place.flag_key />
                <input type="hidden" name="version" value=flag.version />
                {rows}
                <FieldError error field="metadata" />
                <button type="submit">"Save metadata"</button>
            </ActionForm></WriteOnly>
        </section>
    }
    .into_any()
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_string(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The metadata changed since the form was shown. Re-applying puts the rows edited here
/// (added, changed or removed) over the stored metadata.
#[component]
fn MetadataConflict(
    shown: Map<String, Value>,
    current: Flag,
    version: i64,
    yours: Option<Map<String, Value>>,
    save: ServerAction<SaveMetadata>,
) -> impl IntoView {
    let now = current.metadata.clone().unwrap_or_default();
    let mut keys: Vec<&String> = shown.keys().chain(now.keys()).collect();
    if let Some(yours) = &yours {
        keys.extend(yours.keys());
    }
    keys.sort();
    keys.dedup();
    let edited = |key: &str| -> Option<Option<&Value>> {
        let yours = yours.as_ref()?;
        (yours.get(key) != shown.get(key)).then(|| yours.get(key))
    };
    let rows = keys
        .iter()
        .filter(|key| now.get(key.as_str()) != shown.get(key.as_str()) || edited(key).is_some())
        .map(|key| (key.to_string(), text_of(now.get(key.as_str())), edited(key).map(text_of)))
        .collect();
    let reapply = yours.as_ref().map(|_| {
        let mut merged = now.clone();
        for key in &keys {
            match edited(key) {
                Some(Some(value)) => {
                    merged.insert(key.to_string(), value.clone());
                }
                Some(None) => {
                    merged.remove(key.as_str());
                }
                None => {}
            }
        }
        let fields = merged
            .into_iter()
            .map(|(key, value)| {
                view! {
                    <input type="hidden" name="meta_keys[]" value=key />
                    <input type="hidden" name="meta_kinds[]" value="json" />
                    <input type="hidden" name="meta_values[]" value=value.to_string() />
                }
            })
            .collect_view();
        view! {
            <WriteOnly><ActionForm action=save><CsrfField />
                <input type="hidden" name="namespace" value=current.namespace_key.clone() />
                <input type="hidden" name="key" value=current.key.clone() />
                <input type="hidden" name="version" value=version />
                {fields}
                <button type="submit" data-testid="reapply">"Re-apply my changes"</button>
            </ActionForm></WriteOnly>
        }
        .into_any()
    });
    let discard = Callback::new(move |_| save.value().set(None));
    view! { <StaleEdit what="flag's metadata" current_version=version rows reapply discard /> }
}
