//! `/settings/snapshots`: every snapshot, newest first, each restorable after confirmation.
//! Restore is an `ActionForm`, so it works without JavaScript too.

use crate::access::{AdminOnly, CsrfField};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::ErrorPanel,
    domain::SnapshotInfo,
    server_fns::{list_snapshots, RestoreSnapshot},
};

#[component]
pub fn SnapshotsPage() -> impl IntoView {
    let restore = ServerAction::<RestoreSnapshot>::new();
    let snapshots = Resource::new(move || restore.version().get(), |_| list_snapshots());
    view! {
        <Title text="Snapshots · Settings" />
        <h1>"Settings · Snapshots"</h1>
        <super::settings::SettingsNav />
        <p class="muted">
            "Vexil saves a namespace before deleting it, before a replacing import, before deleting a flag or segment, and before a restore."
        </p>
        {move || restore.value().get().and_then(Result::err).map(|error| view! { <ErrorPanel error /> })}
        {move || restore.value().get().and_then(Result::ok).map(|_| view! { <p role="status" class="ok">"Restored."</p> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading snapshots…"</p> }>
            {move || Suspend::new(async move {
                match snapshots.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">"No snapshots yet."</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|snapshot| view! { <SnapshotCard snapshot restore /> }).collect_view().into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SnapshotCard(snapshot: SnapshotInfo, restore: ServerAction<RestoreSnapshot>) -> impl IntoView {
    let SnapshotInfo { id, namespace_key, reason, automatic, data_version, created_at } = snapshot;
    let test_id = format!("snapshot-{id}");
    view! {
        <article class="card" data-testid=test_id>
            <h2>
                <code>{namespace_key.clone()}</code>
                <span class="badge">{if automatic { "automatic" } else { "on demand" }}</span>
            </h2>
            <p>{reason} " · " {created_at} " · data version " {data_version}</p>
            <AdminOnly><details class="danger-zone">
                <summary>"Restore…"</summary>
                <ActionForm action=restore><CsrfField />
                    <input type="hidden" name="id" value=id />
                    <p>"Makes " <code>{namespace_key}</code> " exactly what this snapshot saved. Its current state is saved first."</p>
                    <label class="inline"><input type="checkbox" name="confirm" required />" I understand"</label>
                    <button type="submit">"Restore this snapshot"</button>
                </ActionForm>
            </details></AdminOnly>
        </article>
    }
}
