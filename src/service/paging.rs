//! Flipt's offset-based page tokens: standard base64 of `{"key":…,"offset":…}`.

use app::{
    domain::{Page, PageRequest},
    error::AppError,
};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Token {
    #[serde(default)]
    key: String,
    offset: i64,
}

/// The token for the page starting at `offset`, whose first item is `key`.
pub fn encode_token(key: &str, offset: i64) -> String {
    STANDARD.encode(serde_json::to_vec(&Token { key: key.to_string(), offset }).unwrap_or_default())
}

/// The absolute offset a token points at.
pub fn decode_token(token: &str) -> Result<i64, AppError> {
    // Flipt's wording, the token quoted as Go's %q does.
    let invalid = || AppError::Invalid(format!("pageToken is not valid: {token:?}"));
    let bytes = STANDARD.decode(token.trim()).map_err(|_| invalid())?;
    let token: Token = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if token.offset < 0 {
        return Err(invalid());
    }
    Ok(token.offset)
}

/// Builds a page from `rows` fetched with `limit + 1` (to learn whether more exist).
pub fn page_of<T>(
    mut rows: Vec<T>,
    request: PageRequest,
    total_count: i64,
    key_of: impl Fn(&T) -> String,
) -> Page<T> {
    let mut next_page_token = String::new();
    if request.limit > 0 && rows.len() as i64 > request.limit {
        let next = rows.split_off(request.limit as usize);
        next_page_token = encode_token(&key_of(&next[0]), request.offset + request.limit);
    }
    Page { items: rows, next_page_token, total_count }
}

/// The limit to ask the store for: one more than requested, or 0 for "all".
pub fn fetch_limit(request: PageRequest) -> i64 {
    if request.limit > 0 {
        request.limit + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_garbage_is_rejected() {
        let token = encode_token("flag-3", 20);
        assert_eq!(token, STANDARD.encode(r#"{"key":"flag-3","offset":20}"#));
        assert_eq!(decode_token(&token).unwrap(), 20);
        assert!(decode_token("not base64!").is_err());
        assert!(decode_token(&STANDARD.encode("{}")).is_err());
    }

    #[test]
    fn a_page_knows_whether_more_follow() {
        let request = PageRequest { limit: 2, offset: 4 };
        let page = page_of(vec!["a", "b", "c"], request, 9, |s| s.to_string());
        assert_eq!(page.items, vec!["a", "b"]);
        assert_eq!(decode_token(&page.next_page_token).unwrap(), 6);
        let last = page_of(vec!["a"], request, 5, |s| s.to_string());
        assert_eq!(last.next_page_token, "");
    }
}
