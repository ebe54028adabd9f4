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
///
/// Every problem of the block is reported at once, not only the first in key order: after a
/// problem in a top-level key's value (a bad type, an unknown key, a key set twice), that
/// key's lines are blanked and the block is read again, until it reads or a problem remains
/// that blanking cannot get past (a syntax error, a missing key).
pub fn from_str<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    first_line: usize,
) -> Result<T, Vec<Diagnostic>> {
    // An empty block is an empty mapping, so that "missing key" errors name the key.
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    let err = match serde_saphyr::from_str::<T>(text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let mut all = Vec::new();
    let mut text = yaml.to_string();
    let mut blanked: Vec<String> = Vec::new();
    // Keys a typo's "did you mean" names: their absence is that typo, reported already.
    let mut suggested: Vec<String> = Vec::new();
    let mut err = err;
    // Bounded: each round blanks one more top-level key.
    for _ in 0..64 {
        let plain = err.without_snippet();
        let kind = Kind::of(plain);
        if let Kind::Missing(key) = &kind
            && blanked.iter().chain(&suggested).any(|b| b == key)
        {
            break; // missing only because its value was blanked, or misspelt: reported
        }
        if let Kind::UnknownKey { key, expected } = &kind
            && let Some(best) = suggest(key, expected)
        {
            suggested.push(best.to_string());
        }
        let raw = serde_saphyr::UserMessageFormatter
            .format_message(plain)
            .into_owned();
        let (line, column) = plain
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        all.push(to_diagnostic(
            &kind,
            &raw,
            (line, column),
            yaml,
            path,
            first_line,
        ));
        if !kind.can_continue() {
            break;
        }
        let key = match &kind {
            Kind::UnknownKey { key, .. } if column == 1 => Some(key.clone()),
            _ => top_key_at_line(&text, line).map(str::to_string),
        };
        let Some(key) = key.filter(|k| !blanked.contains(k)) else {
            break;
        };
        text = blank_top_level_key(&text, &key);
        blanked.push(key);
        match serde_saphyr::from_str::<T>(if text.trim().is_empty() { "{}" } else { &text }) {
            Ok(_) => break,
            Err(e) => err = e,
        }
    }
    all.sort_by_key(|d| (d.line, d.column));
    all.dedup();
    Err(all)
}

/// What went wrong, decided from the YAML crate's error *kind* — never from its message
/// text, which can hold the user's own words (`day: stable` must not be told about tabs).
enum Kind {
    UnknownKey {
        key: String,
        expected: Vec<String>,
    },
    Missing(String),
    Duplicate(Option<String>),
    /// Alias expansion, nesting depth or size limits.
    TooComplex,
    Tab,
    /// `key: a: b` in a plain value.
    ColonInPlainValue,
    /// A boolean where a boolean was wanted, but the text is not one.
    NotABoolean,
    /// `yes`, `no`, `on`, `off`, `y`, `n` (YAML 1.1 booleans) where text was wanted.
    BooleanForText,
    Empty,
    /// A value of the wrong type or form (serde's own checks and ours).
    Value,
    /// Any other syntax error.
    Syntax,
}

impl Kind {
    fn of(err: &serde_saphyr::Error) -> Kind {
        use serde_saphyr::Error as E;
        use serde_saphyr::granit_parser::ErrorKind as S;
        match err {
            E::WithSnippet { error, .. } => Kind::of(error),
            E::AliasError { error, .. } => Kind::of(error),
            E::SerdeUnknownField {
                field, expected, ..
            } => Kind::UnknownKey {
                key: field.clone(),
                expected: expected.iter().map(|e| e.to_string()).collect(),
            },
            E::SerdeMissingField { field, .. } => Kind::Missing(field.to_string()),
            E::DuplicateMappingKey { key, .. } => Kind::Duplicate(key.clone()),
            E::Budget { .. }
            | E::AliasReplayCounterOverflow { .. }
            | E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. } => Kind::TooComplex,
            E::InvalidBooleanStrict { .. } => Kind::NotABoolean,
            E::InvalidScalar { ty, .. } if *ty == "boolean" => Kind::NotABoolean,
            E::InvalidScalar { .. } => Kind::Value,
            E::SerdeInvalidType {
                unexpected,
                expected,
                ..
            } => {
                // serde's own words: `unexpected` is "boolean `true`" for a boolean (the
                // user's text never appears in it then), `expected` our types' wording.
                if expected == "a boolean" {
                    Kind::NotABoolean
                } else if unexpected == "boolean `true`" || unexpected == "boolean `false`" {
                    Kind::BooleanForText
                } else {
                    Kind::Value
                }
            }
            E::NullIntoString { .. } => Kind::Empty,
            E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::SerdeUnknownVariant { .. }
            | E::Message { .. }
            | E::QuotingRequired { .. } => Kind::Value,
            E::ExternalMessage { source, .. } => match &**source {
                serde_saphyr::localizer::ExternalMessageSource::Parser(scan) => match scan.kind() {
                    S::TabNotAllowed
                    | S::TabInBlockIndentation
                    | S::TabInIndentation
                    | S::TabAtBlockScalarStart => Kind::Tab,
                    S::MappingValueNotAllowed => Kind::ColonInPlainValue,
                    S::RecursionLimitExceeded => Kind::TooComplex,
                    _ => Kind::Syntax,
                },
                _ => Kind::Value,
            },
            _ => Kind::Syntax,
        }
    }

    /// Whether the rest of the block can still be read once this key is blanked: a problem
    /// inside one value can, a broken block (syntax, limits) or a missing key cannot.
    fn can_continue(&self) -> bool {
        matches!(
            self,
            Kind::UnknownKey { .. }
                | Kind::Duplicate(_)
                | Kind::NotABoolean
                | Kind::BooleanForText
                | Kind::Empty
                | Kind::Value
        )
    }
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

/// The diagnostic for a problem of `kind` (the parser's message `raw`) at (`line`,
/// `column`) of the YAML.
fn to_diagnostic(
    kind: &Kind,
    raw: &str,
    (line, column): (usize, usize),
    yaml: &str,
    path: &Path,
    first_line: usize,
) -> Diagnostic {
    let diag = Diagnostic::new(path, String::new()).at(line + first_line - 1, column);

    if let Kind::UnknownKey { key, expected } = kind {
        let help = unknown_key_help(key, expected);
        return Diagnostic {
            message: format!("unknown key `{key}`"),
            ..diag
        }
        .help(help);
    }
    // A quote or bracket left open runs on into the next lines, and the parser notices only
    // there: point at the line that opened it.
    if matches!(kind, Kind::Syntax | Kind::ColonInPlainValue)
        && let Some(open) = unclosed_before(yaml, line)
    {
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
    match kind {
        Kind::Missing(key) => {
            // For a top-level key the parser points at whatever key it read last; point at
            // the start of the block instead. Inside a nested mapping its position is the
            // mapping's.
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
        Kind::Duplicate(key) => {
            let key = key.clone().or_else(|| key_at_line(yaml, line));
            return Diagnostic {
                message: match key {
                    Some(k) => format!("`{k}` is set twice"),
                    None => "a key is set twice".into(),
                },
                ..diag
            }
            .help("keep one of them");
        }
        Kind::TooComplex => {
            return Diagnostic {
                message: "YAML is nested too deeply or expands too many aliases".into(),
                ..diag
            }
            .help("write the values out plainly; front matter needs no anchors or deep nesting");
        }
        _ => {}
    }
    let help = match kind {
        Kind::NotABoolean => Some("write `true` or `false`"),
        Kind::BooleanForText => Some(
            "YAML reads yes, no, on, off, y and n as true or false: put the text in quotes, e.g. `[\"Yes\"]`",
        ),
        Kind::Empty => Some("it is empty: give it a value"),
        Kind::Tab => Some("indent with spaces: YAML does not allow tabs for indentation"),
        Kind::ColonInPlainValue => Some(
            "put text that contains `: ` in double quotes, e.g. `title: \"Kafka: the good parts\"`",
        ),
        _ => None,
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

/// A top-level `key: a, b` whose plain value holds a comma: YAML reads it as one text, but
/// the writer most likely meant a list. Returns the value's line and column in the block.
pub fn unbracketed_list<'a>(yaml: &'a str, key: &str) -> Option<(usize, usize, &'a str)> {
    let k = key_lines(yaml)
        .into_iter()
        .find(|k| k.indent == 0 && k.key == key)?;
    let value = k.value.trim();
    let value = value.split(" #").next().unwrap_or(value).trim_end();
    let plain = !value.starts_with(['[', '{', '"', '\'', '-', '|', '>', '&', '*', '!', '#']);
    if !plain || !value.contains(',') {
        return None;
    }
    let line = yaml.lines().nth(k.line - 1)?;
    let column = line
        .find(value)
        .map_or(1, |i| line[..i].chars().count() + 1);
    Some((k.line, column, value))
}

/// The top-level key whose value covers `line` (1-based).
fn top_key_at_line(yaml: &str, line: usize) -> Option<&str> {
    key_lines(yaml)
        .into_iter()
        .rev()
        .find(|k| k.line <= line && k.indent == 0)
        .map(|k| k.key)
}

/// `yaml` with every top-level entry of `key` (its line and the more indented lines below
/// it) replaced by empty lines, so line numbers stay as they were.
fn blank_top_level_key(yaml: &str, key: &str) -> String {
    let starts: Vec<(usize, bool)> = key_lines(yaml)
        .into_iter()
        .filter(|k| k.indent == 0)
        .map(|k| (k.line, k.key == key))
        .collect();
    let mut out = String::with_capacity(yaml.len());
    let mut blanking = false;
    for (i, l) in yaml.split_inclusive('\n').enumerate() {
        if let Some((_, is_key)) = starts.iter().find(|(n, _)| *n == i + 1) {
            blanking = *is_key;
        }
        if blanking {
            if l.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(l);
        }
    }
    out
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
