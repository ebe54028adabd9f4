//! The Markdown cache: every document rendered for the pages that show it, kept between
//! builds by `serve`.
//!
//! A rebuild after a one-note edit costs what changed: a kept rendering is known fresh by
//! one lookup of its note's id prefix (FxHash of a short string; no key is made) and a
//! pointer comparison of the shared text it was made from, and what every rendering
//! depends on (the page's fixed ids, where each note is shown) is compared as one byte
//! string and made again only when that differs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{BlogNotes, LinkEnv, NoteTarget, Placement, Prepared, Rendered, emit, prepare};
use crate::error::Result;
use crate::model::Talk;
use crate::route::{INDEX, Page, Route};

/// One Markdown document to render for one page.
pub struct Job<'a> {
    pub markdown: &'a str,
    /// The same text as shared (a note's body): an entry made from this very text needs no
    /// hash of it to be known fresh.
    pub shared: Option<&'a Arc<str>>,
    /// The talk the job is made from, when it is made from a talk alone (its text, its
    /// file, its slug: everything of the job but its page and shape): a job made from the
    /// very talk the last build's job at the same place was made from, for the same kind of
    /// page and in the same shape, is fresh without a look at anything else.
    pub talk: Option<&'a Arc<Talk>>,
    pub place: Placement<'a>,
    /// The note's path relative to the site root.
    pub source: &'a Path,
    pub body_line: usize,
    /// The page it is shown on.
    pub page: Route<'a>,
}

/// What every rendering depends on besides its own note: the page's fixed ids and where each
/// note is shown (for links between notes), given to [`Cache::begin`] as a way to make them.
pub struct Links<'a> {
    /// Writes out everything `make` makes its sets from, in a fixed order: a retaining cache
    /// makes the sets again only when these bytes differ from the last build's.
    pub signature: &'a dyn Fn(&mut Vec<u8>),
    /// Whether the talks' part of what `make` makes its sets from (each note's path and
    /// slug, in order) is the last build's, found without writing it out (see
    /// [`crate::render::memo::Memo::see`]).
    pub same_talks: bool,
    /// The page's fixed ids, and every note's target by its path relative to the site root.
    pub make: &'a dyn Fn() -> (HashSet<String>, HashMap<PathBuf, NoteTarget>),
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
    /// The [`Links::signature`] `fixed` and `notes` were made from (a retaining cache), and
    /// the buffer the next build's is written into.
    signature: Option<Vec<u8>>,
    scratch: Vec<u8>,
    /// In a blog, every recap's notes (for links between recaps).
    blog: Option<Arc<BlogNotes>>,
    /// The sizes of the site's images (`width`/`height` of every `<img>`).
    images: Arc<crate::images::Sizes>,
    /// By note (id prefix).
    entries: Slots,
    /// The last build's talks, for what the render makes from them alone.
    pub(crate) memo: crate::render::memo::Memo,
}

/// The kept renderings, a slot per note (id prefix), and which slot each job of the last
/// render was shown from: a rebuild finds a job's slot where the last build's job at the
/// same place had it, checked by comparing the prefix (no hash), and by the prefix's FxHash
/// only when the jobs moved.
#[derive(Debug, Default)]
struct Slots {
    slots: Vec<Slot>,
    by_prefix: FxHashMap<Box<str>, u32>,
    /// By job of the last render (a retaining cache): its slot (`u32::MAX`: none) and its
    /// page's rendering in the slot's `pages` (`u32::MAX`: the post's).
    placed: Vec<(u32, u32)>,
    /// By job of the last render (a retaining cache, as `placed`): what it was made from
    /// ([`Made::of`]), held so that the talk is not freed and another put in its place.
    made: Vec<Made>,
}

/// What a job was made from when that is a talk alone ([`Job::talk`]): the talk and the
/// kind of page and shape it was rendered for.
#[derive(Debug, Default, Clone)]
struct Made {
    talk: Option<Arc<Talk>>,
    post: bool,
    shape: (u8, u8),
}

impl Made {
    fn of(job: &Job<'_>) -> Made {
        Made {
            talk: job.talk.cloned(),
            post: job.page.page == Page::Post,
            shape: (job.place.shift, job.place.min_level),
        }
    }

