//! Secrets: Flipt's token format (32 random bytes, base64url with padding) and its unsalted
//! SHA-256 storage hash, so a token row from Flipt verifies here and the plaintext is never
//! kept. Session secrets and their CSRF tokens are made the same way.

use base64::{engine::general_purpose::URL_SAFE, Engine};
use sha2::{Digest, Sha256};

/// A fresh random secret: 32 bytes from the operating system, 44 characters.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    URL_SAFE.encode(bytes)
}

/// What is stored for a token: base64url-with-padding of SHA-256 of its bytes (Flipt's
/// `hashed_client_token`).
pub fn hash(secret: &str) -> String {
    URL_SAFE.encode(Sha256::digest(secret.as_bytes()))
}

/// The CSRF token of a session: derived from its secret, so it needs no storage and cannot
/// be computed without the cookie.
pub fn csrf_of(session_secret: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(b"vexil csrf\0");
    digest.update(session_secret.as_bytes());
    URL_SAFE.encode(digest.finalize())
}

/// Compares two secrets in time independent of where they first differ.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_flipts_shape() {
        let token = generate();
        assert_eq!(token.len(), 44);
        assert!(token.ends_with('='));
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
        assert_ne!(generate(), token, "two tokens differ");
    }

    #[test]
    fn the_hash_is_flipts() {
        // Flipt's HashClientToken: base64.URLEncoding(sha256(token)).
        assert_eq!(hash("flipt"), "4gRYvMnDa5RpuNf8Z1oo4AnbWHDri5tuDr8I3Vvvsgs=");
        assert!(equal(&csrf_of("a"), &csrf_of("a")));
        assert!(!equal(&csrf_of("a"), &csrf_of("b")));
    }
}
