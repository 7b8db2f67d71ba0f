//! The page for a path that matches no route.

use leptos::prelude::*;
use leptos_meta::Title;

/// Shown, with status 404, for unknown paths.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <section class="empty-state">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the namespaces"</a></p>
        </section>
    }
}
