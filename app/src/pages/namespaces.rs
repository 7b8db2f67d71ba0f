//! The namespace overview: every namespace, rendered on the server, filterable once hydrated.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{components::ErrorPanel, domain::Namespace, server_fns::list_namespaces};

/// Lists every namespace with its key, name and description.
#[component]
pub fn NamespacesPage() -> impl IntoView {
    let namespaces = Resource::new(|| (), |_| list_namespaces());
    view! {
        <Title text="Namespaces" />
        <h1>"Namespaces"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading namespaces…"</p> }>
            {move || Suspend::new(async move {
                match namespaces.await {
                    Ok(list) => view! { <NamespaceTable namespaces=list /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The table with a filter box. Filtering runs in the browser, so it works only after
/// hydration; without JavaScript the full list is still there.
#[component]
fn NamespaceTable(namespaces: Vec<Namespace>) -> impl IntoView {
    let (filter, set_filter) = signal(String::new());
    let total = namespaces.len();
    let namespaces = StoredValue::new(namespaces);
    let visible = move || {
        let needle = filter.get().to_lowercase();
        namespaces.with_value(|all| {
            all.iter().filter(|ns| matches_filter(ns, &needle)).cloned().collect::<Vec<_>>()
        })
    };
    let shown = move || visible().len();
    view! {
        <label class="filter">
            <span>"Filter"</span>
            <input
                type="search"
                name="filter"
                placeholder="key, name or description"
                prop:value=filter
                on:input=move |ev| set_filter.set(event_target_value(&ev))
            />
        </label>
        <p class="muted" data-testid="namespace-count">
            {move || format!("Showing {} of {} namespaces", shown(), total)}
        </p>
        <table class="list" data-testid="namespace-list">
            <thead>
                <tr><th scope="col">"Key"</th><th scope="col">"Name"</th><th scope="col">"Description"</th></tr>
            </thead>
            <tbody>
                <For each=visible key=|ns| ns.key.clone() let:ns>
                    <tr>
                        <td><code>{ns.key.clone()}</code>
                            {ns.protected.then(|| view! { <span class="badge">"protected"</span> })}
                        </td>
                        <td>{ns.name.clone()}</td>
                        <td>{ns.description.clone()}</td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}

/// Case-insensitive match of an already lower-cased needle against the visible fields.
fn matches_filter(ns: &Namespace, needle: &str) -> bool {
    needle.is_empty()
        || [&ns.key, &ns.name, &ns.description]
            .iter()
            .any(|field| field.to_lowercase().contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(key: &str, name: &str, description: &str) -> Namespace {
        Namespace {
            key: key.into(),
            name: name.into(),
            description: description.into(),
            protected: false,
            created_at: String::new(),
            updated_at: String::new(),
            version: 1,
        }
    }

    #[test]
    fn filter_matches_any_visible_field_ignoring_case() {
        let team = ns("team-a", "Payments", "Checkout flags");
        assert!(matches_filter(&team, ""));
        assert!(matches_filter(&team, "team"));
        assert!(matches_filter(&team, "payments"));
        assert!(matches_filter(&team, "checkout"));
        assert!(!matches_filter(&team, "search"));
    }
}
