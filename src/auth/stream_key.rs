//! Short-lived, read-only credentials for OFREP's change-event URL. A browser's EventSource
//! cannot send `Authorization`, so the bulk answer advertises a stream URL that carries its
//! own credential: an HMAC-SHA256, under a key every replica shares (`server_keys`), of the
//! namespace and an hour-long window. It opens that namespace's change events and nothing else
//! (they carry digests, never flag data), is valid in its window and the next, and is never the
//! client's own token.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long one window lasts; a credential is accepted for up to two.
pub const WINDOW_SECONDS: i64 = 3600;

/// The shared signing key.
#[derive(Clone)]
pub struct StreamKey([u8; 32]);

impl std::fmt::Debug for StreamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamKey(…)")
    }
}

impl StreamKey {
    /// A new random key (the candidate a first replica stores; tests' own).
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system's random source");
        StreamKey(key)
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = decode_hex(text)?;
        Some(StreamKey(bytes.try_into().ok()?))
    }

    /// The window `unix_seconds` falls in.
    pub fn window(unix_seconds: i64) -> i64 {
        unix_seconds.div_euclid(WINDOW_SECONDS)
    }

    fn mac(&self, namespace: &str, window: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(b"vexil ofrep change events\n");
        mac.update(namespace.as_bytes());
        mac.update(b"\n");
        mac.update(window.to_string().as_bytes());
        mac
    }

    /// `<window>.<hex mac>` for `namespace`.
    pub fn mint(&self, namespace: &str, window: i64) -> String {
        let tag = self.mac(namespace, window).finalize().into_bytes();
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        format!("{window}.{hex}")
    }

    /// Whether `credential` was minted for `namespace` in this window or the one before.
    pub fn verify(&self, namespace: &str, credential: &str, unix_seconds: i64) -> bool {
        let Some((window, tag)) = credential.split_once('.') else { return false };
        let (Ok(window), Some(tag)) = (window.parse::<i64>(), decode_hex(tag)) else {
            return false;
        };
        let now = Self::window(unix_seconds);
        (window == now || window == now - 1)
            && self.mac(namespace, window).verify_slice(&tag).is_ok()
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_opens_its_namespace_for_two_windows() {
        let key = StreamKey::random();
        let now = 1_800_000_000;
        let credential = key.mint("team", StreamKey::window(now));
        assert!(key.verify("team", &credential, now));
        assert!(key.verify("team", &credential, now + WINDOW_SECONDS), "the next window too");
        assert!(!key.verify("team", &credential, now + 2 * WINDOW_SECONDS), "then it expires");
        assert!(!key.verify("other", &credential, now), "bound to its namespace");
        assert!(!StreamKey::random().verify("team", &credential, now), "bound to the key");
        let (window, tag) = credential.split_once('.').unwrap();
        let later = format!("{}.{tag}", window.parse::<i64>().unwrap() + 1);
        assert!(!key.verify("team", &later, now + WINDOW_SECONDS), "the window is signed");
        for bad in ["", "x", "1.zz", "1.", ".abcd", "1.abc"] {
            assert!(!key.verify("team", bad, now), "{bad:?}");
        }
    }

    #[test]
    fn keys_round_trip_as_hex() {
        let key = StreamKey::random();
        let back = StreamKey::from_hex(&key.to_hex()).unwrap();
        assert_eq!(back.mint("a", 1), key.mint("a", 1));
        assert!(StreamKey::from_hex("abc").is_none());
        assert!(StreamKey::from_hex("00").is_none(), "32 bytes");
    }
}
