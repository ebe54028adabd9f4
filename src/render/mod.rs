//! Render stage: the model becomes output files, in memory.
//!
//! Markdown is turned into HTML here (anchors depend on slugs, which the model decides), then
//! Tera renders the theme: the built-in templates and CSS are embedded in the binary and the
//! site's own `templates/` and `static/` files replace them by name. Never touches the disk.
//!
//! Pages link to each other with relative URLs (`root` is `""` or `"../../"`), so a site works
//! at a domain root, under a project path and opened from disk; only `404.html`, which GitHub
//! Pages serves at any depth, uses the base URL's path. Absolute URLs (canonical, OpenGraph,
//! feed, sitemap) need a full `base_url`; without one they are left out.
//!
//! Each page gets its own small context: a talk page never carries the whole post.

mod blocks;
pub mod ics;
pub mod markdown;
mod meta;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::load::Asset;
use crate::locale::{Locale, ResolvedLabels};
use crate::model::{Site, Talk, slugify, unique};
use crate::parse::ParsedPage;
use crate::parse::types::{ClockTime, Link as TalkLink, Speaker};
use markdown::{NoteLink, NoteTarget, Placement};

/// The default theme, compiled into the binary.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("talk.html", include_str!("../../templates/talk.html")),
    (
        "talk_page.html",
        include_str!("../../templates/talk_page.html"),
    ),
    (
        "speakers.html",
        include_str!("../../templates/speakers.html"),
    ),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];
const BUILTIN_ASSETS: &[(&str, &[u8])] = &[("style.css", include_bytes!("../../static/style.css"))];

/// Words per minute for the reading time.
const WORDS_PER_MINUTE: usize = 200;

/// File contents, shared cheaply between builds and the `serve` state.
pub type Bytes = Arc<[u8]>;

/// A file of the built site, with its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Bytes,
}

/// Where rendered files go, as soon as each is rendered (from any thread): the write stage's
/// staging folder for `build`, memory for `serve` and `check`. Render itself never touches
/// the disk, and never holds every page at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;

    /// A file made of `parts`, in order. The post is tens of megabytes on a large site; a
    /// sink that writes to disk streams the parts instead of joining them first.
    fn put_parts(&self, path: &str, parts: &[&str]) -> Result<()> {
        let mut joined = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            joined.extend_from_slice(p.as_bytes());
        }
        self.put(OutputFile {
            path: path.to_string(),
            contents: Bytes::from(joined),
        })
    }
}

/// A sink that keeps the files in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// What an earlier build of the same site left behind, for `serve`: a page is reused when
/// nothing it shows changed — the site's shape (every talk's slug, title, day, time,
/// speakers, tags; summit.yaml; the theme) is the same and its own note is unchanged.
#[derive(Debug, Default)]
pub struct Previous {
    pub shape: u64,
    pub files: HashMap<String, Bytes>,
    /// The post's talk sections, by slug.
    pub sections: HashMap<String, String>,
}

/// What `serve` knows between builds.
pub struct Incremental<'a> {
    pub previous: &'a Previous,
    /// Notes (display paths) whose text changed since the previous build.
    pub changed: &'a HashSet<PathBuf>,
    /// Changes whenever summit.yaml, the theme or the build options change.
    pub generation: u64,
}

/// What rendering reports besides the files: every link written in a note (for `check`).
#[derive(Debug, Default)]
pub struct Output {
    /// The site's shape (see [`Previous`]).
    pub shape: u64,
    /// The post's talk sections, by slug, for the next build to reuse.
    pub sections: HashMap<String, String>,
    /// (the note's display path, the page it is on, the link)
    pub note_links: Vec<(PathBuf, String, NoteLink)>,
    /// How long each part of rendering took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Parsed templates plus the static files to copy: built once, and again only when the
/// site's templates or static files change.
pub struct Theme {
    tera: Tera,
    assets: BTreeMap<String, Bytes>,
}

impl Theme {
    /// The built-in theme with the site's templates and static files on top.
    pub fn new(site_templates: &[(String, String)], site_assets: &[Asset]) -> Result<Theme> {
        let mut templates: BTreeMap<&str, &str> = BUILTIN_TEMPLATES.iter().copied().collect();
        for (name, text) in site_templates {
            templates.insert(name, text);
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&e))?;

        let mut assets: BTreeMap<String, Bytes> = BUILTIN_ASSETS
            .iter()
            .map(|(p, b)| (p.to_string(), Bytes::from(*b)))
            .collect();
        for a in site_assets {
            assets.insert(a.rel.clone(), a.bytes.clone());
        }
        Ok(Theme { tera, assets })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e))
    }
}

