//! Load stage: the site folder on disk becomes plain data ([`Inputs`]).
//!
//! This is the only stage that reads the site. Files are visited in sorted order (walkdir,
//! sorted by name) so everything downstream is deterministic. Hidden files and editor
//! backups/swap files are skipped. Text is checked to be UTF-8, a BOM is dropped and CRLF line
//! endings become LF (line numbers stay the same), as does a lone CR.
//!
//! **The site folder is a jail.** One rule holds for every read, walked or named, a top-level
//! folder or a file: a path is read only if what it resolves to (every symbolic link on the
//! way followed) lies inside the site root ([`Loader::resolve`]). A link that leads out of the
//! site is skipped with a warning that says so (`summit.yaml` leading out is an error), so
//! neither `build` nor `serve` ever publishes a file from outside the site, whatever a cloned
//! repository's links say. Inside a walked folder links are not followed into folders.
//!
//! [`ReadCache`] lets a long-running `serve` re-read only files whose size or modification
//! time changed, or, told which paths changed ([`Changes`], from the watcher), look at those
//! paths only (`changes.rs`; the cache itself is in `cache.rs`).

mod cache;
mod changes;
mod notes;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};
pub use cache::ReadCache;
pub(crate) use cache::has_other_names;
pub use changes::Changes;
use changes::Listing;

/// A text file of the site. `path` is what the user sees in messages; `rel` is the path
/// relative to the site root (what links between notes are resolved against).
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub rel: PathBuf,
    /// Shared: `serve` keeps an unchanged file's text as the same `Arc` from load to load, so
    /// later stages compare it by pointer before by content.
    pub text: Arc<str>,
}

/// A static file (image, CSS …) to copy to the output, with its path inside `static/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub rel: String,
    pub bytes: Arc<[u8]>,
}

/// Everything a build reads.
#[derive(Debug, Default)]
pub struct Inputs {
    pub config: Option<Source>,
    pub intro: Option<Source>,
    pub outro: Option<Source>,
    /// `content/days/day-N.md`, with N.
    pub days: Vec<(u32, Source)>,
    /// The notes, in path order. Shared: `serve`'s load hands on an unchanged note's very
    /// `Source` again, so later stages know it by pointer.
    pub talks: Vec<Arc<Source>>,
    /// The site's own templates, by name relative to `templates/`.
    pub templates: Vec<(String, Source)>,
    pub assets: Vec<Asset>,
    /// Files that could not be taken in (not UTF-8, misnamed); reported with the rest.
    pub problems: Vec<Diagnostic>,
    /// Files left out on purpose (links out of the site); the build goes on.
    pub warnings: Vec<Diagnostic>,
}

/// One load: the site root (canonical, for the link check), the cache, what was found.
struct Loader<'a> {
    root: &'a Path,
    canonical_root: PathBuf,
    cache: &'a mut ReadCache,
    inputs: Inputs,
    /// Paths already reported as skipped links.
    skipped: Vec<PathBuf>,
    /// The last load's walks with the changes placed in them, used instead of walking.
    known: Option<Listing>,
    /// What this load's walks found (for the next load).
    found: Listing,
    /// The changed paths a load told what changed places in `known`.
    changed: Option<&'a BTreeSet<PathBuf>>,
    /// What this load found in content/talks/, for the next load (see [`notes::Notes`]).
    notes: Option<notes::Notes>,
}

/// An error unless `root` holds a `summit.yaml` (as a file or a link to check later).
pub fn require_config(root: &Path) -> Result<()> {
    let config = crate::config::path(root);
    if !config.is_file() && config.symlink_metadata().is_err() {
        return Err(Error::Content(crate::error::Diagnostics(vec![
            Diagnostic::new(display_path(root, Path::new("summit.yaml")), "no summit.yaml here").help(
                "run summit-gen in a site folder, pass `--root DIR`, or create one with `summit-gen init`",
            ),
        ])));
    }
    Ok(())
}

