//! `/namespaces/{ns}/flags/new`: create a flag (key, name, description, type, enabled). An
//! `ActionForm`, so it posts as a plain HTML form without JavaScript; on success the server
//! sends the browser to the flag list, newest first. With JavaScript, a refusal (a bad or
//! taken key) is shown above the form and what was typed stays in the fields.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{components::ErrorPanel, server_fns::CreateFlag};

#[component]
pub fn NewFlagPage() -> impl IntoView {
    let params = use_params_map();
    let namespace = move || params.read().get("ns").unwrap_or_default();
    let create = ServerAction::<CreateFlag>::new();
    let failure = move || create.value().get().and_then(Result::err);
    view! {
        <Title text="New flag" />
        <h1>"New flag · " <code>{namespace}</code></h1>
        {move || failure().map(|error| view! { <ErrorPanel error /> })}
        <section class="card">
            <ActionForm action=create>
                <input type="hidden" name="namespace" value=namespace />
                <div class="form-grid">
                    <label>"Key"
                        <input name="key" required pattern="[\\-_,A-Za-z0-9]+" title="letters, digits, - _ ," autocomplete="off" />
                        <small class="muted">"Letters, digits, - _ , — the name applications use."</small>
                    </label>
                    <label>"Name"<input name="name" required /></label>
                    <label>"Description"<input name="description" /></label>
                    <label>"Type"
                        <select name="flag_type">
                            <option value="VARIANT_FLAG_TYPE" selected>"Variant — picks one of its variants"</option>
                            <option value="BOOLEAN_FLAG_TYPE">"Boolean — true or false, with rollouts"</option>
                        </select>
                    </label>
                    <label class="checkbox"><input type="checkbox" name="enabled" />"Enabled"</label>
                </div>
                <div class="form-row">
                    <button type="submit">"Create flag"</button>
                    <a href=move || format!("/namespaces/{}/flags", namespace())>"Cancel"</a>
                </div>
            </ActionForm>
        </section>
    }
}
