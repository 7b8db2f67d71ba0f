//! The constraint editor. The operator list follows the chosen type (reference §1.4); one-of
//! lists are edited as chips; datetimes get a date-time input (UTC). Without JavaScript the
//! form still works: every type's operators are offered, grouped, and a one-of list is typed
//! as a JSON array; the server checks the combination either way.

use crate::access::{CsrfField, WriteOnly};
use leptos::prelude::*;

use crate::{
    components::{after_success, failure_of, Confirm, ConfirmBox, FieldError, FormError},
    domain::{ComparisonType, Constraint, NO_VALUE_OPERATORS},
    server_fns::{DeleteConstraint, SaveConstraint},
};

const TYPES: [(ComparisonType, &str); 5] = [
    (ComparisonType::String, "string"),
    (ComparisonType::Number, "number"),
    (ComparisonType::Boolean, "boolean"),
    (ComparisonType::DateTime, "date-time"),
    (ComparisonType::EntityId, "entity id"),
];

fn type_label(kind: ComparisonType) -> &'static str {
    TYPES.iter().find(|(t, _)| *t == kind).map(|(_, label)| *label).unwrap_or("unknown")
}

#[component]
pub(super) fn ConstraintRow(constraint: Constraint) -> impl IntoView {
    let delete = ServerAction::<DeleteConstraint>::new();
    after_success(delete, |_| "Constraint deleted".to_string());
    let error = Signal::derive(failure_of(delete));
    let summary = format!("{} {} {}", constraint.property, constraint.operator, constraint.value);
    let (id, namespace, segment_key) =
        (constraint.id.clone(), constraint.namespace_key.clone(), constraint.segment_key.clone());
    view! {
        <article class="row" data-testid="constraint" data-constraint=constraint.id.clone()>
            <div class="row-main">
                <span class="badge">{type_label(constraint.comparison_type)}</span>
                <code data-testid="constraint-summary">{summary.trim().to_string()}</code>
                <span class="muted">{constraint.description.clone()}</span>
            </div>
            <details class="edit">
                <summary>"Edit"</summary>
                <ConstraintForm namespace=constraint.namespace_key.clone() segment_key=constraint.segment_key.clone() constraint=Some(constraint.clone()) />
            </details>
            <FormError error />
            <WriteOnly><Confirm summary="Delete…" message=format!("Deletes the constraint on {}.", constraint.property)>
                <ActionForm action=delete><CsrfField />
                    <input type="hidden" name="namespace" value=namespace />
                    <input type="hidden" name="segment_key" value=segment_key />
                    <input type="hidden" name="id" value=id />
                    <ConfirmBox />
                    <button type="submit" class="danger">"Delete constraint"</button>
                </ActionForm>
            </Confirm></WriteOnly>
        </article>
    }
}

