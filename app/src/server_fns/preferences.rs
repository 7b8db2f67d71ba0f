//! Personal preferences, kept in a cookie (they belong to the browser, not to the data).

use leptos::prelude::*;

use crate::error::AppError;

/// The cookie that holds the theme.
pub const THEME_COOKIE: &str = "vexil_theme";

/// The themes a person can pick; `system` follows the operating system.
pub const THEMES: [&str; 3] = ["system", "light", "dark"];

/// Saves the theme for this browser (a year-long cookie) and answers it.
#[server(prefix = "/ui", endpoint = "preferences/theme", client = crate::access::CsrfClient)]
pub async fn set_theme(theme: String) -> Result<String, AppError> {
    if !THEMES.contains(&theme.as_str()) {
        return super::with_status(Err(AppError::Invalid(format!(
            "invalid field theme: \"{theme}\" (system, light or dark)"
        ))));
    }
    let cookie = format!("{THEME_COOKIE}={theme}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&cookie))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
    Ok(theme)
}

/// The theme named by a `Cookie` header, if it names a known one.
pub fn theme_from_cookies(header: &str) -> Option<&'static str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == THEME_COOKIE)
        .and_then(|(_, value)| THEMES.iter().copied().find(|theme| *theme == value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_cookie_is_read_among_others() {
        assert_eq!(theme_from_cookies("a=1; vexil_theme=dark; b=2"), Some("dark"));
        assert_eq!(theme_from_cookies("vexil_theme=purple"), None);
        assert_eq!(theme_from_cookies(""), None);
    }
}