/// Reads the site at `root`. A missing `summit.yaml` is an error at once; problems with
/// single files are collected in [`Inputs::problems`].
pub fn load(root: &Path, cache: &mut ReadCache) -> Result<Inputs> {
    load_after(root, cache, &Changes::Unknown)
}

/// [`load`], told what changed since the last load through `cache`: only those paths are
/// looked at again (see `changes.rs`). The result is what [`load`] would read.
pub fn load_after(root: &Path, cache: &mut ReadCache, changes: &Changes) -> Result<Inputs> {
    let known = if cache.keep {
        cache.begin(root, changes)
    } else {
        None
    };
    let changed = match changes {
        Changes::Paths(paths) if known.is_some() => Some(paths),
        _ => None,
    };
    let result = load_with(root, cache, known, changed);
    cache.trust = false;
    match result {
        Ok((inputs, found, notes)) => {
            if cache.keep {
                cache.listing = Some(found);
                cache.notes = notes;
            }
            Ok(inputs)
        }
        Err(e) => Err(e),
    }
}

fn load_with(
    root: &Path,
    cache: &mut ReadCache,
    known: Option<Listing>,
    changed: Option<&BTreeSet<PathBuf>>,
) -> Result<(Inputs, Listing, Option<notes::Notes>)> {
    require_config(root)?;
    let config = crate::config::path(root);
    let canonical_root = std::fs::canonicalize(root)
        .map_err(|e| Error::io("could not open the site folder", root, e))?;
    let mut l = Loader {
        root,
        canonical_root,
        cache,
        inputs: Inputs::default(),
        skipped: Vec::new(),
        known,
        found: Listing::default(),
        changed,
        notes: None,
    };
    // A content/ that leads out of the site is reported once, before anything below it.
    if root.join("content").symlink_metadata().is_ok() {
        l.inside(Path::new("content"));
    }
    let yaml = Path::new("summit.yaml");
    let refuse = |what: &str, help: &str| {
        Err(Error::Content(crate::error::Diagnostics(vec![
            Diagnostic::new(display_path(root, yaml), what).help(help),
        ])))
    };
    l.inputs.config = match l.resolve(yaml) {
        Resolved::Inside if config.is_file() => l.text(yaml)?,
        Resolved::Inside => return refuse("is not a file", "make it a file"),
        Resolved::Outside => {
            return refuse(
                "a link to a file outside the site, which summit-gen never reads",
                "replace the link with the file itself",
            );
        }
        Resolved::Broken => {
            return refuse(
                "a link whose target does not exist",
                "replace the link with the file itself",
            );
        }
    };
    l.inputs.intro = l.optional_text("content/intro.md")?;
    l.inputs.outro = l.optional_text("content/outro.md")?;

    for rel in l.walk("content/days")? {
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
                if let Some(src) = l.text(&rel)? {
                    l.inputs.days.push((n, src));
                }
            }
            None => l.inputs.problems.push(
                Diagnostic::new(
                    display_path(root, &rel),
                    "a day's text must be named `day-N.md`",
                )
                .help("rename it, e.g. to content/days/day-1.md"),
            ),
        }
    }
    let other = l.notes()?;
    l.warn_about_unread(&other);
    for rel in l.walk("templates")? {
        if let Some(src) = l.text(&rel)? {
            let name = slash_path(rel.strip_prefix("templates").unwrap_or(&rel));
            l.inputs.templates.push((name, src));
        }
    }
    for rel in l.walk("static")? {
        let path = root.join(&rel);
        let bytes = l
            .cache
            .read(&path)
            .map_err(|e| Error::io("could not read", &path, e))?;
        let name = slash_path(rel.strip_prefix("static").unwrap_or(&rel));
        l.inputs.assets.push(Asset { rel: name, bytes });
    }
    Ok((l.inputs, l.found, l.notes))
}

