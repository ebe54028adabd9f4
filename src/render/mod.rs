//! Render stage: the model becomes output files, in memory.
//!
//! Markdown is turned into HTML here (anchors depend on slugs, which the model decides), then
//! Tera renders the theme: the built-in templates and CSS are embedded in the binary and the
//! site's own `templates/` and `static/` files replace them by name. Never touches the disk.
//!
//! Pages link to each other with relative URLs ([`crate::route`] decides every page's file and
//! every link between pages; `root` is the way to the site root), so a site works at a domain
//! root, under a project path and opened from disk; only `404.html`, which GitHub Pages serves
//! at any depth, uses the base URL's path. Absolute URLs (canonical, OpenGraph,
//! feed, sitemap) need a full `base_url`; without one they are left out.
//!
//! Each page gets its own small context: a talk page never carries the whole post.
//!
//! This file runs a render (`render`: Markdown first, then the pages); `context` holds the
//! template contexts. The pages are written by `post` (the post and the talk pages), `listings`
//! (speakers, tags) and `site_files` (404, feeds, sitemap, calendar, static files); `notes`
//! places the Markdown documents, `theme` holds the templates, `output` the files and sinks.

mod blocks;
pub mod blog;
mod context;
mod cover;
mod highlight;
pub mod ics;
mod listings;
pub mod markdown;
pub(crate) mod memo;
mod meta;
pub(crate) mod notes;
mod output;
mod post;
mod site_files;
pub use site_files::{FeedEntry, LeftOut, left_out};
mod theme;
mod video;

use std::collections::HashMap;
use std::path::PathBuf;

use tera::Context;

use crate::error::Result;
use crate::locale::Locale;
use crate::model::{Site, Talk};
use crate::route::{Recap, Route};
use context::{
    AlsoTalk, Common, DayContext, EventInfo, Globals, Link, PageMeta, Pager, Pick, PostContext,
    PostTalk, SiteInfo, Stars, Urls, page_url,
};
pub use output::{Bytes, Collect, Files, Incremental, Kept, Output, OutputFile, Previous, Sink};
use theme::template_error;
pub use theme::{Builtin, CUSTOM_CSS, THEME_PREFIX, Theme, builtin_files, unused_templates};

/// Words per minute for the reading time.
const WORDS_PER_MINUTE: usize = 200;

/// The post's file inside its recap: the page a recap's Markdown is first rendered for.
const POST: &str = crate::route::INDEX;

