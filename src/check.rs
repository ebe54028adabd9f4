//! `check`: every internal link of the built site leads somewhere.
//!
//! Links written in notes are checked from what `render` recorded, so a problem is reported at
//! the note's `path:line:col`; links the templates write (navigation, tags, pagers) are found
//! by reading the built pages. Pure: it looks only at the compiled site in memory.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::Compiled;
use crate::error::Diagnostic;
use crate::render::markdown::LinkTarget;

/// Every broken internal link and missing anchor; empty when all is well.
pub fn links(compiled: &Compiled) -> Vec<Diagnostic> {
    let files: HashMap<&str, &[u8]> = compiled
        .files
        .iter()
        .map(|f| (f.path.as_str(), &*f.contents))
        .collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            ids.insert(path, attribute_values(&html, "id").into_iter().collect());
        }
    }
    let exists = |file: &str, fragment: Option<&str>| -> Result<(), String> {
        let file = file.trim_start_matches('/');
        if !files.contains_key(file) {
            return Err(format!("the site has no {file}"));
        }
        match fragment {
            Some(f) if !f.is_empty() && file.ends_with(".html") => {
                if ids.get(file).is_some_and(|set| set.contains(f)) {
                    Ok(())
                } else {
                    Err(format!("{file} has no anchor #{f}"))
                }
            }
            _ => Ok(()),
        }
    };

    let mut problems = BTreeSet::new();
    let mut from_notes: HashSet<(&str, &str)> = HashSet::new();
    // A note is on the post and on its own page: report each of its links once.
    let mut reported: HashSet<(String, usize, usize)> = HashSet::new();
    for (path, page, link) in &compiled.note_links {
        from_notes.insert((page.as_str(), link.href.as_str()));
        if !reported.insert((path.display().to_string(), link.line, link.column)) {
            continue;
        }
        let why = match &link.target {
            LinkTarget::Broken(why) => Some(why.clone()),
            LinkTarget::Internal { file, fragment } => exists(file, fragment.as_deref()).err(),
        };
        if let Some(why) = why {
            problems.insert((
                path.display().to_string(),
                link.line,
                link.column,
                format!("broken link `{}`: {why}", link.written),
            ));
        }
    }

    let base_path = base_path(&compiled.base_url);
    for (page, bytes) in &files {
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href", "src"] {
            for href in attribute_values(&html, attr) {
                if from_notes.contains(&(page, href.as_str())) || crate::model::is_external(&href) {
                    continue;
                }
                let (target, fragment) = match href.split_once('#') {
                    Some((t, f)) => (t, Some(f)),
                    None => (href.as_str(), None),
                };
                let file = resolve(page, target, &base_path);
                let result = match file {
                    Some(file) => exists(&file, fragment),
                    None => Err("it leads out of the site".into()),
                };
                if let Err(why) = result {
                    problems.insert((
                        format!("(built page) {page}"),
                        0,
                        0,
                        format!("broken link `{href}`: {why}"),
                    ));
                }
            }
        }
    }
    problems
        .into_iter()
        .map(|(path, line, column, message)| {
            let d = Diagnostic::new(path, message);
            let d = if line > 0 { d.at(line, column) } else { d };
            d.help("fix the link, or the heading or note it points to")
        })
        .collect()
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
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
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
