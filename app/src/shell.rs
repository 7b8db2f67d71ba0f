//! The HTML document and the router: the skeleton every page renders into.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

use crate::{
    access::{provide_viewer, use_viewer, CsrfField, ViewerMeta},
    components::{ToastRegion, Toasts},
    pages::{
        AccessPage, ConsolePage, FlagPage, FlagsPage, GeneralSettings, HistoryPage,
        NamespaceSettings, NamespacesPage, NewFlagPage, NotFound, SegmentPage, SegmentsPage,
        SnapshotsPage,
    },
    server_fns::{list_namespaces, SetTheme},
    theme::{initial_theme, provide_theme, ThemeSwitch},
};

/// The full HTML document rendered on the server around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The saved theme is on <html> from the first byte, so the page never flashes the other.
    let theme = initial_theme();
    let theme = (theme != "system").then_some(theme);
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" type="image/x-icon" href="/favicon.ico" />
                <HydrationScripts options />
                <ViewerMeta />
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
    provide_viewer();
    Toasts::provide();
    provide_theme(ServerAction::<SetTheme>::new());
    // Marks the page once the wasm has taken over, so tests (and people debugging) can tell.
    Effect::new(move |_| {
        #[cfg(not(feature = "ssr"))]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/vexil.css" />
        <Title formatter=|page: String| format!("{page} · Vexil") />
        <Router>
            <TopBar />
            <main class="content">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/namespaces/default/flags" /> } />
                    <Route path=path!("/namespaces") view=NamespacesPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/flags") view=FlagsPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/flags/new") view=NewFlagPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/flags/:key") view=FlagPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/segments") view=SegmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/segments/:key") view=SegmentPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/console") view=ConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=|| view! { <Redirect path="/settings/general" /> } />
                    <Route path=path!("/settings/general") view=GeneralSettings ssr=SsrMode::Async />
                    <Route path=path!("/settings/namespaces") view=NamespaceSettings ssr=SsrMode::Async />
                    <Route path=path!("/settings/snapshots") view=SnapshotsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/access") view=AccessPage ssr=SsrMode::Async />
                    <Route path=path!("/namespaces/:ns/history") view=HistoryPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <ToastRegion />
        </Router>
    }
}

/// Brand, navigation for the current namespace, and the namespace switcher (a disclosure of
/// plain links, so it works without JavaScript).
#[component]
fn TopBar() -> impl IntoView {
    let location = use_location();
    let current = Memo::new(move |_| crate::url::namespace_of_path(&location.pathname.get()));
    let namespaces = Resource::new(|| (), |_| list_namespaces());
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Vexil"</a>
            <nav aria-label="Main">
                <a href=move || format!("/namespaces/{}/flags", current.get())>"Flags"</a>
                <a href=move || format!("/namespaces/{}/segments", current.get())>"Segments"</a>
                <a href=move || format!("/namespaces/{}/console", current.get())>"Console"</a>
                <a href=move || format!("/namespaces/{}/history", current.get())>"History"</a>
                <a href="/namespaces">"Namespaces"</a>
                <a href="/settings/general">"Settings"</a>
            </nav>
            <ThemeSwitch />
            <SignedIn />
            <details class="switcher" data-testid="namespace-switcher">
                <summary>"Namespace: " <code>{move || current.get()}</code></summary>
                <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                    {move || Suspend::new(async move {
                        let list = namespaces.await.unwrap_or_default();
                        view! {
                            <ul>
                                {list
                                    .into_iter()
                                    .map(|ns| {
                                        let href = format!("/namespaces/{}/flags", ns.key);
                                        view! { <li><a href=href>{ns.name} " " <code>{ns.key}</code></a></li> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                </Suspense>
            </details>
        </header>
    }
}

/// Who is signed in, with which role, and the way out.
#[component]
fn SignedIn() -> impl IntoView {
    let viewer = use_viewer();
    if !viewer.auth_required {
        return view! {
            <span class="who warning" data-testid="who" title="auth_required is false">
                "Authentication off: everyone is admin"
            </span>
        }
        .into_any();
    }
    let sign_out = viewer.has_session.then(|| {
        view! {
            <form method="post" action="/logout" class="inline">
                <CsrfField />
                <button type="submit" class="secondary small" data-testid="sign-out">"Sign out"</button>
            </form>
        }
    });
    view! {
        <span class="who" data-testid="who">
            <span data-testid="who-name">{viewer.name}</span>
            " · "
            <span class="muted" data-testid="who-role">{viewer.roles}</span>
        </span>
        {sign_out}
    }
    .into_any()
}