impl Loader<'_> {
    /// Markdown that the build does not read is most likely a note in the wrong place or with
    /// the wrong ending: say so (`other` are the files in content/talks/ that are not `.md`).
    /// An empty content/talks/ gets a word too.
    fn warn_about_unread(&mut self, other: &[PathBuf]) {
        let markdown_like = |rel: &Path| {
            rel.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["md", "markdown", "mdown", "mkd"].contains(&e))
        };
        let mut unread: Vec<(PathBuf, &str, String)> = Vec::new();
        for rel in other.iter().filter(|r| markdown_like(r)) {
            let md = rel.with_extension("md");
            unread.push((
                rel.clone(),
                "not read: notes end in `.md`",
                format!("rename it to {}", md.display()),
            ));
        }
        // The rest of content/ (talks/ and days/ are read above); not when content/ leads out.
        let content = self.root.join("content");
        let content_inside = self.resolve(Path::new("content")) == Resolved::Inside;
        let walker = WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_ignored(&e.file_name().to_string_lossy())
                        || (e.depth() == 1
                            && ["talks", "days"].contains(&&*e.file_name().to_string_lossy())))
            });
        for entry in walker
            .filter_map(std::result::Result::ok)
            .filter(|_| content_inside)
        {
            let rel = entry.path().strip_prefix(self.root).unwrap_or(entry.path());
            let top_level = entry.depth() == 1
                && ["intro.md", "outro.md"].contains(&&*entry.file_name().to_string_lossy());
            if entry.file_type().is_file() && markdown_like(rel) && !top_level {
                let name = rel.file_name().map(Path::new).unwrap_or(rel);
                unread.push((
                    rel.to_path_buf(),
                    "not read: talk notes go in content/talks/ (intro.md and outro.md in content/, day texts in content/days/)",
                    format!("move it, e.g. to {}", Path::new("content/talks").join(name).with_extension("md").display()),
                ));
            }
        }
        for (rel, why, help) in unread {
            self.inputs
                .warnings
                .push(Diagnostic::new(display_path(self.root, &rel), why).help(help));
        }
        // A blog's root has no notes of its own: its recaps do.
        if self.inputs.talks.is_empty() && !is_blog(self.root) {
            self.inputs.warnings.push(
                Diagnostic::new(
                    display_path(self.root, Path::new("content/talks")),
                    "no talk notes yet",
                )
                .help("add one with `summit-gen new \"Talk title\" --day 1`"),
            );
        }
    }

    /// Files below `root/dir`, relative to `root`, sorted; a missing folder is empty.
    fn walk(&mut self, dir: &'static str) -> Result<Vec<PathBuf>> {
        let Some((entries, _, real)) = self.entries(dir)? else {
            return Ok(Vec::new());
        };
        Ok(self.files(dir, entries, real))
    }

    /// The entries below `root/dir` (`None`: missing, or leading out of the site), whether
    /// they are the last walk's with the watcher's changes placed in them, and whether `dir`
    /// is a real folder (whose entries are kept for the next load).
    fn entries(&mut self, dir: &'static str) -> Result<Option<(changes::Entries, bool, bool)>> {
        let base = self.root.join(dir);
        if !base.is_dir() {
            return Ok(None);
        }
        if !self.inside(Path::new(dir)) {
            return Ok(None);
        }
        // The last walk, with the watcher's changes placed in it, if the folder (and every
        // one above it) is a real folder, whose files the watcher's events name.
        let real = changes::is_real_dir(self.root, Path::new(dir));
        let known = self.known.as_mut().and_then(|k| k.0.remove(dir));
        Ok(Some(match known {
            Some(entries) if real => (entries, true, real),
            _ => (self.list(&base)?, false, real),
        }))
    }

    /// The files among a walk's `entries` (links followed to files inside the site); the
    /// entries are kept for the next load if `dir` is a `real` folder.
    fn files(&mut self, dir: &'static str, entries: changes::Entries, real: bool) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (rel, link) in &entries {
            if !link {
                out.push(rel.clone());
            } else {
                // Follow a link only to a file inside the site.
                let rel = rel.clone();
                match self.resolve(&rel) {
                    Resolved::Inside if self.root.join(&rel).is_file() => out.push(rel),
                    Resolved::Inside => self.inputs.warnings.push(
                        Diagnostic::new(
                            display_path(self.root, &rel),
                            "skipped: a link to a folder (links are followed to files only)",
                        )
                        .help("move the folder here instead of linking to it"),
                    ),
                    other => self.skip(&rel, other),
                }
            }
        }
        if real {
            self.found.0.insert(dir, entries);
        }
        out
    }

    /// The files and links below `base` (walkdir, sorted, editor files left out), relative
    /// to the site root.
    fn list(&self, base: &Path) -> Result<changes::Entries> {
        let mut out = changes::Entries::new();
        let walker = WalkDir::new(base)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(base).to_path_buf();
                Error::io("could not list", path, e.into())
            })?;
            let rel = entry.path().strip_prefix(self.root).unwrap_or(entry.path());
            if entry.file_type().is_file() {
                out.insert(rel.to_path_buf(), false);
            } else if entry.path_is_symlink() {
                out.insert(rel.to_path_buf(), true);
            }
        }
        Ok(out)
    }

    /// Many text files: read in parallel when nothing is cached (a one-shot build).
    fn texts(&mut self, rels: &[PathBuf]) -> Result<Vec<Arc<Source>>> {
        use rayon::prelude::*;
        if self.cache.keep {
            let mut out = Vec::with_capacity(rels.len());
            for rel in rels {
                out.extend(self.text(rel)?.map(Arc::new));
            }
            return Ok(out);
        }
        let read: Vec<(&PathBuf, Decoded)> = rels
            .par_iter()
            .map(|rel| {
                let full = self.root.join(rel);
                let bytes =
                    std::fs::read(&full).map_err(|e| Error::io("could not read", &full, e))?;
                Ok((rel, decode(&bytes)))
            })
            .collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(read.len());
        for (rel, text) in read {
            let path = display_path(self.root, rel);
            match text {
                Ok(text) => out.push(Arc::new(Source {
                    path,
                    rel: rel.clone(),
                    text,
                })),
                Err((line, column)) => self.inputs.problems.push(not_utf8(path, line, column)),
            }
        }
        Ok(out)
    }

    fn optional_text(&mut self, rel: &str) -> Result<Option<Source>> {
        let rel = Path::new(rel);
        if self.root.join(rel).symlink_metadata().is_err() || !self.inside(rel) {
            return Ok(None);
        }
        if self.root.join(rel).is_file() {
            self.text(rel)
        } else {
            Ok(None)
        }
    }

    /// Where `rel` leads: [`Resolved::Inside`] only if its real path (every link on the way
    /// followed) is inside the site root. The one rule every read goes through.
    fn resolve(&self, rel: &Path) -> Resolved {
        match std::fs::canonicalize(self.root.join(rel)) {
            Ok(real) if real.starts_with(&self.canonical_root) => Resolved::Inside,
            Ok(_) => Resolved::Outside,
            Err(_) => Resolved::Broken,
        }
    }

    /// Whether `rel` may be read; if not, the warning that says why is recorded.
    fn inside(&mut self, rel: &Path) -> bool {
        match self.resolve(rel) {
            Resolved::Inside => true,
            other => {
                self.skip(rel, other);
                false
            }
        }
    }

    fn skip(&mut self, rel: &Path, why: Resolved) {
        // One warning for a folder that leads out, not one more for each path below it.
        if self.skipped.iter().any(|s| rel.starts_with(s)) {
            return;
        }
        self.skipped.push(rel.to_path_buf());
        let (what, help) = match why {
            Resolved::Outside => (
                "skipped: a link to something outside the site; summit-gen reads only files inside the site folder",
                "copy the file into the site instead of linking to it",
            ),
            _ => (
                "skipped: a link whose target does not exist",
                "fix or remove the link",
            ),
        };
        self.inputs
            .warnings
            .push(Diagnostic::new(display_path(self.root, rel), what).help(help));
    }

    /// Reads a text file; a file that is not UTF-8 becomes a diagnostic (and `None`).
    fn text(&mut self, rel: &Path) -> Result<Option<Source>> {
        let full = self.root.join(rel);
        let text = self
            .cache
            .read_text(&full, decode)
            .map_err(|e| Error::io("could not read", &full, e))?;
        let path = display_path(self.root, rel);
        match text {
            Ok(text) => Ok(Some(Source {
                path,
                rel: rel.to_path_buf(),
                text,
            })),
            Err((line, column)) => {
                self.inputs.problems.push(not_utf8(path, line, column));
                Ok(None)
            }
        }
    }
}

