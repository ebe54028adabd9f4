//! `check`: every internal link of the built site leads somewhere.
//!
//! Links written in notes are checked on every build (`build`, `serve` and `check` alike)
//! from what `render` recorded, against an [`Index`] of the files the build put out and the
//! ids on its pages, so a problem is reported at the note's `path:line:col`. `check` also
//! reads the built pages for the links the templates write (navigation, tags, pagers). Pure:
//! it looks only at the compiled site in memory.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::Compiled;
use crate::error::{Diagnostic, Result};
use crate::render::markdown::{LinkTarget, NoteLink};
use crate::render::{Bytes, OutputFile, Sink};

const LINK_HELP: &str = "fix the link, or the heading or note it points to";

/// The files a build put out, and the ids on each HTML page (a page put as pieces has a set
/// per piece).
#[derive(Debug, Default)]
pub struct Index {
    files: HashSet<String>,
    ids: HashMap<String, Vec<Arc<HashSet<String>>>>,
}

/// The ids found on each page of a build, with the bytes they were read from (`serve`): the
/// next build's page with the very same bytes (a page reused as it was) is not read again,
/// nor is a piece of a page put as pieces (`serve`'s post) that is the very same text. A
/// function of the pages' bytes only.
#[derive(Debug, Default)]
pub struct Ids {
    pages: HashMap<String, (Bytes, Arc<HashSet<String>>)>,
    /// By the piece's address (the piece is held, so the address is not reused).
    pieces: HashMap<usize, (Arc<str>, Arc<HashSet<String>>)>,
}

/// A page's bytes as text: the pages we wrote are UTF-8 (checked once, fast), lossy only if
/// not.
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The ids in `text`.
fn ids_in(text: &[u8]) -> Arc<HashSet<String>> {
    Arc::new(attribute_values(&text_of(text), "id").into_iter().collect())
}

impl Index {
    /// Records `path` and, for a page, the ids in `parts` (an element never spans two).
    fn add(&mut self, path: &str, parts: &[&[u8]]) -> Option<Arc<HashSet<String>>> {
        let texts: Vec<std::borrow::Cow<'_, str>> = parts.iter().map(|p| text_of(p)).collect();
        let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
        self.add_text(path, &texts)
    }

    /// [`Index::add`] for a page that is text already (no UTF-8 check again).
    fn add_text(&mut self, path: &str, parts: &[&str]) -> Option<Arc<HashSet<String>>> {
        self.files.insert(path.to_string());
        if !path.ends_with(".html") {
            return None;
        }
        let mut ids = HashSet::new();
        for part in parts {
            ids.extend(attribute_values(part, "id"));
        }
        let ids = Arc::new(ids);
        self.ids.insert(path.to_string(), vec![ids.clone()]);
        Some(ids)
    }

    fn of_files(files: &[OutputFile]) -> Index {
        let mut index = Index::default();
        for f in files {
            let parts: Vec<&[u8]> = f.contents.chunks().collect();
            index.add(&f.path, &parts);
        }
        index
    }

    /// Whether `file` exists and, for a page, holds the id `fragment`.
    fn exists(&self, file: &str, fragment: Option<&str>) -> Result<(), String> {
        let file = file.trim_start_matches('/');
        // As a browser asks for it: `diagram%20one.png` is the file `diagram one.png`.
        let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
        let file = decoded.as_ref();
        if !self.files.contains(file) {
            return Err(format!("the site has no {file}"));
        }
        match fragment {
            Some(f) if !f.is_empty() && file.ends_with(".html") => {
                if self
                    .ids
                    .get(file)
                    .is_some_and(|sets| sets.iter().any(|set| set.contains(f)))
                {
                    Ok(())
                } else {
                    Err(format!("{file} has no anchor #{f}"))
                }
            }
            _ => Ok(()),
        }
    }