    /// Whether `job` is made from what this was made from: the very same talk (a pointer
    /// comparison: an unchanged note's talk is shared between builds).
    fn is(&self, job: &Job<'_>) -> bool {
        self.talk
            .as_ref()
            .zip(job.talk)
            .is_some_and(|(a, b)| Arc::ptr_eq(a, b))
            && self.post == (job.page.page == Page::Post)
            && self.shape == (job.place.shift, job.place.min_level)
    }
}

impl Slots {
    fn clear(&mut self) {
        *self = Slots::default();
    }

    fn get(&self, prefix: &str) -> Option<&Slot> {
        let &i = self.by_prefix.get(prefix)?;
        self.slots.get(i as usize)
    }

    /// The slot of job `at` of this build, whose note's id prefix is `prefix`.
    fn of_job(&self, at: usize, prefix: &str) -> Option<&Slot> {
        let guess = self
            .placed
            .get(at)
            .and_then(|&(i, _)| self.slots.get(i as usize));
        guess
            .filter(|s| &*s.prefix == prefix)
            .or_else(|| self.get(prefix))
    }

    fn get_or_insert(&mut self, prefix: String) -> &mut Slot {
        let i = match self.by_prefix.get(prefix.as_str()) {
            Some(&i) => i as usize,
            None => {
                let i = self.slots.len();
                self.slots.push(Slot {
                    prefix: prefix.clone().into(),
                    ..Slot::default()
                });
                self.by_prefix.insert(prefix.into(), i as u32);
                i
            }
        };
        &mut self.slots[i]
    }

    /// Whether job `at` of this build is made from what the last build's job at the same
    /// place was, and so shown from the same rendering, which is fresh: a retaining cache
    /// keeps each job's rendering fresh for the render it was placed for, and drops them all
    /// when anything else they depend on changes ([`Cache::begin`]).
    fn same_job(&self, at: usize, job: &Job<'_>) -> bool {
        self.made.get(at).is_some_and(|m| m.is(job))
            && self.placed.get(at).is_some_and(|&(i, _)| i != u32::MAX)
    }