fn template_error(e: &tera::Error) -> Error {
    use std::error::Error as _;
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(&format!(": {c}"));
        cause = c.source();
    }
    let name = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => r.filename().to_string(),
        _ => "(theme)".into(),
    };
    Error::Template { name, message }
}

/// The site's addresses.
struct Urls {
    /// The full base URL (`https://…/`), if `base_url` is one.
    absolute: Option<String>,
    /// The base URL's path (`/` or `/repo/`).
    path: String,
}

impl Urls {
    fn new(base_url: &str) -> Urls {
        let absolute = base_url.starts_with("http").then(|| base_url.to_string());
        let path = match &absolute {
            Some(a) => {
                let after_scheme = a.split_once("://").map_or(a.as_str(), |(_, r)| r);
                match after_scheme.find('/') {
                    Some(i) => after_scheme[i..].to_string(),
                    None => "/".into(),
                }
            }
            None => base_url.to_string(),
        };
        Urls { absolute, path }
    }

    /// The absolute URL of a folder page (`""`, `talks/x/`), if the base is absolute.
    fn of(&self, dir: &str) -> Option<String> {
        self.absolute.as_ref().map(|a| format!("{a}{dir}"))
    }
}

/// What every page of a build shares: set once as Tera's global context, so it is not
/// serialized again for each of thousands of pages.
#[derive(Serialize)]
struct Globals<'a> {
    lang: &'a str,
    base_url: &'a str,
    labels: &'a ResolvedLabels,
    site: &'a SiteInfo<'a>,
}

/// What differs from page to page.
#[derive(Serialize)]
struct Common<'a> {
    /// Relative path from this page to the site root.
    root: &'a str,
    page: PageMeta,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<&'a str>,
    author: Option<&'a str>,
    url: Option<&'a str>,
    og_locale: &'a str,
    event: EventInfo<'a>,
    /// Which pages exist (links are only shown to pages that exist).
    talk_pages: bool,
    speakers_page: bool,
    tags_page: bool,
    feed: bool,
    calendar: bool,
}

#[derive(Serialize)]
struct EventInfo<'a> {
    name: &'a str,
    url: Option<&'a str>,
    location: Option<&'a str>,
    is_virtual: bool,
    start: Option<String>,
    end: Option<String>,
}

#[derive(Serialize, Default)]
struct PageMeta {
    title: String,
    description: Option<String>,
    /// Absolute URL of this page (canonical, og:url), if the base URL is absolute.
    url: Option<String>,
    og_type: &'static str,
    published: Option<String>,
    /// JSON-LD, already escaped for a `<script>` element.
    jsonld: Option<String>,
}

#[derive(Serialize)]
struct PostContext<'a> {
    published: Option<String>,
    published_text: Option<String>,
    word_count: usize,
    reading_minutes: usize,
    reading_time: String,
    intro: Option<Section<'a>>,
    outro: Option<Section<'a>>,
    days: Vec<DayContext<'a>>,
}

#[derive(Serialize)]
struct Section<'a> {
    title: Option<&'a str>,
    html: &'a str,
}

#[derive(Serialize)]
struct DayContext<'a> {
    number: u32,
    id: &'a str,
    date: String,
    date_text: String,
    heading: String,
    lead: Option<Section<'a>>,
    talks: Vec<PostTalk<'a>>,
}

/// A talk on the post: what the table of contents needs, and its section rendered from
/// `talk.html` (as a marker that is replaced after the post is rendered).
#[derive(Serialize)]
struct PostTalk<'a> {
    slug: &'a str,
    title: &'a str,
    recommended: bool,
    section: &'a str,
}

#[derive(Serialize)]
struct TalkContext<'a> {
    // Talk's own fields, borrowed one by one: `#[serde(flatten)]` would buffer every talk
    // through serde's generic content twice per build (a tenth of a 10,000-talk build).
    // `talk_context_has_every_field_of_talk` keeps this list complete.
    slug: &'a str,
    title: &'a str,
    speakers: &'a [Speaker],
    day: u32,
    start: Option<ClockTime>,
    end: Option<ClockTime>,
    duration: Option<u32>,
    room: Option<&'a str>,
    track: Option<&'a str>,
    tags: &'a [String],
    recommended: bool,
    video: Option<&'a str>,
    slides: Option<&'a str>,
    links: &'a [TalkLink],
    id: Option<&'a str>,
    extra: Option<&'a serde_json::Value>,
    draft: bool,
    start_text: Option<String>,
    end_text: Option<String>,
    html: &'a str,
    /// Where the title links: the talk's own page, or its anchor on the post.
    href: String,
    /// The talk's anchor on the post.
    post_href: String,
    tag_links: Vec<Link>,
    day_heading: String,
}

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    href: String,
}

