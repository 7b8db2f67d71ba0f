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

/// The namespace a dashboard path is about (`/namespaces/{ns}/…`), or `default`.
pub fn namespace_of_path(path: &str) -> String {
    path.strip_prefix("/namespaces/")
        .and_then(|rest| rest.split('/').next())
        .filter(|key| !key.is_empty())
        .unwrap_or("default")
        .to_string()
}

/// Decodes a form or query value: `+` is a space, `%XX` a byte; invalid escapes are kept.
pub fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_what_forms_encode() {
        assert_eq!(super::decode_component("a+b%2Bc%3D"), "a b+c=");
        assert_eq!(super::decode_component("100%"), "100%");
        assert_eq!(super::decode_component("%4"), "%4");
        assert_eq!(super::decode_component("%41"), "A");
    }

    #[test]
    fn keeps_unreserved_and_escapes_the_rest() {
        assert_eq!(super::encode_component("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(super::encode_component("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}
