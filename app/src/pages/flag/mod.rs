//! `/namespaces/{ns}/flags/{key}`: one flag. The header toggles it; the metadata editor saves
//! name and description against the version it was opened at (a stale save opens the conflict
//! view); variant flags show variants, the default variant and rules; boolean flags show
//! rollouts. Every form is an `ActionForm` (plain POST without JavaScript); every delete
//! asks for confirmation first.

mod flag_metadata;
mod metadata;
mod rollouts;
mod rules;
mod variants;

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::poll::VersionKey;
use crate::{
    components::{after_success, failure_of, Confirm, ConfirmBox, ErrorPanel, FormError},
    domain::{FlagDetail, FlagType},
    server_fns::{load_flag, CopyFlag, DeleteFlag, UpdateFlag},
};
use metadata::{Draft, MetadataEditor};

/// What every section of the page needs: where the flag lives.
#[derive(Clone, PartialEq)]
pub(crate) struct Place {
    pub namespace: String,
    pub flag_key: String,
}

#[component]
pub fn FlagPage() -> impl IntoView {
    let params = use_params_map();
    let namespace = Memo::new(move |_| params.read().get("ns").unwrap_or_default());
    let key = Memo::new(move |_| params.read().get("key").unwrap_or_default());
    let version = VersionKey::new(namespace);
    let detail = Resource::new(
        move || (namespace.get(), key.get(), version.get()),
        |(namespace, key, _)| load_flag(namespace, key),
    );
    version.follow(detail, |detail| detail.data_version);
    let draft = Draft::new();
    view! {
        <Title text=move || format!("Flag {}", key.get()) />
        <p class="crumbs">
            <a href=move || format!("/namespaces/{}/flags", namespace.get())>"Flags"</a>
            " / " <code>{key}</code>
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading flag…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => {
                        draft.load(&detail.flag);
                        view! { <FlagView detail draft /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FlagView(detail: FlagDetail, draft: Draft) -> impl IntoView {
    let flag = detail.flag.clone();
    let place = Place { namespace: flag.namespace_key.clone(), flag_key: flag.key.clone() };
    let body = match flag.flag_type {
        FlagType::Variant => view! {
            <variants::Variants flag=flag.clone() />
            <rules::DefaultVariant flag=flag.clone() />
            <rules::Rules detail=detail.clone() />
        }
        .into_any(),
        FlagType::Boolean => view! { <rollouts::Rollouts detail=detail.clone() /> }.into_any(),
    };
    view! {
        <div class="page-head" data-testid="flag-head" data-version=flag.version.to_string()>
            <h1>{flag.name.clone()}</h1>
            <code>{flag.key.clone()}</code>
            <TypeBadge flag_type=flag.flag_type />
            <Toggle place=place.clone() enabled=flag.enabled version=flag.version />
        </div>
        <MetadataEditor place=place.clone() draft />
        <flag_metadata::FlagMetadata flag=flag.clone() place=place.clone() />
        {body}
        <CopyFlagForm place=place.clone() namespaces=detail.namespaces.clone() />
        <DeleteFlagForm place version=flag.version />
    }
}

#[component]
fn TypeBadge(flag_type: FlagType) -> impl IntoView {
    match flag_type {
        FlagType::Variant => view! { <span class="badge">"variant"</span> },
        FlagType::Boolean => view! { <span class="badge badge-alt">"boolean"</span> },
    }
}

/// Enables or disables the flag: one button, guarded by the version shown.
#[component]
fn Toggle(place: Place, enabled: bool, version: i64) -> impl IntoView {
    let update = ServerAction::<UpdateFlag>::new();
    after_success(update, |flag| {
        format!("{} is now {}", flag.key, if flag.enabled { "enabled" } else { "disabled" })
    });
    let error = Signal::derive(failure_of(update));
    let (label, class) = if enabled { ("Disable", "toggle on") } else { ("Enable", "toggle off") };
    view! {
        <WriteOnly><ActionForm action=update><CsrfField />
            <input type="hidden" name="namespace" value=place.namespace />
            <input type="hidden" name="key" value=place.flag_key />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="enabled" value=(!enabled).to_string() />
            <span class=if enabled { "badge badge-on" } else { "badge badge-off" } data-testid="flag-status">
                {if enabled { "enabled" } else { "disabled" }}
            </span>
            <button type="submit" class=class aria-pressed=enabled.to_string() data-testid="flag-toggle">{label}</button>
        </ActionForm></WriteOnly>
        <FormError error />
    }
}

/// Copies the flag and its variants to another namespace.
#[component]
fn CopyFlagForm(place: Place, namespaces: Vec<String>) -> impl IntoView {
    let copy = ServerAction::<CopyFlag>::new();
    after_success(copy, |flag| format!("Copied {} to {}", flag.key, flag.namespace_key));
    let error = Signal::derive(failure_of(copy));
    let copied = move || copy.value().get().and_then(Result::ok);
    let others: Vec<String> = namespaces.into_iter().filter(|ns| *ns != place.namespace).collect();
    if others.is_empty() {
        return view! {
            <section class="card"><h2>"Copy to namespace"</h2><p class="muted">"There is no other namespace to copy to."</p></section>
        }
        .into_any();
    }
    view! {
        <section class="card" data-testid="copy-flag">
            <h2>"Copy to namespace"</h2>
            <p class="muted">"Copies the flag and its variants; rules and rollouts stay here (their segments may not exist there)."</p>
            <FormError error />
            {move || copied().map(|flag| {
                let href = format!("/namespaces/{}/flags/{}", flag.namespace_key, flag.key);
                view! { <p role="status" class="ok">"Copied: " <a href=href>{format!("{}/{}", flag.namespace_key, flag.key)}</a></p> }
            })}
            <WriteOnly><ActionForm action=copy><CsrfField />
                <input type="hidden" name="namespace" value=place.namespace />
                <input type="hidden" name="key" value=place.flag_key />
                <div class="form-row">
                    <label>"Namespace"
                        <select name="target">
                            {others.into_iter().map(|ns| view! { <option value=ns.clone()>{ns.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit">"Copy flag"</button>
                </div>
            </ActionForm></WriteOnly>
        </section>
    }
    .into_any()
}

#[component]
fn DeleteFlagForm(place: Place, version: i64) -> impl IntoView {
    let delete = ServerAction::<DeleteFlag>::new();
    let error = Signal::derive(failure_of(delete));
    let message = format!(
        "Deletes {} with its variants, rules and rollouts. A snapshot is taken first, so it can be restored.",
        place.flag_key
    );
    view! {
        <section class="card">
            <FormError error />
            <WriteOnly><Confirm summary="Delete flag…" message>
                <ActionForm action=delete><CsrfField />
                    <input type="hidden" name="namespace" value=place.namespace />
                    <input type="hidden" name="key" value=place.flag_key />
                    <input type="hidden" name="version" value=version />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete flag"</button>
                </ActionForm>
            </Confirm></WriteOnly>
        </section>
    }
}
