//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! Front matter is recognised only when the very first line is `---` (after an optional UTF-8
//! BOM, which the loader strips); it ends at the next line that is exactly `---`. Everything
//! after that, including any later `---` thematic break, is body.

use std::path::Path;

use crate::error::Diagnostic;

/// A file cut in two. Line numbers are 1-based lines of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// The line the YAML starts on (the line after the opening fence).
    pub yaml_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// The line the body starts on.
    pub body_line: usize,
}

/// Splits `text` (already LF-normalised). An opening fence without a closing one is an error.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                yaml: Some(yaml),
                yaml_line: 2,
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, "front matter is not closed")
        .at(1, 1)
        .help("add a line `---` after the last front-matter key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, yaml: Option<&str>, body: &str, body_line: usize) {
        let s = split(text, Path::new("t.md")).unwrap();
        assert_eq!((s.yaml, s.body, s.body_line), (yaml, body, body_line));
    }

    #[test]
    fn splits() {
        check("---\na: 1\n---\nbody\n", Some("a: 1\n"), "body\n", 4);
        check("---\n---\nbody", Some(""), "body", 3);
        check(
            "no front matter\n---\nx\n",
            None,
            "no front matter\n---\nx\n",
            1,
        );
        check(
            "---\na: 1\n---\ntext\n\n---\n\nmore\n",
            Some("a: 1\n"),
            "text\n\n---\n\nmore\n",
            4,
        );
        check("---\na: 1\n---   \nb", Some("a: 1\n"), "b", 4);
    }

    #[test]
    fn unclosed_is_an_error() {
        let e = split("---\ntitle: x\n\nbody\n", Path::new("t.md")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.md:1:1: front matter is not closed — add a line `---` after the last front-matter key"
        );
    }
}