/// The items of a stored one-of list (a JSON array), as chip texts.
fn chips_of(value: &str) -> Vec<String> {
    match serde_json::from_str::<Vec<serde_json::Value>>(value) {
        Ok(items) => items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn one_of(operator: &str) -> bool {
    matches!(operator, "isoneof" | "isnotoneof")
}

#[component]
pub(super) fn ConstraintForm(
    namespace: String,
    segment_key: String,
    constraint: Option<Constraint>,
) -> impl IntoView {
    let save = ServerAction::<SaveConstraint>::new();
    let creating = constraint.is_none();
    after_success(save, move |c| {
        let verb = if creating { "Added" } else { "Saved" };
        format!("{verb} constraint on {}", c.property)
    });
    let error = Signal::derive(failure_of(save));
    let initial_kind =
        constraint.as_ref().map(|c| c.comparison_type).unwrap_or(ComparisonType::String);
    let kind = RwSignal::new(initial_kind);
    let operator = RwSignal::new(
        constraint.as_ref().map(|c| c.operator.clone()).unwrap_or_else(|| "eq".into()),
    );
    let initial_value = constraint.as_ref().map(|c| c.value.clone()).unwrap_or_default();
    let chips = RwSignal::new(if one_of(&operator.get_untracked()) {
        chips_of(&initial_value)
    } else {
        Vec::new()
    });
    let chip_input = RwSignal::new(String::new());
    // Until hydration the form must work as plain HTML: every operator, a plain value field.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let operators = move || {
        if hydrated.get() {
            let kind = kind.get();
            let ops = kind.operators().iter().map(|op| view! { <option value=*op selected=move || operator.get() == *op>{*op}</option> }).collect_view();
            view! { {ops} }.into_any()
        } else {
            TYPES
                .iter()
                .map(|(t, label)| {
                    let ops = t
                        .operators()
                        .iter()
                        .map(|op| {
                            let selected = *t == initial_kind && operator.get_untracked() == *op;
                            view! { <option value=*op selected=selected>{*op}</option> }
                        })
                        .collect_view();
                    view! { <optgroup label=*label>{ops}</optgroup> }
                })
                .collect_view()
                .into_any()
        }
    };
    let add_chip = move || {
        let text = chip_input.get_untracked().trim().to_string();
        if !text.is_empty() {
            chips.update(|list| list.push(text));
            chip_input.set(String::new());
        }
    };
    let value_field = {
        let initial_value = initial_value.clone();
        move || {
            let op = operator.get();
            if hydrated.get() && NO_VALUE_OPERATORS.contains(&op.as_str()) {
                return view! { <p class="muted">"This operator takes no value."</p> }.into_any();
            }
            if hydrated.get() && one_of(&op) {
                return view! {
                    <div class="chips-edit" data-testid="chips">
                        <ul class="chips">
                            <For each=move || chips.get().into_iter().enumerate() key=|(i, c)| (*i, c.clone()) let((index, chip))>
                                <li class="chip">
                                    <input type="hidden" name="values[]" value=chip.clone() />
                                    {chip.clone()}
                                    <button type="button" class="icon" aria-label=format!("Remove {chip}")
                                        on:click=move |_| chips.update(|list| { list.remove(index); })>"×"</button>
                                </li>
                            </For>
                        </ul>
                        <input aria-label="Add a value" placeholder="type a value, press Enter"
                            prop:value=move || chip_input.get()
                            on:input=move |ev| chip_input.set(event_target_value(&ev))
                            on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add_chip(); } />
                        <button type="button" class="secondary" on:click=move |_| add_chip()>"Add value"</button>
                    </div>
                }.into_any();
            }
            let (input_type, hint) = match kind.get() {
                ComparisonType::DateTime => ("datetime-local", "UTC"),
                ComparisonType::Number => ("number", ""),
                _ => ("text", if one_of(&op) { "a JSON array, e.g. [\"a\", \"b\"]" } else { "" }),
            };
            let shown = if kind.get_untracked() == ComparisonType::DateTime {
                initial_value.trim_end_matches('Z').to_string()
            } else {
                initial_value.clone()
            };
            view! {
                <input name="value" type=input_type step="any" value=shown />
                {(!hint.is_empty()).then(|| view! { <small class="muted">{hint}</small> })}
            }
            .into_any()
        }
    };
    let id = constraint.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    let property = constraint.as_ref().map(|c| c.property.clone()).unwrap_or_default();
    let description = constraint.as_ref().map(|c| c.description.clone()).unwrap_or_default();
    view! {
        <WriteOnly><ActionForm action=save><CsrfField />
            <FormError error fields=&["property", "operator", "value"] />
            <input type="hidden" name="namespace" value=namespace />
            <input type="hidden" name="segment_key" value=segment_key />
            <input type="hidden" name="id" value=id />
            <div class="form-grid">
                <label>"Type"
                    <select name="comparison_type" on:change=move |ev| {
                        let picked = ComparisonType::from_wire_name(&event_target_value(&ev)).unwrap_or_default();
                        kind.set(picked);
                        if let Some(first) = picked.operators().first() {
                            if !picked.operators().contains(&operator.get_untracked().as_str()) {
                                operator.set(first.to_string());
                            }
                        }
                    }>
                        {TYPES.iter().map(|(t, label)| view! { <option value=t.wire_name() selected=*t == initial_kind>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Property"
                    <input name="property" value=property required placeholder=move || if kind.get() == ComparisonType::EntityId { "entityId" } else { "e.g. plan" } />
                    <FieldError error field="property" />
                </label>
                <label>"Operator"
                    <select name="operator" on:change=move |ev| operator.set(event_target_value(&ev))>{operators}</select>
                    <FieldError error field="operator" />
                </label>
                <label>"Value" {value_field} <FieldError error field="value" /></label>
                <label>"Description"<input name="description" value=description /></label>
            </div>
            <button type="submit">{if creating { "Add constraint" } else { "Save constraint" }}</button>
        </ActionForm></WriteOnly>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_lists_become_chips() {
        assert_eq!(chips_of("[\"a\",\"b c\"]"), vec!["a", "b c"]);
        assert_eq!(chips_of("[1,2.5]"), vec!["1", "2.5"]);
        assert!(chips_of("not json").is_empty());
        assert!(one_of("isoneof") && one_of("isnotoneof") && !one_of("eq"));
    }
}
