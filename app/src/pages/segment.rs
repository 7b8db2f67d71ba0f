//! `/namespaces/{ns}/segments/{key}`: one segment: its name, description and match type (saved
//! against the version the form was rendered with), its constraints, the flags that use it,
//! and a confirmed delete that explains which flags stand in the way.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    constraint::{ConstraintForm, ConstraintRow},
    segments::MatchTypeSelect,
};
use crate::{
    components::{
        after_success, failure_of, Confirm, ConfirmBox, ErrorPanel, FieldError, FormError, Refetch,
    },
    domain::SegmentSummary,
    server_fns::{segment_detail, DeleteSegment, UpdateSegment},
    url::encode_component,
};

#[component]
pub fn SegmentPage() -> impl IntoView {
    let params = use_params_map();
    let namespace = Memo::new(move |_| params.read().get("ns").unwrap_or_default());
    let key = Memo::new(move |_| params.read().get("key").unwrap_or_default());
    let refresh = RwSignal::new(0u64);
    provide_context(Refetch(refresh));
    let known = RwSignal::new(None::<i64>);
    let detail = Resource::new(
        move || (namespace.get(), key.get(), refresh.get()),
        |(namespace, key, _)| segment_detail(namespace, key),
    );
    Effect::new(move |_| {
        if let Some(Ok((_, version))) = detail.get() {
            known.set(Some(version));
        }
    });
    super::poll::poll_version(namespace, known, refresh);
    view! {
        <Title text=move || format!("Segment {}", key.get()) />
        <p class="crumbs">
            <a href=move || format!("/namespaces/{}/segments", namespace.get())>"Segments"</a>
            " / " <code>{key}</code>
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading segment…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok((summary, _)) => view! { <SegmentView summary /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SegmentView(summary: SegmentSummary) -> impl IntoView {
    let segment = summary.segment.clone();
    let namespace = segment.namespace_key.clone();
    let update = ServerAction::<UpdateSegment>::new();
    after_success(update, |s| format!("Saved segment {}", s.key));
    let error = Signal::derive(failure_of(update));
    let used_by = summary
        .used_by
        .iter()
        .map(|flag| {
            let href = format!("/namespaces/{namespace}/flags/{}", encode_component(flag));
            view! { <li><a href=href><code>{flag.clone()}</code></a></li> }
        })
        .collect_view();
    let in_use = !summary.used_by.is_empty();
    let empty = segment.constraints.is_empty().then(|| {
        view! { <p class="empty-state">"No constraints: every entity matches this segment."</p> }
    });
    let rows = segment
        .constraints
        .iter()
        .cloned()
        .map(|constraint| view! { <ConstraintRow constraint /> })
        .collect_view();
    let form =
        (namespace.clone(), segment.key.clone(), segment.name.clone(), segment.description.clone());
    view! {
        <div class="page-head" data-version=segment.version.to_string()>
            <h1>{segment.name.clone()}</h1>
            <code>{segment.key.clone()}</code>
        </div>
        <section class="card" data-testid="segment-metadata">
            <h2>"Details"</h2>
            <FormError error fields=&["name"] />
            <ActionForm action=update>
                <input type="hidden" name="namespace" value=form.0 />
                <input type="hidden" name="key" value=form.1 />
                <input type="hidden" name="version" value=segment.version />
                <div class="form-grid">
                    <label>"Name"<input name="name" value=form.2 required /><FieldError error field="name" /></label>
                    <label>"Description"<input name="description" value=form.3 /></label>
                    <MatchTypeSelect current=segment.match_type />
                </div>
                <button type="submit">"Save segment"</button>
            </ActionForm>
        </section>
        <section class="card" data-testid="constraints">
            <h2>"Constraints"</h2>
            {empty}
            <div class="rows">{rows}</div>
            <details class="add" open=segment.constraints.is_empty()>
                <summary>"Add constraint"</summary>
                <ConstraintForm namespace=namespace.clone() segment_key=segment.key.clone() constraint=None />
            </details>
        </section>
        <section class="card" data-testid="used-by">
            <h2>"Used by"</h2>
            {if in_use {
                view! { <ul class="chips">{used_by}</ul> }.into_any()
            } else {
                view! { <p class="muted">"No flag uses this segment."</p> }.into_any()
            }}
        </section>
        <DeleteSegmentForm summary />
    }
}

#[component]
fn DeleteSegmentForm(summary: SegmentSummary) -> impl IntoView {
    let delete = ServerAction::<DeleteSegment>::new();
    let error = Signal::derive(failure_of(delete));
    let segment = summary.segment;
    let message = if summary.used_by.is_empty() {
        format!("Deletes {} and its constraints. A snapshot is taken first.", segment.key)
    } else {
        format!(
            "{} is in use by {}: it cannot be deleted until those flags' rules and rollouts stop using it.",
            segment.key,
            summary.used_by.join(", ")
        )
    };
    view! {
        <section class="card">
            <FormError error />
            <Confirm summary="Delete segment…" message>
                <ActionForm action=delete>
                    <input type="hidden" name="namespace" value=segment.namespace_key />
                    <input type="hidden" name="key" value=segment.key />
                    <input type="hidden" name="version" value=segment.version />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete segment"</button>
                </ActionForm>
            </Confirm>
        </section>
    }
}
