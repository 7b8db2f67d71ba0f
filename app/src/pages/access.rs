//! `/settings/access`: API tokens (create, shown once; revoke after confirmation; 25 per
//! page) and active dashboard sessions (end any of them). Administrators of all namespaces
//! only; everyone else is told so by the server's refusal.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    access::{use_viewer, CsrfField},
    components::{ConfirmBox, ErrorPanel},
    domain::{Role, SessionSummary, TokenSummary},
    server_fns::{list_sessions, list_tokens, take_new_token, EndSession, RevokeToken},
};

#[component]
pub fn AccessPage() -> impl IntoView {
    let query = use_query_map();
    let offset =
        move || query.read().get("offset").and_then(|o| o.parse::<i64>().ok()).unwrap_or(0);
    let revoke = ServerAction::<RevokeToken>::new();
    let end = ServerAction::<EndSession>::new();
    let tokens = Resource::new(
        move || (offset(), revoke.version().get()),
        |(offset, _)| list_tokens(offset),
    );
    let sessions =
        Resource::new(move || (end.version().get(), revoke.version().get()), |_| list_sessions());
    let created = Resource::new(|| (), |_| take_new_token());
    let failed = move || query.read().get("token_error");
    view! {
        <Title text="Access · Settings" />
        <h1>"Settings · Access"</h1>
        <super::settings::SettingsNav />
        <section class="card">
            <h2>"New token"</h2>
            {move || failed().map(|message| view! {
                <div class="error-panel" role="alert" data-testid="token-error"><strong>"No token created"</strong><p>{message}</p></div>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    created.await.ok().flatten().map(|(id, secret)| view! { <NewSecret id secret /> })
                })}
            </Suspense>
            <NewTokenForm />
        </section>
        <section class="card">
            <h2>"Tokens"</h2>
            {move || revoke.value().get().and_then(Result::err).map(|error| view! { <ErrorPanel error /> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading tokens…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(page) => view! { <TokenTable page revoke /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card">
            <h2>"Sessions"</h2>
            {move || end.value().get().and_then(Result::err).map(|error| view! { <ErrorPanel error /> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading sessions…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty-state">"No one is signed in to the dashboard."</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|session| view! { <SessionRow session end /> }).collect_view().into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form is a plain post to the server, so the secret can be shown once with or without
/// JavaScript (it never travels in a URL).
#[component]
fn NewTokenForm() -> impl IntoView {
    let admin = use_viewer().admin;
    view! {
        <form method="post" action="/ui/access/tokens/create" class="stack" data-testid="new-token">
            <CsrfField />
            <label>"Name" <input name="name" required maxlength="200" placeholder="ci-pipeline" /></label>
            <label>"Description" <input name="description" maxlength="500" /></label>
            <label>"Role"
                <select name="role">
                    {Role::ALL.into_iter().map(|role| {
                        let selected = role == Role::Client;
                        view! { <option value=role.as_str() selected=selected>{role.as_str()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Namespace" <input name="namespace" placeholder="all namespaces" pattern="[-_,A-Za-z0-9]*" /></label>
            <label>"Expires in days" <input name="expires_in_days" type="number" min="0" max="3650" placeholder="never" /></label>
            <p class="muted">"client: evaluation, the client snapshot and OFREP only (safe inside an app) · viewer: read · editor: change flags and segments · admin: everything"</p>
            <button type="submit" disabled=!admin>"Create token"</button>
        </form>
    }
}

/// The new secret, shown this once, with a copy button.
#[component]
fn NewSecret(id: String, secret: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let for_copy = secret.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&for_copy);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &for_copy;
    };
    view! {
        <div class="ok new-secret" role="status" data-testid="new-token-secret" data-token-id=id>
            <p><strong>"Token created."</strong> " Copy it now: it is shown only this once and is stored only as a hash."</p>
            <code class="secret" data-testid="secret">{secret}</code>
            <button type="button" class="secondary small" on:click=copy data-testid="copy-secret">
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </div>
    }
}

#[component]
fn TokenTable(
    page: crate::domain::TokenListing,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    let total = page.total;
    let next = page.next_offset.map(|offset| format!("/settings/access?offset={offset}"));
    let shown = page.tokens.len();
    view! {
        <p class="muted" data-testid="token-count">{format!("{shown} shown of {total}")}</p>
        <table class="list" data-testid="tokens">
            <thead><tr><th>"Name"</th><th>"Role"</th><th>"Scope"</th><th>"Created"</th><th>"Expires"</th><th>"Last used"</th><th></th></tr></thead>
            <tbody>
                {page.tokens.into_iter().map(|token| view! { <TokenRow token revoke /> }).collect_view()}
            </tbody>
        </table>
        <nav class="pager">
            <a href="/settings/access">"First page"</a>
            {next.map(|href| view! { " · " <a href=href data-testid="next-tokens">"Next page"</a> })}
        </nav>
    }
}

#[component]
fn TokenRow(token: TokenSummary, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let TokenSummary {
        id,
        name,
        description,
        role,
        namespace,
        created_at,
        expires_at,
        last_used_at,
        expired,
    } = token;
    let scope = if namespace.is_empty() { "all namespaces".to_string() } else { namespace };
    let expires = match (expires_at, expired) {
        (Some(at), true) => format!("expired {at}"),
        (Some(at), false) => at,
        (None, _) => "never".into(),
    };
    let test_id = format!("token-{name}");
    let row_id = id.clone();
    view! {
        <tr data-testid=test_id data-token-id=row_id>
            <td><strong>{name}</strong><br /><small class="muted">{description}</small></td>
            <td>{role}</td>
            <td>{scope}</td>
            <td><small>{created_at}</small></td>
            <td><small>{expires}</small></td>
            <td><small>{last_used_at.unwrap_or_else(|| "never".into())}</small></td>
            <td>
                <details class="danger-zone">
                    <summary>"Revoke…"</summary>
                    <p>"Every client using this token, and every dashboard session opened with it, is refused from now on, on every server."</p>
                    <ActionForm action=revoke>
                        <CsrfField />
                        <input type="hidden" name="id" value=id />
                        <ConfirmBox />
                        <button type="submit" class="danger">"Revoke token"</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

#[component]
fn SessionRow(session: SessionSummary, end: ServerAction<EndSession>) -> impl IntoView {
    let SessionSummary { id, name, method, roles, created_at, expires_at, current } = session;
    view! {
        <article class="card" data-testid="session">
            <p>
                <strong>{name}</strong> " · " {roles} " · " {method}
                {current.then(|| view! { " · " <em>"this session"</em> })}
            </p>
            <p class="muted"><small>"signed in " {created_at} " · ends " {expires_at}</small></p>
            <ActionForm action=end>
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <button type="submit" class="secondary small">"End session"</button>
            </ActionForm>
        </article>
    }
}
