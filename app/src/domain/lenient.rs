//! Deserialisation helpers for Flipt's lenient input: `null` means "not given".

use serde::{Deserialize, Deserializer};

/// A field that may be absent or `null`; both give the type's default.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