/// A folder page's output file (`talks/x/` → `talks/x/index.html`).
fn index_of(dir: &str) -> String {
    format!("{dir}index.html")
}

/// `../` once per folder level of `dir`.
fn root_of(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// Renders the whole site. `cache` keeps rendered Markdown between builds.
pub fn render(
    site: &Site,
    theme: &mut Theme,
    cache: &mut markdown::Cache,
    sink: &dyn Sink,
    incremental: Option<Incremental<'_>>,
) -> Result<Output> {
    let config = &site.config;
    let pages = &config.pages;
    let locale = Locale::new(config.language(), &config.labels);
    let urls = Urls::new(&site.base_url);
    cache.begin(site.fixed_ids(), note_targets(site), config.highlight);

    let talks: Vec<&Talk> = site.days.iter().flat_map(|d| &d.talks).collect();
    let shape = shape_of(site, incremental.as_ref().map_or(0, |i| i.generation));
    // What may be taken from the previous build: pages of talks whose note is unchanged.
    let previous = incremental
        .as_ref()
        .filter(|i| i.previous.shape == shape)
        .map(|i| (i.previous, i.changed));
    let unchanged = |t: &Talk| previous.is_some_and(|(_, changed)| !changed.contains(&t.path));
    let reuse = |path: &str| previous.and_then(|(p, _)| p.files.get(path).cloned());

    // Markdown first (needs the cache mutably); everything after borrows the results.
    let docs = documents(site);
    let mut jobs: Vec<markdown::Job<'_>> = docs
        .iter()
        .map(|d| markdown::Job {
            markdown: d.body,
            place: d.place,
            source: d.rel,
            body_line: d.body_line,
            page: "index.html".into(),
        })
        .collect();
    if pages.talks {
        jobs.extend(talks.iter().map(|t| markdown::Job {
            markdown: &t.body,
            place: talk_page_place(t),
            source: &t.rel,
            body_line: t.body_line,
            page: index_of(&talk_dir(t)),
        }));
    }
    let mut clock = std::time::Instant::now();
    let mut lap = |out: &mut Output, name: &'static str| {
        let now = std::time::Instant::now();
        out.timings.push((name, now - clock));
        clock = now;
    };
    let mut out = Output::default();
    cache.render_all(&jobs);
    drop(jobs);
    lap(&mut out, "markdown");
    let cache = &*cache;
    let rendered = |d: &Doc<'_>, page: &str| cache.get(d.place.id_prefix, page);

    let mut words = 0;
    for d in &docs {
        if let Some(r) = rendered(d, "index.html") {
            words += r.words;
            out.note_links.extend(
                r.links
                    .iter()
                    .map(|l| (d.path.clone(), "index.html".to_string(), l.clone())),
            );
        }
    }
    words += talks
        .iter()
        .map(|t| t.title.split_whitespace().count())
        .sum::<usize>();
    let reading_minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);

    let event = &config.event;
    let site_info = SiteInfo {
        title: &config.title,
        description: config.description.as_deref(),
        author: config.author.as_deref(),
        url: urls.absolute.as_deref(),
        og_locale: match config.language() {
            "da" => "da_DK",
            _ => "en_US",
        },
        event: EventInfo {
            name: &event.name,
            url: event.url.as_deref(),
            location: event.location.as_deref(),
            is_virtual: event.is_virtual,
            start: site.days.first().map(|d| d.date.to_string()),
            end: site.days.last().map(|d| d.date.to_string()),
        },
        talk_pages: pages.talks,
        speakers_page: pages.speakers,
        tags_page: pages.tags,
        feed: pages.feed && urls.absolute.is_some(),
        calendar: pages.calendar,
    };
    let tag_slugs = tag_slugs(&talks);
    let pager = Pager {
        cache,
        talk_pages: pages.talks,
        tag_pages: pages.tags,
        tag_slugs: &tag_slugs,
    };
    let day_heading = |n: u32| {
        site.days
            .get(n as usize - 1)
            .and_then(|d| d.title.clone())
            .unwrap_or_else(|| locale.day_heading(n))
    };

    theme.tera.global_context().extend(
        Context::from_serialize(&Globals {
            lang: config.language(),
            base_url: &site.base_url,
            labels: &locale.labels,
            site: &site_info,
        })
        .map_err(|e| template_error(&e))?,
    );
    let theme = &*theme;

    // The post. Each talk's section is rendered from talk.html in parallel; the post's
    // template puts the sections together.
    let section_list: Vec<String> = {
        use rayon::prelude::*;
        talks
            .par_iter()
            .map(|t| {
                if unchanged(t)
                    && let Some(old) = previous.and_then(|(p, _)| p.sections.get(&t.slug))
                {
                    return Ok(old.clone());
                }
                let mut context = Context::new();
                context.insert("root", "");
                context.insert("talk", &pager.talk(t, "", day_heading(t.day)));
                theme.render("talk.html", &context)
            })
            .collect::<Result<_>>()?
    };
    // The template gets a marker per talk; the sections are spliced in afterwards, so the
    // whole post's HTML never has to pass through the template engine's values.
    let markers: HashMap<&str, String> = talks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), format!("{SECTION_MARK}{i}-->")))
        .collect();
    let days: Vec<DayContext<'_>> = site
        .days
        .iter()
        .map(|day| DayContext {
            number: day.number,
            id: &day.id,
            date: day.date.to_string(),
            date_text: locale.date_with_weekday(day.date),
            heading: day_heading(day.number),
            lead: pager.section(&day.lead, &day.id),
            talks: day
                .talks
                .iter()
                .map(|t| PostTalk {
                    slug: &t.slug,
                    title: &t.title,
                    recommended: t.recommended,
                    section: markers.get(t.slug.as_str()).map_or("", String::as_str),
                })
                .collect(),
        })
        .collect();
    let post = PostContext {
        published: config.published.map(|d| d.to_string()),
        published_text: config.published.map(|d| locale.published(d)),
        word_count: words,
        reading_minutes,
        reading_time: locale.reading_time(reading_minutes),
        intro: pager.section(&site.intro, "intro"),
        outro: pager.section(&site.outro, "outro"),
        days,
    };
    let common = |root: &'static str, page: PageMeta| Common { root, page };
    let post_meta = PageMeta {
        title: config.title.clone(),
        description: config.description.clone(),
        url: urls.of(""),
        og_type: "article",
        published: config.published.map(|d| d.to_string()),
        jsonld: Some(meta::post_jsonld(site, &urls, words)),
    };
    // The post's page (one big page, mostly serial work) is written while the talk pages
    // (many small ones) are rendered in parallel beside it.
    let write_post = || -> Result<()> {
        let mut context = context_of(&common("", post_meta))?;
        context.insert("post", &post);
        let index = theme.render("index.html", &context)?;
        drop(context);
        sink.put_parts("index.html", &splice(&index, &section_list))
    };
    // A page per talk, with the previous and next talk, each put into the sink as soon as it
    // is ready.
    let write_talk_pages = || -> Result<Vec<(PathBuf, String, NoteLink)>> {
        use rayon::prelude::*;
        if !pages.talks {
            return Ok(Vec::new());
        }
        let links: Vec<Vec<(PathBuf, String, NoteLink)>> = talks
            .par_iter()
            .enumerate()
            .map(|(i, t)| -> Result<Vec<(PathBuf, String, NoteLink)>> {
                let dir = talk_dir(t);
                let page = index_of(&dir);
                let root = root_of(&dir);
                let links = || {
                    cache
                        .get(&t.slug, &page)
                        .into_iter()
                        .flat_map(|r| &r.links)
                        .map(|l| (t.path.clone(), page.clone(), l.clone()))
                        .collect()
                };
                if unchanged(t)
                    && let Some(old) = reuse(&page)
                {
                    sink.put(OutputFile {
                        path: page.clone(),
                        contents: old,
                    })?;
                    return Ok(links());
                }
                let Some(talk) = pager.talk(t, &dir, day_heading(t.day)) else {
                    return Ok(Vec::new());
                };
                let neighbour = |j: Option<usize>| {
                    j.and_then(|j| talks.get(j)).map(|n| Link {
                        title: n.title.clone(),
                        href: format!("{root}{}", talk_dir(n)),
                    })
                };
                let summary = cache.get(&t.slug, "index.html").map(|r| r.summary.as_str());
                let meta = PageMeta {
                    title: format!("{} · {}", t.title, config.title),
                    description: Some(meta::talk_description(t, summary)),
                    url: urls.of(&dir),
                    og_type: "article",
                    published: config.published.map(|d| d.to_string()),
                    jsonld: None,
                };
                let mut context = context_of(&Common {
                    root: &root,
                    ..common("", meta)
                })?;
                context.insert("talk", &talk);
                context.insert("previous", &neighbour(i.checked_sub(1)));
                context.insert("next", &neighbour(Some(i + 1)));
                put(sink, &page, theme.render("talk_page.html", &context)?)?;
                Ok(links())
            })
            .collect::<Result<_>>()?;
        Ok(links.into_iter().flatten().collect())
    };
    let (post_written, talk_links) = rayon::join(write_post, write_talk_pages);
    post_written?;
    out.note_links.extend(talk_links?);
    drop(post);
    out.shape = shape;
    if incremental.is_some() {
        out.sections = talks
            .iter()
            .map(|t| t.slug.clone())
            .zip(section_list)
            .collect();
    }
    let mut sitemap: Vec<String> = vec![String::new()];
    if pages.talks {
        sitemap.extend(talks.iter().map(|t| talk_dir(t)));
    }
    lap(&mut out, "post and talk pages");

    // Speakers and tags: they show only the site's shape, so an unchanged shape reuses them.
    let shaped = |path: &str, make: &dyn Fn() -> Result<String>| -> Result<()> {
        match reuse(path) {
            Some(old) => sink.put(OutputFile {
                path: path.to_string(),
                contents: old,
            }),
            None => put(sink, path, make()?),
        }
    };
    // A listing page (speakers, tags, a tag) in folder `dir`, with `fill` adding its data.
    let listing_page = |dir: &str, title: String, template: &str, fill: &dyn Fn(&mut Context)| {
        let root = root_of(dir);
        let meta = PageMeta {
            title: format!("{title} · {}", config.title),
            url: urls.of(dir),
            og_type: "website",
            ..PageMeta::default()
        };
        let mut context = context_of(&Common {
            root: &root,
            ..common("", meta)
        })?;
        fill(&mut context);
        theme.render(template, &context)
    };
    let talk_href = |t: &Talk, root: &str| {
        if pages.talks {
            format!("{root}{}", talk_dir(t))
        } else {
            format!("{root}#{}", t.slug)
        }
    };
    if pages.speakers {
        let dir = "speakers/";
        let root = root_of(dir);
        shaped(&index_of(dir), &|| {
            let speakers = speakers_of(&talks, |t| talk_href(t, &root));
            let title = locale.labels.speakers.clone();
            listing_page(dir, title, "speakers.html", &|c| {
                c.insert("speakers", &speakers)
            })
        })?;
        sitemap.push(dir.into());
    }
    if pages.tags {
        let mut by_tag: BTreeMap<(String, &str), Vec<&Talk>> = BTreeMap::new();
        for t in &talks {
            for tag in &t.tags {
                by_tag.entry((tag.to_lowercase(), tag)).or_default().push(t);
            }
        }
        let list: Vec<TagEntry> = by_tag
            .iter()
            .map(|((_, tag), ts)| TagEntry {
                name: tag.to_string(),
                href: format!("{}/", tag_slugs.get(tag).map_or("", String::as_str)),
                count: ts.len(),
            })
            .collect();
        shaped("tags/index.html", &|| {
            let title = locale.labels.tags.clone();
            listing_page("tags/", title, "tags.html", &|c| c.insert("tags", &list))
        })?;
        sitemap.push("tags/".into());
        for ((_, tag), ts) in &by_tag {
            let Some(slug) = tag_slugs.get(tag) else {
                continue;
            };
            let dir = format!("tags/{slug}/");
            let root = root_of(&dir);
            shaped(&index_of(&dir), &|| {
                let entries: Vec<Link> = ts
                    .iter()
                    .map(|t| Link {
                        title: t.title.clone(),
                        href: talk_href(t, &root),
                    })
                    .collect();
                let heading = locale.labels.tag_heading.replace("{tag}", tag);
                let page = TagPage {
                    name: tag,
                    heading: &heading,
                };
                listing_page(&dir, heading.clone(), "tag.html", &|c| {
                    c.insert("tag", &page);
                    c.insert("talks", &entries);
                })
            })?;
            sitemap.push(dir);
        }
    }

    // 404: GitHub Pages serves it at any depth, so it links from the base path.
    let meta = PageMeta {
        title: format!("{} · {}", locale.labels.not_found, config.title),
        og_type: "website",
        ..PageMeta::default()
    };
    let context = context_of(&Common {
        root: &urls.path,
        ..common("", meta)
    })?;
    put(sink, "404.html", theme.render("404.html", &context)?)?;

    // Feeds.
    if let Some(abs) = &urls.absolute {
        let updated = config
            .published
            .or_else(|| site.days.last().map(|d| d.date))
            .map(|d| format!("{d}T00:00:00Z"));
        if pages.feed {
            let entries: Vec<FeedEntry> = talks
                .iter()
                .map(|t| FeedEntry {
                    title: t.title.clone(),
                    url: if pages.talks {
                        format!("{abs}{}", talk_dir(t))
                    } else {
                        format!("{abs}#{}", t.slug)
                    },
                    summary: meta::talk_description(
                        t,
                        cache.get(&t.slug, "index.html").map(|r| r.summary.as_str()),
                    ),
                    tags: t.tags.clone(),
                })
                .collect();
            let mut context = context_of(&common("", PageMeta::default()))?;
            context.insert("updated", &updated);
            context.insert("entries", &entries);
            context.insert("post_summary", &config.description);
            put(sink, "atom.xml", theme.render("atom.xml", &context)?)?;
        }
        if pages.sitemap {
            let urls_list: Vec<String> = sitemap.iter().map(|d| format!("{abs}{d}")).collect();
            let mut context = context_of(&common("", PageMeta::default()))?;
            context.insert("urls", &urls_list);
            context.insert("lastmod", &config.published.map(|d| d.to_string()));
            put(sink, "sitemap.xml", theme.render("sitemap.xml", &context)?)?;
            put(
                sink,
                "robots.txt",
                format!("User-agent: *\nAllow: /\n\nSitemap: {abs}sitemap.xml\n"),
            )?;
        }
    }
    if pages.calendar {
        let summaries: HashMap<&str, &str> = talks
            .iter()
            .filter_map(|t| {
                Some((
                    t.slug.as_str(),
                    cache.get(&t.slug, "index.html")?.summary.as_str(),
                ))
            })
            .collect();
        put(
            sink,
            "schedule.ics",
            ics::calendar(site, &urls_for_ics(&urls), &summaries),
        )?;
    }

    // GitHub Pages: no Jekyll processing; an optional custom domain.
    put(sink, ".nojekyll", String::new())?;
    if let Some(cname) = &config.cname {
        put(sink, "CNAME", format!("{}\n", cname.trim()))?;
    }
    for (path, bytes) in &theme.assets {
        sink.put(OutputFile {
            path: path.clone(),
            contents: bytes.clone(),
        })?;
    }
    lap(&mut out, "other pages");
    Ok(out)
}

