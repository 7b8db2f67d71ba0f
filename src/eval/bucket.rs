//! Consistent bucketing, computed exactly as Flipt's Rust engine does: CRC-32/IEEE, variant
//! buckets of 0.1 % over `flagKey + entityId`, threshold buckets of 1 % over
//! `entityId + flagKey`, and distribution edges normalised by their sum in `f32`, rounded,
//! with the last edge forced to 1000.

/// Buckets for variant distributions.
pub const TOTAL_BUCKETS: u32 = 1000;

fn crc32(first: &str, second: &str) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(first.as_bytes());
    hasher.update(second.as_bytes());
    hasher.finalize()
}

/// The entity's variant bucket in `0..1000`.
pub fn variant_bucket(flag_key: &str, entity_id: &str) -> u32 {
    crc32(flag_key, entity_id) % TOTAL_BUCKETS
}

/// The entity's threshold bucket in `0..100`.
pub fn threshold_bucket(entity_id: &str, flag_key: &str) -> u32 {
    crc32(entity_id, flag_key) % 100
}

/// Cumulative upper edges for positive rollouts (percent), normalised by their sum.
pub fn edges(rollouts: &[f32]) -> Vec<i32> {
    let total: f32 = rollouts.iter().sum();
    let mut cumulative: f32 = 0.0;
    let mut edges: Vec<i32> = rollouts
        .iter()
        .enumerate()
        .map(|(i, rollout)| {
            cumulative += (rollout / total) * 100.0;
            if i + 1 == rollouts.len() {
                TOTAL_BUCKETS as i32
            } else {
                (cumulative * (TOTAL_BUCKETS as f32 / 100.0)).round() as i32
            }
        })
        .collect();
    edges.sort_unstable();
    edges
}

/// The index of the first edge greater than `bucket`, if any.
pub fn pick(edges: &[i32], bucket: u32) -> Option<usize> {
    let index = edges.partition_point(|edge| *edge < bucket as i32 + 1);
    (index < edges.len()).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors() {
        assert_eq!(variant_bucket("flag_variant", "some-fixed-entity-id"), 369);
        assert_eq!(variant_bucket("flag_variant_and_segments", "some-fixed-entity-id"), 531);
        assert_eq!(threshold_bucket("some-fixed-entity-id", "flag_boolean"), 16);
    }

    #[test]
    fn fifty_fifty_picks_first_below_500() {
        let edges = edges(&[50.0, 50.0]);
        assert_eq!(edges, vec![500, 1000]);
        assert_eq!(pick(&edges, 369), Some(0));
        assert_eq!(pick(&edges, 531), Some(1));
        assert_eq!(pick(&edges, 499), Some(0));
        assert_eq!(pick(&edges, 500), Some(1));
        assert_eq!(pick(&edges, 999), Some(1));
    }

    #[test]
    fn thirds_follow_the_rust_engine_not_go_v1() {
        let edges = edges(&[33.33, 33.33, 33.34]);
        assert_eq!(edges, vec![333, 667, 1000]);
        let u781 = variant_bucket("f", "u781");
        let u801 = variant_bucket("f", "u801");
        assert_eq!((u781, u801), (666, 999));
        assert_eq!(pick(&edges, u781), Some(1), "2nd variant in the Rust engine");
        assert_eq!(pick(&edges, u801), Some(2), "the last edge is 1000: always a variant");
    }

    #[test]
    fn sums_below_100_are_normalised() {
        assert_eq!(edges(&[10.0, 10.0]), vec![500, 1000]);
        assert_eq!(edges(&[25.0]), vec![1000]);
    }
}
