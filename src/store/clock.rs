//! Timestamps: Unix nanoseconds in the database, RFC 3339 UTC on the wire.

use std::sync::atomic::{AtomicI64, Ordering};

use time::{format_description::well_known::Rfc3339, OffsetDateTime};

static LAST: AtomicI64 = AtomicI64::new(0);

/// The current time in Unix nanoseconds, strictly increasing within this process so that
/// `created_at` ordering is stable for rows written in the same instant.
pub fn now_nanos() -> i64 {
    let wall = OffsetDateTime::now_utc().unix_timestamp_nanos() as i64;
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = wall.max(last + 1);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

/// Formats stored nanoseconds as RFC 3339 in UTC, as Flipt's JSON does.
pub fn format_timestamp(nanos: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_strictly_increasing() {
        let mut previous = now_nanos();
        for _ in 0..10_000 {
            let next = now_nanos();
            assert!(next > previous);
            previous = next;
        }
    }

    #[test]
    fn timestamps_format_as_utc_rfc3339() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_700_000_000_123_456_789), "2023-11-14T22:13:20.123456789Z");
    }
}