const SECTION_MARK: &str = "<!--summit-gen:section:";

/// `html` with each section marker replaced by its section (a marker that names no section
/// is left as it is), as the pieces of the page in order.
fn splice<'a>(html: &'a str, sections: &'a [String]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(2 * sections.len() + 1);
    let mut rest = html;
    while let Some(at) = rest.find(SECTION_MARK) {
        out.push(&rest[..at]);
        let after = &rest[at + SECTION_MARK.len()..];
        let section = after
            .split_once("-->")
            .and_then(|(n, tail)| Some((sections.get(n.parse::<usize>().ok()?)?, tail)));
        match section {
            Some((text, tail)) => {
                out.push(text);
                rest = tail;
            }
            None => {
                out.push(SECTION_MARK);
                rest = after;
            }
        }
    }
    out.push(rest);
    out
}

/// Everything but the notes' text that pages other than the post show: when it is the same
/// as in the previous build, only the pages of edited notes need rendering.
fn shape_of(site: &Site, generation: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    generation.hash(&mut h);
    site.base_url.hash(&mut h);
    for day in &site.days {
        (day.number, &day.title, day.date.0).hash(&mut h);
        for t in &day.talks {
            (&t.path, &t.slug, &t.title, t.day, t.start, t.end).hash(&mut h);
            (&t.speakers, &t.tags, t.recommended).hash(&mut h);
        }
    }
    h.finish()
}