/// Renders the whole site (a recap alone), or a recap's pages inside a blog (`host`).
/// `cache` keeps rendered Markdown between builds.
pub fn render(
    site: &Site,
    host: &blog::Host<'_>,
    theme: &mut Theme,
    cache: &mut markdown::Cache,
    sink: &dyn Sink,
    incremental: Option<Incremental<'_>>,
) -> Result<Output> {
    let config = &site.config;
    let pages = &config.pages;
    let locale = Locale::new(config.language, &config.labels);
    let urls = Urls::new(&site.base_url);
    let recap = Recap {
        prefix: host.prefix,
        talk_pages: pages.talks,
    };
    let talks: Vec<&Talk> = site
        .days
        .iter()
        .flat_map(|d| d.talks.iter().map(|t| &**t))
        .collect();
    // The markdown lap counts from here: the site's shape, the cache's check of its inputs and
    // the jobs are part of it.
    let mut clock = std::time::Instant::now();
    let notes = incremental.as_ref().map(|i| i.notes);
    // A retaining cache compares the talks with the last build's by pointer; a one-shot
    // build keeps nothing and knows nothing.
    let seen = match cache.retains() {
        true => cache.memo.see(site, notes),
        false => memo::Seen {
            same_places: false,
            same_speakers: false,
            same_tags: false,
        },
    };
    let shape = shape_of(
        site,
        incremental.as_ref().map_or(0, |i| i.global),
        cache.retains().then_some(&cache.memo),
    );
    // What may be taken from the previous build: pages rendered from what they would be
    // rendered from now (same shape, same fingerprint).
    let previous = incremental
        .as_ref()
        .filter(|i| i.previous.shape == shape)
        .map(|i| (i.previous, i.notes));

    cache.begin(
        markdown::Links {
            signature: &|out| notes::link_signature(site, out),
            same_talks: seen.same_places,
            make: &|| (site.fixed_ids(), notes::note_targets(site)),
        },
        config.highlight,
        host.blog.map(|b| b.notes.clone()),
        site.images.clone(),
    );

    // Markdown first (needs the cache mutably); everything after borrows the results.
    let docs = notes::documents(site);
    let mut jobs: Vec<markdown::Job<'_>> = Vec::with_capacity(docs.len() + talks.len());
    jobs.extend(docs.iter().map(|d| markdown::Job {
        markdown: d.body,
        shared: d.shared,
        talk: d.talk,
        place: d.place,
        source: d.rel,
        body_line: d.body_line,
        page: recap.post(),
    }));
    if pages.talks {
        // From the talks' documents (made from them just now, in reading order), not from
        // the talks: 10,000 talks spread over memory are not read twice.
        let of_talks = docs.iter().filter_map(|d| Some((d, d.talk?)));
        jobs.extend(of_talks.map(|(d, t)| markdown::Job {
            markdown: d.body,
            shared: d.shared,
            talk: Some(t),
            place: notes::talk_page_place(d.place.id_prefix),
            source: d.rel,
            body_line: d.body_line,
            page: recap.talk_page(d.place.id_prefix),
        }));
    }
    let mut lap = |out: &mut Output, name: &'static str| {
        let now = std::time::Instant::now();
        out.timings.push((name, now - clock));
        clock = now;
    };
    let mut out = Output::default();

    // A retaining cache keeps the slugs (of a few distinct tags) for the next build, made
    // from the same tags, and lends them out (10,000 talks' tags are not looked at).
    let kept_tags = (host.blog.is_none() && cache.retains()).then(|| {
        cache.memo.tag_slugs(&seen, || {
            let slugs = listings::tag_slugs(&talks);
            slugs.into_iter().map(|(t, s)| (t.to_string(), s)).collect()
        })
    });
    let tag_slugs: HashMap<&str, String> = match (host.blog, &kept_tags) {
        (Some(b), _) => b.tag_slugs_of(&talks),
        (None, Some(kept)) => kept.iter().map(|(t, s)| (t.as_str(), s.clone())).collect(),
        (None, None) => listings::tag_slugs(&talks),
    };
    // A site whose talks have no tags gets no (empty) tags page, and no link to one.
    let tag_pages = host.blog.map_or(pages.tags, |b| b.tags) && !tag_slugs.is_empty();
    let make_ids = || {
        listings::speaker_ids(
            talks
                .iter()
                .flat_map(|t| &t.speakers)
                .map(|s| s.name.as_str()),
        )
    };
    // (A retaining cache keeps them for the next build, made from the same names.)
    let mut own_ids = None;
    let speaker_ids: &HashMap<String, String> = match host.blog {
        Some(b) => &b.speaker_ids,
        None if cache.retains() => own_ids.insert(cache.memo.speaker_ids(&seen, make_ids)),
        None => own_ids.insert(std::sync::Arc::new(make_ids())),
    };
    let event = &config.event;
    let site_info = SiteInfo {
        title: &config.title,
        description: config.description.as_deref(),
        author: config.author.as_deref(),
        url: urls.absolute.as_deref(),
        og_locale: config.language.og_locale(),
        blog_title: host.blog.map(|b| b.title),
        event: EventInfo {
            name: &event.name,
            url: event.url.as_deref(),
            location: event.location.as_deref(),
            is_virtual: event.is_virtual,
            start: site.days.first().map(|d| d.date.to_string()),
            end: site.days.last().map(|d| d.date.to_string()),
        },
        talk_pages: pages.talks,
        speakers_page: host.blog.map_or(pages.speakers, |b| b.speakers),
        tags_page: host.blog.map_or(tag_pages, |b| b.tags_page),
        feed: host.blog.map_or(pages.feed, |b| b.feed).is_on() && urls.absolute.is_some(),
        calendar: pages.calendar,
        custom_css: host.blog.map_or(theme.has_custom_css(), |b| b.custom_css),
        recap_css: host.blog.is_some() && theme.has_custom_css(),
    };
    theme.tera.global_context().extend(
        Context::from_serialize(&Globals {
            lang: config.language.code(),
            base_url: &site.base_url,
            labels: &locale.labels,
            site: &site_info,
        })
        .map_err(|e| template_error(&e))?,
    );

    // The page writers' environment, over `cache` as it is at the time.
    macro_rules! env {
        ($cache:expr, $prints:expr) => {
            Env {
                site,
                locale: &locale,
                urls: &urls,
                theme,
                cache: $cache,
                sink,
                talks: &talks,
                tag_slugs: &tag_slugs,
                recap,
                pager: Pager {
                    cache: $cache,
                    locale: &locale,
                    speaker_ids: site_info.speakers_page.then_some(speaker_ids),
                    recap,
                    tag_pages,
                    tag_slugs: &tag_slugs,
                },
                previous,
                first_talk: docs.len(),
                post_jobs: Vec::new(),
                prints: $prints,
                keep: incremental.is_some(),
                reused: std::sync::Mutex::default(),
                made_from: std::sync::Mutex::default(),
            }
        };
    }
    // A one-shot build writes each talk page as soon as its note is rendered and keeps only
    // the post's renderings; `serve` keeps them all, and reuses pages (`post::write`).
    let stream = pages.talks && !cache.retains();
    let fresh = {
        // (Only a one-shot build streams, and it reuses nothing: no fingerprints.)
        let env = env!(&*cache, Vec::new());
        let talk_links = std::sync::Mutex::new(Vec::new());
        let first_talk = docs.len();
        let show = |at: usize, notes: &markdown::Rendered, post: Option<&markdown::Rendered>| {
            let i = at - first_talk;
            let summary = post.map(|r| r.summary.as_str());
            let (links, _) = post::talk_page(&env, i, notes, summary)?;
            talk_links
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((i, links));
            Ok(false)
        };
        let fresh = cache.render(&jobs, stream.then_some(&show as &markdown::Show<'_>))?;
        let mut talk_links = talk_links.into_inner().unwrap_or_else(|e| e.into_inner());
        talk_links.sort_by_key(|(i, _)| *i);
        out.note_links
            .extend(talk_links.into_iter().flat_map(|(_, links)| links));
        fresh
    };
    cache.insert(fresh, &jobs);
    drop(jobs);
    lap(&mut out, "markdown");
    let cache = &*cache;

    let mut words = 0;
    let mut post_links = Vec::new();
    let mut post_jobs = Vec::new();
    for (at, d) in docs.iter().enumerate() {
        // A retaining cache has each job's rendering where the job was (no lookup by key).
        let rendered = match cache.retains() {
            true => cache.shown(at),
            false => cache.get(d.place.id_prefix, POST),
        };
        if cache.retains() && d.shared.is_some() {
            post_jobs.push(at);
        }
        if let Some(r) = rendered {
            words += r.words;
            post_links.extend(
                r.links
                    .iter()
                    .map(|l| (d.path.to_path_buf(), recap.post().file(), l.clone())),
            );
        }
    }
    // The post's links first, as when the talk pages are written after it.
    out.note_links.splice(0..0, post_links);
    // The titles are part of the shape: the same as last time if anything may be reused.
    let title_words = match previous {
        Some((p, _)) => p.sections.title_words,
        None => talks
            .iter()
            .map(|t| t.title.split_whitespace().count())
            .sum::<usize>(),
    };
    words += title_words;

    let prints = match notes {
        Some(notes) => fingerprints(notes, cache, &talks, &docs, recap),
        None => Vec::new(),
    };
    let env = Env {
        post_jobs,
        ..env!(cache, prints)
    };
    let sections = post::sections(&env)?;
    let written = post::write(&env, &sections, words, stream)?;
    out.note_links.extend(written.links);
    out.shape = shape;
    if env.keep {
        out.sections = Kept {
            prints: env.prints.clone(),
            sections: sections
                .into_iter()
                .map(post::TalkSection::into_text)
                .collect(),
            pages: written.pages,
            frame: written.frame,
            title_words,
        };
    }
    lap(&mut out, "post and talk pages");

    let known = incremental
        .as_ref()
        .map_or(&[][..], |i| &i.previous.talk_extras);
    let extras = site_files::talk_extras(&env, known);
    if host.blog.is_none() {
        listings::write(&env)?;
        site_files::write(&env, &extras)?;
    } else {
        out.sitemap = site_files::page_dirs(&env);
        site_files::write_recap_files(&env, &extras)?;
        // The recap's entries in its blog's feed (as the blog's `pages.feed` says).
        if let (Some(b), Some(abs)) = (host.blog, &urls.absolute)
            && b.feed.is_on()
        {
            out.feed = site_files::feed_entries(&env, abs, b.feed);
        }
    }
    out.words = words;
    out.talk_extras = extras;
    out.rendered_from.extend(
        env.made_from
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    );
    out.reused = env.reused.into_inner().unwrap_or_else(|e| e.into_inner());
    lap(&mut out, "other pages");
    Ok(out)
}

/// What the page writers of one build share.
struct Env<'a> {
    site: &'a Site,
    locale: &'a Locale,
    urls: &'a Urls,
    theme: &'a Theme,
    cache: &'a markdown::Cache,
    sink: &'a dyn Sink,
    /// Where the recap's pages live.
    recap: Recap<'a>,
    /// Every talk, in reading order.
    talks: &'a [&'a Talk],
    tag_slugs: &'a HashMap<&'a str, String>,
    pager: Pager<'a>,
    /// The last successful build (`serve`) if its shape is this build's, and the hashes of
    /// the notes' texts now.
    previous: Option<(&'a Previous, &'a HashMap<PathBuf, u64>)>,
    /// The first talk page's job in the Markdown render (the documents' jobs come first).
    first_talk: usize,
    /// Each talk's job for the post in the Markdown render, in reading order (a retaining
    /// cache; else empty).
    post_jobs: Vec<usize>,
    /// What each talk's section and page are rendered from now (`serve`; see [`fingerprint`]),
    /// in reading order: computed once, used to decide reuse and kept for the next build.
    prints: Vec<[Option<u64>; 2]>,
    /// Whether this build's post sections are kept for the next build (`serve`): they are
    /// made shared texts, and the post is put as its pieces.
    keep: bool,
    /// The pages taken from the previous build as they were.
    reused: std::sync::Mutex<Vec<std::sync::Arc<str>>>,
    /// What the files that decide their own reuse were made from (see
    /// [`Env::reuse_made_from`]), by path.
    made_from: std::sync::Mutex<Vec<(String, u64)>>,
}

