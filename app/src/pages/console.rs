//! `/namespaces/{ns}/console`: evaluate a flag as an application would (the same snapshot and
//! engine as `/evaluate/v1`), see the whole answer, and copy the request as a curl command.
//! The question lives in the URL (`?flag=…&entity=…&key1=…&value1=…`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::ErrorPanel,
    domain::ConsoleResult,
    error::AppError,
    server_fns::{evaluate, list_flags},
};

/// How many context rows the form offers.
const CONTEXT_ROWS: usize = 4;

/// What the console was asked, from its URL: a plain GET form, so an evaluation works
/// without JavaScript and its address can be shared.
#[derive(Clone, Debug, Default, PartialEq)]
struct Asked {
    flag: String,
    entity: String,
    context: Vec<(String, String)>,
}

#[component]
pub fn ConsolePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let namespace = Memo::new(move |_| params.read().get("ns").unwrap_or_default());
    let asked = Memo::new(move |_| {
        let query = query.read();
        Asked {
            flag: query.get("flag").unwrap_or_default(),
            entity: query.get("entity").unwrap_or_default(),
            context: (1..=CONTEXT_ROWS)
                .map(|i| {
                    let key = query.get(&format!("key{i}")).unwrap_or_default();
                    (key, query.get(&format!("value{i}")).unwrap_or_default())
                })
                .collect(),
        }
    });
    let first = asked.get_untracked();
    let flag = RwSignal::new(first.flag.clone());
    let entity = RwSignal::new(first.entity.clone());
    let context: Vec<(RwSignal<String>, RwSignal<String>)> = first
        .context
        .iter()
        .map(|(k, v)| (RwSignal::new(k.clone()), RwSignal::new(v.clone())))
        .collect();
    // Flags whose key or name contains what is typed, for the picker's suggestions (the server
    // searches, so a namespace with thousands of flags sends one page).
    let flags = Resource::new(
        move || (namespace.get(), flag.get()),
        |(namespace, typed)| list_flags(namespace, typed, "key".into(), false, 0),
    );
    let result = Resource::new(
        move || (namespace.get(), asked.get()),
        |(namespace, asked)| async move {
            if asked.flag.is_empty() {
                return None;
            }
            let (keys, values) = asked.context.into_iter().unzip();
            Some(evaluate(namespace, asked.flag, asked.entity, keys, values).await)
        },
    );
    let curl = {
        let context = context.clone();
        move || {
            let pairs: serde_json::Map<String, serde_json::Value> = context
                .iter()
                .filter(|(k, _)| !k.with(|k| k.trim().is_empty()))
                .map(|(k, v)| (k.get(), serde_json::Value::String(v.get())))
                .collect();
            curl_command(
                &origin(),
                &namespace.get(),
                &flag.get(),
                &entity.get(),
                &pairs,
                kind_of(flag.get(), flags),
            )
        }
    };
    let rows = context
        .iter()
        .enumerate()
        .map(|(i, (key, value))| {
            let (key, value) = (*key, *value);
            let n = i + 1;
            view! {
                <div class="form-row context-row">
                    <input name=format!("key{n}") aria-label=format!("Context key {n}") placeholder="key"
                        value=key.get_untracked() on:input=move |ev| key.set(event_target_value(&ev)) />
                    <input name=format!("value{n}") aria-label=format!("Context value {n}") placeholder="value"
                        value=value.get_untracked() on:input=move |ev| value.set(event_target_value(&ev)) />
                </div>
            }
        })
        .collect_view();
    view! {
        <Title text="Console" />
        <div class="page-head">
            <h1>"Console"</h1>
            <span class="muted">"namespace " <code>{namespace}</code></span>
        </div>
        // An unknown namespace is said at once, not only when evaluating.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match flags.await {
                    Err(error @ AppError::NotFound(_)) => view! { <ErrorPanel error /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
        <section class="card" data-testid="console">
            <form method="get">
                <div class="form-grid">
                    <label>"Flag key"
                        <input name="flag" required list="flag-keys" autocomplete="off" data-testid="console-flag"
                            value=flag.get_untracked() prop:value=move || flag.get()
                            on:input=move |ev| flag.set(event_target_value(&ev)) />
                        <datalist id="flag-keys">
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let keys: Vec<String> = flags.await.map(|l| l.flags.into_iter().map(|f| f.key).collect()).unwrap_or_default();
                                    keys.into_iter().map(|k| view! { <option value=k /> }).collect_view()
                                })}
                            </Transition>
                        </datalist>
                    </label>
                    <label>"Entity id"
                        <span class="form-row">
                            <input name="entity" required value=entity.get_untracked() prop:value=move || entity.get()
                                on:input=move |ev| entity.set(event_target_value(&ev)) data-testid="entity-id" />
                            <button type="button" class="secondary" on:click=move |_| generate(entity)>"Generate"</button>
                        </span>
                    </label>
                </div>
                <fieldset>
                    <legend>"Context (strings)"</legend>
                    {rows}
                </fieldset>
                <button type="submit">"Evaluate"</button>
            </form>
        </section>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match result.await {
                    None => ().into_any(),
                    Some(Ok(result)) => view! { <ResultView result /> }.into_any(),
                    Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <section class="card">
            <h2>"As a request"</h2>
            <pre class="code" data-testid="curl">{curl.clone()}</pre>
            <CopyButton text=Signal::derive(curl) />
        </section>
    }
}