fn talk_dir(t: &Talk) -> String {
    format!("talks/{}/", t.slug)
}

/// Builds the contexts that borrow rendered Markdown from the cache.
struct Pager<'a> {
    cache: &'a markdown::Cache,
    talk_pages: bool,
    tag_pages: bool,
    tag_slugs: &'a HashMap<&'a str, String>,
}

impl<'a> Pager<'a> {
    fn section(&self, page: &'a Option<ParsedPage>, prefix: &str) -> Option<Section<'a>> {
        let p = page.as_ref()?;
        let html = self.cache.get(prefix, "index.html")?.html.as_str();
        Some(Section {
            title: p.meta.title.as_deref(),
            html,
        })
    }

    /// A talk as shown on the page in folder `page_dir` (`""` is the post).
    fn talk(&self, t: &'a Talk, page_dir: &str, day_heading: String) -> Option<TalkContext<'a>> {
        let html = self.cache.get(&t.slug, &index_of(page_dir))?.html.as_str();
        Some(self.view(t, page_dir, day_heading, html))
    }

    /// A talk with its rendered notes `html`, as shown on the page in folder `page_dir`.
    fn view(
        &self,
        t: &'a Talk,
        page_dir: &str,
        day_heading: String,
        html: &'a str,
    ) -> TalkContext<'a> {
        let root = root_of(page_dir);
        let post_href = if page_dir.is_empty() {
            format!("#{}", t.slug)
        } else {
            format!("{root}#{}", t.slug)
        };
        TalkContext {
            slug: &t.slug,
            title: &t.title,
            speakers: &t.speakers,
            day: t.day,
            start: t.start,
            end: t.end,
            duration: t.duration,
            room: t.room.as_deref(),
            track: t.track.as_deref(),
            tags: &t.tags,
            recommended: t.recommended,
            video: t.video.as_deref(),
            slides: t.slides.as_deref(),
            links: &t.links,
            id: t.id.as_deref(),
            extra: t.extra.as_ref(),
            draft: t.draft,
            start_text: t.start.map(|s| s.to_string()),
            end_text: t.end.map(|s| s.to_string()),
            html,
            href: if self.talk_pages {
                format!("{root}{}", talk_dir(t))
            } else {
                post_href.clone()
            },
            post_href,
            tag_links: t
                .tags
                .iter()
                .map(|tag| Link {
                    title: tag.clone(),
                    href: match (self.tag_pages, self.tag_slugs.get(tag.as_str())) {
                        (true, Some(slug)) => format!("{root}tags/{slug}/"),
                        _ => String::new(),
                    },
                })
                .collect(),
            day_heading,
        }
    }
}

fn urls_for_ics(urls: &Urls) -> ics::Urls<'_> {
    ics::Urls {
        absolute: urls.absolute.as_deref(),
    }
}

