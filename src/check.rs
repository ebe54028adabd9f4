//! `check`: every internal link of the built site leads somewhere.
//!
//! Links written in notes are checked on every build (`build`, `serve` and `check` alike)
//! from what `render` recorded, against an [`Index`] of the files the build put out and the
//! ids on its pages, so a problem is reported at the note's `path:line:col`. `check` also
//! reads the built pages for the links the templates write (navigation, tags, pagers). Pure:
//! it looks only at the compiled site in memory.
//! `index.rs` makes the index, and keeps it from build to build for `serve`.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use crate::Compiled;
use crate::error::Diagnostic;
use crate::render::markdown::{LinkTarget, NoteLink};

mod index;
pub use index::{Ids, Index, Indexing};

const LINK_HELP: &str = "fix the link, or the heading or note it points to";

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
                    (Some(h), Some(f)) if index.has_file(file) => {
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
        let page = &*f.path;
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
