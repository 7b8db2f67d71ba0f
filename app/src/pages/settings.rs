//! Settings → Namespaces: create, rename/re-describe, delete. Server-rendered, and every form
//! is an `ActionForm`, so it works as a plain HTML form before hydration or without JavaScript.
//! An edit carries the version the form was rendered with: a stale edit is refused (409), never
//! applied over someone else's.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::ErrorPanel,
    domain::Namespace,
    server_fns::{list_namespaces, CreateNamespace, DeleteNamespace, UpdateNamespace},
};

/// `/settings/namespaces`.
#[component]
pub fn NamespaceSettings() -> impl IntoView {
    let create = ServerAction::<CreateNamespace>::new();
    let update = ServerAction::<UpdateNamespace>::new();
    let delete = ServerAction::<DeleteNamespace>::new();
    // Refetch after every successful or failed write: the list is keyed on the actions' versions.
    let namespaces = Resource::new(
        move || (create.version().get(), update.version().get(), delete.version().get()),
        |_| list_namespaces(),
    );
    let failure = move || {
        let errors = [
            create.value().get().and_then(Result::err),
            update.value().get().and_then(Result::err),
            delete.value().get().and_then(Result::err),
        ];
        errors.into_iter().flatten().next()
    };
    view! {
        <Title text="Namespaces · Settings" />
        <h1>"Settings · Namespaces"</h1>
        {move || failure().map(|error| view! { <ErrorPanel error /> })}
        <section class="card">
            <h2>"New namespace"</h2>
            <ActionForm action=create>
                <div class="form-row">
                    <label>"Key"<input name="key" required pattern="[\\-_,A-Za-z0-9]+" title="letters, digits, - _ ," /></label>
                    <label>"Name"<input name="name" required /></label>
                    <label>"Description"<input name="description" /></label>
                    <button type="submit">"Create namespace"</button>
                </div>
            </ActionForm>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Loading namespaces…"</p> }>
            {move || Suspend::new(async move {
                match namespaces.await {
                    Ok(list) => list
                        .into_iter()
                        .map(|namespace| view! { <NamespaceCard namespace update delete /> })
                        .collect_view()
                        .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One namespace with its edit form and, unless protected, a confirmed delete.
#[component]
fn NamespaceCard(
    namespace: Namespace,
    update: ServerAction<UpdateNamespace>,
    delete: ServerAction<DeleteNamespace>,
) -> impl IntoView {
    let Namespace { key, name, description, protected, version, .. } = namespace;
    let test_id = format!("namespace-{key}");
    let delete_form = (!protected).then(|| {
        let key = key.clone();
        view! {
            <details class="danger-zone">
                <summary>"Delete…"</summary>
                <ActionForm action=delete>
                    <input type="hidden" name="key" value=key.clone() />
                    <input type="hidden" name="version" value=version />
                    <p>
                        "Deletes every flag and segment in " <code>{key.clone()}</code>
                        ". A snapshot is taken first, so it can be restored."
                    </p>
                    <label class="inline">
                        <input type="checkbox" name="confirm" required />
                        " I understand"
                    </label>
                    <button type="submit" class="danger">"Delete namespace"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <article class="card" data-testid=test_id>
            <h2>
                <code>{key.clone()}</code>
                {protected.then(|| view! { <span class="badge">"protected"</span> })}
                <span class="badge">{format!("version {version}")}</span>
                <a class="small" href=format!("/namespaces/{key}/history")>"History"</a>
            </h2>
            <ActionForm action=update>
                <input type="hidden" name="key" value=key.clone() />
                <input type="hidden" name="version" value=version />
                <div class="form-row">
                    <label>"Name"<input name="name" value=name required /></label>
                    <label>"Description"<input name="description" value=description /></label>
                    <button type="submit">"Save"</button>
                </div>
            </ActionForm>
            {delete_form}
        </article>
    }
}