fn context_of(common: &Common<'_>) -> Result<Context> {
    Context::from_serialize(common).map_err(|e| template_error(&e))
}

fn put(sink: &dyn Sink, path: &str, text: String) -> Result<()> {
    sink.put(OutputFile {
        path: path.to_string(),
        contents: Bytes::from(text.into_bytes()),
    })
}

#[derive(Serialize)]
struct TagEntry {
    name: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct TagPage<'a> {
    name: &'a str,
    heading: &'a str,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    summary: String,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct SpeakerEntry {
    name: String,
    id: String,
    affiliation: Option<String>,
    url: Option<String>,
    talks: Vec<Link>,
}

/// Every speaker (by name, case-insensitively sorted) with their talks in reading order.
fn speakers_of(talks: &[&Talk], href: impl Fn(&Talk) -> String) -> Vec<SpeakerEntry> {
    let mut by_name: BTreeMap<(String, String), SpeakerEntry> = BTreeMap::new();
    for t in talks {
        for s in &t.speakers {
            let e = by_name
                .entry((s.name.to_lowercase(), s.name.clone()))
                .or_insert_with(|| SpeakerEntry {
                    name: s.name.clone(),
                    id: String::new(),
                    affiliation: None,
                    url: None,
                    talks: Vec::new(),
                });
            e.affiliation = e.affiliation.take().or_else(|| s.affiliation.clone());
            e.url = e.url.take().or_else(|| s.url.clone());
            e.talks.push(Link {
                title: t.title.clone(),
                href: href(t),
            });
        }
    }
    let mut taken = HashSet::new();
    by_name
        .into_values()
        .map(|mut e| {
            e.id = unique(format!("speaker-{}", slugify(&e.name)), &mut taken);
            e
        })
        .collect()
}

