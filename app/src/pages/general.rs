//! Settings → General: preferences of this browser (the theme). Works without JavaScript: the
//! form posts, the server sets the cookie and renders the page again in the chosen theme.

use crate::access::CsrfField;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{failure_of, FormError},
    server_fns::{SetTheme, THEMES},
    theme::Theme,
};

#[component]
pub fn GeneralSettings() -> impl IntoView {
    let theme = expect_context::<Theme>();
    let action = expect_context::<ServerAction<SetTheme>>();
    let error = Signal::derive(failure_of(action));
    let saved = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="General · Settings" />
        <h1>"Settings · General"</h1>
        <super::settings::SettingsNav />
        <section class="card" data-testid="preferences">
            <h2>"Appearance"</h2>
            <FormError error />
            {move || saved().map(|t| view! { <p role="status" class="ok">{format!("Theme set to {t}.")}</p> })}
            <ActionForm action><CsrfField />
                <fieldset>
                    <legend>"Theme"</legend>
                    {THEMES.iter().map(|choice| {
                        let label = match *choice { "system" => "Follow the system", "light" => "Light", _ => "Dark" };
                        view! {
                            <label class="inline">
                                <input type="radio" name="theme" value=*choice checked=move || theme.0.get() == *choice />
                                " " {label}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">"Save preferences"</button>
            </ActionForm>
            <p class="muted">"Kept in this browser (a cookie); other people's dashboards are not affected."</p>
        </section>
    }
}
