//! The Markdown cache: every document rendered for the pages that show it, kept between
//! builds by `serve`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BlogNotes, LinkEnv, NoteTarget, Placement, Prepared, Rendered, emit, prepare};
use crate::route::{Page, Route};

/// One Markdown document to render for one page.
pub struct Job<'a> {
    pub markdown: &'a str,
    /// The same text as shared (a note's body): an entry made from this very text needs no
    /// hash of it to be known fresh.
    pub shared: Option<&'a Arc<str>>,
    pub place: Placement<'a>,
    /// The note's path relative to the site root.
    pub source: &'a Path,
    pub body_line: usize,
    /// The page it is shown on.
    pub page: Route<'a>,
}

/// Rendered documents, kept between builds (`serve`): a note is rendered again only when its
/// text, its file, its placement, the page's fixed ids or the site's notes change. A note
/// without page-dependent links is rendered once and shown as is on every page of the same
/// shape. Stale documents are rendered in parallel.
#[derive(Debug, Default)]
pub struct Cache {
    /// Whether entries must be checked against new text (`serve`); a one-shot build renders
    /// everything once and need not hash anything.
    retain: bool,
    /// Highlight fenced code (summit.yaml's `highlight`).
    highlight: bool,
    fixed: HashSet<String>,
    notes: HashMap<PathBuf, NoteTarget>,
    /// In a blog, every recap's notes (for links between recaps).
    blog: Option<Arc<BlogNotes>>,
    /// The sizes of the site's images (`width`/`height` of every `<img>`).
    images: Arc<crate::images::Sizes>,
    /// By note (id prefix), then page: looked up with borrowed strings.
    entries: HashMap<String, HashMap<String, Entry>>,
}

#[derive(Debug)]
struct Entry {
    /// A hash of the text, not the text: the cache stays small.
    body: u64,
    /// The text hashed, when it is shared (`serve`; the parsed note holds it anyway).
    text: Option<Arc<str>>,
    source: PathBuf,
    body_line: usize,
    shape: (u8, u8),
    rendered: Rendered,
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Entry {
    fn matches(&self, job: &Job<'_>, body: u64) -> bool {
        self.body == body
            && self.source == job.source
            && self.body_line == job.body_line
            && self.shape == (job.place.shift, job.place.min_level)
    }
}

impl Cache {
    /// A cache for many builds.
    pub fn retaining() -> Self {
        Cache {
            retain: true,
            ..Cache::default()
        }
    }

    /// Call once per build, before [`Cache::render_all`].
    pub fn begin(
        &mut self,
        fixed: HashSet<String>,
        notes: HashMap<PathBuf, NoteTarget>,
        highlight: bool,
        blog: Option<Arc<BlogNotes>>,
        images: Arc<crate::images::Sizes>,
    ) {
        let key = |b: &Option<Arc<BlogNotes>>| b.as_ref().map(|b| b.key);
        if fixed != self.fixed
            || notes != self.notes
            || highlight != self.highlight
            || key(&blog) != key(&self.blog)
            || images.key != self.images.key
        {
            self.entries.clear();
            self.fixed = fixed;
            self.notes = notes;
            self.highlight = highlight;
        }
        // Equal keys: the same notes; the newer copy is kept either way.
        self.blog = blog;
        self.images = images;
    }

    /// Renders what is not fresh, in parallel, note by note: a note is parsed once and
    /// written out for each page that needs its own rendering (another page shows the post's
    /// rendering when it has the same shape and no page-dependent link).
    pub fn render_all(&mut self, jobs: &[Job<'_>]) {
        use rayon::prelude::*;
        let mut groups: Vec<Vec<&Job<'_>>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for j in jobs {
            let i = *index.entry(j.place.id_prefix).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            // The post's job first: the others may reuse it.
            if j.page.page == Page::Post {
                groups[i].insert(0, j);
            } else {
                groups[i].push(j);
            }
        }
        let (fixed, notes, entries) = (&self.fixed, &self.notes, &self.entries);
        let blog = self.blog.as_deref();
        let images = &*self.images;
        let (retain, highlight) = (self.retain, self.highlight);
        let done: Vec<((String, String), Entry)> = groups
            .par_iter()
            .flat_map_iter(|group| {
                let key = |j: &Job<'_>| (j.place.id_prefix.to_string(), j.page.local_file());
                let cached = |j: &Job<'_>| {
                    entries
                        .get(j.place.id_prefix)
                        .and_then(|m| m.get(&j.page.local_file()))
                };
                // The hash of a text already hashed (the very same shared text) is known.
                let known = |j: &&Job<'_>| {
                    let e = cached(j)?;
                    let same = e
                        .text
                        .as_ref()
                        .zip(j.shared)
                        .is_some_and(|(a, b)| Arc::ptr_eq(a, b));
                    same.then_some(e.body)
                };
                let body = match retain {
                    true => group
                        .iter()
                        .find_map(known)
                        .unwrap_or_else(|| hash(group[0].markdown)),
                    false => 0,
                };
                let fresh = |j: &Job<'_>| cached(j).is_some_and(|e| e.matches(j, body));
                let mut prepared: Option<Prepared<'_>> = None;
                let mut post: Option<(bool, (u8, u8))> = None;
                let mut out = Vec::new();
                for j in group {
                    let shape = (j.place.shift, j.place.min_level);
                    if j.page.page == Page::Post {
                        if let Some(e) = cached(j).filter(|e| e.matches(j, body)) {
                            post = Some((e.rendered.page_dependent, shape));
                            continue;
                        }
                    } else {
                        if fresh(j) {
                            continue;
                        }
                        // Reuse the post's rendering where it fits this page.
                        if post.is_some_and(|(dependent, s)| !dependent && s == shape) {
                            continue;
                        }
                    }
                    let doc = prepared.get_or_insert_with(|| {
                        let text = group.iter().any(|g| g.page.page == Page::Post);
                        prepare(j.markdown, j.place.id_prefix, fixed, text, highlight)
                    });
                    let env = LinkEnv {
                        source: j.source,
                        body_line: j.body_line,
                        notes,
                        page: j.page,
                        id_prefix: j.place.id_prefix,
                        blog,
                        images: Some(images),
                    };
                    let mut rendered = emit(doc, j.markdown, &j.place, &env);
                    if retain {
                        rendered.fingerprint = hash(&rendered.html);
                    }
                    if j.page.page == Page::Post {
                        post = Some((rendered.page_dependent, shape));
                    }
                    out.push((
                        key(j),
                        Entry {
                            body,
                            text: j.shared.filter(|_| retain).cloned(),
                            source: j.source.to_path_buf(),
                            body_line: j.body_line,
                            shape,
                            rendered,
                        },
                    ));
                }
                out
            })
            .collect();
        for ((prefix, page), entry) in done {
            self.entries.entry(prefix).or_default().insert(page, entry);
        }
    }

    /// A note rendered for `page`, by its file in the recap (or the post's rendering, where
    /// that fits every page).
    pub fn get(&self, id_prefix: &str, page: &str) -> Option<&Rendered> {
        let pages = self.entries.get(id_prefix)?;
        pages
            .get(page)
            .or_else(|| pages.get(crate::route::INDEX))
            .map(|e| &e.rendered)
    }
}
