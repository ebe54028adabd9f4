//! The Markdown cache: every document rendered for the pages that show it, kept between
//! builds by `serve`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BlogNotes, LinkEnv, NoteTarget, Placement, Prepared, Rendered, emit, prepare};
use crate::error::Result;
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

/// Shows a page other than the post as soon as its note is rendered for it: given the job's
/// index, what the page shows and the post's rendering of the same note (if there is one).
/// `Ok(true)` keeps a new rendering in the cache.
pub type Show<'s> = dyn Fn(usize, &Rendered, Option<&Rendered>) -> Result<bool> + Sync + 's;

/// Renderings made by [`Cache::render`], not yet kept.
pub struct Fresh(Vec<((String, String), Entry)>);

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
        // Without a `show`, nothing can fail.
        if let Ok(fresh) = self.render(jobs, None) {
            self.insert(fresh);
        }
    }

    /// Whether renderings stay between builds (`serve`).
    pub fn retains(&self) -> bool {
        self.retain
    }

    /// [`Cache::render_all`]'s rendering, without keeping it yet (see [`Cache::insert`]).
    /// With `show`, each page other than the post is shown as soon as its note is rendered,
    /// and a new rendering is kept only when `show` says so: a one-shot build writes each
    /// talk page there and keeps only the post's renderings (on a large site the talk pages'
    /// copies of every note would otherwise all be held until the pages are written).
    pub fn render(&self, jobs: &[Job<'_>], show: Option<&Show<'_>>) -> Result<Fresh> {
        use rayon::prelude::*;
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (at, j) in jobs.iter().enumerate() {
            let i = *index.entry(j.place.id_prefix).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            // The post's job first: the others may reuse it.
            if j.page.page == Page::Post {
                groups[i].insert(0, at);
            } else {
                groups[i].push(at);
            }
        }
        let done: Vec<Vec<((String, String), Entry)>> = groups
            .par_iter()
            .map(|group| self.render_group(jobs, group, show))
            .collect::<Result<_>>()?;
        Ok(Fresh(done.into_iter().flatten().collect()))
    }

    /// The jobs of one note (`group`, indices into `jobs`, the post's first).
    fn render_group(
        &self,
        jobs: &[Job<'_>],
        group: &[usize],
        show: Option<&Show<'_>>,
    ) -> Result<Vec<((String, String), Entry)>> {
        let (fixed, notes, entries) = (&self.fixed, &self.notes, &self.entries);
        // One lookup per job: each page's file name is made once (a `format!` per call).
        let pages = entries.get(jobs[group[0]].place.id_prefix);
        let files: Vec<String> = group.iter().map(|&at| jobs[at].page.local_file()).collect();
        let found: Vec<Option<&Entry>> =
            files.iter().map(|f| pages.and_then(|m| m.get(f))).collect();
        // The hash of a text already hashed (the very same shared text) is known.
        let known = |k: usize| {
            let e = found[k]?;
            let same = e
                .text
                .as_ref()
                .zip(jobs[group[k]].shared)
                .is_some_and(|(a, b)| Arc::ptr_eq(a, b));
            same.then_some(e.body)
        };
        let body = match self.retain {
            true => (0..group.len())
                .find_map(known)
                .unwrap_or_else(|| hash(jobs[group[0]].markdown)),
            false => 0,
        };
        let cached = |k: usize| {
            found[k]
                .filter(|e| e.matches(&jobs[group[k]], body))
                .map(|e| &e.rendered)
        };
        let mut prepared: Option<Prepared<'_>> = None;
        // The post's rendering: whether it is page-dependent, its shape, and whether it is
        // the cached one (else it is new, `out[0]`).
        let mut post: Option<(bool, (u8, u8))> = None;
        let mut post_cached: Option<&Rendered> = None;
        let mut out: Vec<((String, String), Entry)> = Vec::new();
        for (k, &at) in group.iter().enumerate() {
            let j = &jobs[at];
            let shape = (j.place.shift, j.place.min_level);
            let is_post = j.page.page == Page::Post;
            if is_post && let Some(r) = cached(k) {
                post = Some((r.page_dependent, shape));
                post_cached = Some(r);
                continue;
            }
            let post_now = post_cached.or_else(|| post.and(out.first().map(|(_, e)| &e.rendered)));
            if !is_post {
                // Fresh, or the post's rendering fits this page.
                let fits = post.is_some_and(|(dependent, s)| !dependent && s == shape);
                if let Some(r) = cached(k).or(post_now.filter(|_| fits)) {
                    if let Some(show) = show {
                        show(at, r, post_now)?;
                    }
                    continue;
                }
            }
            let doc = prepared.get_or_insert_with(|| {
                let text = group.iter().any(|&g| jobs[g].page.page == Page::Post);
                prepare(j.markdown, j.place.id_prefix, fixed, text, self.highlight)
            });
            let env = LinkEnv {
                source: j.source,
                body_line: j.body_line,
                notes,
                page: j.page,
                id_prefix: j.place.id_prefix,
                blog: self.blog.as_deref(),
                images: Some(&*self.images),
            };
            let mut rendered = emit(doc, j.markdown, &j.place, &env);
            if self.retain {
                rendered.fingerprint = hash(&rendered.html);
            }
            if is_post {
                post = Some((rendered.page_dependent, shape));
            } else if let Some(show) = show
                && !show(at, &rendered, post_now)?
            {
                continue;
            }
            out.push((
                (j.place.id_prefix.to_string(), files[k].clone()),
                Entry {
                    body,
                    text: j.shared.filter(|_| self.retain).cloned(),
                    source: j.source.to_path_buf(),
                    body_line: j.body_line,
                    shape,
                    rendered,
                },
            ));
        }
        Ok(out)
    }

    /// Keeps what [`Cache::render`] rendered.
    pub fn insert(&mut self, fresh: Fresh) {
        for ((prefix, page), entry) in fresh.0 {
            self.entries.entry(prefix).or_default().insert(page, entry);
        }
    }

    /// Call once per build, when its render is done: a one-shot cache drops its renderings,
    /// which nothing reads again (in a blog, the next recap's render would otherwise sit on
    /// top of every earlier recap's HTML until the whole blog is built).
    pub fn end(&mut self) {
        if !self.retain {
            self.entries = HashMap::new();
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