    /// Whether the last render's places are as many as `jobs`, each to be checked with
    /// [`Slots::same_job`].
    fn aligned(&self, jobs: &[Job<'_>]) -> bool {
        self.placed.len() == jobs.len() && self.made.len() == jobs.len()
    }

    /// Records where each of `jobs` is shown from, for the next build's guesses and for
    /// [`Cache::of_job`]. A job made from what the last build's job at its place was made
    /// from is shown from the same rendering as then (nothing is looked up); `moved`, if
    /// known, are the others (as [`Cache::render`] found them, against these very places).
    fn place(&mut self, jobs: &[Job<'_>], moved: Option<&[usize]>) {
        if self.aligned(jobs) {
            let moved = match moved {
                Some(moved) => moved.to_vec(),
                None => (0..jobs.len())
                    .filter(|&at| !self.same_job(at, &jobs[at]))
                    .collect(),
            };
            for at in moved {
                self.placed[at] = self.find(at, &jobs[at]);
                self.made[at] = Made::of(&jobs[at]);
            }
            return;
        }
        self.placed = jobs
            .iter()
            .enumerate()
            .map(|(at, j)| self.find(at, j))
            .collect();
        self.made = jobs.iter().map(Made::of).collect();
    }

    /// Where job `at` is shown from, found by its prefix (where the last build's job at the
    /// same place had its slot, else by lookup).
    fn find(&self, at: usize, j: &Job<'_>) -> (u32, u32) {
        {
            let guess = self.placed.get(at).map(|&(i, _)| i);
            let i = match guess.and_then(|i| self.slots.get(i as usize)) {
                Some(s) if *s.prefix == *j.place.id_prefix => guess,
                _ => self.by_prefix.get(j.place.id_prefix).copied(),
            };
            let Some(slot) = i.and_then(|i| self.slots.get(i as usize)) else {
                return (u32::MAX, u32::MAX);
            };
            let page = match j.page.page {
                Page::Post => None,
                _ => slot.pages.iter().position(|(f, _)| j.page.is_local_file(f)),
            };
            (i.unwrap_or(u32::MAX), page.map_or(u32::MAX, |k| k as u32))
        }
    }
}

/// A note's renderings: the post's, and those of the other pages that cannot show it.
#[derive(Debug, Default)]
struct Slot {
    prefix: Box<str>,
    post: Option<Entry>,
    /// By the page's file in the recap (`talks/x/index.html`).
    pages: Vec<(String, Entry)>,
}

impl Slot {
    /// The rendering made for `page` itself.
    fn own(&self, page: &Route<'_>) -> Option<&Entry> {
        match page.page {
            Page::Post => self.post.as_ref(),
            _ => self
                .pages
                .iter()
                .find(|(file, _)| page.is_local_file(file))
                .map(|(_, e)| e),
        }
    }
}

/// Shows a page other than the post as soon as its note is rendered for it: given the job's
/// index, what the page shows and the post's rendering of the same note (if there is one).
/// `Ok(true)` keeps a new rendering in the cache.
pub type Show<'s> = dyn Fn(usize, &Rendered, Option<&Rendered>) -> Result<bool> + Sync + 's;

/// Renderings made by [`Cache::render`], not yet kept: by id prefix, and the page's file in
/// the recap unless it is the post; and, when the jobs were as many as the last render's,
/// those not made from what the job at their place was made from then, with their count.
pub struct Fresh(
    Vec<(String, Option<String>, Entry)>,
    Option<(usize, Vec<usize>)>,
);

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

    /// The hash of `job`'s text if this entry was made from that very shared text.
    fn known(&self, job: &Job<'_>) -> Option<u64> {
        let same = self
            .text
            .as_ref()
            .zip(job.shared)
            .is_some_and(|(a, b)| Arc::ptr_eq(a, b));
        same.then_some(self.body)
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

    /// Call once per build, before [`Cache::render_all`]. A retaining cache makes `links`'
    /// sets only when their signature differs from the last build's, and drops its entries
    /// only when the sets (compared by value: a reordering is no change) differ too.
    pub fn begin(
        &mut self,
        links: Links<'_>,
        highlight: bool,
        blog: Option<Arc<BlogNotes>>,
        images: Arc<crate::images::Sizes>,
    ) {
        let same_links = self.retain && {
            let mut now = std::mem::take(&mut self.scratch);
            now.clear();
            (links.signature)(&mut now);
            let same = self.signature.as_ref() == Some(&now);
            self.scratch = match same {
                true => now,
                false => self.signature.replace(now).unwrap_or_default(),
            };
            same && links.same_talks
        };
        if !same_links {
            let (fixed, notes) = (links.make)();
            if fixed != self.fixed || notes != self.notes {
                self.entries.clear();
                self.fixed = fixed;
                self.notes = notes;
            }
        }
        let key = |b: &Option<Arc<BlogNotes>>| b.as_ref().map(|b| b.key);
        if highlight != self.highlight
            || key(&blog) != key(&self.blog)
            || images.key != self.images.key
        {
            self.entries.clear();
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
            self.insert(fresh, jobs);
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
        // A job whose kept rendering was made from its very text needs nothing more (unless
        // it is to be shown): on a rebuild that is all but the edited notes' jobs.
        let skip = self.retain && show.is_none();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut moved = (skip && self.entries.aligned(jobs)).then(Vec::new);
        for (at, j) in jobs.iter().enumerate() {
            if skip && self.entries.same_job(at, j) {
                continue;
            }
            if let Some(moved) = &mut moved {
                moved.push(at);
            }
            if skip && self.kept(at, j) {
                continue;
            }
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
        let done: Vec<Vec<(String, Option<String>, Entry)>> = groups
            .par_iter()
            .map(|group| self.render_group(jobs, group, show))
            .collect::<Result<_>>()?;
        let moved = moved.map(|m| (jobs.len(), m));
        Ok(Fresh(done.into_iter().flatten().collect(), moved))
    }

    /// Whether `job` has a kept rendering made from its very shared text, for its page, and
    /// still fresh (the text is known without hashing it).
    fn kept(&self, at: usize, job: &Job<'_>) -> bool {
        self.entries
            .of_job(at, job.place.id_prefix)
            .and_then(|slot| slot.own(&job.page))
            .is_some_and(|e| e.known(job).is_some_and(|body| e.matches(job, body)))
    }

    /// The jobs of one note (`group`, indices into `jobs`, the post's first).
    fn render_group(
        &self,
        jobs: &[Job<'_>],
        group: &[usize],
        show: Option<&Show<'_>>,
    ) -> Result<Vec<(String, Option<String>, Entry)>> {
        let (fixed, notes) = (&self.fixed, &self.notes);
        let slot = self
            .entries
            .of_job(group[0], jobs[group[0]].place.id_prefix);
        let found: Vec<Option<&Entry>> = group
            .iter()
            .map(|&at| slot.and_then(|s| s.own(&jobs[at].page)))
            .collect();
        // The hash of a text already hashed (the very same shared text) is known.
        let body = match self.retain {
            true => (0..group.len())
                .find_map(|k| found[k]?.known(&jobs[group[k]]))
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
        let mut out: Vec<(String, Option<String>, Entry)> = Vec::new();
        for (k, &at) in group.iter().enumerate() {
            let j = &jobs[at];
            let shape = (j.place.shift, j.place.min_level);
            let is_post = j.page.page == Page::Post;
            if is_post && let Some(r) = cached(k) {
                post = Some((r.page_dependent, shape));
                post_cached = Some(r);
                continue;
            }
            let post_now = post_cached.or_else(|| post.and(out.first().map(|(.., e)| &e.rendered)));
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
                // The words and summary are the post's (a rebuild may render a page alone).
                let text = self.retain || group.iter().any(|&g| jobs[g].page.page == Page::Post);
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
                j.place.id_prefix.to_string(),
                (!is_post).then(|| j.page.local_file()),
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

    /// Keeps what [`Cache::render`] rendered for `jobs`.
    pub fn insert(&mut self, fresh: Fresh, jobs: &[Job<'_>]) {
        let Fresh(done, moved) = fresh;
        for (prefix, file, entry) in done {
            let slot = self.entries.get_or_insert(prefix);
            match file {
                None => slot.post = Some(entry),
                Some(file) => match slot.pages.iter_mut().find(|(f, _)| *f == file) {
                    Some(kept) => kept.1 = entry,
                    None => slot.pages.push((file, entry)),
                },
            }
        }
        if self.retain {
            let moved = moved.as_ref().filter(|(n, _)| *n == jobs.len());
            self.entries.place(jobs, moved.map(|(_, m)| &m[..]));
        }
    }

    /// Call once per build, when its render is done: a one-shot cache drops its renderings,
    /// which nothing reads again (in a blog, the next recap's render would otherwise sit on
    /// top of every earlier recap's HTML until the whole blog is built).
    pub fn end(&mut self) {
        if !self.retain {
            self.entries.clear();
        }
    }

    /// What job `at` of the last render shows (its page's rendering, or the post's), with
    /// no lookup: a retaining cache; else `None`.
    pub fn shown(&self, at: usize) -> Option<&Rendered> {
        let &(i, page) = self.entries.placed.get(at)?;
        let slot = self.entries.slots.get(i as usize)?;
        let own = slot.pages.get(page as usize).map(|(_, e)| e);
        own.or(slot.post.as_ref()).map(|e| &e.rendered)
    }

    /// A note rendered for `page`, by its file in the recap (or the post's rendering, where
    /// that fits every page).
    pub fn get(&self, id_prefix: &str, page: &str) -> Option<&Rendered> {
        let slot = self.entries.get(id_prefix)?;
        let own = match page {
            INDEX => None,
            _ => slot.pages.iter().find(|(f, _)| f == page).map(|(_, e)| e),
        };
        own.or(slot.post.as_ref()).map(|e| &e.rendered)
    }

    /// [`Cache::get`] by the page's route (no file name is made).
    pub fn get_at(&self, id_prefix: &str, page: &Route<'_>) -> Option<&Rendered> {
        let slot = self.entries.get(id_prefix)?;
        slot.own(page).or(slot.post.as_ref()).map(|e| &e.rendered)
    }
}
