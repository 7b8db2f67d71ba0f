//! The view of a refused stale edit (409): what is stored now beside what the person sent,
//! with a way to send it again on top of the stored version or to drop it.

use leptos::prelude::*;

/// `rows` are `(field, stored now, your edit of it)`, the edit `None` for a field that was not
/// edited. Without a `reapply` form the edit itself is not known (a plain form post without
/// JavaScript: the page was loaded again), and only the stored values are shown.
#[component]
pub fn StaleEdit(
    what: &'static str,
    current_version: i64,
    rows: Vec<(String, String, Option<String>)>,
    /// The form that sends the edited fields again over the stored ones, with
    /// `current_version` (present when the edit is known).
    reapply: Option<AnyView>,
    /// Forgets the edit and shows the stored values.
    discard: Callback<()>,
) -> impl IntoView {
    let yours_known = reapply.is_some();
    let location = leptos_router::hooks::use_location();
    view! {
        <div class="conflict" role="alert" data-testid="conflict">
            <strong>{format!("Someone saved this {what} after you opened it")}</strong>
            <p>{format!("It is now at version {current_version}. Your edit was not applied; nothing was overwritten.")}</p>
            <table class="list">
                <thead><tr><th>"Field"</th><th>"Saved now"</th>{yours_known.then(|| view! { <th>"Your edit"</th> })}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|(field, now, yours)| {
                        let edited = yours.is_some();
                        let yours = yours.unwrap_or_else(|| "(not edited)".to_string());
                        view! {
                            <tr class=if edited { "changed" } else { "" }>
                                <th scope="row">{field}</th><td>{now}</td>
                                {yours_known.then(|| view! { <td>{yours}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="form-row">
                {reapply}
                // A link, so that without JavaScript it loads the page again (without the error).
                <a class="button" data-testid="discard" href=move || location.pathname.get()
                    on:click=move |ev| { ev.prevent_default(); discard.run(()) }>
                    {if yours_known { "Discard mine, show the saved values" } else { "Show the saved values" }}
                </a>
            </div>
        </div>
    }
}

/// One row of [`StaleEdit`]: the field, its stored value now, and the edit when there is one
/// (`sent` differs from what the form `shown`).
pub fn edit_row(
    field: &str,
    now: &str,
    edit: Option<(&str, &str)>,
) -> (String, String, Option<String>) {
    let yours = edit.and_then(|(sent, shown)| (sent != shown).then(|| sent.to_string()));
    (field.to_string(), now.to_string(), yours)
}

/// A field of a re-applied edit: the edit where the person changed the field (it differs from
/// what the form showed), otherwise the stored value, so nobody else's change is undone.
pub fn merged(shown: &str, yours: &str, now: &str) -> String {
    if yours != shown {
        yours.to_string()
    } else {
        now.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::merged;

    #[test]
    fn rows_show_an_edit_only_where_the_field_was_edited() {
        use super::edit_row;
        assert_eq!(edit_row("Name", "theirs", Some(("mine", "old"))).2.as_deref(), Some("mine"));
        assert_eq!(edit_row("Name", "theirs", Some(("old", "old"))).2, None);
        assert_eq!(edit_row("Name", "theirs", None), ("Name".into(), "theirs".into(), None));
    }

    #[test]
    fn only_edited_fields_override_the_stored_ones() {
        assert_eq!(merged("old", "mine", "theirs"), "mine");
        assert_eq!(merged("old", "old", "theirs"), "theirs");
        assert_eq!(merged("same", "same", "same"), "same");
    }
}
