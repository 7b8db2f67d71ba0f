//! A variant flag's rules and default variant. A rule is edited whole: its segments (one or
//! several, AND/OR) and its distribution over the variants, with an even-split helper and a
//! running total that must stay at or under 100% (the server checks it too, and stores
//! nothing when it is over). Rules are reordered with up/down buttons.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;

use super::Place;
use crate::{
    components::{after_success, failure_of, Confirm, ConfirmBox, FieldError, FormError},
    domain::{even_split, Flag, FlagDetail, Rule, SegmentChoice, SegmentOperator, Variant},
    server_fns::{DeleteRule, Reorder, SaveRule, UpdateFlag},
};

/// Which variant answers when no rule matches.
#[component]
pub(super) fn DefaultVariant(flag: Flag) -> impl IntoView {
    let update = ServerAction::<UpdateFlag>::new();
    after_success(update, |flag| match &flag.default_variant {
        Some(variant) => format!("Default variant is now {}", variant.key),
        None => "Default variant cleared".to_string(),
    });
    let error = Signal::derive(failure_of(update));
    let current = flag.default_variant.as_ref().map(|v| v.id.clone()).unwrap_or_default();
    let options = flag
        .variants
        .iter()
        .map(|v| {
            let selected = v.id == current;
            view! { <option value=v.id.clone() selected=selected>{v.key.clone()}</option> }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="default-variant">
            <h2>"Default variant"</h2>
            <p class="muted">"Answered when the flag is enabled and no rule matches (and when it is disabled)."</p>
            <FormError error />
            <WriteOnly><ActionForm action=update><CsrfField />
                <input type="hidden" name="namespace" value=flag.namespace_key.clone() />
                <input type="hidden" name="key" value=flag.key.clone() />
                <input type="hidden" name="version" value=flag.version />
                <div class="form-row">
                    <label>"Variant"
                        <select name="default_variant_id">
                            <option value="" selected=current.is_empty()>"(none)"</option>
                            {options}
                        </select>
                    </label>
                    <button type="submit">"Set default"</button>
                </div>
            </ActionForm></WriteOnly>
        </section>
    }
    .into_any()
}

#[component]
pub(super) fn Rules(detail: FlagDetail) -> impl IntoView {
    let place =
        Place { namespace: detail.flag.namespace_key.clone(), flag_key: detail.flag.key.clone() };
    let ids: Vec<String> = detail.rules.iter().map(|r| r.id.clone()).collect();
    let no_segments = detail.segments.is_empty().then(|| {
        let href = format!("/namespaces/{}/segments", place.namespace);
        view! { <p class="empty-state">"Rules target segments, and this namespace has none yet. " <a href=href>"Create a segment"</a></p> }
    });
    let cards = detail
        .rules
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            view! {
                <RuleCard rule=rule.clone() index ids=ids.clone() variants=detail.flag.variants.clone()
                    segments=detail.segments.clone() place=place.clone() />
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="rules">
            <h2>"Rules"</h2>
            <p class="muted">"Evaluated top to bottom; the first rule whose segments match picks the variant."</p>
            {no_segments}
            <ol class="rules">{cards}</ol>
            <details class="add" open=detail.rules.is_empty() && !detail.segments.is_empty()>
                <summary>"Add rule"</summary>
                <RuleForm place variants=detail.flag.variants.clone() segments=detail.segments.clone() rule=None />
            </details>
        </section>
    }
    .into_any()
}

/// `ids` with the item at `index` moved by `step` (−1 up, +1 down); None at the ends.
pub(super) fn moved(ids: &[String], index: usize, step: isize) -> Option<Vec<String>> {
    let target = index.checked_add_signed(step).filter(|t| *t < ids.len())?;
    let mut order = ids.to_vec();
    order.swap(index, target);
    Some(order)
}

/// Up and down buttons for item `index` of `ids` (the flag's rules or rollouts, as `what`
/// says): each is a form posting the whole new order.
#[component]
pub(super) fn MoveButtons(
    place: Place,
    what: &'static str,
    ids: Vec<String>,
    index: usize,
) -> impl IntoView {
    let reorder = ServerAction::<Reorder>::new();
    after_success(reorder, move |_| {
        format!("{}{} reordered", what[..1].to_uppercase(), &what[1..])
    });
    let error = Signal::derive(failure_of(reorder));
    let form = move |order: Vec<String>, label: &'static str, arrow: &'static str| {
        let (namespace, flag_key) = (place.namespace.clone(), place.flag_key.clone());
        view! {
            <WriteOnly><ActionForm action=reorder><CsrfField />
                <input type="hidden" name="namespace" value=namespace />
                <input type="hidden" name="flag_key" value=flag_key />
                <input type="hidden" name="what" value=what />
                {order.into_iter().map(|id| view! { <input type="hidden" name="ids[]" value=id /> }).collect_view()}
                <button type="submit" class="icon" aria-label=label title=label>{arrow}</button>
            </ActionForm></WriteOnly>
        }
    };
    let up = moved(&ids, index, -1).map(|order| form(order, "Move up", "↑"));
    let down = moved(&ids, index, 1).map(|order| form(order, "Move down", "↓"));
    view! { <span class="move">{up}{down}</span><FormError error /> }
}

#[component]
fn RuleCard(
    rule: Rule,
    index: usize,
    ids: Vec<String>,
    variants: Vec<Variant>,
    segments: Vec<SegmentChoice>,
    place: Place,
) -> impl IntoView {
    let delete = ServerAction::<DeleteRule>::new();
    after_success(delete, |_| "Rule deleted".to_string());
    let error = Signal::derive(failure_of(delete));
    let keys = rule_segments(&rule);
    let joiner = if rule.segment_operator == SegmentOperator::And { " AND " } else { " OR " };
    let segment_text = keys.join(joiner);
    let shares = rule
        .distributions
        .iter()
        .map(|d| {
            let key = variants
                .iter()
                .find(|v| v.id == d.variant_id)
                .map(|v| v.key.clone())
                .unwrap_or_default();
            view! { <li><code>{key}</code> " " {format!("{}%", d.rollout)}</li> }
        })
        .collect_view();
    let id = rule.id.clone();
    view! {
        <li class="rule" data-testid="rule" data-rule=rule.id.clone()>
            <div class="row-main">
                <strong>{format!("Rule {}", index + 1)}</strong>
                <span>"segments: " <code data-testid="rule-segments">{segment_text}</code></span>
                <ul class="shares">{shares}</ul>
                <MoveButtons place=place.clone() what="rules" ids index />
            </div>
            <FormError error />
            <details class="edit">
                <summary>"Edit"</summary>
                <RuleForm place=place.clone() variants segments rule=Some(rule.clone()) />
            </details>
            <WriteOnly><Confirm summary="Delete…" message=format!("Deletes rule {} and its distribution.", index + 1)>
                <ActionForm action=delete><CsrfField />
                    <input type="hidden" name="namespace" value=place.namespace />
                    <input type="hidden" name="flag_key" value=place.flag_key />
                    <input type="hidden" name="id" value=id />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete rule"</button>
                </ActionForm>
            </Confirm></WriteOnly>
        </li>
    }
}

/// A rule's segment keys, whichever of the two fields holds them.
pub(super) fn rule_segments(rule: &Rule) -> Vec<String> {
    if rule.segment_keys.is_empty() {
        vec![rule.segment_key.clone()]
    } else {
        rule.segment_keys.clone()
    }
}

/// Segment checkboxes and the AND/OR choice, shared by rule and rollout forms.
#[component]
pub(super) fn SegmentPicker(
    segments: Vec<SegmentChoice>,
    chosen: Vec<String>,
    operator: SegmentOperator,
) -> impl IntoView {
    let boxes = segments
        .into_iter()
        .map(|s| {
            let checked = chosen.contains(&s.key);
            view! {
                <label class="inline">
                    <input type="checkbox" name="segment_keys[]" value=s.key.clone() checked=checked />
                    " " {s.name} " " <code>{s.key}</code>
                </label>
            }
        })
        .collect_view();
    let and = operator == SegmentOperator::And;
    view! {
        <fieldset>
            <legend>"Segments"</legend>
            <div class="choices">{boxes}</div>
            <label>"With several segments, match"
                <select name="segment_operator">
                    <option value="OR" selected=!and>"any of them (OR)"</option>
                    <option value="AND" selected=and>"all of them (AND)"</option>
                </select>
            </label>
        </fieldset>
    }
}

#[component]
fn RuleForm(
    place: Place,
    variants: Vec<Variant>,
    segments: Vec<SegmentChoice>,
    rule: Option<Rule>,
) -> impl IntoView {
    let save = ServerAction::<SaveRule>::new();
    let creating = rule.is_none();
    after_success(save, move |_| if creating { "Rule added".into() } else { "Rule saved".into() });
    let error = Signal::derive(failure_of(save));
    let chosen = rule.as_ref().map(rule_segments).unwrap_or_default();
    let operator = rule.as_ref().map(|r| r.segment_operator).unwrap_or_default();
    let share_of = |variant: &Variant| {
        rule.as_ref()
            .and_then(|r| r.distributions.iter().find(|d| d.variant_id == variant.id))
            .map(|d| d.rollout.to_string())
            .unwrap_or_default()
    };
    let shares: Vec<RwSignal<String>> =
        variants.iter().map(|v| RwSignal::new(share_of(v))).collect();
    let total = {
        let shares = shares.clone();
        move || {
            shares.iter().map(|s| s.with(|t| t.trim().parse::<f64>().unwrap_or(0.0))).sum::<f64>()
        }
    };
    let total_class = {
        let total = total.clone();
        move || if total() > 100.0 + 1e-9 { "field-error" } else { "hint" }
    };
    let total_text =
        move || format!("Total {}% (must be 100% or less)", (total() * 100.0).round() / 100.0);
    let even = {
        let shares = shares.clone();
        move |_| {
            for (signal, share) in shares.iter().zip(even_split(shares.len())) {
                signal.set(share.to_string());
            }
        }
    };
    let rows = variants
        .iter()
        .zip(shares.iter().copied())
        .map(|(variant, share)| {
            view! {
                <label class="share">
                    <input type="hidden" name="variant_ids[]" value=variant.id.clone() />
                    <code>{variant.key.clone()}</code>
                    <input type="number" name="shares[]" min="0" max="100" step="0.01" inputmode="decimal"
                        aria-label=format!("Percent for {}", variant.key)
                        value=share.get_untracked() prop:value=move || share.get()
                        on:input=move |ev| share.set(event_target_value(&ev)) />
                    "%"
                </label>
            }
        })
        .collect_view();
    let no_variants = variants.is_empty().then(|| {
        view! { <p class="muted">"This flag has no variants: a matching rule then answers the default variant."</p> }
    });
    let button = if creating { "Add rule" } else { "Save rule" };
    view! {
        <WriteOnly><ActionForm action=save><CsrfField />
            <FormError error fields=&["distributions", "segmentKeys", "rollout"] />
            <input type="hidden" name="namespace" value=place.namespace />
            <input type="hidden" name="flag_key" value=place.flag_key />
            <input type="hidden" name="id" value=rule.as_ref().map(|r| r.id.clone()).unwrap_or_default() />
            <SegmentPicker segments chosen operator />
            <FieldError error field="segmentKeys" />
            <fieldset>
                <legend>"Distribution"</legend>
                {no_variants}
                <div class="shares-edit">{rows}</div>
                <div class="form-row">
                    <button type="button" class="secondary" on:click=even>"Split evenly"</button>
                    <span class=total_class data-testid="share-total">
                        {total_text}
                    </span>
                </div>
                <FieldError error field="distributions" />
                <FieldError error field="rollout" />
            </fieldset>
            <button type="submit">{button}</button>
        </ActionForm></WriteOnly>
    }
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn moving_swaps_neighbours_and_stops_at_the_ends() {
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(moved(&ids, 0, -1), None);
        assert_eq!(moved(&ids, 2, 1), None);
        assert_eq!(moved(&ids, 1, -1).unwrap(), ["b", "a", "c"]);
        assert_eq!(moved(&ids, 1, 1).unwrap(), ["a", "c", "b"]);
    }
}