impl Env<'_> {
    /// What the previous build kept of the post and the talk pages, if it may be reused (the
    /// same shape: its Vecs are aligned with this build's talks).
    fn kept(&self) -> Option<&'_ Kept> {
        self.previous.map(|(p, _)| &p.sections)
    }

    /// Whether the previous build's part of a talk was rendered from what it would be
    /// rendered from now (its [`Print`]).
    fn unchanged(&self, talk: Print) -> bool {
        let part =
            |prints: &[[Option<u64>; 2]]| prints.get(talk.0).and_then(|f| f[talk.1 as usize]);
        let now = part(&self.prints);
        now.is_some() && self.kept().is_some_and(|k| part(&k.prints) == now)
    }

    /// Talk `i`'s (`t`'s) note as the post shows it: where its job was in a retaining
    /// cache (no lookup by key), else by its slug.
    fn on_post(&self, i: usize, t: &Talk) -> Option<&markdown::Rendered> {
        match self.post_jobs.get(i) {
            Some(&at) => self.cache.shown(at),
            None => self.cache.get(&t.slug, POST),
        }
    }

    /// The previous build's section of talk `i`, if it is rendered from the same now.
    fn kept_section(&self, i: usize) -> Option<&'_ std::sync::Arc<str>> {
        let kept = self.kept()?;
        self.unchanged(Print(i, Part::Section))
            .then(|| kept.sections.get(i)?.as_ref())
            .flatten()
    }

    /// The previous build's page of talk `i`, if it is rendered from the same now.
    fn kept_page(&self, i: usize) -> Option<&'_ std::sync::Arc<output::KeptPage>> {
        let kept = self.kept()?;
        self.unchanged(Print(i, Part::Page))
            .then(|| kept.pages.get(i)?.as_ref())
            .flatten()
    }

    /// The previous build's file at `path`, if the previous build's pages may be reused.
    fn reuse(&self, path: &str) -> Option<Bytes> {
        let old = self.old_file(path)?;
        self.record_reused([path.into()]);
        Some(old)
    }

    /// [`Env::reuse`] without recording the reuse: the caller records it with
    /// [`Env::record_reused`] when it puts the file.
    fn old_file(&self, path: &str) -> Option<Bytes> {
        self.previous.and_then(|(p, _)| p.files.get(path).cloned())
    }

    /// [`Env::old_file`] as a file of this build, its path shared with the previous one's.
    fn old_output(&self, path: &str) -> Option<OutputFile> {
        let (p, _) = self.previous?;
        let (path, contents) = p.files.get_key_value(path)?;
        Some(OutputFile {
            path: path.clone(),
            contents: contents.clone(),
        })
    }

    /// Records that the files at `paths` were taken from the previous build.
    fn record_reused(&self, paths: impl IntoIterator<Item = std::sync::Arc<str>>) {
        self.reused
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(paths);
    }

    /// The previous build's file at `path` if it was made from `from` (a hash of what it is
    /// rendered from besides the site's shape) and the shape is the same; `from` is recorded
    /// for the next build either way.
    fn reuse_made_from(&self, path: &str, from: u64) -> Option<Bytes> {
        self.made_from
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), from));
        let same = self
            .previous
            .is_some_and(|(p, _)| p.rendered_from.get(path) == Some(&from));
        if same { self.reuse(path) } else { None }
    }

    /// Day `n`'s heading: its title from summit.yaml, or "Day n" in the site's language.
    fn day_heading(&self, n: u32) -> String {
        self.site
            .days
            .get(n as usize - 1)
            .and_then(|d| d.title.clone())
            .unwrap_or_else(|| self.locale.day_heading(n))
    }

    /// A page's own context: the ways to the site's and the recap's roots, and the page's
    /// metadata.
    fn context(&self, at: &Route<'_>, page: PageMeta) -> Result<Context> {
        let (root, recap_root) = (at.root(), at.recap_root());
        self.context_at(&root, &recap_root, page)
    }

    /// [`Env::context`] for a page that is not a route (404, feeds).
    fn context_at(&self, root: &str, recap_root: &str, page: PageMeta) -> Result<Context> {
        Context::from_serialize(&Common {
            root,
            recap_root,
            page,
        })
        .map_err(|e| template_error(&e))
    }

    /// Renders `template` into a page.
    fn render(&self, template: &str, context: &Context) -> Result<String> {
        self.theme.render(template, context)
    }

    fn put(&self, path: &str, text: String) -> Result<()> {
        self.sink.put(OutputFile {
            path: path.into(),
            contents: Bytes::from(text.into_bytes()),
        })
    }
}

