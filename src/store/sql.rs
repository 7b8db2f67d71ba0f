//! Small SQL helpers shared by the repository modules.

/// `$start, $start+1, …` for `count` bind parameters, for `IN (…)` lists.
pub fn placeholders(start: usize, count: usize) -> String {
    (start..start + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Limit for SQL: Flipt's 0 means "no limit".
pub fn sql_limit(limit: i64) -> i64 {
    if limit <= 0 {
        i64::MAX
    } else {
        limit
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_from_start() {
        assert_eq!(super::placeholders(2, 3), "$2, $3, $4");
        assert_eq!(super::sql_limit(0), i64::MAX);
    }
}
