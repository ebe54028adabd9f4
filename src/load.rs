//! Load stage: the site folder on disk becomes plain data ([`Inputs`]).
//!
//! This is the only stage that reads the site. Files are visited in sorted order (walkdir,
//! sorted by name) so everything downstream is deterministic. Hidden files and editor
//! backups/swap files are skipped. Text is checked to be UTF-8, a BOM is dropped and CRLF line
//! endings become LF (line numbers stay the same).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};

/// A text file of the site. `path` is what the user sees in messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

/// A static file (image, CSS …) to copy to the output, with its path inside `static/`.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// Everything a build reads.
#[derive(Debug, Default)]
pub struct Inputs {
    pub config: Option<Source>,
    pub intro: Option<Source>,
    pub outro: Option<Source>,
    /// `content/days/day-N.md`, with N.
    pub days: Vec<(u32, Source)>,
    pub talks: Vec<Source>,
    /// The site's own templates, by name relative to `templates/`.
    pub templates: Vec<(String, Source)>,
    pub assets: Vec<Asset>,
    /// Files that could not be taken in (not UTF-8, misnamed); reported with the rest.
    pub problems: Vec<Diagnostic>,
}

/// Reads the site at `root`. A missing `summit.yaml` is an error at once; problems with
/// single files are collected in [`Inputs::problems`].
pub fn load(root: &Path) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    let display = |rel: &Path| display_path(root, rel);

    let config = crate::config::path(root);
    if !config.is_file() {
        return Err(Error::Content(crate::error::Diagnostics(vec![
            Diagnostic::new(display(Path::new("summit.yaml")), "no summit.yaml here").help(
                "run summit-gen in a site folder, pass `--root DIR`, or create one with `summit-gen init`",
            ),
        ])));
    }
    inputs.config = read_text(root, Path::new("summit.yaml"), &mut inputs.problems)?;
    inputs.intro = read_optional(root, "content/intro.md", &mut inputs.problems)?;
    inputs.outro = read_optional(root, "content/outro.md", &mut inputs.problems)?;

    for rel in walk(root, "content/days")? {
        if !is_markdown(&rel) {
            continue;
        }
        let number = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.strip_prefix("day-"))
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n >= 1 && rel.parent() == Some(Path::new("content/days")));
        match number {
            Some(n) => {
                if let Some(src) = read_text(root, &rel, &mut inputs.problems)? {
                    inputs.days.push((n, src));
                }
            }
            None => inputs.problems.push(
                Diagnostic::new(display(&rel), "a day's text must be named `day-N.md`")
                    .help("rename it, e.g. to content/days/day-1.md"),
            ),
        }
    }
    for rel in walk(root, "content/talks")? {
        if is_markdown(&rel)
            && let Some(src) = read_text(root, &rel, &mut inputs.problems)?
        {
            inputs.talks.push(src);
        }
    }
    for rel in walk(root, "templates")? {
        if let Some(src) = read_text(root, &rel, &mut inputs.problems)? {
            let name = slash_path(rel.strip_prefix("templates").unwrap_or(&rel));
            inputs.templates.push((name, src));
        }
    }
    for rel in walk(root, "static")? {
        let path = root.join(&rel);
        let bytes = std::fs::read(&path).map_err(|e| Error::io("could not read", &path, e))?;
        let name = slash_path(rel.strip_prefix("static").unwrap_or(&rel));
        inputs.assets.push(Asset { rel: name, bytes });
    }
    Ok(inputs)
}

/// The path to show for a file at `rel` inside the site.
pub fn display_path(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_markdown(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
}

/// Editor leftovers and hidden files: never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [".swp", ".swo", ".swx", ".bak", ".tmp", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Files below `root/dir`, relative to `root`, sorted; a missing folder is empty.
fn walk(root: &Path, dir: &str) -> Result<Vec<PathBuf>> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&base).to_path_buf();
            Error::io("could not list", path, e.into())
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            out.push(rel.to_path_buf());
        }
    }
    Ok(out)
}

fn read_optional(root: &Path, rel: &str, problems: &mut Vec<Diagnostic>) -> Result<Option<Source>> {
    if root.join(rel).is_file() {
        read_text(root, Path::new(rel), problems)
    } else {
        Ok(None)
    }
}

/// Reads a text file; a file that is not UTF-8 becomes a diagnostic (and `None`).
fn read_text(root: &Path, rel: &Path, problems: &mut Vec<Diagnostic>) -> Result<Option<Source>> {
    let full = root.join(rel);
    let bytes = std::fs::read(&full).map_err(|e| Error::io("could not read", &full, e))?;
    let path = display_path(root, rel);
    match decode(bytes) {
        Ok(text) => Ok(Some(Source { path, text })),
        Err((line, column)) => {
            problems.push(
                Diagnostic::new(path, "the file is not valid UTF-8")
                    .at(line, column)
                    .help("save it with UTF-8 encoding"),
            );
            Ok(None)
        }
    }
}

/// UTF-8 text without BOM, with LF line endings; on failure the position of the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err((line, column));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(decode(b"\xef\xbb\xbfa\r\nb".to_vec()).unwrap(), "a\nb");
        assert_eq!(decode(b"ab\ncd\xff".to_vec()).unwrap_err(), (2, 3));
    }

    #[test]
    fn ignores_editor_files() {
        for name in [
            ".hidden.md",
            "note.md~",
            ".note.md.swp",
            "#note.md#",
            "x.bak",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("note.md"));
    }
}
