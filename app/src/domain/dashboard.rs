//! What the dashboard's pages read and send beyond the REST resources: a flag with everything
//! its detail page shows, segments with the flags that use them, and the drafts its forms post.

use serde::{Deserialize, Serialize};

use super::{
    BooleanEvaluationResponse, Flag, Rollout, Rule, Segment, SegmentOperator,
    VariantEvaluationResponse,
};

/// A segment's key and name, for pickers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentChoice {
    pub key: String,
    pub name: String,
}

/// The flag detail page: the flag with its variants, rules (variant flags) or rollouts
/// (boolean flags), the segments its forms may pick, the namespaces it may be copied to, and
/// the namespace's data version when all of it was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlagDetail {
    pub flag: Flag,
    pub rules: Vec<Rule>,
    pub rollouts: Vec<Rollout>,
    pub segments: Vec<SegmentChoice>,
    pub namespaces: Vec<String>,
    pub data_version: i64,
}

/// A partial flag update from the dashboard: fields left `None` keep their stored value.
/// `version` is the one the form was rendered with (a stale one is refused with 409).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    /// `Some("")` clears the default variant.
    pub default_variant_id: Option<String>,
    /// The whole metadata object (`{}` clears it).
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    pub version: i64,
}

/// A rule as the dashboard edits it: segments, operator and the whole distribution, saved
/// together in one transaction (the sum of `rollout`s may not pass 100).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleDraft {
    pub segment_keys: Vec<String>,
    pub segment_operator: SegmentOperator,
    /// `(variant id, percent)`; zero shares are not stored.
    pub distributions: Vec<(String, f64)>,
}

/// One row of the segments list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentSummary {
    pub segment: Segment,
    /// Flags whose rules or rollouts use the segment.
    pub used_by: Vec<String>,
}

/// The segments page of a namespace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentListing {
    pub segments: Vec<SegmentSummary>,
    pub data_version: i64,
}

/// What the console shows: the answer for the flag's type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConsoleResult {
    Variant(VariantEvaluationResponse),
    Boolean(BooleanEvaluationResponse),
}

/// Checks a rule's distribution as the dashboard shows it: each share within 0–100 and all
/// of them together at most 100. The message names the total so people can fix it.
pub fn check_distribution(shares: &[f64]) -> Result<(), String> {
    if let Some(bad) = shares.iter().find(|s| !s.is_finite() || **s < 0.0 || **s > 100.0) {
        return Err(format!("each percentage must be between 0 and 100 (got {bad})"));
    }
    let total: f64 = shares.iter().sum();
    // Percentages have at most two decimals in the form; allow for float sums.
    if total > 100.0 + 1e-9 {
        return Err(format!(
            "the percentages add up to {}%; they must add up to 100% or less",
            round2(total)
        ));
    }
    Ok(())
}

/// `n` shares of 100 with two decimals, the last taking the remainder (33.33, 33.33, 33.34).
pub fn even_split(n: usize) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let each = (10_000 / n as i64) as f64 / 100.0;
    let mut shares = vec![each; n];
    shares[n - 1] = round2(100.0 - each * (n - 1) as f64);
    shares
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A metadata row as the editor shows it: key, value text, and whether the value is JSON
/// (numbers, booleans, objects…) rather than text.
pub fn metadata_rows(
    metadata: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Vec<(String, String, bool)> {
    metadata
        .into_iter()
        .flatten()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => (key.clone(), text.clone(), false),
            other => (key.clone(), other.to_string(), true),
        })
        .collect()
}

/// The metadata object from the editor's parallel lists (`kinds`: `json` or text). Rows with
/// neither key nor value are ignored; a value without a key, a key twice or broken JSON is
/// refused with a reason.
pub fn metadata_from_rows(
    keys: &[String],
    values: &[String],
    kinds: &[String],
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let mut map = serde_json::Map::new();
    for (index, key) in keys.iter().enumerate() {
        let key = key.trim();
        let value = values.get(index).map(String::as_str).unwrap_or_default();
        if key.is_empty() {
            if value.trim().is_empty() {
                continue;
            }
            return Err(format!("the value \"{value}\" has no key"));
        }
        let parsed = if kinds.get(index).map(String::as_str) == Some("json") {
            serde_json::from_str(value)
                .map_err(|e| format!("the value of \"{key}\" is not JSON: {e}"))?
        } else {
            serde_json::Value::String(value.to_string())
        };
        if map.insert(key.to_string(), parsed).is_some() {
            return Err(format!("the key \"{key}\" appears twice"));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_split_adds_up_to_one_hundred() {
        assert_eq!(even_split(3), vec![33.33, 33.33, 33.34]);
        assert_eq!(even_split(1), vec![100.0]);
        assert_eq!(even_split(4), vec![25.0; 4]);
        assert!(even_split(0).is_empty());
        for n in 1..=40 {
            let shares = even_split(n);
            assert_eq!(shares.len(), n);
            assert!(check_distribution(&shares).is_ok(), "{n}: {shares:?}");
            assert!((shares.iter().sum::<f64>() - 100.0).abs() < 1e-6, "{n}");
        }
    }

    #[test]
    fn metadata_rows_round_trip_and_refuse_what_is_ambiguous() {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let map = metadata_from_rows(
            &strings(&["team", "limit", "", "nested"]),
            &strings(&["checkout", "10", "", "{\"a\": [true]}"]),
            &strings(&["text", "json", "text", "json"]),
        )
        .unwrap();
        let expected =
            serde_json::json!({"team": "checkout", "limit": 10, "nested": {"a": [true]}});
        assert_eq!(serde_json::Value::Object(map.clone()), expected);
        let rows = metadata_rows(Some(&map));
        assert!(rows.contains(&("limit".into(), "10".into(), true)));
        assert!(rows.contains(&("team".into(), "checkout".into(), false)));
        let twice = metadata_from_rows(&strings(&["a", "a"]), &strings(&["1", "2"]), &[]);
        assert!(twice.unwrap_err().contains("appears twice"));
        let keyless = metadata_from_rows(&strings(&[""]), &strings(&["x"]), &[]);
        assert!(keyless.unwrap_err().contains("has no key"));
        let broken = metadata_from_rows(&strings(&["a"]), &strings(&["{"]), &strings(&["json"]));
        assert!(broken.unwrap_err().contains("is not JSON"));
        assert!(metadata_from_rows(&[], &[], &[]).unwrap().is_empty());
    }

    #[test]
    fn distributions_over_one_hundred_are_refused_with_the_total() {
        assert!(check_distribution(&[50.0, 50.0]).is_ok());
        assert!(check_distribution(&[]).is_ok());
        let error = check_distribution(&[60.0, 50.5]).unwrap_err();
        assert!(error.contains("110.5%"), "{error}");
        assert!(check_distribution(&[-1.0]).is_err());
        assert!(check_distribution(&[f64::NAN]).is_err());
        assert!(check_distribution(&[100.5]).is_err());
    }
}