/// The flag's type from the loaded list: which evaluation endpoint the curl command calls.
fn kind_of(
    key: String,
    flags: Resource<Result<crate::domain::FlagListing, crate::error::AppError>>,
) -> &'static str {
    let boolean = flags.with(|listing| {
        listing.as_ref().and_then(|l| l.as_ref().ok()).is_some_and(|l| {
            l.flags.iter().any(|f| f.key == key && f.flag_type == crate::domain::FlagType::Boolean)
        })
    });
    if boolean {
        "boolean"
    } else {
        "variant"
    }
}

/// This server's address as the browser sees it (`Host` on the server, the page's origin in
/// the browser), for the curl command.
fn origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts.headers.get(http::header::HOST)?.to_str().ok().map(|h| format!("http://{h}"))
            })
            .unwrap_or_else(|| "http://localhost:8080".to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// The same evaluation as a curl command against this server.
fn curl_command(
    origin: &str,
    namespace: &str,
    flag: &str,
    entity: &str,
    context: &serde_json::Map<String, serde_json::Value>,
    kind: &str,
) -> String {
    let body = serde_json::json!({
        "namespaceKey": namespace,
        "flagKey": flag,
        "entityId": entity,
        "context": context,
    });
    let body = body.to_string().replace('\'', "'\\''");
    format!(
        "curl -s -X POST '{origin}/evaluate/v1/{kind}' -H 'Content-Type: application/json' -d '{body}'"
    )
}

/// Fills the entity id with a fresh random UUID.
fn generate(entity: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    entity.set(random_id());
    #[cfg(not(feature = "hydrate"))]
    let _ = entity;
}

/// A version 4 UUID made of `bytes`.
#[cfg(any(feature = "hydrate", test))]
fn uuid_from(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A random entity id, from the browser's random source (only the browser makes one).
#[cfg(feature = "hydrate")]
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    for byte in bytes.iter_mut() {
        *byte = (js_sys::Math::random() * 256.0) as u8;
    }
    uuid_from(bytes)
}

/// Writes `text` to the clipboard through `navigator.clipboard.writeText`.
#[cfg(feature = "hydrate")]
fn write_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let get = |target: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(target, &name.into()).ok()
    };
    let window: wasm_bindgen::JsValue = leptos::prelude::window().into();
    let Some(clipboard) = get(&window, "navigator").and_then(|n| get(&n, "clipboard")) else {
        return false;
    };
    let Some(write) =
        get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    write.call1(&clipboard, &text.into()).is_ok()
}

#[component]
fn CopyButton(text: Signal<String>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        copied.set(write_clipboard(&text.get_untracked()));
        #[cfg(not(feature = "hydrate"))]
        let _ = (text, copied);
    };
    view! {
        <button type="button" class="secondary" on:click=copy data-testid="copy-curl">
            {move || if copied.get() { "Copied" } else { "Copy as curl" }}
        </button>
    }
}

#[component]
fn ResultView(result: ConsoleResult) -> impl IntoView {
    let (headline, json) = match &result {
        ConsoleResult::Variant(r) => (
            match (r.matched, r.variant_key.is_empty()) {
                (_, false) => format!("variant {}", r.variant_key),
                (true, true) => "matched, no variant".to_string(),
                (false, true) => "no match, no default variant".to_string(),
            },
            serde_json::to_string_pretty(r),
        ),
        ConsoleResult::Boolean(r) => {
            (format!("enabled: {}", r.enabled), serde_json::to_string_pretty(r))
        }
    };
    let reason = match &result {
        ConsoleResult::Variant(r) => r.reason.wire_name(),
        ConsoleResult::Boolean(r) => r.reason.wire_name(),
    };
    view! {
        <section class="card" data-testid="console-result">
            <h2>"Result: " <span data-testid="console-headline">{headline}</span></h2>
            <p>"Reason: " <code data-testid="console-reason">{reason}</code></p>
            <pre class="code">{json.unwrap_or_default()}</pre>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_quotes_the_body_for_a_shell() {
        let mut context = serde_json::Map::new();
        context.insert("name".into(), serde_json::Value::String("O'Brien".into()));
        let command =
            curl_command("http://127.0.0.1:8080", "default", "f", "u1", &context, "variant");
        assert!(command.contains("'http://127.0.0.1:8080/evaluate/v1/variant'"), "{command}");
        assert!(command.contains("O'\\''Brien"), "{command}");
        assert!(command.contains("\"entityId\":\"u1\""), "{command}");
    }

    #[test]
    fn generated_ids_are_version_4_uuids() {
        let id = uuid_from([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_from([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