/// Everything but the notes' text that pages other than the post show: when it is the same
/// as in the previous build, only the pages of edited notes need rendering.
///
/// Each talk's part is [`talk_shape`]'s, kept for an unchanged talk by `memo` (a retaining
/// cache, which has seen this build's talks).
fn shape_of(site: &Site, global: u64, memo: Option<&memo::Memo>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    global.hash(&mut h);
    site.base_url.hash(&mut h);
    let mut kept = memo.map(memo::Memo::talk_shapes);
    for day in &site.days {
        (day.number, &day.title, day.date.0, day.talks.len()).hash(&mut h);
        // The talks' parts (hashes already) are mixed by FxHash's step, which for a given
        // state maps each part to a different state (one changed talk always changes the
        // sum), at a tenth of SipHash's cost per talk.
        let mut talks = rustc_hash::FxHasher::default();
        for t in &day.talks {
            let shape = kept.as_mut().and_then(Iterator::next);
            talks.write_u64(shape.unwrap_or_else(|| talk_shape(t)));
        }
        h.write_u64(talks.finish());
    }
    h.finish()
}

/// What of a talk the pages other than the post show (a part of [`shape_of`]).
fn talk_shape(t: &Talk) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&t.path, &t.slug, &t.title, t.day, t.start, t.end).hash(&mut h);
    (&t.speakers, &t.tags, t.recommended, t.rating).hash(&mut h);
    h.finish()
}

