//! A variant flag's variants: a table, an editor per variant with a JSON attachment field that
//! checks itself as one types (and the server checks again), and a confirmed delete.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;

use super::Place;
use crate::{
    components::{after_success, failure_of, Confirm, ConfirmBox, FieldError, FormError},
    domain::{Flag, Variant},
    server_fns::{DeleteVariant, SaveVariant},
};

#[component]
pub(super) fn Variants(flag: Flag) -> impl IntoView {
    let place = Place { namespace: flag.namespace_key.clone(), flag_key: flag.key.clone() };
    let empty = flag.variants.is_empty().then(|| {
        view! { <p class="empty-state">"No variants yet. A variant flag answers with one of its variants."</p> }
    });
    let rows = flag
        .variants
        .iter()
        .cloned()
        .map(|variant| view! { <VariantRow variant place=place.clone() /> })
        .collect_view();
    view! {
        <section class="card" data-testid="variants">
            <h2>"Variants"</h2>
            {empty}
            <div class="rows">{rows}</div>
            <details class="add" open=flag.variants.is_empty()>
                <summary>"Add variant"</summary>
                <VariantForm place variant=None />
            </details>
        </section>
    }
    .into_any()
}

#[component]
fn VariantRow(variant: Variant, place: Place) -> impl IntoView {
    let delete = ServerAction::<DeleteVariant>::new();
    after_success(delete, |_| "Variant deleted".to_string());
    let error = Signal::derive(failure_of(delete));
    let message =
        format!("Deletes variant {}. Rules that give it a share lose that share.", variant.key);
    let attachment =
        if variant.attachment.is_empty() { "—".to_string() } else { variant.attachment.clone() };
    view! {
        <article class="row" data-variant=variant.key.clone()>
            <div class="row-main">
                <code>{variant.key.clone()}</code>
                <span>{variant.name.clone()}</span>
                <span class="muted">{variant.description.clone()}</span>
                <code class="attachment" title="Attachment">{attachment}</code>
            </div>
            <details class="edit">
                <summary>"Edit"</summary>
                <VariantForm place=place.clone() variant=Some(variant.clone()) />
            </details>
            <FormError error />
            <WriteOnly><Confirm summary="Delete…" message>
                <ActionForm action=delete><CsrfField />
                    <input type="hidden" name="namespace" value=place.namespace />
                    <input type="hidden" name="flag_key" value=place.flag_key />
                    <input type="hidden" name="id" value=variant.id />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete variant"</button>
                </ActionForm>
            </Confirm></WriteOnly>
        </article>
    }
}

/// Creates (`variant` None) or edits a variant.
#[component]
fn VariantForm(place: Place, variant: Option<Variant>) -> impl IntoView {
    let save = ServerAction::<SaveVariant>::new();
    let creating = variant.is_none();
    after_success(save, move |v| {
        if creating {
            format!("Added variant {}", v.key)
        } else {
            format!("Saved variant {}", v.key)
        }
    });
    let error = Signal::derive(failure_of(save));
    let variant = variant.unwrap_or_else(|| Variant {
        id: String::new(),
        flag_key: place.flag_key.clone(),
        key: String::new(),
        name: String::new(),
        description: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        attachment: String::new(),
        namespace_key: place.namespace.clone(),
    });
    let attachment = RwSignal::new(pretty(&variant.attachment));
    let verdict = move || attachment.with(|text| json_verdict(text));
    let button = if creating { "Add variant" } else { "Save variant" };
    view! {
        <WriteOnly><ActionForm action=save><CsrfField />
            <FormError error fields=&["key", "attachment"] />
            <input type="hidden" name="namespace" value=place.namespace />
            <input type="hidden" name="flag_key" value=place.flag_key />
            <input type="hidden" name="id" value=variant.id />
            <div class="form-grid">
                <label>"Key"
                    <input name="variant_key" value=variant.key required autocomplete="off" />
                    <FieldError error field="key" />
                </label>
                <label>"Name"<input name="name" value=variant.name /></label>
                <label>"Description"<input name="description" value=variant.description /></label>
                <label class="wide">"Attachment (JSON, optional)"
                    <textarea name="attachment" rows="4" spellcheck="false" class="code"
                        prop:value=move || attachment.get()
                        on:input=move |ev| attachment.set(event_target_value(&ev))>{attachment.get_untracked()}</textarea>
                    {move || verdict().map(|(ok, message)| view! {
                        <small class=if ok { "hint ok" } else { "field-error" } data-testid="json-verdict">{message}</small>
                    })}
                    <FieldError error field="attachment" />
                </label>
            </div>
            <button type="submit">{button}</button>
        </ActionForm></WriteOnly>
    }
}

/// Stored attachments are compact; the editor shows them indented.
fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| text.to_string())
}

/// `None` for an empty field; otherwise whether it is JSON, and where it is not.
pub(crate) fn json_verdict(text: &str) -> Option<(bool, String)> {
    if text.trim().is_empty() {
        return None;
    }
    Some(match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => (true, "Valid JSON".to_string()),
        Err(error) => (false, format!("Not valid JSON: {error}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attachment_verdict_points_at_the_mistake() {
        assert_eq!(json_verdict("  "), None);
        assert_eq!(json_verdict("{\"a\": [1, 2]}"), Some((true, "Valid JSON".into())));
        let (ok, message) = json_verdict("{\"a\": }").unwrap();
        assert!(!ok);
        assert!(message.contains("line 1 column"), "{message}");
        assert_eq!(pretty("{\"a\":1}"), "{\n  \"a\": 1\n}");
        assert_eq!(pretty("not json"), "not json");
    }
}
