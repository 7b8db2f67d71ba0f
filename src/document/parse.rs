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

/// Parses every document of a file. `json` picks the JSON reader (one object, or several in a
/// row as Flipt writes multi-namespace exports), otherwise YAML.
///
/// As in Flipt, the first document's `version` (1.4 when absent) sets which fields the whole
/// file may use: `type` and `rollouts` need 1.1, rollout `segment.keys` 1.2, variant `default`
/// 1.3.
pub fn parse(text: &str, json: bool) -> Result<Vec<Document>, ParseError> {
    parse_limited(text, json, DEFAULT_MAX_DEPTH)
}

/// The default of `document_max_depth`: Flipt's own documents nest about 10 deep.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// [`parse`], refusing before any parsing a text that nests deeper than `max_depth`.
pub fn parse_limited(
    text: &str,
    json: bool,
    max_depth: usize,
) -> Result<Vec<Document>, ParseError> {
    if let Err(line) = super::depth::check(text, max_depth) {
        return Err(ParseError(format!(
            "line {line}: the document nests deeper than {max_depth} levels \
             (document_max_depth); nothing was imported"
        )));
    }
    let documents = if json { parse_json(text)? } else { parse_yaml(text)? };
    let Some(first) = documents.first() else {
        return Err(ParseError(
            "the file holds no Flipt document: no namespace, flags or segments; nothing was imported"
                .into(),
        ));
    };
    let file_version = if first.version.is_empty() { LATEST } else { first.version.as_str() };
    let file_version = minor(file_version);
    for (index, document) in documents.iter().enumerate() {
        check_fields(index + 1, document, file_version)?;
        let value = serde_json::to_value(document).map_err(|e| ParseError(e.to_string()))?;
        if super::has_nul(&value) {
            return Err(ParseError(format!(
                "document {}: text values must not contain NUL characters (U+0000)",
                index + 1
            )));
        }
    }
    Ok(documents)
}

fn parse_json(text: &str) -> Result<Vec<Document>, ParseError> {
    let body = match text.trim_start().strip_prefix('#') {
        Some(rest) => rest.split_once('\n').map_or("", |(_, body)| body),
        None => text,
    };
    let mut documents = Vec::new();
    for (index, document) in serde_json::Deserializer::from_str(body).into_iter().enumerate() {
        let at = |e: serde_json::Error| {
            ParseError(format!(
                "document {}: line {} column {}: {e}",
                index + 1,
                e.line(),
                e.column()
            ))
        };
        let value: serde_json::Value = document.map_err(at)?;
        let keys: Option<Vec<&str>> =
            value.as_object().map(|o| o.keys().map(String::as_str).collect());
        check_shape(index + 1, keys.as_deref())?;
        let document: Document = serde_json::from_value(value)
            .map_err(|e| ParseError(format!("document {}: {e}", index + 1)))?;
        check_version(index + 1, &document)?;
        documents.push(document);
    }
    Ok(documents)
}