/// Where a path of the site leads (see [`Loader::resolve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Inside,
    Outside,
    /// A dangling link (or a path that vanished while loading).
    Broken,
}

/// Whether the site at `root` is a blog of recaps: it has a `posts/` folder.
pub fn is_blog(root: &Path) -> bool {
    root.join("posts").is_dir()
}

/// The recaps of the blog at `root`: the folders under `posts/` holding a `summit.yaml`, in
/// sorted order. The jail holds for the blog too: a folder that leads out of the blog is
/// skipped with a warning (returned); a name that cannot be a URL path is a problem.
pub fn recaps(root: &Path, problems: &mut Vec<Diagnostic>) -> (Vec<String>, Vec<Diagnostic>) {
    let (mut folders, mut warnings) = (Vec::new(), Vec::new());
    let Ok(canonical_root) = std::fs::canonicalize(root) else {
        return (folders, warnings);
    };
    let Ok(entries) = std::fs::read_dir(root.join("posts")) else {
        return (folders, warnings);
    };
    let mut names: Vec<String> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| !is_ignored(n))
        .collect();
    names.sort();
    for name in names {
        let rel = Path::new("posts").join(&name);
        let path = root.join(&rel);
        if !path.join("summit.yaml").is_file() {
            continue;
        }
        if !std::fs::canonicalize(&path).is_ok_and(|p| p.starts_with(&canonical_root)) {
            warnings.push(
                Diagnostic::new(
                    display_path(root, &rel),
                    "skipped: a link to a folder outside the blog, which summit-gen never reads",
                )
                .help("move the recap's folder into posts/"),
            );
            continue;
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            problems.push(
                Diagnostic::new(
                    display_path(root, &rel),
                    "a recap's folder name is its URL: letters, digits, `-`, `_` and `.` only",
                )
                .help("rename the folder, e.g. to kafka-summit-2020"),
            );
            continue;
        }
        folders.push(name);
    }
    (folders, warnings)
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

