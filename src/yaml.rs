//! The one place that talks to the YAML crate (serde-saphyr).
//!
//! serde-saphyr is young and moves fast, so everything else goes through [`from_str`], which
//! turns its errors into a [`Diagnostic`] located in the *file* (the caller passes the line the
//! YAML starts on), names the offending key, and suggests the nearest known key for a typo.
//! Its default budget bounds nesting depth, alias expansion and node count, so an alias bomb or
//! a deeply nested block ends in an error rather than a hang.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::MessageFormatter;

use crate::error::Diagnostic;

/// Deserialize `yaml`, which starts on line `first_line` of the file at `path`.
/// On an unknown key, every other unknown top-level key of the block is reported with it,
/// so a note with several typos is fixed in one go; any other problem stops at the first.
pub fn from_str<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    first_line: usize,
) -> Result<T, Vec<Diagnostic>> {
    // An empty block is an empty mapping, so that "missing key" errors name the key.
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_saphyr::from_str(text).map_err(|err| {
        let plain = err.without_snippet();
        let raw = serde_saphyr::UserMessageFormatter
            .format_message(plain)
            .into_owned();
        let (line, column) = plain
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        let mut all = vec![to_diagnostic(&raw, (line, column), yaml, path, first_line)];
        // A top-level unknown key (at column 1): `expected` lists the block's keys, so every
        // other top-level key it does not know can be reported with it.
        if let Some((key, expected)) = parse_unknown_field(&raw)
            && column == 1
        {
            all.extend(
                key_lines(yaml)
                    .into_iter()
                    .filter(|k| {
                        k.indent == 0 && k.key != key && !expected.iter().any(|e| e == k.key)
                    })
                    .map(|k| {
                        Diagnostic::new(path, format!("unknown key `{}`", k.key))
                            .at(k.line + first_line - 1, 1)
                            .help(unknown_key_help(k.key, &expected))
                    }),
            );
        }
        all
    })
}

fn unknown_key_help(key: &str, expected: &[String]) -> String {
    match suggest(key, expected) {
        Some(best) => format!("did you mean `{best}`?"),
        None if expected.iter().any(|k| k == "extra") => format!(
            "known keys are {}; put keys of your own under `extra`",
            list(expected)
        ),
        None => format!("known keys are {}", list(expected)),
    }
}

/// The diagnostic for the parser's message `raw` at (`line`, `column`) of the YAML.
fn to_diagnostic(
    raw: &str,
    (line, column): (usize, usize),
    yaml: &str,
    path: &Path,
    first_line: usize,
) -> Diagnostic {
    let diag = Diagnostic::new(path, String::new()).at(line + first_line - 1, column);

    if let Some((key, expected)) = parse_unknown_field(raw) {
        let help = unknown_key_help(&key, &expected);
        return Diagnostic {
            message: format!("unknown key `{key}`"),
            ..diag
        }
        .help(help);
    }
    // A quote or bracket left open runs on into the next lines, and the parser notices only
    // there: point at the line that opened it.
    if let Some(open) = unclosed_before(yaml, line) {
        return Diagnostic::new(
            path,
            format!(
                "the value of `{}` opens {} that is not closed on its line",
                open.key, open.what
            ),
        )
        .at(open.line + first_line - 1, open.column)
        .help(format!("end the line with `{}`", open.closer));
    }
    if let Some(key) = between(raw, "missing field `", "`") {
        // For a top-level key the parser points at whatever key it read last; point at the
        // start of the block instead. Inside a nested mapping its position is the mapping's.
        let at = if column <= 1 {
            Diagnostic::new(path, "").at(first_line.saturating_sub(1).max(1), 1)
        } else {
            diag
        };
        return Diagnostic {
            message: format!("missing required key `{key}`"),
            ..at
        }
        .help(format!("add a line `{key}: …`"));
    }
    if let Some(key) = between(raw, "duplicate mapping key `", "`") {
        return Diagnostic {
            message: format!("`{key}` is set twice"),
            ..diag
        }
        .help("keep one of them");
    }
    if raw.contains("too large or too complex")
        || raw.contains("budget")
        || raw.contains("recursion limit")
    {
        return Diagnostic {
            message: "YAML is nested too deeply or expands too many aliases".into(),
            ..diag
        }
        .help("write the values out plainly; front matter needs no anchors or deep nesting");
    }
    let help = if raw.contains("boolean") {
        Some("write `true` or `false`")
    } else if raw.contains("null is not allowed") {
        Some("it is empty: give it a value")
    } else if raw.contains("tab") {
        Some("indent with spaces: YAML does not allow tabs for indentation")
    } else if raw.contains("mapping values are not allowed") {
        Some(
            "put text that contains `: ` in double quotes, e.g. `title: \"Kafka: the good parts\"`",
        )
    } else {
        None
    };
    let message = match key_at_line(yaml, line) {
        Some(key) => format!("invalid value for `{key}`: {raw}"),
        None => format!("invalid YAML: {raw}"),
    };
    let diag = Diagnostic { message, ..diag };
    match help {
        Some(h) => diag.help(h),
        None => diag,
    }
}

