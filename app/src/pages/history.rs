//! `/namespaces/{ns}/history`: every recorded change of a namespace, newest first, as a
//! readable diff; `?resource=flag&key=checkout` narrows it to one object.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::{diff::describe, ErrorPanel},
    domain::Change,
    server_fns::list_changes,
};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let namespace = move || params.read().get("ns").unwrap_or_default();
    let filter = move || (query.read().get("resource"), query.read().get("key"));
    let changes = Resource::new(
        move || (namespace(), filter()),
        |(namespace, (resource, key))| list_changes(namespace, resource, key),
    );
    view! {
        <Title text="History" />
        <h1>"History · " <code>{namespace}</code></h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading history…"</p> }>
            {move || Suspend::new(async move {
                match changes.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">"No changes recorded yet."</p> }.into_any(),
                    Ok(list) => view! { <ChangeTable changes=list /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangeTable(changes: Vec<Change>) -> impl IntoView {
    view! {
        <table class="list" data-testid="history">
            <thead>
                <tr>
                    <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Change"</th>
                </tr>
            </thead>
            <tbody>
                {changes
                    .into_iter()
                    .map(|change| {
                        let lines = describe(&change);
                        let link = format!(
                            "/namespaces/{}/history?resource={}&key={}",
                            change.namespace_key, change.resource_type, change.resource_key
                        );
                        view! {
                            <tr>
                                <td>{change.created_at.clone()}</td>
                                <td>{change.actor.clone()}</td>
                                <td>
                                    {change.action.clone()} " " {change.resource_type.clone()} " "
                                    <a href=link><code>{change.resource_key.clone()}</code></a>
                                </td>
                                <td>
                                    <ul class="diff">
                                        {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