/// Which of a talk's fingerprints: its place in reading order, and its section or its page.
#[derive(Clone, Copy)]
struct Print(usize, Part);

#[derive(Clone, Copy)]
enum Part {
    Section = 0,
    Page = 1,
}

/// Each talk's fingerprints for its section of the post and its page (if it has one), in
/// parallel: the note's hash as the Markdown cache's memo keeps it, its renderings by its jobs' places in
/// the cache (`docs` are the post's jobs, the talks' among them in reading order; the talk
/// pages' jobs follow them).
fn fingerprints(
    notes: &HashMap<PathBuf, u64>,
    cache: &markdown::Cache,
    talks: &[&Talk],
    docs: &[notes::Doc<'_>],
    recap: Recap<'_>,
) -> Vec<[Option<u64>; 2]> {
    use rayon::prelude::*;
    let posts: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].shared.is_some())
        .collect();
    debug_assert_eq!(posts.len(), talks.len());
    talks
        .par_iter()
        .zip(&posts)
        .enumerate()
        .map(|(i, (t, &post))| {
            // The memo's hash (a retaining cache), else the map's.
            let note = cache
                .memo
                .note_hash(i)
                .or_else(|| notes.get(&t.path).copied());
            let Some(note) = note else {
                return [None, None];
            };
            let shown = |job: usize, at: Route<'_>| {
                let rendered = cache.shown(job).or_else(|| cache.get_at(&t.slug, &at));
                fingerprint(note, rendered)
            };
            let page = recap.talk_pages.then(|| recap.talk_page(&t.slug));
            [
                shown(post, recap.post()),
                page.and_then(|p| shown(docs.len() + i, p)),
            ]
        })
        .collect()
}

/// What a talk's part of a page is rendered from, besides the site's shape: the note's text
/// (a hash of its front matter and body) and its rendered Markdown for that page. `None`
/// when the rendering is unknown, which never matches.
///
/// Both are already hashes: a cheap mix of the two (FxHash's, as for two words) does.
fn fingerprint(note: u64, rendered: Option<&markdown::Rendered>) -> Option<u64> {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write_u64(note);
    h.write_u64(rendered?.fingerprint);
    Some(h.finish())
}
