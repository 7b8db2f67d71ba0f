//! The HTML document and the router: the skeleton every page renders into.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{HistoryPage, NamespaceSettings, NamespacesPage, NotFound, SnapshotsPage};

/// The full HTML document rendered on the server around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" type="image/x-icon" href="/favicon.ico" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The dashboard: navigation around the routed pages. Every route renders with
/// [`SsrMode::Async`]: the server waits for the page's data and sends complete HTML, so each
/// page is readable with JavaScript off; hydration then takes over.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/vexil.css" />
        <Title formatter=|page: String| format!("{page} · Vexil") />
        <Router>
            <header class="topbar">
                <a class="brand" href="/">"Vexil"</a>
                <nav aria-label="Main">
                    <a href="/">"Namespaces"</a>
                    <a href="/settings/namespaces">"Settings"</a>
                    <a href="/settings/snapshots">"Snapshots"</a>
                </nav>
            </header>
            <main class="content">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=NamespacesPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/namespaces") view=NamespaceSettings ssr=SsrMode::Async />
                    <Route path=path!("/settings/snapshots") view=SnapshotsPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/history") view=HistoryPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
