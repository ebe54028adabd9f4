//! Re-import edits a note's front matter as bytes, not as YAML: only the values the schedule
//! changed are replaced, each in its own span. The BOM, the file's line endings (CRLF or LF,
//! per line as they were; new lines get the file's own), comments on the edited lines, every
//! other line and the body stay byte for byte as they were.
//!
//! Understood forms, per top-level key: an inline value (plain, quoted or a flow collection,
//! with or without a trailing `# comment`), a block scalar or multi-line value (replaced
//! whole), and for `speakers` a block sequence (the item of a speaker who stays is kept as
//! written, with its comment and affiliation). A file the editor cannot place an edit in is
//! left alone: [`edit`] returns `None`.

use crate::parse::types::Speaker;

/// A new value for a top-level key.
#[derive(Debug, Clone, PartialEq)]
pub enum New {
    /// An inline YAML value, already written (`"10:15"`, `Tan Room`, `45`).
    Inline(String),
    /// The speakers' names, in order; `old` are the note's speakers as parsed.
    Speakers {
        names: Vec<String>,
        old: Vec<Speaker>,
    },
    /// The key goes.
    Remove,
}

/// The note `raw` with `edits` made; `None` if it has no front matter to edit.
pub fn edit(raw: &str, edits: &[(&str, New)]) -> Option<String> {
    let (bom, text) = match raw.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", raw),
    };
    let (open, eol) = if text.starts_with("---\r\n") {
        ("---\r\n", "\r\n")
    } else if text.starts_with("---\n") {
        ("---\n", "\n")
    } else {
        return None;
    };
    let rest = &text[open.len()..];
    let mut lines: Vec<String> = Vec::new();
    let mut offset = 0;
    let mut closed = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            closed = Some(offset);
            break;
        }
        lines.push(line.to_string());
        offset += line.len();
    }
    let tail = &rest[closed?..];
    for (key, value) in edits {
        edit_key(&mut lines, key, value, eol)?;
    }
    let mut out = String::with_capacity(raw.len() + 64);
    out.push_str(bom);
    out.push_str(open);
    lines.iter().for_each(|l| out.push_str(l));
    out.push_str(tail);
    Some(out)
}

fn edit_key(lines: &mut Vec<String>, key: &str, value: &New, eol: &str) -> Option<()> {
    let Some((start, end)) = region(lines, key) else {
        match value {
            New::Remove => {}
            New::Inline(v) => lines.push(format!("{key}: {v}{eol}")),
            New::Speakers { names, old } => {
                lines.push(format!("{key}: {}{eol}", flow_speakers(names, old)))
            }
        }
        return Some(());
    };
    let (line, ending) = split_ending(&lines[start]);
    let span = value_span(line, key.len() + 1);
    let replace_inline = |lines: &mut Vec<String>, new: &str| {
        let (line, ending) = split_ending(&lines[start]);
        let new_line = match span {
            Some((from, to)) => format!("{}{new}{}{ending}", &line[..from], &line[to..]),
            // `key:` alone, or with a comment: the value goes right after the colon.
            None => format!("{key}: {new}{}{ending}", &line[key.len() + 1..]),
        };
        lines.splice(start..end, [new_line]);
    };
    match value {
        New::Remove => {
            lines.drain(start..end);
        }
        New::Inline(v) => replace_inline(lines, v),
        New::Speakers { names, old } => {
            let block = span.is_none() && end > start + 1;
            if block && let Some(items) = block_items(&lines[start + 1..end], old.len()) {
                let indent = items.indent.clone();
                let mut kept: Vec<Option<Vec<String>>> =
                    items.items.into_iter().map(Some).collect();
                let mut new_lines = vec![lines[start].clone()];
                new_lines.extend(items.before);
                for name in names {
                    let reused = old
                        .iter()
                        .zip(kept.iter_mut())
                        .find(|(s, k)| s.name == *name && k.is_some())
                        .and_then(|(_, k)| k.take());
                    match reused {
                        Some(item) => new_lines.extend(item),
                        None => new_lines.push(format!("{indent}- {}{eol}", scalar(name))),
                    }
                }
                let _ = ending;
                lines.splice(start..end, new_lines);
            } else {
                let inline_scalar = span.is_some_and(|(from, _)| {
                    !matches!(line.as_bytes().get(from), Some(b'[' | b'{'))
                });
                let single_plain = match names.as_slice() {
                    [name] => old
                        .iter()
                        .find(|s| s.name == *name)
                        .is_none_or(|s| s.affiliation.is_none() && s.url.is_none()),
                    _ => false,
                };
                let new = if inline_scalar && single_plain {
                    scalar(&names[0])
                } else {
                    flow_speakers(names, old)
                };
                replace_inline(lines, &new);
            }
        }
    }
    Some(())
}