    /// The headings of the note whose ids start with `prefix--` on `file`, as a link writes
    /// them after `#`.
    fn headings(&self, file: &str, prefix: &str) -> Vec<String> {
        let start = format!("{prefix}--");
        let mut found: Vec<String> = self
            .ids
            .get(file)
            .into_iter()
            .flatten()
            .flat_map(|ids| ids.iter())
            .filter_map(|id| id.strip_prefix(&start))
            .filter(|h| !h.starts_with("fn--"))
            .map(String::from)
            .collect();
        found.sort();
        found
    }
}

/// A sink that indexes every file on its way to `inner`.
pub struct Indexing<'a> {
    inner: &'a dyn Sink,
    index: Mutex<Index>,
    /// The previous build's ids (see [`Ids`]), and this build's.
    known: Ids,
    /// This build's pages and ids, for the next build; `None` for a one-shot build, which
    /// must not hold every page's bytes until it ends.
    seen: Option<Mutex<Ids>>,
}

impl<'a> Indexing<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Indexing {
            inner,
            index: Mutex::new(Index::default()),
            known: Ids::default(),
            seen: None,
        }
    }

    /// An index that takes a page's ids from `known` when its bytes are the same, and keeps
    /// this build's for the next one.
    pub fn knowing(inner: &'a dyn Sink, known: Ids) -> Self {
        Indexing {
            known,
            seen: Some(Mutex::default()),
            ..Self::new(inner)
        }
    }

    pub fn into_index(self) -> Index {
        self.into_parts().0
    }

    /// The index, and the ids of the pages put whole (for the next build's [`Self::knowing`]).
    pub fn into_parts(self) -> (Index, Ids) {
        (
            self.index.into_inner().unwrap_or_else(|e| e.into_inner()),
            self.seen
                .map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()))
                .unwrap_or_default(),
        )
    }

    fn index(&self) -> std::sync::MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The ids of `file` as the last build read them, if it is the very same bytes.
    fn known_ids(&self, file: &OutputFile) -> Option<Arc<HashSet<String>>> {
        self.known
            .pages
            .get(&file.path)
            .filter(|(bytes, _)| Bytes::ptr_eq(bytes, &file.contents))
            .map(|(_, ids)| ids.clone())
    }
}

impl Sink for Indexing<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        let ids = match self.known_ids(&file) {
            Some(ids) => {
                let mut index = self.index();
                index.files.insert(file.path.clone());
                index.ids.insert(file.path.clone(), vec![ids.clone()]);
                Some(ids)
            }
            // Read outside the lock: pages are put from many threads.
            None => {
                let mut one = Index::default();
                let parts: Vec<&[u8]> = file.contents.chunks().collect();
                let ids = one.add(&file.path, &parts);
                let mut index = self.index();
                index.files.extend(one.files);
                index.ids.extend(one.ids);
                ids
            }
        };
        if let (Some(ids), Some(seen)) = (ids, &self.seen) {
            seen.lock()
                .unwrap_or_else(|e| e.into_inner())
                .pages
                .insert(file.path.clone(), (file.contents.clone(), ids));
        }
        self.inner.put(file)
    }

    fn put_pieces(&self, path: &str, parts: Vec<Arc<str>>) -> Result<()> {
        if !path.ends_with(".html") {
            self.index().files.insert(path.to_string());
            return self.inner.put_pieces(path, parts);
        }
        let sets: Vec<(Arc<str>, Arc<HashSet<String>>)> = {
            use rayon::prelude::*;
            parts
                .par_iter()
                .map(|p| {
                    let key = p.as_ptr() as usize;
                    let ids = match self.known.pieces.get(&key) {
                        Some((old, ids)) if Arc::ptr_eq(old, p) => ids.clone(),
                        _ => ids_in(p.as_bytes()),
                    };
                    (p.clone(), ids)
                })
                .collect()
        };
        {
            let mut index = self.index();
            index.files.insert(path.to_string());
            index.ids.insert(
                path.to_string(),
                sets.iter().map(|(_, ids)| ids.clone()).collect(),
            );
        }
        if let Some(seen) = &self.seen {
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            for (p, ids) in sets {
                seen.pieces.insert(p.as_ptr() as usize, (p, ids));
            }
        }
        self.inner.put_pieces(path, parts)
    }

    fn put_all(&self, files: Vec<OutputFile>) -> Result<()> {
        // Pages whose ids are known (the same bytes as last build) go in under one lock each
        // for the index and the next build's ids; any other file goes the usual way.
        let (known, other): (Vec<_>, Vec<_>) = files
            .into_iter()
            .map(|file| {
                let ids = self.known_ids(&file);
                (file, ids)
            })
            .partition(|(_, ids)| ids.is_some());
        for (file, _) in other {
            self.put(file)?;
        }
        let known: Vec<(OutputFile, Arc<HashSet<String>>)> = known
            .into_iter()
            .filter_map(|(f, ids)| Some((f, ids?)))
            .collect();
        {
            let mut index = self.index();
            index.files.reserve(known.len());
            index.ids.reserve(known.len());
            for (file, ids) in &known {
                index.files.insert(file.path.clone());
                index.ids.insert(file.path.clone(), vec![ids.clone()]);
            }
        }
        if let Some(seen) = &self.seen {
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.pages.reserve(known.len());
            for (file, ids) in &known {
                seen.pages
                    .insert(file.path.clone(), (file.contents.clone(), ids.clone()));
            }
        }
        self.inner
            .put_all(known.into_iter().map(|(f, _)| f).collect())
    }

    fn put_parts(&self, path: &str, parts: &[&str]) -> Result<()> {
        // Read outside the lock (the post is big; talk pages are put beside it).
        let mut one = Index::default();
        one.add_text(path, parts);
        let mut index = self.index();
        index.files.extend(one.files);
        index.ids.extend(one.ids);
        drop(index);
        self.inner.put_parts(path, parts)
    }
}

