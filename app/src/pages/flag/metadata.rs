//! The flag's name and description editor. What the person typed lives in page-level signals,
//! so a refetch (a change from elsewhere) never wipes it: while the editor holds unsaved edits
//! it keeps the version it was opened at, and saving then gets 409 and the conflict view,
//! which shows what changed and offers to re-apply the edits over the stored flag or drop them.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;

use super::Place;
use crate::{
    components::{after_success, failure_of, merged, FormError},
    domain::Flag,
    error::AppError,
    server_fns::UpdateFlag,
};

/// The stored values the editor started from, and what is typed now.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    /// `(flag key, name, description, version)` as last read.
    base: RwSignal<Option<(String, String, String, i64)>>,
    name: RwSignal<String>,
    description: RwSignal<String>,
}

impl Draft {
    pub fn new() -> Self {
        Draft {
            base: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
        }
    }

    fn dirty_untracked(&self) -> bool {
        self.base.with_untracked(|base| {
            base.as_ref().is_some_and(|(_, name, description, _)| {
                *name != self.name.get_untracked()
                    || *description != self.description.get_untracked()
            })
        })
    }

    /// Takes the stored flag as the new starting point unless there are unsaved edits to it.
    pub fn load(&self, flag: &Flag) {
        let same_flag = self.base.with_untracked(|b| b.as_ref().is_some_and(|b| b.0 == flag.key));
        if !(same_flag && self.dirty_untracked()) {
            self.rebase(flag);
            return;
        }
        // Unsaved edits: keep them. If the fields being edited were not changed elsewhere (say
        // the flag was only toggled), the edits still apply to what is stored, so take the new
        // version; otherwise keep the old one and let the save show the conflict.
        self.base.update(|base| {
            if let Some((_, name, description, version)) = base {
                if *name == flag.name && *description == flag.description {
                    *version = flag.version;
                }
            }
        });
    }

    fn rebase(&self, flag: &Flag) {
        self.base.set(Some((
            flag.key.clone(),
            flag.name.clone(),
            flag.description.clone(),
            flag.version,
        )));
        self.name.set(flag.name.clone());
        self.description.set(flag.description.clone());
    }

    fn version(&self) -> i64 {
        self.base.with(|b| b.as_ref().map(|b| b.3).unwrap_or_default())
    }
}

#[component]
pub(super) fn MetadataEditor(place: Place, draft: Draft) -> impl IntoView {
    let update = ServerAction::<UpdateFlag>::new();
    after_success(update, |flag| format!("Saved {}", flag.key));
    Effect::new(move |_| {
        if let Some(Ok(flag)) = update.value().get() {
            draft.rebase(&flag);
        }
    });
    let error = Signal::derive(failure_of(update));
    let conflict = move || match error.get() {
        Some(AppError::Conflict { current, .. }) => serde_json::from_value::<Flag>(current).ok(),
        _ => None,
    };
    let Place { namespace, flag_key } = place;
    let (ns, key) = (namespace.clone(), flag_key.clone());
    view! {
        <section class="card" data-testid="flag-metadata">
            <h2>"Details"</h2>
            {move || match conflict() {
                Some(current) => view! { <ConflictView current draft update namespace=ns.clone() key=key.clone() /> }.into_any(),
                None => view! { <FormError error fields=&["name"] /> }.into_any(),
            }}
            <WriteOnly><ActionForm action=update><CsrfField />
                <input type="hidden" name="namespace" value=namespace />
                <input type="hidden" name="key" value=flag_key />
                <input type="hidden" name="version" value=move || draft.version() prop:value=move || draft.version() />
                <div class="form-grid">
                    <label>"Name"
                        <input name="name" required
                            value=move || draft.name.get() prop:value=move || draft.name.get()
                            on:input=move |ev| draft.name.set(event_target_value(&ev)) />
                        <crate::components::FieldError error field="name" />
                    </label>
                    <label>"Description"
                        <input name="description"
                            value=move || draft.description.get() prop:value=move || draft.description.get()
                            on:input=move |ev| draft.description.set(event_target_value(&ev)) />
                    </label>
                </div>
                <button type="submit">"Save details"</button>
            </ActionForm></WriteOnly>
        </section>
    }
    .into_any()
}

/// Someone saved the flag after this editor opened. Shows, per field, the value this editor
/// started from, the stored value now and what was typed; "Re-apply" saves the typed fields
/// over the stored flag (fields not edited here take the stored value), "Discard" takes the
/// stored flag.
#[component]
fn ConflictView(
    current: Flag,
    draft: Draft,
    update: ServerAction<UpdateFlag>,
    namespace: String,
    key: String,
) -> impl IntoView {
    let (_, base_name, base_description, _) = draft.base.get_untracked().unwrap_or_default();
    let typed_name = draft.name.get_untracked();
    let typed_description = draft.description.get_untracked();
    let merged_name = merged(&base_name, &typed_name, &current.name);
    let merged_description = merged(&base_description, &typed_description, &current.description);
    let rows = [
        ("Name", base_name, current.name.clone(), typed_name),
        ("Description", base_description, current.description.clone(), typed_description),
    ];
    let discard = {
        let current = current.clone();
        move |_| {
            draft.rebase(&current);
            update.value().set(None);
        }
    };
    view! {
        <div class="conflict" role="alert" data-testid="conflict">
            <strong>"Someone saved this flag after you opened it"</strong>
            <p>{format!("It is now at version {}; your edit was made on version {}. Nothing was overwritten.", current.version, draft.version())}</p>
            <table class="list">
                <thead><tr><th>"Field"</th><th>"When you opened it"</th><th>"Saved now"</th><th>"Your edit"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(field, was, now, yours)| {
                        let changed = if was != now { "changed" } else { "" };
                        view! { <tr class=changed><th scope="row">{field}</th><td>{was}</td><td>{now}</td><td>{yours}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="form-row">
                <WriteOnly><ActionForm action=update><CsrfField />
                    <input type="hidden" name="namespace" value=namespace />
                    <input type="hidden" name="key" value=key />
                    <input type="hidden" name="version" value=current.version />
                    <input type="hidden" name="name" value=merged_name />
                    <input type="hidden" name="description" value=merged_description />
                    <button type="submit" data-testid="reapply">"Re-apply my changes"</button>
                </ActionForm></WriteOnly>
                <button type="button" class="secondary" on:click=discard data-testid="discard">"Discard mine, show the saved flag"</button>
            </div>
        </div>
    }
}
