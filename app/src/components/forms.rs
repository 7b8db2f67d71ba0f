//! Form helpers: errors placed beside the field they are about, a confirmation step before
//! destructive actions, and result toasts.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::AppError;

/// The error of an action's last call, if it failed.
pub fn failure_of<S>(action: ServerAction<S>) -> impl Fn() -> Option<AppError> + Copy + Send + Sync
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    move || action.value().with(|value| value.as_ref().and_then(|r| r.as_ref().err().cloned()))
}

/// Whether a refusal names this field (`invalid field <name>: …`, Flipt's wording).
pub fn names_field(error: &AppError, field: &str) -> bool {
    match error {
        AppError::Invalid(message) => {
            message.contains(&format!("field {field}:"))
                || message.contains(&format!("field {field} "))
        }
        _ => false,
    }
}

/// The message of a refusal about `field`, shown beside it.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    let message = move || error.get().filter(|e| names_field(e, field)).map(|e| e.to_string());
    view! {
        {move || message().map(|message| view! {
            <small class="field-error" role="alert" data-field-error=field>{message}</small>
        })}
    }
}

/// A refusal that is about none of the form's `fields`, shown above the form.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = &[])] fields: &'static [&'static str],
) -> impl IntoView {
    let general = move || error.get().filter(|e| !fields.iter().any(|f| names_field(e, f)));
    view! { {move || general().map(|error| view! { <crate::components::ErrorPanel error /> })} }
}

/// A destructive action behind a disclosure and a required "I understand" box: nothing is
/// deleted by one stray click, with or without JavaScript.
#[component]
pub fn Confirm(
    /// The button that opens the confirmation, e.g. "Delete…".
    summary: &'static str,
    /// What will happen, in words.
    #[prop(into)]
    message: String,
    /// The form (an `ActionForm` with its hidden fields and the final button).
    children: Children,
) -> impl IntoView {
    view! {
        <details class="danger-zone">
            <summary>{summary}</summary>
            <p>{message}</p>
            {children()}
        </details>
    }
}

/// The checkbox every confirmation form carries.
#[component]
pub fn ConfirmBox() -> impl IntoView {
    view! {
        <label class="inline"><input type="checkbox" name="confirm" required />" I understand"</label>
    }
}

/// Messages that confirm what just happened; they fade after a few seconds.
#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Vec<(u64, String)>>);

impl Toasts {
    pub fn provide() -> Self {
        let toasts = Toasts(RwSignal::new(Vec::new()));
        provide_context(toasts);
        toasts
    }

    /// Shows `message` for four seconds.
    pub fn push(self, message: String) {
        let id = self.0.with_untracked(|list| list.last().map(|(id, _)| id + 1).unwrap_or(0));
        self.0.update(|list| list.push((id, message)));
        set_timeout(
            move || self.0.update(|list| list.retain(|(other, _)| *other != id)),
            std::time::Duration::from_secs(4),
        );
    }
}

/// The page's refetch key: pages provide it, and every successful write bumps it so the
/// page's resources read the new state.
#[derive(Clone, Copy)]
pub struct Refetch(pub RwSignal<u64>);

/// After each success of `action`: a toast saying what happened, and a bump of the page's
/// [`Refetch`] key (when the page has one).
pub fn after_success<S>(
    action: ServerAction<S>,
    message: impl Fn(&S::Output) -> String + Send + Sync + 'static,
) where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let toasts = use_context::<Toasts>();
    let refetch = use_context::<Refetch>();
    Effect::new(move |seen: Option<usize>| {
        let version = action.version().get();
        if seen.is_some_and(|seen| seen != version) {
            if let Some(Ok(output)) = action.value().get_untracked() {
                if let Some(toasts) = toasts {
                    toasts.push(message(&output));
                }
                if let Some(Refetch(key)) = refetch {
                    key.update(|n| *n += 1);
                }
            }
        }
        version
    });
}

/// The live region the toasts appear in.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_context::<Toasts>().expect("Toasts::provide in App");
    view! {
        <div class="toasts" role="region" aria-label="Notifications" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.0.get() key=|(id, _)| *id let((_, message))>
                <div class="toast">{message}</div>
            </For>
        </div>
    }
}
