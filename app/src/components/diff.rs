//! A readable summary of one change: which fields changed, from what, to what.

use serde_json::Value;

use crate::domain::Change;

/// Fields that change on every write and say nothing on their own.
const NOISE: &[&str] = &["updatedAt", "version"];

fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(79).collect::<String>())
    } else {
        text
    }
}

/// One line per changed field for an update; a one-line summary otherwise.
pub fn describe(change: &Change) -> Vec<String> {
    match (change.action.as_str(), &change.before, &change.after) {
        ("updated", Some(Value::Object(before)), Some(Value::Object(after))) => {
            let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
            keys.sort();
            keys.dedup();
            let lines: Vec<String> = keys
                .into_iter()
                .filter(|k| !NOISE.contains(&k.as_str()))
                .filter_map(|k| {
                    let (old, new) = (
                        before.get(k).unwrap_or(&Value::Null),
                        after.get(k).unwrap_or(&Value::Null),
                    );
                    (old != new).then(|| format!("{k}: {} → {}", show(old), show(new)))
                })
                .collect();
            if lines.is_empty() {
                vec!["no visible change".into()]
            } else {
                lines
            }
        }
        ("updated", Some(before), Some(after)) => {
            vec![format!("{} → {}", show(before), show(after))]
        }
        ("imported" | "restored", _, Some(document)) => {
            let count =
                |field: &str| document.get(field).and_then(Value::as_array).map_or(0, Vec::len);
            vec![format!("{} flags, {} segments", count("flags"), count("segments"))]
        }
        ("created", _, Some(after)) => {
            vec![format!("created {}", show(after.get("name").unwrap_or(&Value::Null)))]
        }
        ("deleted", Some(before), _) => {
            vec![format!("deleted {}", show(before.get("name").unwrap_or(&Value::Null)))]
        }
        _ => vec![change.action.clone()],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn change(action: &str, before: Option<Value>, after: Option<Value>) -> Change {
        Change {
            id: 1,
            namespace_key: "ns".into(),
            resource_type: "flag".into(),
            resource_key: "f".into(),
            action: action.into(),
            actor: "anonymous".into(),
            before,
            after,
            created_at: String::new(),
        }
    }

    #[test]
    fn updates_list_the_fields_that_changed() {
        let before = json!({"name": "A", "enabled": false, "version": 1, "updatedAt": "x"});
        let after = json!({"name": "B", "enabled": false, "version": 2, "updatedAt": "y"});
        assert_eq!(
            describe(&change("updated", Some(before), Some(after))),
            vec!["name: \"A\" → \"B\""]
        );
        let order =
            describe(&change("updated", Some(json!(["r1", "r2"])), Some(json!(["r2", "r1"]))));
        assert_eq!(order, vec!["[\"r1\",\"r2\"] → [\"r2\",\"r1\"]"]);
    }

    #[test]
    fn creations_deletions_and_imports_are_summarised() {
        assert_eq!(
            describe(&change("created", None, Some(json!({"name": "F"})))),
            vec!["created \"F\""]
        );
        assert_eq!(
            describe(&change("deleted", Some(json!({"name": "F"})), None)),
            vec!["deleted \"F\""]
        );
        let doc = json!({"flags": [{}, {}], "segments": [{}]});
        assert_eq!(describe(&change("restored", None, Some(doc))), vec!["2 flags, 1 segments"]);
        let long = "x".repeat(200);
        let lines = describe(&change("updated", Some(json!({"d": ""})), Some(json!({"d": long}))));
        assert!(lines[0].chars().count() < 100, "long values are shortened");
    }
}
