//! A boolean flag's rollouts: by percentage threshold or by segment(s), evaluated top to
//! bottom, reordered with up/down buttons; when none matches the flag answers its enabled state.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;

use super::{
    rules::{MoveButtons, SegmentPicker},
    Place,
};
use crate::{
    components::{after_success, failure_of, Confirm, ConfirmBox, FieldError, FormError},
    domain::{FlagDetail, Rollout, SegmentChoice, SegmentOperator},
    server_fns::{DeleteRollout, SaveRollout},
};

#[component]
pub(super) fn Rollouts(detail: FlagDetail) -> impl IntoView {
    let place =
        Place { namespace: detail.flag.namespace_key.clone(), flag_key: detail.flag.key.clone() };
    let ids: Vec<String> = detail.rollouts.iter().map(|r| r.id.clone()).collect();
    let cards = detail
        .rollouts
        .iter()
        .enumerate()
        .map(|(index, rollout)| {
            view! {
                <RolloutCard rollout=rollout.clone() index ids=ids.clone() segments=detail.segments.clone() place=place.clone() />
            }
        })
        .collect_view();
    let default = if detail.flag.enabled {
        "true (the flag is enabled)"
    } else {
        "false (the flag is disabled)"
    };
    let has_segments = !detail.segments.is_empty();
    view! {
        <section class="card" data-testid="rollouts">
            <h2>"Rollouts"</h2>
            <p class="muted">"Evaluated top to bottom; the first that matches answers."</p>
            <ol class="rules">{cards}</ol>
            <p data-testid="rollout-default">"Otherwise: " <strong>{default}</strong></p>
            <details class="add" open=detail.rollouts.is_empty()>
                <summary>"Add threshold rollout"</summary>
                <RolloutForm place=place.clone() segments=Vec::new() rollout=None threshold=true />
            </details>
            {has_segments.then(|| view! {
                <details class="add">
                    <summary>"Add segment rollout"</summary>
                    <RolloutForm place=place.clone() segments=detail.segments.clone() rollout=None threshold=false />
                </details>
            })}
        </section>
    }
    .into_any()
}

fn describe(rollout: &Rollout) -> String {
    if let Some(t) = &rollout.threshold {
        return format!("{}% of entities → {}", t.percentage, t.value);
    }
    if let Some(s) = &rollout.segment {
        let keys = if s.segment_keys.is_empty() {
            vec![s.segment_key.clone()]
        } else {
            s.segment_keys.clone()
        };
        let joiner = if s.segment_operator == SegmentOperator::And { " AND " } else { " OR " };
        return format!("segment {} → {}", keys.join(joiner), s.value);
    }
    "unknown rollout".to_string()
}

#[component]
fn RolloutCard(
    rollout: Rollout,
    index: usize,
    ids: Vec<String>,
    segments: Vec<SegmentChoice>,
    place: Place,
) -> impl IntoView {
    let delete = ServerAction::<DeleteRollout>::new();
    after_success(delete, |_| "Rollout deleted".to_string());
    let error = Signal::derive(failure_of(delete));
    let threshold = rollout.threshold.is_some();
    let id = rollout.id.clone();
    view! {
        <li class="rule" data-testid="rollout" data-rollout=rollout.id.clone()>
            <div class="row-main">
                <strong>{format!("Rollout {}", index + 1)}</strong>
                <span data-testid="rollout-summary">{describe(&rollout)}</span>
                <span class="muted">{rollout.description.clone()}</span>
                <MoveButtons place=place.clone() what="rollouts" ids index />
            </div>
            <FormError error />
            <details class="edit">
                <summary>"Edit"</summary>
                <RolloutForm place=place.clone() segments rollout=Some(rollout.clone()) threshold />
            </details>
            <WriteOnly><Confirm summary="Delete…" message=format!("Deletes rollout {}.", index + 1)>
                <ActionForm action=delete><CsrfField />
                    <input type="hidden" name="namespace" value=place.namespace />
                    <input type="hidden" name="flag_key" value=place.flag_key />
                    <input type="hidden" name="id" value=id />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete rollout"</button>
                </ActionForm>
            </Confirm></WriteOnly>
        </li>
    }
}

/// Creates or edits a threshold rollout (`threshold`) or a segment rollout.
#[component]
fn RolloutForm(
    place: Place,
    segments: Vec<SegmentChoice>,
    rollout: Option<Rollout>,
    threshold: bool,
) -> impl IntoView {
    let save = ServerAction::<SaveRollout>::new();
    let creating = rollout.is_none();
    after_success(
        save,
        move |_| if creating { "Rollout added".into() } else { "Rollout saved".into() },
    );
    let error = Signal::derive(failure_of(save));
    let value = rollout
        .as_ref()
        .map(|r| {
            r.threshold
                .as_ref()
                .map(|t| t.value)
                .or(r.segment.as_ref().map(|s| s.value))
                .unwrap_or(true)
        })
        .unwrap_or(true);
    let part = if threshold {
        let percentage = rollout
            .as_ref()
            .and_then(|r| r.threshold.as_ref())
            .map(|t| t.percentage.to_string())
            .unwrap_or_else(|| "50".into());
        view! {
            <input type="hidden" name="kind" value="threshold" />
            <label>"Percentage of entities"
                <input type="number" name="percentage" min="0" max="100" step="0.01" value=percentage required />
                <FieldError error field="percentage" />
                <FieldError error field="rollout" />
            </label>
        }
        .into_any()
    } else {
        let (chosen, operator) = rollout
            .as_ref()
            .and_then(|r| r.segment.as_ref())
            .map(|s| {
                let keys = if s.segment_keys.is_empty() {
                    vec![s.segment_key.clone()]
                } else {
                    s.segment_keys.clone()
                };
                (keys, s.segment_operator)
            })
            .unwrap_or_default();
        view! {
            <input type="hidden" name="kind" value="segment" />
            <SegmentPicker segments chosen operator />
            <FieldError error field="segmentKeys" />
        }
        .into_any()
    };
    let description = rollout.as_ref().map(|r| r.description.clone()).unwrap_or_default();
    view! {
        <WriteOnly><ActionForm action=save><CsrfField />
            <FormError error fields=&["percentage", "rollout", "segmentKeys"] />
            <input type="hidden" name="namespace" value=place.namespace />
            <input type="hidden" name="flag_key" value=place.flag_key />
            <input type="hidden" name="id" value=rollout.as_ref().map(|r| r.id.clone()).unwrap_or_default() />
            <div class="form-grid">
                {part}
                <label>"Answer"
                    <select name="value">
                        <option value="true" selected=value>"true"</option>
                        <option value="false" selected=!value>"false"</option>
                    </select>
                </label>
                <label>"Description"<input name="description" value=description /></label>
            </div>
            <button type="submit">{if creating { "Add rollout" } else { "Save rollout" }}</button>
        </ActionForm></WriteOnly>
    }
}
