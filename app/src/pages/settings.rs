//! Settings → Namespaces: create, rename/re-describe, delete. Server-rendered, and every form
//! is an `ActionForm`, so it works as a plain HTML form before hydration or without JavaScript.
//! An edit carries the version the form was rendered with: a stale edit is refused (409), never
//! applied over someone else's.

use crate::access::{use_viewer, AdminOnly, CsrfField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    components::{edit_row, merged, ErrorPanel, StaleEdit},
    domain::Namespace,
    error::AppError,
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
    // The last edit sent and the namespace as its form showed it, so a refused stale edit can
    // be shown and its edited fields sent again.
    let last_edit = RwSignal::new(None::<(UpdateNamespace, Namespace)>);
    Effect::new(move |_| {
        if let Some(input) = update.input().get() {
            let shown = namespaces.with_untracked(|list| {
                list.as_ref()
                    .and_then(|list| list.as_ref().ok())
                    .and_then(|list| list.iter().find(|ns| ns.key == input.key).cloned())
            });
            last_edit.set(shown.map(|shown| (input, shown)));
        }
    });
    let stale = move || match update.value().get() {
        Some(Err(AppError::Conflict { current, current_version, .. })) => {
            serde_json::from_value::<Namespace>(current)
                .ok()
                .map(|current| (current, current_version))
        }
        _ => None,
    };
    view! {
        <Title text="Namespaces · Settings" />
        <h1>"Settings · Namespaces"</h1>
        <SettingsNav />
        {move || match stale() {
            Some((current, version)) => {
                let yours = last_edit.get_untracked().filter(|(edit, _)| edit.key == current.key);
                view! { <NamespaceConflict current version yours update /> }.into_any()
            }
            None => failure().map(|error| view! { <ErrorPanel error /> }).into_any(),
        }}
        <section class="card">
            <h2>"New namespace"</h2>
            <AdminOnly><ActionForm action=create><CsrfField />
                <div class="form-row">
                    <label>"Key"<input name="key" required pattern="[\\-_,A-Za-z0-9]+" title="letters, digits, - _ ," /></label>
                    <label>"Name"<input name="name" required /></label>
                    <label>"Description"<input name="description" /></label>
                    <button type="submit">"Create namespace"</button>
                </div>
            </ActionForm></AdminOnly>
        </section>
        <ImportForm />
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

/// Uploads a Flipt document (a plain multipart form: works without JavaScript) and shows the
/// outcome the server redirected back with.
#[component]
fn ImportForm() -> impl IntoView {
    let query = use_query_map();
    let imported = move || query.read().get("imported");
    let failed = move || query.read().get("import_error");
    // A multipart body is not read for the CSRF field; the token rides in the query instead.
    let action =
        format!("/ui/import?csrf_token={}", crate::url::encode_component(&use_viewer().csrf_token));
    view! {
        <section class="card" id="import">
            <h2>"Import a Flipt document"</h2>
            {move || imported().map(|message| view! { <p role="status" class="ok">{message}</p> })}
            {move || failed().map(|message| view! {
                <div class="error-panel" role="alert"><strong>"Nothing was imported"</strong><p>{message}</p></div>
            })}
            <form method="post" action=action enctype="multipart/form-data">
                <div class="form-row">
                    <label>"File (YAML or JSON)"<input type="file" name="document" accept=".yaml,.yml,.json" required /></label>
                    <label>"Existing flags and segments"
                        <select name="mode">
                            <option value="create-only">"are an error"</option>
                            <option value="skip-existing">"are kept as they are"</option>
                            <option value="replace">"are replaced (a snapshot is taken first)"</option>
                        </select>
                    </label>
                    <label class="inline"><input type="checkbox" name="dry_run" />" Dry run"</label>
                    <button type="submit">"Import"</button>
                </div>
            </form>
        </section>
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
            <AdminOnly><details class="danger-zone">
                <summary>"Delete…"</summary>
                <ActionForm action=delete><CsrfField />
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
            </details></AdminOnly>
        }
    });
    view! {
        <article class="card" data-testid=test_id>
            <h2>
                <code>{key.clone()}</code>
                {protected.then(|| view! { <span class="badge">"protected"</span> })}
                <span class="badge">{format!("version {version}")}</span>
                <a class="small" href=format!("/namespaces/{key}/history")>"History"</a>
                <a class="small" href=format!("/api/v1/namespaces/{key}/export") download=format!("{key}.yaml")>"Export"</a>
            </h2>
            <AdminOnly><ActionForm action=update><CsrfField />
                <input type="hidden" name="key" value=key.clone() />
                <input type="hidden" name="version" value=version />
                <div class="form-row">
                    <label>"Name"<input name="name" value=name required /></label>
                    <label>"Description"<input name="description" value=description /></label>
                    <button type="submit">"Save"</button>
                </div>
            </ActionForm></AdminOnly>
            {delete_form}
        </article>
    }
}

/// The tabs of Settings.
#[component]
pub(crate) fn SettingsNav() -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Settings">
            <a href="/settings/general">"General"</a>
            <a href="/settings/namespaces">"Namespaces"</a>
            <a href="/settings/snapshots">"Snapshots"</a>
            <a href="/settings/access">"Access"</a>
        </nav>
    }
}

/// A rename or re-description refused because the namespace changed since the page was shown.
#[component]
fn NamespaceConflict(
    current: Namespace,
    version: i64,
    yours: Option<(UpdateNamespace, Namespace)>,
    update: ServerAction<UpdateNamespace>,
) -> impl IntoView {
    let rows = vec![
        edit_row("Name", &current.name, yours.as_ref().map(|(y, s)| (&*y.name, &*s.name))),
        edit_row(
            "Description",
            &current.description,
            yours.as_ref().map(|(y, s)| (&*y.description, &*s.description)),
        ),
    ];
    let reapply = yours.map(|(yours, shown)| {
        let name = merged(&shown.name, &yours.name, &current.name);
        let description = merged(&shown.description, &yours.description, &current.description);
        view! {
            <AdminOnly><ActionForm action=update><CsrfField />
                <input type="hidden" name="key" value=current.key.clone() />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="name" value=name />
                <input type="hidden" name="description" value=description />
                <button type="submit" data-testid="reapply">"Re-apply my changes"</button>
            </ActionForm></AdminOnly>
        }
        .into_any()
    });
    let discard = Callback::new(move |_| update.value().set(None));
    view! { <StaleEdit what="namespace" current_version=version rows reapply discard /> }
}
