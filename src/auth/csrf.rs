//! Cross-site request forgery. A state-changing request that a session cookie authenticates
//! must come from this dashboard: the browser's `Sec-Fetch-Site` / `Origin` must say same
//! origin (or a trusted one, as Go's `CrossOriginProtection` decides, which Flipt uses), and it
//! must carry the session's CSRF token, as a form field (`csrf_token`, so forms work without
//! JavaScript), an `x-csrf-token` header, or a `csrf_token` query parameter (multipart
//! uploads). A bearer token is never sent by a browser on its own, so it needs neither.

use axum::http::{header, HeaderMap, Method, Uri};

/// The form field and query parameter that carry the token.
pub const FIELD: &str = "csrf_token";
/// The request header that carries the token.
pub const HEADER: &str = "x-csrf-token";

/// Whether a request of this method can change anything.
pub fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Go's cross-origin check: whether the browser says this request comes from our own
/// origin or a trusted one.
pub fn same_origin(headers: &HeaderMap, trusted: &[String]) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let is_trusted = |origin: Option<&str>| origin.is_some_and(|o| trusted.iter().any(|t| t == o));
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none") || is_trusted(origin);
    }
    let Some(origin) = origin else {
        // No browser sent this (browsers send Origin on every cross-origin POST).
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    (host.is_some() && origin_host == host) || is_trusted(Some(origin))
}

/// The token from the header or the query string, if either has one.
pub fn token_outside_body(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    if let Some(value) = headers.get(HEADER).and_then(|v| v.to_str().ok()) {
        return Some(value.to_string());
    }
    uri.query().and_then(|query| field_of(query.as_bytes()))
}

/// Whether the body is a URL-encoded form, where the token is a field.
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
}

/// The `csrf_token` field of a URL-encoded form.
pub fn field_of(form: &[u8]) -> Option<String> {
    form.split(|b| *b == b'&').find_map(|pair| {
        let text = std::str::from_utf8(pair).ok()?;
        let (name, value) = text.split_once('=')?;
        (name == FIELD).then(|| app::url::decode_component(value))
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn browsers_must_say_same_origin() {
        let trusted = vec!["https://admin.example.com".to_string()];
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), &trusted));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), &trusted));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "same-site"), ("origin", "https://evil.example.com")]),
            &trusted
        ));
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "cross-site"), ("origin", "https://admin.example.com")]),
            &trusted
        ));
        // Without Sec-Fetch-Site: the Origin must name our host, or be trusted.
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]),
            &trusted
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://127.0.0.1:9999"), ("host", "127.0.0.1:8080")]),
            &trusted
        ));
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080")]), &trusted));
    }

    #[test]
    fn the_token_is_read_from_a_form_a_header_or_the_query() {
        assert_eq!(field_of(b"name=x&csrf_token=a%2Bb%3D&v=1").as_deref(), Some("a+b="));
        assert_eq!(field_of(b"name=x"), None);
        let uri: Uri = "/ui/import?csrf_token=abc".parse().unwrap();
        assert_eq!(token_outside_body(&HeaderMap::new(), &uri).as_deref(), Some("abc"));
        assert_eq!(
            token_outside_body(&headers(&[("x-csrf-token", "h")]), &uri).as_deref(),
            Some("h")
        );
    }
}