/// The lines of top-level `key`: its own line and the lines its value continues on (indented
/// lines, block-sequence items, and comments or blank lines between them).
fn region(lines: &[String], key: &str) -> Option<(usize, usize)> {
    let start = lines.iter().position(|l| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
    })?;
    let mut end = start + 1;
    for (j, line) in lines.iter().enumerate().skip(start + 1) {
        let (l, _) = split_ending(line);
        if l.starts_with([' ', '\t']) && !l.trim().is_empty() && !l.trim_start().starts_with('#')
            || l == "-"
            || l.starts_with("- ")
            || l.starts_with("-\t")
        {
            end = j + 1;
        } else if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        } else {
            break;
        }
    }
    Some((start, end))
}

/// The byte span of the inline value on a key's line (`line` without its ending), `from`
/// being just after the colon: `None` if the value is not on this line. A trailing comment
/// and the spaces before it are outside the span.
fn value_span(line: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let start = from + line[from..].len() - line[from..].trim_start_matches([' ', '\t']).len();
    let first = *bytes.get(start)?;
    let end = match first {
        b'#' => return None,
        b'"' => closing(bytes, start, |b, i| match b[i] {
            b'\\' => Step::Skip,
            b'"' => Step::Done,
            _ => Step::On,
        }),
        b'\'' => closing(bytes, start, |b, i| match b[i] {
            b'\'' if b.get(i + 1) == Some(&b'\'') => Step::Skip,
            b'\'' => Step::Done,
            _ => Step::On,
        }),
        b'[' | b'{' => flow_end(bytes, start),
        _ => None,
    };
    let end = end.unwrap_or_else(|| {
        // A plain scalar (or a value that goes on past this line): up to ` #`, if any.
        let comment = (start..bytes.len())
            .find(|&i| bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t'))
            .unwrap_or(bytes.len());
        start + line[start..comment].trim_end().len()
    });
    Some((start, end))
}

enum Step {
    On,
    Skip,
    Done,
}

/// The end (exclusive) of a quoted scalar opening at `start`, if it closes on this line.
fn closing(bytes: &[u8], start: usize, step: impl Fn(&[u8], usize) -> Step) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match step(bytes, i) {
            Step::On => i += 1,
            Step::Skip => i += 2,
            Step::Done => return Some(i + 1),
        }
    }
    None
}

/// The end (exclusive) of a flow collection opening at `start`, if it closes on this line.
fn flow_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                i = closing(bytes, i, |b, j| match b[j] {
                    b'\\' => Step::Skip,
                    b'"' => Step::Done,
                    _ => Step::On,
                })? - 1
            }
            b'\'' => {
                i = closing(bytes, i, |b, j| match b[j] {
                    b'\'' if b.get(j + 1) == Some(&b'\'') => Step::Skip,
                    b'\'' => Step::Done,
                    _ => Step::On,
                })? - 1
            }
            _ => {}
        }
        i += 1;
    }
    None
}

struct BlockItems {
    indent: String,
    /// Comment or blank lines before the first item.
    before: Vec<String>,
    /// Each item's lines (its own line, its continuation, comments after it).
    items: Vec<Vec<String>>,
}

/// A block sequence's items, if there are `count` of them at one indentation.
fn block_items(lines: &[String], count: usize) -> Option<BlockItems> {
    let is_item = |l: &str| {
        let t = l.trim_start_matches(' ');
        t == "-" || t.starts_with("- ") || t.starts_with("-\t")
    };
    let first = lines
        .iter()
        .map(|l| split_ending(l).0)
        .find(|l| is_item(l))?;
    let indent = first[..first.len() - first.trim_start_matches(' ').len()].to_string();
    let mut out = BlockItems {
        indent: indent.clone(),
        before: Vec::new(),
        items: Vec::new(),
    };
    for line in lines {
        let l = split_ending(line).0;
        let at_indent = l
            .strip_prefix(indent.as_str())
            .is_some_and(|r| !r.starts_with(' '));
        match out.items.last_mut() {
            _ if at_indent && is_item(l) => out.items.push(vec![line.clone()]),
            Some(item) => item.push(line.clone()),
            None => out.before.push(line.clone()),
        }
    }
    (out.items.len() == count).then_some(out)
}

fn split_ending(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, &line[body.len()..])
}

