//! How deeply a YAML or JSON text nests, measured in one pass before any parser runs: parsers
//! spend time (for YAML, growing with the square of the depth) and stack on deep nesting, so a
//! document nested far beyond anything Flipt writes is refused at the cost of reading it once.
//!
//! The measure is an upper estimate of the parser's nesting: indentation levels of block
//! collections, `- ` entries that open a sequence on the same line, and open `[`/`{` of flow
//! collections (JSON is one), skipping quoted strings, comments and block scalars.

/// The deepest nesting found, or the line where it first passes `limit` (as `Err`).
pub fn check(text: &str, limit: usize) -> Result<usize, usize> {
    let mut scan = Scan::default();
    for (index, line) in text.lines().enumerate() {
        let depth = scan.line(line);
        if depth > limit {
            return Err(index + 1);
        }
        scan.deepest = scan.deepest.max(depth);
    }
    Ok(scan.deepest)
}

#[derive(Default)]
struct Scan {
    /// Indentation of the enclosing block collections.
    indents: Vec<usize>,
    /// Open flow brackets (they may span lines).
    flow: usize,
    /// Inside a quoted string that spans lines: its quote.
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`) introduced at this indentation.
    scalar: Option<usize>,
    deepest: usize,
}

impl Scan {
    /// Reads one line and returns the nesting depth reached on it.
    fn line(&mut self, line: &str) -> usize {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let content = &bytes[indent..];
        if let Some(parent) = self.scalar {
            if content.is_empty() || indent > parent {
                return self.indents.len();
            }
            self.scalar = None;
        }
        if self.flow == 0 && self.quote.is_none() {
            if content.is_empty() || content[0] == b'#' {
                return self.indents.len();
            }
            while self.indents.last().is_some_and(|top| *top > indent) {
                self.indents.pop();
            }
            if self.indents.last().is_none_or(|top| *top < indent) {
                self.indents.push(indent);
            }
        }
        let mut base = self.indents.len();
        let mut at = 0;
        // `- - - x`: each dash opens a sequence on this line.
        if self.flow == 0 && self.quote.is_none() {
            while content[at..].starts_with(b"- ") {
                base += 1;
                at += 2;
            }
            if &content[at..] == b"-" {
                return base + 1;
            }
        }
        let mut deepest = base + self.flow;
        let mut previous = b' ';
        // The last byte outside strings that is not white space: a quote opens a string only
        // where a scalar can start (`it's` in a plain scalar is an apostrophe).
        let mut last: Option<u8> = None;
        while at < content.len() {
            let byte = content[at];
            match self.quote {
                Some(b'"') if byte == b'\\' => at += 1,
                Some(quote) if byte == quote => self.quote = None,
                Some(_) => {}
                None => match byte {
                    b'"' | b'\'' if last.is_none_or(|b| b":-[{,?".contains(&b)) => {
                        self.quote = Some(byte)
                    }
                    b'#' if previous == b' ' || previous == b'\t' => break,
                    b'[' | b'{' => {
                        self.flow += 1;
                        deepest = deepest.max(base + self.flow);
                    }
                    b']' | b'}' => self.flow = self.flow.saturating_sub(1),
                    b'|' | b'>' if self.flow == 0 && is_scalar_start(&content[at..]) => {
                        self.scalar = Some(indent);
                        break;
                    }
                    _ => {}
                },
            }
            if self.quote.is_none() && byte != b' ' && byte != b'\t' {
                last = Some(byte);
            }
            previous = byte;
            at += 1;
        }
        deepest
    }
}

/// `|`, `>`, `|-`, `>+2` and the like at the end of a line (before a comment) start a block
/// scalar.
fn is_scalar_start(rest: &[u8]) -> bool {
    let after = rest[1..].iter().position(|b| !matches!(b, b'-' | b'+' | b'0'..=b'9'));
    match after {
        None => true,
        Some(offset) => {
            let tail = &rest[1 + offset..];
            let trimmed = tail.iter().skip_while(|b| **b == b' ').collect::<Vec<_>>();
            trimmed.is_empty() || *trimmed[0] == b'#'
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flipt_documents_nest_shallowly() {
        let document = "version: \"1.4\"\nnamespace:\n  key: team\nflags:\n  - key: a\n    \
                        variants:\n      - key: v\n        attachment:\n          list: [1, {a: [2]}]\n    \
                        description: |\n      text with [brackets and {braces\n      - and dashes\n";
        let depth = check(document, 64).unwrap();
        assert!((5..=9).contains(&depth), "{depth}");
        let json = r#"{"flags": [{"key": "a", "rules": [{"segments": ["s"]}]}]}"#;
        assert_eq!(check(json, 64), Ok(7));
        assert_eq!(check("- a\n-\n- b\n", 64), Ok(2));
    }

    #[test]
    fn strings_and_comments_do_not_count() {
        assert_eq!(check(r#"{"a": "[[[[{{{{", "b": '[[['}"#, 64), Ok(2));
        assert_eq!(check("a: b # [[[[[[\n", 2), Ok(1));
        assert_eq!(check("key: \"multi\n  line [[[[ \\\" [[\"\nnext: 1\n", 2), Ok(1));
    }

    #[test]
    fn an_apostrophe_in_a_plain_scalar_opens_no_string() {
        let text = format!("description: it's here\nflags: {}", "[".repeat(1000));
        assert_eq!(check(&text, 64), Err(2));
        assert_eq!(check("a: 'quoted [[['\nb: \"x\"\n", 2), Ok(1));
    }

    #[test]
    fn deep_nesting_is_found_in_every_form() {
        let limit = 64;
        assert_eq!(check(&"[".repeat(100_000), limit), Err(1));
        assert_eq!(check(&format!("{}x", "- ".repeat(100_000)), limit), Err(1));
        let block: String = (0..100).map(|n| format!("{}k{n}:\n", " ".repeat(n))).collect();
        assert_eq!(check(&block, limit), Err(limit + 1));
        let json_lines: String = (0..100).map(|_| "{\"a\":\n").collect();
        assert_eq!(check(&json_lines, limit), Err(limit));
    }

    #[test]
    fn a_block_scalar_ends_where_its_indentation_does() {
        let text = "a:\n  b: >-\n    [[[[[[[[\n    {{{{{{\n  c: [1]\n";
        assert_eq!(check(text, 4), Ok(3));
    }
}