/// A unique URL slug per tag, in sorted order (`C++` and `c` cannot share a page).
fn tag_slugs<'a>(talks: &[&'a Talk]) -> HashMap<&'a str, String> {
    let mut tags: Vec<&str> = talks
        .iter()
        .flat_map(|t| t.tags.iter().map(String::as_str))
        .collect();
    tags.sort_by_key(|t| (t.to_lowercase(), t.to_string()));
    tags.dedup();
    let mut taken = HashSet::new();
    tags.into_iter()
        .map(|t| (t, unique(slugify(t), &mut taken)))
        .collect()
}

/// A Markdown document of the post.
struct Doc<'a> {
    path: PathBuf,
    rel: &'a std::path::Path,
    body: &'a str,
    body_line: usize,
    place: Placement<'a>,
}

fn documents(site: &Site) -> Vec<Doc<'_>> {
    let mut docs = Vec::new();
    for (page, prefix) in [(&site.intro, "intro"), (&site.outro, "outro")] {
        if let Some(p) = page {
            docs.push(Doc {
                path: p.path.clone(),
                rel: &p.rel,
                body: &p.body,
                body_line: p.body_line,
                place: section_place(prefix, 1, 2),
            });
        }
    }
    for day in &site.days {
        if let Some(p) = &day.lead {
            docs.push(Doc {
                path: p.path.clone(),
                rel: &p.rel,
                body: &p.body,
                body_line: p.body_line,
                place: section_place(&day.id, 2, 3),
            });
        }
        for t in &day.talks {
            docs.push(Doc {
                path: t.path.clone(),
                rel: &t.rel,
                body: &t.body,
                body_line: t.body_line,
                place: talk_place(t),
            });
        }
    }
    docs
}