fn parse_yaml(text: &str) -> Result<Vec<Document>, ParseError> {
    let mut documents = Vec::new();
    for (index, raw) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let value = serde_yaml::Value::deserialize(raw).map_err(|e| located(index + 1, &e))?;
        if value.is_null() {
            continue;
        }
        let keys: Option<Vec<&str>> =
            value.as_mapping().map(|m| m.keys().map(|k| k.as_str().unwrap_or("?")).collect());
        check_shape(index + 1, keys.as_deref())?;
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

/// The top-level keys of Flipt's document format.
const KEYS: &[&str] = &["version", "namespace", "flags", "segments"];

/// A document is a mapping of Flipt's keys holding at least a namespace, flags or segments:
/// anything else (a Flipt configuration file uploaded by mistake, a list, a bare string) is
/// refused with what was found, instead of importing as an empty document.
fn check_shape(number: usize, keys: Option<&[&str]>) -> Result<(), ParseError> {
    let Some(keys) = keys else {
        return Err(ParseError(format!(
            "document {number}: not a Flipt document: expected a mapping with {}",
            KEYS.join(", ")
        )));
    };
    let foreign: Vec<&str> = keys.iter().copied().filter(|k| !KEYS.contains(k)).collect();
    if !foreign.is_empty() {
        let shown: Vec<String> = foreign.iter().take(8).map(|k| format!("{k:?}")).collect();
        let more = if foreign.len() > 8 {
            format!(" and {} more", foreign.len() - 8)
        } else {
            String::new()
        };
        return Err(ParseError(format!(
            "document {number}: not a Flipt document: top-level key{} {}{more} {} not part of Flipt's format \
             (version, namespace, flags, segments); nothing was imported",
            if foreign.len() == 1 { "" } else { "s" },
            shown.join(", "),
            if foreign.len() == 1 { "is" } else { "are" },
        )));
    }
    if !keys.iter().any(|k| matches!(*k, "namespace" | "flags" | "segments")) {
        let found = if keys.is_empty() { "nothing".to_string() } else { keys.join(", ") };
        return Err(ParseError(format!(
            "document {number}: no namespace, flags or segments (found: {found}); nothing was imported"
        )));
    }
    Ok(())
}

/// The newest version this importer reads, assumed when a file names none.
const LATEST: &str = "1.4";

/// The minor number of a supported `1.x` version.
fn minor(version: &str) -> u32 {
    version.strip_prefix("1.").and_then(|m| m.parse().ok()).unwrap_or(0)
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

/// Rejects fields newer than the file's version, with Flipt's wording.
fn check_fields(number: usize, document: &Document, have: u32) -> Result<(), ParseError> {
    let needs = |field: &str, minimum: u32| {
        if have < minimum {
            Err(ParseError(format!(
                "document {number}: {field} is supported in version >=1.{minimum}, found 1.{have}"
            )))
        } else {
            Ok(())
        }
    };
    for flag in &document.flags {
        if flag.flag_type.as_deref().is_some_and(|t| !t.is_empty()) {
            needs("flag.type", 1)?;
        }
        if flag.variants.iter().any(|v| v.default) {
            needs("variant.default", 3)?;
        }
        if !flag.rollouts.is_empty() {
            needs("flag.rollouts", 1)?;
        }
        if flag.rollouts.iter().any(|r| r.segment.as_ref().is_some_and(|s| !s.keys.is_empty())) {
            needs("flag.rollouts[*].segment.keys", 2)?;
        }
    }
    Ok(())
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

    #[test]
    fn json_streams_and_fields_newer_than_the_file_version() {
        let stream = "{\"namespace\": \"a\"}\n{\"namespace\": \"b\", \"segments\": [{\"key\": \"s\", \"name\": \"S\"}]}\n";
        let docs = parse(stream, true).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].segments[0].match_type, "ALL_MATCH_TYPE");
        let broken = parse("{\"namespace\": \"a\"}\n{\"namespace\": ", true).unwrap_err();
        assert!(broken.to_string().starts_with("document 2: line 2"), "{broken}");

        let typed =
            "version: '1.0'\nflags:\n  - key: f\n    name: F\n    type: BOOLEAN_FLAG_TYPE\n";
        let error = parse(typed, false).unwrap_err().to_string();
        assert!(error.contains("flag.type is supported in version >=1.1, found 1.0"), "{error}");
        // The first document's version governs the documents after it.
        let later =
            format!("version: '1.2'\nnamespace: a\n---\n{}", typed.replace("version: '1.0'\n", ""));
        assert!(parse(&later, false).is_ok());
        let default = "version: '1.2'\nflags:\n  - key: f\n    name: F\n    variants:\n      - key: v\n        default: true\n";
        let error = parse(default, false).unwrap_err().to_string();
        assert!(
            error.contains("variant.default is supported in version >=1.3, found 1.2"),
            "{error}"
        );
        assert!(parse(&default.replace("'1.2'", "'1.3'"), false).is_ok());
        assert!(parse(&default.replace("version: '1.2'\n", ""), false).is_ok());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::parse;
    use crate::{document::to_yaml_stream, testing::strategies::document};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any text is read or refused with a message; the parser never panics.
        #[test]
        fn any_text_is_read_or_refused(text in "\\PC{0,200}|(version|namespace|flags|segments|key|name|rules|- |: |\\{|\\}|\\[|\\]|\n|  |'|\")*") {
            for json in [false, true] {
                if let Err(error) = parse(&text, json) {
                    prop_assert!(!error.to_string().is_empty());
                }
            }
        }

        /// Documents survive writing and reading, as YAML and as a JSON stream; one holding a
        /// NUL character (which no database should store) is refused in both forms.
        #[test]
        fn documents_round_trip(documents in proptest::collection::vec(document(), 1..3)) {
            let yaml = to_yaml_stream(&documents).unwrap();
            let json: Vec<String> = documents.iter().map(|d| serde_json::to_string(d).unwrap()).collect();
            let json = json.join("\n");
            if crate::document::has_nul(&serde_json::to_value(&documents).unwrap()) {
                for (text, is_json) in [(&yaml, false), (&json, true)] {
                    let error = parse(text, is_json).unwrap_err().to_string();
                    prop_assert!(error.contains("NUL characters"), "{}", error);
                }
            } else {
                prop_assert_eq!(&parse(&yaml, false).unwrap(), &documents);
                prop_assert_eq!(&parse(&json, true).unwrap(), &documents);
            }
        }
    }
}
