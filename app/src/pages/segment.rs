//! `/namespaces/{ns}/segments/{key}`: one segment: its name, description and match type (saved
//! against the version the form was rendered with), its constraints, the flags that use it,
//! and a confirmed delete that explains which flags stand in the way.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    constraint::{ConstraintForm, ConstraintRow},
    segments::MatchTypeSelect,
};
use crate::{
    components::{
        after_success, edit_row, failure_of, merged, Confirm, ConfirmBox, ErrorPanel, FieldError,
        FormError, StaleEdit,
    },
    domain::{MatchType, Segment, SegmentSummary},
    error::AppError,
    server_fns::{segment_detail, DeleteSegment, UpdateSegment},
    url::encode_component,
};

#[component]
pub fn SegmentPage() -> impl IntoView {
    let params = use_params_map();
    let namespace = Memo::new(move |_| params.read().get("ns").unwrap_or_default());
    let key = Memo::new(move |_| params.read().get("key").unwrap_or_default());
    let version = super::poll::VersionKey::new(namespace);
    let detail = Resource::new(
        move || (namespace.get(), key.get(), version.get()),
        |(namespace, key, _)| segment_detail(namespace, key),
    );
    version.follow(detail, |(_, data_version)| *data_version);
    // The metadata form's action lives with the page, so a refused stale edit (and what was
    // sent) stays on screen when the page refetches.
    let update = ServerAction::<UpdateSegment>::new();
    after_success(update, |s| format!("Saved segment {}", s.key));
    // What was sent, and the segment as the form showed it (set by each render).
    let shown = RwSignal::new(None::<Segment>);
    let last_edit = RwSignal::new(None::<(UpdateSegment, Segment)>);
    Effect::new(move |_| {
        if let Some(input) = update.input().get() {
            last_edit.set(shown.get_untracked().map(|shown| (input, shown)));
        }
    });
    view! {
        <Title text=move || format!("Segment {}", key.get()) />
        <p class="crumbs">
            <a href=move || format!("/namespaces/{}/segments", namespace.get())>"Segments"</a>
            " / " <code>{key}</code>
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading segment…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok((summary, _)) => {
                        shown.set(Some(summary.segment.clone()));
                        view! { <SegmentView summary update last_edit /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SegmentView(
    summary: SegmentSummary,
    update: ServerAction<UpdateSegment>,
    last_edit: RwSignal<Option<(UpdateSegment, Segment)>>,
) -> impl IntoView {
    let segment = summary.segment.clone();
    let namespace = segment.namespace_key.clone();
    let error = Signal::derive(failure_of(update));
    let stale = move || match error.get() {
        Some(AppError::Conflict { current, current_version, .. }) => {
            serde_json::from_value::<Segment>(current).ok().map(|current| {
                let yours = last_edit.get_untracked().filter(|(edit, _)| edit.key == current.key);
                view! { <SegmentConflict current version=current_version yours update /> }
            })
        }
        _ => None,
    };
    let not_conflict =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Conflict { .. })));
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
            {stale}
            <FormError error=not_conflict fields=&["name"] />
            <WriteOnly><ActionForm action=update><CsrfField />
                <input type="hidden" name="namespace" value=form.0 />
                <input type="hidden" name="key" value=form.1 />
                <input type="hidden" name="version" value=segment.version />
                <div class="form-grid">
                    <label>"Name"<input name="name" value=form.2 required /><FieldError error field="name" /></label>
                    <label>"Description"<input name="description" value=form.3 /></label>
                    <MatchTypeSelect current=segment.match_type />
                </div>
                <button type="submit">"Save segment"</button>
            </ActionForm></WriteOnly>
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
    .into_any()
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
            <WriteOnly><Confirm summary="Delete segment…" message>
                <ActionForm action=delete><CsrfField />
                    <input type="hidden" name="namespace" value=segment.namespace_key />
                    <input type="hidden" name="key" value=segment.key />
                    <input type="hidden" name="version" value=segment.version />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete segment"</button>
                </ActionForm>
            </Confirm></WriteOnly>
        </section>
    }
}

/// Name, description or match type refused because the segment changed since it was shown.
#[component]
fn SegmentConflict(
    current: Segment,
    version: i64,
    yours: Option<(UpdateSegment, Segment)>,
    update: ServerAction<UpdateSegment>,
) -> impl IntoView {
    let label = |m: MatchType| super::segments::match_label(m).to_string();
    let sent_match =
        |y: &UpdateSegment| MatchType::from_wire_name(&y.match_type).unwrap_or_default();
    let matches = yours.as_ref().map(|(y, s)| (label(sent_match(y)), label(s.match_type)));
    let rows = vec![
        edit_row("Name", &current.name, yours.as_ref().map(|(y, s)| (&*y.name, &*s.name))),
        edit_row(
            "Description",
            &current.description,
            yours.as_ref().map(|(y, s)| (&*y.description, &*s.description)),
        ),
        edit_row("Match", &label(current.match_type), matches.as_ref().map(|(a, b)| (&**a, &**b))),
    ];
    let reapply = yours.map(|(yours, shown)| {
        let name = merged(&shown.name, &yours.name, &current.name);
        let description = merged(&shown.description, &yours.description, &current.description);
        let match_type = merged(
            shown.match_type.wire_name(),
            sent_match(&yours).wire_name(),
            current.match_type.wire_name(),
        );
        view! {
            <WriteOnly><ActionForm action=update><CsrfField />
                <input type="hidden" name="namespace" value=current.namespace_key.clone() />
                <input type="hidden" name="key" value=current.key.clone() />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="name" value=name />
                <input type="hidden" name="description" value=description />
                <input type="hidden" name="match_type" value=match_type />
                <button type="submit" data-testid="reapply">"Re-apply my changes"</button>
            </ActionForm></WriteOnly>
        }
        .into_any()
    });
    let discard = Callback::new(move |_| update.value().set(None));
    view! { <StaleEdit what="segment" current_version=version rows reapply discard /> }
}