/// Every broken link written in a note: a missing note, heading or file of the site. A note
/// is on the post and on its own page; each of its links is reported once.
pub fn note_links(links: &[(PathBuf, String, NoteLink)], index: &Index) -> Vec<Diagnostic> {
    let mut problems = BTreeSet::new();
    let mut reported: HashSet<(&PathBuf, usize, usize)> = HashSet::new();
    for (path, _, link) in links {
        if !reported.insert((path, link.line, link.column)) {
            continue;
        }
        let why = match &link.target {
            LinkTarget::Broken(why) => Some(why.clone()),
            LinkTarget::Internal {
                file,
                fragment,
                heading_of,
            } => index.exists(file, fragment.as_deref()).err().map(|why| {
                match (heading_of, fragment) {
                    (Some(h), Some(f)) if index.files.contains(file.as_str()) => {
                        let wanted = f.strip_prefix(&format!("{}--", h.prefix)).unwrap_or(f);
                        let headings = index.headings(file, &h.prefix);
                        let has = if headings.is_empty() {
                            "it has no headings".to_string()
                        } else {
                            let list: Vec<String> =
                                headings.iter().map(|h| format!("#{h}")).collect();
                            format!("its headings are {}", list.join(", "))
                        };
                        format!("{} has no heading #{wanted} ({has})", h.note.display())
                    }
                    _ => why,
                }
            }),
        };
        if let Some(why) = why {
            let (message, help) = match crate::images::static_path(&link.written) {
                Some(Ok(file)) if link.image => (
                    format!(
                        "missing image `{}`: there is no image static/{file}",
                        link.written
                    ),
                    format!("put the image at static/{file}, or fix the path"),
                ),
                _ => (
                    format!("broken link `{}`: {why}", link.written),
                    LINK_HELP.to_string(),
                ),
            };
            problems.insert((
                path.display().to_string(),
                link.line,
                link.column,
                message,
                help,
            ));
        }
    }
    problems
        .into_iter()
        .map(|(path, line, column, message, help)| {
            Diagnostic::new(path, message).at(line, column).help(help)
        })
        .collect()
}