fn not_utf8(path: PathBuf, line: usize, column: usize) -> Diagnostic {
    Diagnostic::new(path, "the file is not valid UTF-8")
        .at(line, column)
        .help("save it with UTF-8 encoding")
}

/// A file's text, or the line and column of its first byte that is not UTF-8.
pub(crate) type Decoded = std::result::Result<Arc<str>, (usize, usize)>;

/// UTF-8 text without BOM, with LF line endings; on failure the position of the first bad byte.
pub fn decode(bytes: &[u8]) -> Decoded {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // The prefix is valid UTF-8 by construction.
            let prefix = lf(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]));
            let prefix: &str = &prefix;
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err((line, column));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(lf(text))
}

/// `text` with LF line endings: CRLF and a lone CR (old Mac files) each become LF. The YAML
/// parser and editors take a lone CR for a line break too, so file positions agree.
fn lf(text: &str) -> Arc<str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(&*decode(b"\xef\xbb\xbfa\r\nb").unwrap(), "a\nb");
        assert_eq!(decode(b"ab\ncd\xff").unwrap_err(), (2, 3));
    }

    /// Found by fuzzing `note`: YAML takes a lone CR for a line break, the loader kept it,
    /// so a YAML error after one was reported on a line (and column) the file does not have.
    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        assert_eq!(&*decode(b"a\rb\r\nc\n\r").unwrap(), "a\nb\nc\n\n");
        assert_eq!(decode(b"a\rb\r\ncd\xff").unwrap_err(), (3, 3));
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
