//! `/namespaces/{ns}/flags/new`: create a flag (key, name, description, type, enabled). An
//! `ActionForm`, so it posts as a plain HTML form without JavaScript; on success the server
//! sends the browser to the flag list, newest first. With JavaScript, a refusal (a bad or
//! taken key) is shown above the form and what was typed stays in the fields.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    components::{failure_of, FieldError, FormError},
    server_fns::CreateFlag,
};

#[component]
pub fn NewFlagPage() -> impl IntoView {
    let params = use_params_map();
    let namespace = move || params.read().get("ns").unwrap_or_default();
    let create = ServerAction::<CreateFlag>::new();
    let error = Signal::derive(failure_of(create));
    view! {
        <Title text="New flag" />
        <h1>"New flag · " <code>{namespace}</code></h1>
        <FormError error fields=&["key", "name"] />
        <section class="card">
            <WriteOnly><ActionForm action=create><CsrfField />
                <input type="hidden" name="namespace" value=namespace />
                <div class="form-grid">
                    <label>"Key"
                        <input name="key" required autocomplete="off" />
                        <small class="muted">"Letters, digits, - _ , — the name applications use."</small>
                        <FieldError error field="key" />
                    </label>
                    <label>"Name"<input name="name" required /><FieldError error field="name" /></label>
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
            </ActionForm></WriteOnly>
        </section>
    }
}
