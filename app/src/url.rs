//! URL helpers shared by the dashboard and the server.

/// Percent-encodes everything but RFC 3986's unreserved characters, for a query value or a
/// path segment.
pub fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_unreserved_and_escapes_the_rest() {
        assert_eq!(super::encode_component("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(super::encode_component("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}