/// `unknown field `x`, expected one of a, b, c` → ("x", [a, b, c]).
fn parse_unknown_field(raw: &str) -> Option<(String, Vec<String>)> {
    let key = between(raw, "unknown field `", "`")?;
    let rest = raw.split_once(", expected ").map(|(_, r)| r).unwrap_or("");
    let rest = rest.strip_prefix("one of ").unwrap_or(rest);
    let expected = rest
        .split(", ")
        .map(|k| k.trim().trim_matches('`').to_string())
        .filter(|k| !k.is_empty() && !k.contains(' '))
        .collect();
    Some((key.to_string(), expected))
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

/// The nearest known key, if it is close enough to be a typo.
pub fn suggest<'a>(key: &str, known: &'a [String]) -> Option<&'a str> {
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), k))
        .filter(|(d, k)| *d <= 1 || (*d == 2 && k.len() >= 7))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn list(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `key: value` line of a YAML block.
struct KeyLine<'a> {
    /// 1-based, in the block.
    line: usize,
    /// Columns before the key; the `- ` of a list item counts as indentation.
    indent: usize,
    key: &'a str,
    /// The text after the colon, as written.
    value: &'a str,
}

/// Every line of `yaml` that starts a `key:` (plain or quoted, without spaces): what error
/// messages name keys and positions by.
fn key_lines(yaml: &str) -> Vec<KeyLine<'_>> {
    yaml.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let text = l.trim_start();
            let text = text.strip_prefix("- ").unwrap_or(text);
            if text.starts_with('#') {
                return None;
            }
            let (key, value) = text.split_once(':')?;
            let key = key.trim_end().trim_matches(['"', '\'']);
            if key.is_empty() || key.contains(char::is_whitespace) || key.contains(['"', '\'']) {
                return None;
            }
            Some(KeyLine {
                line: i + 1,
                indent: l.len() - text.len(),
                key,
                value,
            })
        })
        .collect()
}

/// The key whose value covers `line` (1-based, in the YAML), with its parents: `event.name`.
/// The nearest `key:` at or above the line, then each less indented `key:` above that.
fn key_at_line(yaml: &str, line: usize) -> Option<String> {
    let mut path: Vec<&str> = Vec::new();
    let mut limit = usize::MAX;
    for k in key_lines(yaml).iter().rev().filter(|k| k.line <= line) {
        if k.indent < limit {
            path.push(k.key);
            limit = k.indent;
        }
        if limit == 0 {
            path.reverse();
            return Some(path.join("."));
        }
    }
    None
}

/// A key whose value opens a quote or bracket without closing it on the same line.
struct Unclosed {
    line: usize,
    column: usize,
    key: String,
    what: &'static str,
    closer: char,
}

/// The last `key: value` line before `line` (1-based) whose value opens a quote or a flow
/// list/map and leaves it open. Valid YAML may do that on purpose; this is only asked once
/// parsing has failed.
fn unclosed_before(yaml: &str, line: usize) -> Option<Unclosed> {
    let lines: Vec<&str> = yaml.lines().collect();
    key_lines(yaml)
        .into_iter()
        .rev()
        .filter(|k| k.line < line)
        .filter_map(|k| {
            let trimmed = k.value.trim_start();
            let full = lines.get(k.line - 1)?;
            let column = full.len() - trimmed.len() + 1;
            let value = trimmed.trim_end();
            let (what, closer, open) = match value.chars().next()? {
                '"' => {
                    let body = &value[1..];
                    let closed = body
                        .char_indices()
                        .any(|(j, c)| c == '"' && !body[..j].ends_with('\\'));
                    ("a double quote", '"', !closed)
                }
                '\'' => (
                    "a single quote",
                    '\'',
                    value[1..].matches('\'').count() % 2 == 0,
                ),
                '[' => (
                    "`[`",
                    ']',
                    value.matches('[').count() > value.matches(']').count(),
                ),
                '{' => (
                    "`{`",
                    '}',
                    value.matches('{').count() > value.matches('}').count(),
                ),
                _ => return None,
            };
            open.then(|| Unclosed {
                line: k.line,
                column,
                key: k.key.to_string(),
                what,
                closer,
            })
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let known: Vec<String> = ["title", "speakers", "recommended", "day"]
            .map(String::from)
            .to_vec();
        assert_eq!(suggest("titel", &known), Some("title"));
        assert_eq!(suggest("speaker", &known), Some("speakers"));
        assert_eq!(suggest("recomended", &known), Some("recommended"));
        assert_eq!(suggest("colour", &known), None);
        assert_eq!(suggest("foo", &["room".to_string()]), None);
    }

    #[test]
    fn finds_the_key_of_a_line() {
        let yaml = "title: x\nspeakers:\n  - a\n  - [b\nday: 1\n";
        assert_eq!(key_at_line(yaml, 4).as_deref(), Some("speakers"));
        assert_eq!(key_at_line(yaml, 5).as_deref(), Some("day"));
    }
}
