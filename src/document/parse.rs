//! Reading Flipt documents: a YAML stream (`---` between namespaces) or JSON (optionally after
//! one `#` comment line, as Flipt writes files), versions 1.0 to 1.4. Errors say where.

use serde::Deserialize;

use super::Document;

/// Versions of Flipt's format this importer reads.
pub const SUPPORTED: &[&str] = &["1.0", "1.1", "1.2", "1.3", "1.4"];

/// Why a document could not be read; the message names the document and, for syntax, the
/// line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// Parses every document of a file. `json` picks the JSON reader, otherwise YAML.
pub fn parse(text: &str, json: bool) -> Result<Vec<Document>, ParseError> {
    if json {
        let body = match text.trim_start().strip_prefix('#') {
            Some(rest) => rest.split_once('\n').map_or("", |(_, body)| body),
            None => text,
        };
        let document: Document = serde_json::from_str(body).map_err(|e| {
            ParseError(format!("document 1: line {} column {}: {e}", e.line(), e.column()))
        })?;
        check_version(1, &document)?;
        return Ok(vec![document]);
    }
    let mut documents = Vec::new();
    for (index, raw) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let value = serde_yaml::Value::deserialize(raw).map_err(|e| located(index + 1, &e))?;
        if value.is_null() {
            continue;
        }
        let document: Document =
            serde_yaml::from_value(value).map_err(|e| located(index + 1, &e))?;
        check_version(index + 1, &document)?;
        documents.push(document);
    }
    Ok(documents)
}

fn located(number: usize, error: &serde_yaml::Error) -> ParseError {
    match error.location() {
        Some(at) => ParseError(format!(
            "document {number}: line {} column {}: {error}",
            at.line(),
            at.column()
        )),
        None => ParseError(format!("document {number}: {error}")),
    }
}

fn check_version(number: usize, document: &Document) -> Result<(), ParseError> {
    if document.version.is_empty() || SUPPORTED.contains(&document.version.as_str()) {
        return Ok(());
    }
    Err(ParseError(format!(
        "document {number}: unsupported version {:?} (supported: {})",
        document.version,
        SUPPORTED.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_streams_json_and_errors_with_positions() {
        let two =
            "version: '1.2'\nnamespace: a\nflags:\n  - key: f\n    name: F\n---\nnamespace: b\n";
        let docs = parse(two, false).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].flags[0].key, "f");

        let json = "# exported by Flipt\n{\"version\": \"1.4\", \"namespace\": \"x\"}";
        assert_eq!(parse(json, true).unwrap().len(), 1);

        let broken =
            parse("namespace: a\nflags:\n  - key: [unclosed\n", false).unwrap_err().to_string();
        assert!(broken.contains("document 1: line"), "{broken}");
        let wrong = parse("version: '2.0'\nnamespace: a\n", false).unwrap_err().to_string();
        assert!(wrong.contains("unsupported version"), "{wrong}");
        let missing =
            parse("namespace: a\nflags:\n  - name: no key\n", false).unwrap_err().to_string();
        assert!(missing.contains("missing field `key`"), "{missing}");
    }
}