/// `[Ada, Grace]`, or with a speaker's own fields kept: `[{name: Ada, affiliation: X}]`.
fn flow_speakers(names: &[String], old: &[Speaker]) -> String {
    let items: Vec<String> = names
        .iter()
        .map(|name| match old.iter().find(|s| s.name == *name) {
            Some(s) if s.affiliation.is_some() || s.url.is_some() => {
                let mut fields = vec![format!("name: {}", flow_scalar(name))];
                if let Some(a) = &s.affiliation {
                    fields.push(format!("affiliation: {}", flow_scalar(a)));
                }
                if let Some(u) = &s.url {
                    fields.push(format!("url: {}", flow_scalar(u)));
                }
                format!("{{{}}}", fields.join(", "))
            }
            _ => flow_scalar(name),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// A string as a one-line YAML scalar: as the YAML writer puts it, or double-quoted (JSON
/// escapes are YAML escapes) when that would take more than one line.
pub fn scalar(s: &str) -> String {
    match serde_saphyr::to_string(&s) {
        Ok(y) if !y.trim_end_matches('\n').contains('\n') && !y.starts_with(['|', '>']) => {
            y.trim_end_matches('\n').to_string()
        }
        _ => serde_json::Value::from(s).to_string(),
    }
}

/// A scalar that may stand inside `[…]` or `{…}`.
fn flow_scalar(s: &str) -> String {
    let y = scalar(s);
    if !y.starts_with(['"', '\'']) && y.contains([',', '[', ']', '{', '}']) {
        serde_json::Value::from(s).to_string()
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(v: &str) -> New {
        New::Inline(v.into())
    }

    fn plain(names: &[&str]) -> Vec<Speaker> {
        names
            .iter()
            .map(|n| Speaker {
                name: n.to_string(),
                affiliation: None,
                url: None,
            })
            .collect()
    }

    fn speakers(names: &[&str], old: Vec<Speaker>) -> New {
        New::Speakers {
            names: names.iter().map(|n| n.to_string()).collect(),
            old,
        }
    }

    #[test]
    fn only_the_value_changes_comment_and_spacing_stay() {
        let text = "---\ntitle: Old\nroom:   Gray Room   # the big one\nstart: \"09:00\" # local\n---\nBody\n";
        let out = edit(
            text,
            &[("room", inline("Tan Room")), ("start", inline("\"10:15\""))],
        );
        assert_eq!(
            out.as_deref(),
            Some(
                "---\ntitle: Old\nroom:   Tan Room   # the big one\nstart: \"10:15\" # local\n---\nBody\n"
            )
        );
    }

    #[test]
    fn bom_and_crlf_are_kept_and_new_keys_use_crlf() {
        let text = "\u{feff}---\r\ntitle: Old\r\nduration: 30\r\n---\r\nLine one\r\n\r\nLine two\n";
        let out = edit(
            text,
            &[
                ("title", inline("New")),
                ("duration", New::Remove),
                ("room", inline("R2")),
            ],
        );
        assert_eq!(
            out.as_deref(),
            Some("\u{feff}---\r\ntitle: New\r\nroom: R2\r\n---\r\nLine one\r\n\r\nLine two\n")
        );
    }

    #[test]
    fn block_speakers_keep_their_items() {
        let text = "---\nspeakers: # both\n  - name: Ada\n    affiliation: X # hers\n  - Bob   # him\n# after\nday: 1\n---\n";
        let old = vec![
            Speaker {
                name: "Ada".into(),
                affiliation: Some("X".into()),
                url: None,
            },
            plain(&["Bob"]).remove(0),
        ];
        let out = edit(text, &[("speakers", speakers(&["Cy", "Ada"], old))]);
        assert_eq!(
            out.as_deref(),
            Some(
                "---\nspeakers: # both\n  - Cy\n  - name: Ada\n    affiliation: X # hers\n# after\nday: 1\n---\n"
            )
        );
    }

    #[test]
    fn inline_speakers() {
        let text = "---\nspeakers: [Ada, Bob]  # two\n---\n";
        let out = edit(
            text,
            &[(
                "speakers",
                speakers(&["Ada", "B, C"], plain(&["Ada", "Bob"])),
            )],
        );
        assert_eq!(
            out.as_deref(),
            Some("---\nspeakers: [Ada, \"B, C\"]  # two\n---\n")
        );
        let text = "---\nspeakers: Ada # one\n---\n";
        let out = edit(text, &[("speakers", speakers(&["Bo"], plain(&["Ada"])))]);
        assert_eq!(out.as_deref(), Some("---\nspeakers: Bo # one\n---\n"));
    }

    #[test]
    fn quoted_and_flow_values_end_where_they_close() {
        for (line, value) in [
            ("title: \"a # b \\\" c\"  # x", "\"a # b \\\" c\""),
            ("title: 'it''s # here' # x", "'it''s # here'"),
            ("title: [a, \"]\", {b: c}] # x", "[a, \"]\", {b: c}]"),
            ("title: a#b c # x", "a#b c"),
            ("title:\tplain", "plain"),
        ] {
            let (from, to) = value_span(line, 6).expect(line);
            assert_eq!(&line[from..to], value, "{line}");
        }
        assert_eq!(value_span("title:   # only a comment", 6), None);
        assert_eq!(value_span("title:", 6), None);
    }

    #[test]
    fn multi_line_values_are_replaced_whole() {
        let text = "---\ntitle: >-\n  A long\n  title\nday: 1\n---\n";
        let out = edit(text, &[("title", inline("Short"))]);
        assert_eq!(out.as_deref(), Some("---\ntitle: Short\nday: 1\n---\n"));
    }

    #[test]
    fn a_note_without_front_matter_is_not_edited() {
        assert_eq!(edit("no front matter\n", &[("title", inline("x"))]), None);
        assert_eq!(edit("---\ntitle: x\n", &[("title", inline("y"))]), None);
    }

    #[test]
    fn scalars_are_one_line() {
        assert_eq!(scalar("Tan Room"), "Tan Room");
        assert!(!scalar("two\nlines").contains('\n'));
        assert!(!scalar("yes").is_empty());
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
    }
}