/// Every broken internal link and missing anchor; empty when all is well.
pub fn links(compiled: &Compiled) -> Vec<Diagnostic> {
    let index = Index::of_files(&compiled.files);
    let mut out = note_links(&compiled.note_links, &index);
    let from_notes: HashSet<(&str, &str)> = compiled
        .note_links
        .iter()
        .map(|(_, page, link)| (page.as_str(), link.href.as_str()))
        .collect();
    let mut problems = BTreeSet::new();
    let base_path = base_path(&compiled.base_url);
    for f in &compiled.files {
        let page = f.path.as_str();
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&f.contents);
        for attr in ["href", "src"] {
            for href in attribute_values(&html, attr) {
                if from_notes.contains(&(page, href.as_str())) || crate::model::is_external(&href) {
                    continue;
                }
                let (target, fragment) = match href.split_once('#') {
                    Some((t, f)) => (t, Some(f)),
                    None => (href.as_str(), None),
                };
                // A browser decodes the fragment before it looks for the id.
                let fragment =
                    fragment.map(|f| percent_encoding::percent_decode_str(f).decode_utf8_lossy());
                let result = match resolve(page, target, &base_path) {
                    Some(file) => index.exists(&file, fragment.as_deref()),
                    None => Err("it leads out of the site".into()),
                };
                if let Err(why) = result {
                    problems.insert((
                        format!("(built page) {page}"),
                        format!("broken link `{href}`: {why}"),
                    ));
                }
            }
        }
    }
    out.extend(
        problems
            .into_iter()
            .map(|(path, message)| Diagnostic::new(path, message).help(LINK_HELP)),
    );
    out
}

/// The base URL's path: `/` or `/repo/`.
fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/".into(), |i| rest[i..].to_string()),
        None => base_url.to_string(),
    }
}

/// The output file that `href` (without fragment) on `page` names.
fn resolve(page: &str, href: &str, base_path: &str) -> Option<String> {
    let href = href.split('?').next().unwrap_or(href);
    let mut parts: Vec<&str> = if href.is_empty() {
        return Some(page.to_string());
    } else if let Some(abs) = href.strip_prefix(base_path) {
        abs.split('/').collect()
    } else if href.starts_with('/') {
        return None;
    } else {
        let mut dir: Vec<&str> = page.split('/').collect();
        dir.pop();
        dir.extend(href.split('/'));
        dir
    };
    let folder = href.ends_with('/') || href == "." || href.ends_with("/.");
    let mut out: Vec<&str> = Vec::new();
    for p in parts.drain(..) {
        match p {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    let mut file = out.join("/");
    if folder || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

/// The values of `name="…"` attributes in HTML we wrote (attributes are double-quoted).
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!("{name}=\"");
    // memchr's SIMD search: the pages of a large site are many megabytes.
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = finder.find(rest.as_bytes()) {
        let preceded_by_space = rest[..i].ends_with(|c: char| c.is_ascii_whitespace());
        rest = &rest[i + needle.len()..];
        let Some(end) = rest.find('"') else { break };
        if preceded_by_space {
            out.push(rest[..end].replace("&amp;", "&"));
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("talks/a/index.html", "../../", "/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve("talks/a/index.html", "../b/", "/").as_deref(),
            Some("talks/b/index.html")
        );
        assert_eq!(
            resolve("index.html", "style.css", "/").as_deref(),
            Some("style.css")
        );
        assert_eq!(
            resolve("404.html", "/repo/style.css", "/repo/").as_deref(),
            Some("style.css")
        );
        assert_eq!(
            resolve("404.html", "/repo/", "/repo/").as_deref(),
            Some("index.html")
        );
        assert_eq!(resolve("index.html", "../x", "/"), None);
        assert_eq!(
            resolve("index.html", "./", "/").as_deref(),
            Some("index.html")
        );
    }

    #[test]
    fn reads_attributes() {
        let html = r#"<a href="x">a</a><p data-href="no"><img src="i.png"><h2 id="a&amp;b">"#;
        assert_eq!(attribute_values(html, "href"), ["x"]);
        assert_eq!(attribute_values(html, "src"), ["i.png"]);
        assert_eq!(attribute_values(html, "id"), ["a&b"]);
    }
}
