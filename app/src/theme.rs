//! The light/dark theme: chosen in Settings → General or with the top bar's switch, kept in a
//! cookie, applied as `data-theme` on `<html>` by the server (so the first paint is right) and
//! by the browser when it changes.

use crate::access::CsrfField;
use leptos::prelude::*;

use crate::server_fns::SetTheme;

/// The theme in force: `system`, `light` or `dark`.
#[derive(Clone, Copy)]
pub struct Theme(pub RwSignal<String>);

/// The theme this request's cookie names (server) or `<html>` carries (browser).
pub fn initial_theme() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|h| h.to_str().ok())
                    .and_then(crate::server_fns::theme_from_cookies)
            })
            .unwrap_or("system")
            .to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("data-theme"))
            .unwrap_or_else(|| "system".to_string())
    }
}

/// Provides the theme and keeps `<html data-theme>` in step with saved changes.
pub fn provide_theme(action: ServerAction<SetTheme>) -> Theme {
    let theme = Theme(RwSignal::new(initial_theme()));
    provide_context(theme);
    provide_context(action);
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            theme.0.set(saved.clone());
            #[cfg(not(feature = "ssr"))]
            if let Some(html) = document().document_element() {
                let _ = html.set_attribute("data-theme", &saved);
            }
        }
    });
    theme
}

/// The top bar's one-click switch between light and dark.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let theme = expect_context::<Theme>();
    let action = expect_context::<ServerAction<SetTheme>>();
    let next = move || if theme.0.get() == "dark" { "light" } else { "dark" };
    view! {
        <ActionForm action><CsrfField />
            <input type="hidden" name="theme" value=next prop:value=next />
            <button type="submit" class="secondary theme-switch" data-testid="theme-switch"
                aria-label=move || format!("Switch to the {} theme", next())>
                {move || if next() == "dark" { "☾ Dark" } else { "☀ Light" }}
            </button>
        </ActionForm>
    }
}