/// Where each note of the site is shown, for links between notes.
fn note_targets(site: &Site) -> HashMap<PathBuf, NoteTarget> {
    let mut notes = HashMap::new();
    for (page, anchor) in [(&site.intro, "intro"), (&site.outro, "outro")] {
        if let Some(p) = page {
            notes.insert(
                p.rel.clone(),
                NoteTarget::Section {
                    anchor: anchor.into(),
                },
            );
        }
    }
    for day in &site.days {
        if let Some(p) = &day.lead {
            notes.insert(
                p.rel.clone(),
                NoteTarget::Section {
                    anchor: day.id.clone(),
                },
            );
        }
        for t in &day.talks {
            notes.insert(
                t.rel.clone(),
                NoteTarget::Talk {
                    slug: t.slug.clone(),
                    page: site
                        .config
                        .pages
                        .talks
                        .then(|| format!("talks/{}/", t.slug)),
                },
            );
        }
    }
    notes
}

fn section_place(prefix: &str, shift: u8, min_level: u8) -> Placement<'_> {
    Placement {
        id_prefix: prefix,
        shift,
        min_level,
    }
}

/// On the post a talk is an `<h3>`: its headings start at `<h4>`.
fn talk_place(t: &Talk) -> Placement<'_> {
    section_place(&t.slug, 2, 4)
}

/// On its own page the talk is the `<h1>`: its headings start at `<h2>`.
fn talk_page_place(t: &Talk) -> Placement<'_> {
    section_place(&t.slug, 0, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates see every field of a talk: the borrowed copy in `TalkContext` must not miss
    /// one that `Talk` gains.
    #[test]
    fn talk_context_has_every_field_of_talk() {
        let talk = Talk {
            path: PathBuf::from("content/talks/a.md"),
            rel: PathBuf::from("talks/a.md"),
            body_line: 7,
            slug: "a".into(),
            title: "A".into(),
            speakers: Vec::new(),
            day: 1,
            start: ClockTime::parse("09:00"),
            end: ClockTime::parse("09:30"),
            duration: Some(30),
            room: Some("R".into()),
            track: Some("T".into()),
            tags: vec!["x".into()],
            recommended: true,
            video: Some("https://v".into()),
            slides: Some("https://s".into()),
            links: Vec::new(),
            id: Some("42".into()),
            extra: Some(serde_json::json!({"k": 1})),
            draft: false,
            body: String::new(),
        };
        let slugs = HashMap::new();
        let cache = markdown::Cache::default();
        let pager = Pager {
            cache: &cache,
            talk_pages: true,
            tag_pages: true,
            tag_slugs: &slugs,
        };
        let context = pager.view(&talk, "", String::new(), "");
        let keys = |v: serde_json::Value| -> Vec<String> {
            v.as_object().expect("a map").keys().cloned().collect()
        };
        let shown = keys(serde_json::to_value(&context).expect("serializes"));
        for key in keys(serde_json::to_value(&talk).expect("serializes")) {
            assert!(
                shown.contains(&key),
                "talk.{key} is missing from TalkContext"
            );
        }
    }
}
