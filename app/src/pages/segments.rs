//! `/namespaces/{ns}/segments`: the namespace's segments with their match type, constraint
//! count and the flags that use them, and a form to create one.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    components::{after_success, failure_of, ErrorPanel, FieldError, FormError},
    domain::{MatchType, SegmentSummary},
    server_fns::{list_segments, CreateSegment},
    url::encode_component,
};

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let params = use_params_map();
    let namespace = Memo::new(move |_| params.read().get("ns").unwrap_or_default());
    let version = super::poll::VersionKey::new(namespace);
    let listing = Resource::new(
        move || (namespace.get(), version.get()),
        |(namespace, _)| list_segments(namespace),
    );
    version.follow(listing, |listing| listing.data_version);
    view! {
        <Title text="Segments" />
        <div class="page-head">
            <h1>"Segments"</h1>
            <span class="muted">"namespace " <code>{namespace}</code></span>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading segments…"</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) if listing.segments.is_empty() => view! {
                        <p class="empty-state" data-testid="segments-empty">"No segments in this namespace yet. A segment is a set of constraints on the evaluation context."</p>
                    }.into_any(),
                    Ok(listing) => {
                        let ns = namespace.get_untracked();
                        view! {
                            <table class="list" data-testid="segments">
                                <thead><tr><th scope="col">"Key"</th><th scope="col">"Name"</th><th scope="col">"Match"</th><th scope="col">"Constraints"</th><th scope="col">"Used by"</th></tr></thead>
                                <tbody>{listing.segments.into_iter().map(|s| view! { <SegmentRow summary=s namespace=ns.clone() /> }).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <NewSegment namespace />
    }
}

#[component]
fn SegmentRow(summary: SegmentSummary, namespace: String) -> impl IntoView {
    let segment = summary.segment;
    let href = format!("/namespaces/{namespace}/segments/{}", encode_component(&segment.key));
    let used =
        if summary.used_by.is_empty() { "—".to_string() } else { summary.used_by.join(", ") };
    view! {
        <tr data-segment=segment.key.clone()>
            <td><a href=href><code>{segment.key.clone()}</code></a></td>
            <td>{segment.name.clone()}</td>
            <td><span class="badge">{match_label(segment.match_type)}</span></td>
            <td>{segment.constraints.len()}</td>
            <td>{used}</td>
        </tr>
    }
}

pub(crate) fn match_label(match_type: MatchType) -> &'static str {
    match match_type {
        MatchType::All => "all constraints",
        MatchType::Any => "any constraint",
    }
}

/// Match type options for a segment form.
#[component]
pub(crate) fn MatchTypeSelect(current: MatchType) -> impl IntoView {
    view! {
        <label>"Entities match when they meet"
            <select name="match_type">
                <option value="ALL_MATCH_TYPE" selected=current == MatchType::All>"all constraints (ALL)"</option>
                <option value="ANY_MATCH_TYPE" selected=current == MatchType::Any>"any constraint (ANY)"</option>
            </select>
        </label>
    }
}

#[component]
fn NewSegment(namespace: Memo<String>) -> impl IntoView {
    let create = ServerAction::<CreateSegment>::new();
    after_success(create, |segment| format!("Created segment {}", segment.key));
    let error = Signal::derive(failure_of(create));
    view! {
        <section class="card" data-testid="new-segment">
            <h2>"New segment"</h2>
            <FormError error fields=&["key", "name"] />
            <WriteOnly><ActionForm action=create><CsrfField />
                <input type="hidden" name="namespace" value=move || namespace.get() />
                <div class="form-grid">
                    <label>"Key"
                        <input name="key" required autocomplete="off" />
                        <small class="muted">"Letters, digits, - _ ,"</small>
                        <FieldError error field="key" />
                    </label>
                    <label>"Name"<input name="name" required /><FieldError error field="name" /></label>
                    <label>"Description"<input name="description" /></label>
                    <MatchTypeSelect current=MatchType::All />
                </div>
                <button type="submit">"Create segment"</button>
            </ActionForm></WriteOnly>
        </section>
    }
}
