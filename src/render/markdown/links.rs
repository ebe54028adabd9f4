//! Links written in notes: resolved for the page the note is shown on, and recorded with
//! their file positions for `check`. See the parent module for the rules.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::heading_slug;
use crate::route::{Page, Recap, Route};

/// A link written in a note, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteLink {
    /// 1-based position in the note's file.
    pub line: usize,
    pub column: usize,
    /// As written.
    pub written: String,
    /// As written into the page.
    pub href: String,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// An output file (`index.html`, `talks/x/index.html`, `img/a.png`) and maybe an anchor.
    Internal {
        file: String,
        fragment: Option<String>,
        /// The note whose heading the fragment names, if it names one.
        heading_of: Option<HeadingOf>,
    },
    /// A `.md` link to no note of the site, or a path out of the site.
    Broken(String),
}

/// A note whose heading a link names: its path (as `check` reports it) and the prefix of
/// its ids on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingOf {
    pub note: PathBuf,
    pub prefix: String,
}

/// Where a note that other notes link to is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    /// A talk: its anchor on the post, and its own page if the recap has talk pages.
    Talk { slug: String, page: bool },
    /// The intro, outro or a day's text: an anchor on the post.
    Section { anchor: String },
    /// A draft, left out of this build.
    Draft,
    /// A note with no text, left out by `unwritten: hide`.
    Hidden,
}

/// What links are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct LinkEnv<'a> {
    /// The note's path relative to the site root.
    pub source: &'a Path,
    /// The file line the body starts on.
    pub body_line: usize,
    /// Every note of the site by its path relative to the root.
    pub notes: &'a HashMap<PathBuf, NoteTarget>,
    /// The page the note is rendered for (the post, the talk's page).
    pub page: Route<'a>,
    /// The prefix of the note's own ids.
    pub id_prefix: &'a str,
}

impl LinkEnv<'_> {
    fn on_post(&self) -> bool {
        self.page.page == Page::Post
    }
}

/// The href to write and what it points at; `None` for external links (left alone).
pub(crate) fn resolve_link(
    dest: &str,
    headings: &HashMap<String, String>,
    env: &LinkEnv<'_>,
) -> Option<(String, LinkTarget)> {
    if crate::model::is_external(dest) || dest.is_empty() {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    // Paths that are not notes are files of the recap, from its root.
    let root = env.page.recap_root();
    let post = Route {
        prefix: env.page.prefix,
        page: Page::Post,
    };

    if path.is_empty() {
        // `#heading` within the note, or an id of the page.
        let frag = fragment.unwrap_or("");
        let id = headings
            .get(frag)
            .cloned()
            .unwrap_or_else(|| frag.to_string());
        let target = LinkTarget::Internal {
            file: env.page.file(),
            fragment: Some(id.clone()),
            heading_of: Some(HeadingOf {
                note: env.source.to_path_buf(),
                prefix: env.id_prefix.to_string(),
            }),
        };
        return Some((format!("#{id}"), target));
    }
    if path.ends_with(".md") {
        let base = if path.starts_with('/') {
            PathBuf::new()
        } else {
            env.source
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        let Some(target_path) = normalize(&base.join(path.trim_start_matches('/'))) else {
            return Some((
                dest.to_string(),
                LinkTarget::Broken("it leads out of the site".into()),
            ));
        };
        let Some(note) = env.notes.get(&target_path) else {
            let why = format!("there is no note {}", target_path.display());
            return Some((dest.to_string(), LinkTarget::Broken(why)));
        };
        // The note's heading the fragment names, if any.
        let heading_of = |prefix: &str| {
            fragment.map(|_| HeadingOf {
                note: target_path.clone(),
                prefix: prefix.to_string(),
            })
        };
        // An anchor on the post, from this page.
        let post_anchor = |anchor: String, heading_of: Option<HeadingOf>| {
            let href = env.page.anchor(&post, &anchor);
            let target = LinkTarget::Internal {
                file: post.file(),
                fragment: Some(anchor),
                heading_of,
            };
            (href, target)
        };
        return Some(match note {
            NoteTarget::Talk { slug, page } => {
                let anchor = match fragment {
                    Some(f) => format!("{slug}--{}", heading_slug(f)),
                    None => slug.clone(),
                };
                let recap = Recap {
                    prefix: env.page.prefix,
                    talk_pages: *page,
                };
                match recap.talk(slug) {
                    (to, None) if !env.on_post() => (
                        env.page.anchor(&to, &anchor),
                        LinkTarget::Internal {
                            file: to.file(),
                            fragment: Some(anchor),
                            heading_of: heading_of(slug),
                        },
                    ),
                    _ => post_anchor(anchor, heading_of(slug)),
                }
            }
            NoteTarget::Section { anchor } => post_anchor(anchor.clone(), None),
            NoteTarget::Hidden => (
                dest.to_string(),
                LinkTarget::Broken(format!(
                    "{} has no text yet, and `unwritten: hide` leaves it out",
                    target_path.display()
                )),
            ),
            NoteTarget::Draft => (
                dest.to_string(),
                LinkTarget::Broken(format!(
                    "{} is a draft, left out of the build (`--drafts` builds it)",
                    target_path.display()
                )),
            ),
        });
    }
    // Any other relative path is a file of the site, from its root.
    let Some(file) = normalize(Path::new(path.trim_start_matches('/'))) else {
        return Some((
            dest.to_string(),
            LinkTarget::Broken("it leads out of the site".into()),
        ));
    };
    let file = file.to_string_lossy().replace('\\', "/");
    let href = format!(
        "{root}{}{}",
        path.trim_start_matches('/').trim_start_matches("./"),
        fragment.map(|f| format!("#{f}")).unwrap_or_default()
    );
    let file = if path.ends_with('/') || file.is_empty() {
        crate::route::folder_file(&file)
    } else {
        file
    };
    let file = format!("{}{file}", env.page.prefix);
    Some((
        href,
        LinkTarget::Internal {
            file,
            fragment: fragment.map(String::from),
            heading_of: None,
        },
    ))
}

/// `a/./b/../c` → `a/c`; `None` if it climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// Line and column in the file of byte `offset` in the body.
pub(crate) fn position(body: &str, offset: usize, body_line: usize) -> (usize, usize) {
    let before = &body[..offset.min(body.len())];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (body_line + line, column)
}
