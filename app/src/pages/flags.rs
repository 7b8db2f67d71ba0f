//! `/namespaces/{ns}/flags`: the namespace's flags, searched, ordered and paged by the server
//! (so a namespace with 10,000 flags sends 25 rows). The query lives in the URL: the search
//! form is a plain GET form that works without JavaScript. Once hydrated, the page checks the
//! namespace's data version every few seconds and refetches when it moved (a change from
//! another tab or the API), keeping the rows on screen while it does.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::ErrorPanel,
    domain::{Flag, FlagListing, FlagType},
    server_fns::list_flags,
    url::encode_component,
};

const SORTS: [(&str, &str); 4] =
    [("key", "Key"), ("name", "Name"), ("created", "Created"), ("updated", "Updated")];

#[component]
pub fn FlagsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let namespace = Memo::new(move |_| params.read().get("ns").unwrap_or_default());
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let sort = Memo::new(move |_| {
        let sort = query.read().get("sort").unwrap_or_default();
        if SORTS.iter().any(|(value, _)| *value == sort) {
            sort
        } else {
            "key".to_string()
        }
    });
    let descending = Memo::new(move |_| query.read().get("dir").as_deref() == Some("desc"));
    let page = Memo::new(move |_| {
        query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1) - 1
    });
    let version = super::poll::VersionKey::new(namespace);
    let listing = Resource::new(
        move || {
            (namespace.get(), search.get(), sort.get(), descending.get(), page.get(), version.get())
        },
        |(namespace, search, sort, descending, page, _)| {
            list_flags(namespace, search, sort, descending, page)
        },
    );
    version.follow(listing, |listing| listing.data_version);
    view! {
        <Title text="Flags" />
        <div class="page-head">
            <h1>"Flags"</h1>
            <span class="muted">"namespace " <code>{namespace}</code></span>
            <a class="button" href=move || format!("/namespaces/{}/flags/new", namespace.get())>"New flag"</a>
        </div>
        <form method="get" class="toolbar" role="search" aria-label="Search flags">
            <label>
                <span>"Search"</span>
                <input type="search" name="q" placeholder="key or name" value=move || search.get() />
            </label>
            <label>
                <span>"Sort by"</span>
                <select name="sort">
                    {SORTS
                        .iter()
                        .map(|(value, label)| {
                            let value = *value;
                            view! { <option value=value selected=move || sort.get() == value>{*label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>"Order"</span>
                <select name="dir">
                    <option value="asc" selected=move || !descending.get()>"Ascending"</option>
                    <option value="desc" selected=move || descending.get()>"Descending"</option>
                </select>
            </label>
            <button type="submit">"Apply"</button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading flags…"</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) => {
                        let link = page_link(search.get_untracked(), sort.get_untracked(), descending.get_untracked());
                        view! { <FlagTable listing link search=search.get_untracked() namespace=namespace.get_untracked() /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `?q=…&sort=…&dir=…&page=N` for a page number (one-based), keeping the search and order.
fn page_link(search: String, sort: String, descending: bool) -> impl Fn(i64) -> String + Clone {
    move |page| {
        let dir = if descending { "desc" } else { "asc" };
        format!("?q={}&sort={sort}&dir={dir}&page={page}", encode_component(&search))
    }
}

#[component]
fn FlagTable(
    listing: FlagListing,
    link: impl Fn(i64) -> String + Clone + Send + Sync + 'static,
    search: String,
    namespace: String,
) -> impl IntoView {
    if listing.total == 0 {
        let message = if search.is_empty() {
            "No flags in this namespace yet.".to_string()
        } else {
            format!("No flags match “{search}”.")
        };
        return view! { <p class="empty-state" data-testid="flags-empty">{message}</p> }.into_any();
    }
    let first = listing.page * listing.page_size + 1;
    let last = first + listing.flags.len() as i64 - 1;
    let pages = (listing.total + listing.page_size - 1) / listing.page_size;
    let current = listing.page + 1;
    let previous = (current > 1).then(|| link(current - 1));
    let next = (current < pages).then(|| link(current + 1));
    view! {
        <table class="list" data-testid="flags" data-version=listing.data_version.to_string()>
            <thead>
                <tr>
                    <th scope="col">"Key"</th><th scope="col">"Name"</th><th scope="col">"Type"</th>
                    <th scope="col">"Status"</th><th scope="col">"Variants"</th><th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {listing.flags.into_iter().map(|flag| view! { <FlagRow flag namespace=namespace.clone() /> }).collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label="Pages">
            <span data-testid="flags-range">{format!("{first}–{last} of {}", listing.total)}</span>
            {previous.map(|href| view! { <a href=href rel="prev">"← Previous"</a> })}
            <span>{format!("page {current} of {pages}")}</span>
            {next.map(|href| view! { <a href=href rel="next">"Next →"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn FlagRow(flag: Flag, namespace: String) -> impl IntoView {
    let (kind, kind_class) = match flag.flag_type {
        FlagType::Variant => ("variant", "badge"),
        FlagType::Boolean => ("boolean", "badge badge-alt"),
    };
    let (status, status_class) =
        if flag.enabled { ("enabled", "badge badge-on") } else { ("disabled", "badge badge-off") };
    let history = format!(
        "/namespaces/{namespace}/history?resource=flag&key={}",
        encode_component(&flag.key)
    );
    let detail = format!("/namespaces/{namespace}/flags/{}", encode_component(&flag.key));
    view! {
        <tr data-flag=flag.key.clone()>
            <td><a href=detail><code>{flag.key.clone()}</code></a></td>
            <td>{flag.name.clone()}</td>
            <td><span class=kind_class>{kind}</span></td>
            <td><span class=status_class>{status}</span></td>
            <td>{flag.variants.len()}</td>
            <td><a href=history title="History of this flag">{flag.updated_at.clone()}</a></td>
        </tr>
    }
}
