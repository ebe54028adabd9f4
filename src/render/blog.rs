//! A blog of recaps: what a recap needs to know of the blog around it ([`Host`]), and the
//! blog's own pages, rendered from the recaps' metadata only (titles, dates, speakers, tags,
//! word counts; never a note's body): the index (newest first), speakers and tags across
//! every recap, the Atom feed (an entry per recap, or with `pages.feed: talks` the recap and
//! an entry per talk, newest recap first), sitemap, robots.txt (at a domain root), 404,
//! `.nojekyll`, `CNAME` and the theme's static files.

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::listings::{self, Listed, ListedLink, TagEntry, TagPage};
use super::markdown::BlogNotes;
use super::{
    Common, EventInfo, Globals, OutputFile, PageMeta, Previous, Sink, SiteInfo, Theme, Urls,
};
use super::{WORDS_PER_MINUTE, site_files::xml_chars, template_error};
use crate::config::{Blog, Feed};
use crate::error::Result;
use crate::locale::Locale;
use crate::model::{Site, Talk};
use crate::parse::types::Date;
use crate::route::{Page, Recap, Route};

/// Where a recap is rendered: alone (its own site), or under `prefix` inside a blog.
#[derive(Clone, Copy)]
pub struct Host<'a> {
    /// `""` alone, `"<folder>/"` in a blog.
    pub prefix: &'a str,
    pub blog: Option<&'a Scope<'a>>,
}

impl Host<'static> {
    /// A recap that is the whole site.
    pub const ALONE: Host<'static> = Host {
        prefix: "",
        blog: None,
    };
}

/// What a recap's pages show of the blog: its title, which site-wide pages exist, and the
/// tags' URL slugs (decided across every recap, so a tag has one page).
pub struct Scope<'a> {
    pub title: &'a str,
    pub speakers: bool,
    /// Tag pages are written (and linked from talks).
    pub tags: bool,
    /// The navigation links to `tags/` (some recap has a tag).
    pub tags_page: bool,
    /// What the blog's feed holds (each recap writes its entries).
    pub feed: Feed,
    /// The blog has a `static/custom.css` (every page links it).
    pub custom_css: bool,
    pub tag_slugs: HashMap<String, String>,
    /// Each speaker's id on the blog's speakers page, by name.
    pub speaker_ids: HashMap<String, String>,
    /// Every recap's notes, for links from one recap to another.
    pub notes: Arc<BlogNotes>,
}

impl Scope<'_> {
    /// The slugs of the tags `talks` use.
    pub(super) fn tag_slugs_of<'t>(&self, talks: &[&'t Talk]) -> HashMap<&'t str, String> {
        talks
            .iter()
            .flat_map(|t| &t.tags)
            .filter_map(|tag| Some((tag.as_str(), self.tag_slugs.get(tag)?.clone())))
            .collect()
    }
}

/// Tag slugs across every recap of a blog.
pub fn tag_slugs(sites: &[&Site]) -> HashMap<String, String> {
    let talks: Vec<&Talk> = sites
        .iter()
        .flat_map(|s| s.days.iter().flat_map(|d| d.talks.iter().map(|t| &**t)))
        .collect();
    listings::tag_slugs(&talks)
        .into_iter()
        .map(|(t, s)| (t.to_string(), s))
        .collect()
}

/// Speakers' ids on the speakers page across every recap of a blog.
pub fn speaker_ids(sites: &[&Site]) -> HashMap<String, String> {
    listings::speaker_ids(
        sites
            .iter()
            .flat_map(|s| s.days.iter().flat_map(|d| &d.talks))
            .flat_map(|t| &t.speakers)
            .map(|s| s.name.as_str()),
    )
}

/// Every note of every recap (`(folder, site)`), by its path from the blog's root. Recaps
/// in parallel: this runs between the recaps' models and their renders, on the main thread.
pub fn blog_notes(recaps: &[(&str, &Site)]) -> BlogNotes {
    use rayon::prelude::*;
    let per_recap: Vec<Vec<_>> = recaps
        .par_iter()
        .map(|(folder, site)| {
            let dir = Path::new("posts").join(folder);
            let prefix = format!("{folder}/");
            super::notes::note_targets(site)
                .into_iter()
                .map(|(rel, target)| (dir.join(rel), (prefix.clone(), target)))
                .collect()
        })
        .collect();
    let mut notes = HashMap::with_capacity(per_recap.iter().map(Vec::len).sum());
    for recap in per_recap {
        notes.extend(recap);
    }
    BlogNotes::new(notes)
}

/// A rendered recap, as the blog's pages see it.
pub struct RecapMeta<'a> {
    /// `"<folder>/"`.
    pub prefix: &'a str,
    pub site: &'a Site,
    /// Its word count (for the reading time) and its pages' folders (for the sitemap).
    pub words: usize,
    pub sitemap: &'a [String],
    /// Its entries in the blog's feed.
    pub feed: &'a [super::FeedEntry],
}

impl RecapMeta<'_> {
    fn recap(&self) -> Recap<'_> {
        Recap {
            prefix: self.prefix,
            talk_pages: self.site.config.pages.talks,
        }
    }

    /// The date the index orders by: published, else the event's last day.
    fn date(&self) -> Option<Date> {
        let c = &self.site.config;
        c.published
            .or_else(|| self.site.days.last().map(|d| d.date))
    }

    fn talks(&self) -> impl Iterator<Item = &Talk> {
        self.site
            .days
            .iter()
            .flat_map(|d| d.talks.iter().map(|t| &**t))
    }
}

/// A recap on the index.
#[derive(Serialize)]
struct IndexEntry<'a> {
    title: &'a str,
    href: String,
    description: Option<&'a str>,
    event: EventInfo<'a>,
    dates_text: String,
    published: Option<String>,
    published_text: Option<String>,
    reading_time: String,
    talks: usize,
    talk_count: String,
    recommended: Vec<ListedLink>,
}

/// The blog's own pages.
struct Writer<'a> {
    blog: &'a Blog,
    urls: &'a Urls,
    theme: &'a Theme,
    sink: &'a dyn Sink,
    /// A hash of what every blog page is rendered from besides its own context: the blog's
    /// templates and the global context.
    global: u64,
    /// The previous build's pages and what each was rendered from (`serve`).
    previous: Option<&'a Previous>,
    out: RefCell<BlogOutput>,
}

/// What rendering the blog's pages reports besides the files.
#[derive(Debug, Default)]
pub struct BlogOutput {
    /// What each index, speakers and tags page was rendered from, by its file.
    pub rendered_from: HashMap<String, u64>,
    /// The pages taken from the previous build as they were.
    pub reused: Vec<String>,
}

/// A hash of the values a page's template is given, as JSON; `None` (never equal) if one
/// could not be written out.
struct Digest(Option<DefaultHasher>);

impl Digest {
    fn new(global: u64) -> Digest {
        let mut h = DefaultHasher::new();
        global.hash(&mut h);
        Digest(Some(h))
    }

    fn add(mut self, value: &impl Serialize) -> Digest {
        struct Feed<'h>(&'h mut DefaultHasher);
        impl std::io::Write for Feed<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.write(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        if let Some(h) = &mut self.0
            && serde_json::to_writer(Feed(h), value).is_err()
        {
            self.0 = None;
        }
        self
    }

    fn finish(self) -> Option<u64> {
        self.0.map(|h| h.finish())
    }
}

impl Writer<'_> {
    fn page(
        &self,
        at: &Route<'_>,
        title: String,
        template: &str,
        inputs: Digest,
        fill: &dyn Fn(&mut Context),
    ) -> Result<()> {
        let meta = PageMeta {
            title,
            description: self.blog.description.clone(),
            url: self.urls.of(&at.dir()),
            og_type: "website",
            ..PageMeta::default()
        };
        self.page_with(at, meta, template, inputs, fill)
    }

    /// Renders `template` into `at`'s page, with `fill` adding to its context what `inputs`
    /// hashed; or takes the previous build's page if it was rendered from the same.
    fn page_with(
        &self,
        at: &Route<'_>,
        meta: PageMeta,
        template: &str,
        inputs: Digest,
        fill: &dyn Fn(&mut Context),
    ) -> Result<()> {
        let (root, recap_root) = (at.root(), at.root());
        let common = Common {
            root: &root,
            recap_root: &recap_root,
            page: meta,
        };
        let file = at.file();
        if let Some(key) = inputs.add(&template).add(&common).finish() {
            let old = self
                .previous
                .filter(|p| p.rendered_from.get(&file) == Some(&key))
                .and_then(|p| p.files.get(file.as_str()));
            let mut out = self.out.borrow_mut();
            out.rendered_from.insert(file.clone(), key);
            if let Some(old) = old {
                out.reused.push(file.clone());
                return self.sink.put(OutputFile {
                    path: file.into(),
                    contents: old.clone(),
                });
            }
        }
        let mut context = Context::from_serialize(&common).map_err(|e| template_error(&e))?;
        fill(&mut context);
        self.put(&file, self.theme.render(template, &context)?)
    }

    fn digest(&self) -> Digest {
        Digest::new(self.global)
    }

    fn put(&self, path: &str, text: String) -> Result<()> {
        self.sink.put(OutputFile {
            path: path.into(),
            contents: text.into_bytes().into(),
        })
    }
}

/// What the blog's pages are rendered with: the blog, the base URL, what recaps see of it, its
/// theme (and `templates`, a hash of the theme's sources).
pub struct Blogged<'a> {
    pub blog: &'a Blog,
    pub base_url: &'a str,
    pub scope: &'a Scope<'a>,
    pub templates: u64,
}

/// Renders the blog's pages for `recaps` (in any order); with `previous` (`serve`), a page
/// rendered from what it would be rendered from now is taken from there.
pub fn render(
    b: &Blogged<'_>,
    recaps: &mut [RecapMeta<'_>],
    theme: &mut Theme,
    previous: Option<&Previous>,
    sink: &dyn Sink,
) -> Result<BlogOutput> {
    let (blog, base_url, scope) = (b.blog, b.base_url, b.scope);
    // Newest first; the same date in folder order.
    recaps.sort_by(|a, b| b.date().cmp(&a.date()).then(a.prefix.cmp(b.prefix)));
    let recaps = &*recaps;
    let locale = Locale::new(blog.language, &blog.labels);
    let urls = Urls::new(base_url);
    let site_info = SiteInfo {
        title: &blog.title,
        description: blog.description.as_deref(),
        author: blog.author.as_deref(),
        url: urls.absolute.as_deref(),
        og_locale: blog.language.og_locale(),
        blog_title: None,
        event: EventInfo {
            name: &blog.title,
            url: None,
            location: None,
            is_virtual: false,
            start: None,
            end: None,
        },
        talk_pages: true,
        speakers_page: scope.speakers,
        tags_page: scope.tags_page,
        feed: scope.feed.is_on() && urls.absolute.is_some(),
        calendar: false,
        custom_css: theme.has_custom_css(),
        recap_css: false,
    };
    let globals = Globals {
        lang: blog.language.code(),
        base_url,
        labels: &locale.labels,
        site: &site_info,
    };
    let global = Digest::new(b.templates).add(&globals).finish();
    theme
        .tera
        .global_context()
        .extend(Context::from_serialize(&globals).map_err(|e| template_error(&e))?);
    let w = Writer {
        blog,
        urls: &urls,
        theme,
        sink,
        global: global.unwrap_or_default(),
        previous: previous.filter(|_| global.is_some()),
        out: RefCell::default(),
    };
    let mut sitemap = vec![String::new()];
    index(&w, &locale, recaps)?;
    if scope.speakers {
        speakers(&w, &locale, recaps)?;
        sitemap.push(Route::site(Page::Speakers).dir());
    }
    if scope.tags && !scope.tag_slugs.is_empty() {
        sitemap.extend(tags(&w, &locale, recaps, scope)?);
    }
    for r in recaps {
        sitemap.extend(r.sitemap.iter().cloned());
    }
    site_files(&w, &locale, recaps, &sitemap)?;
    let mut out = w.out.into_inner();
    out.reused.sort();
    Ok(out)
}

fn index(w: &Writer<'_>, locale: &Locale, recaps: &[RecapMeta<'_>]) -> Result<()> {
    let home = Route::site(Page::Home);
    let entries: Vec<IndexEntry<'_>> = recaps
        .iter()
        .map(|r| {
            let c = &r.site.config;
            let (first, last) = (r.site.days.first(), r.site.days.last());
            let dates_text = match (first, last) {
                (Some(a), Some(b)) if a.date == b.date => locale.date(a.date),
                (Some(a), Some(b)) => format!("{} – {}", locale.date(a.date), locale.date(b.date)),
                _ => String::new(),
            };
            let minutes = r.words.div_ceil(WORDS_PER_MINUTE).max(1);
            IndexEntry {
                title: &c.title,
                href: home.href(&r.recap().post()),
                description: c.description.as_deref(),
                event: EventInfo {
                    name: &c.event.name,
                    url: c.event.url.as_deref(),
                    location: c.event.location.as_deref(),
                    is_virtual: c.event.is_virtual,
                    start: first.map(|d| d.date.to_string()),
                    end: last.map(|d| d.date.to_string()),
                },
                dates_text,
                published: c.published.map(|d| d.to_string()),
                published_text: c.published.map(|d| locale.published(d)),
                reading_time: locale.reading_time(minutes),
                talks: r.talks().count(),
                talk_count: locale
                    .labels
                    .talk_count
                    .replace("{n}", &r.talks().count().to_string()),
                recommended: r
                    .talks()
                    .filter(|t| t.recommended)
                    .map(|t| ListedLink {
                        title: t.title.clone(),
                        href: r.recap().talk_href(&t.slug, &home),
                        event: None,
                    })
                    .collect(),
            }
        })
        .collect();
    let meta = PageMeta {
        title: w.blog.title.clone(),
        description: w.blog.description.clone(),
        url: w.urls.of(""),
        og_type: "website",
        jsonld: Some(blog_jsonld(w, recaps)),
        ..PageMeta::default()
    };
    let inputs = w.digest().add(&entries);
    w.page_with(&home, meta, "blog.html", inputs, &|c| {
        c.insert("recaps", &entries)
    })
}

/// JSON-LD `Blog` with a `BlogPosting` per recap.
fn blog_jsonld(w: &Writer<'_>, recaps: &[RecapMeta<'_>]) -> String {
    let posts: Vec<_> = recaps
        .iter()
        .map(|r| {
            let c = &r.site.config;
            let mut p = json!({ "@type": "BlogPosting", "headline": c.title, "inLanguage": c.language.code() });
            if let Some(d) = c.published {
                p["datePublished"] = json!(d.to_string());
            }
            if let Some(u) = w.urls.of(r.prefix) {
                p["url"] = json!(u);
            }
            p
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Blog",
        "name": w.blog.title,
        "inLanguage": w.blog.language.code(),
        "blogPost": posts,
    });
    if let Some(d) = &w.blog.description {
        ld["description"] = json!(d);
    }
    if let Some(u) = w.urls.of("") {
        ld["url"] = json!(u);
    }
    super::meta::script_safe(&ld)
}

/// Every talk of every recap, as linked from `from`, with its conference.
fn listed<'a>(recaps: &'a [RecapMeta<'a>], from: &Route<'_>) -> Vec<Listed<'a>> {
    recaps
        .iter()
        .flat_map(|r| {
            r.talks().map(move |t| Listed {
                talk: t,
                href: r.recap().talk_href(&t.slug, from),
                event: Some(r.site.config.event.name.as_str()),
            })
        })
        .collect()
}

fn speakers(w: &Writer<'_>, locale: &Locale, recaps: &[RecapMeta<'_>]) -> Result<()> {
    let at = Route::site(Page::Speakers);
    let list = listings::speakers_of(&listed(recaps, &at), &at.root());
    let title = format!("{} · {}", locale.labels.speakers, w.blog.title);
    let inputs = w.digest().add(&list);
    w.page(&at, title, "speakers.html", inputs, &|c| {
        c.insert("speakers", &list)
    })
}

/// The tags index and a page per tag; returns their folders.
fn tags(
    w: &Writer<'_>,
    locale: &Locale,
    recaps: &[RecapMeta<'_>],
    scope: &Scope<'_>,
) -> Result<Vec<String>> {
    let index = Route::site(Page::Tags);
    // One page per tag, whatever its spelling; shown as first spelled in sorted order.
    let mut by_tag: BTreeMap<String, (&str, Vec<usize>)> = BTreeMap::new();
    let located: Vec<(&RecapMeta<'_>, &Talk)> = recaps
        .iter()
        .flat_map(|r| r.talks().map(move |t| (r, t)))
        .collect();
    let all = listed(recaps, &index);
    for (i, l) in all.iter().enumerate() {
        for tag in &l.talk.tags {
            let (name, talks) = by_tag
                .entry(listings::tag_key(tag))
                .or_insert((tag, Vec::new()));
            *name = (*name).min(tag.as_str());
            if talks.last() != Some(&i) {
                talks.push(i);
            }
        }
    }
    let slug = |tag: &str| scope.tag_slugs.get(tag).cloned().unwrap_or_default();
    let list: Vec<TagEntry> = by_tag
        .values()
        .map(|(tag, ts)| TagEntry {
            name: tag.to_string(),
            href: index.href(&Route::site(Page::Tag(&slug(tag)))),
            count: ts.len(),
        })
        .collect();
    let title = format!("{} · {}", locale.labels.tags, w.blog.title);
    let inputs = w.digest().add(&list);
    w.page(&index, title, "tags.html", inputs, &|c| {
        c.insert("tags", &list)
    })?;
    let mut dirs = vec![index.dir()];
    for (tag, ts) in by_tag.values() {
        let slug = slug(tag);
        let at = Route::site(Page::Tag(&slug));
        // Only this tag's talks, linked from its page (not every talk once per tag).
        let entries: Vec<ListedLink> = ts
            .iter()
            .map(|&i| {
                let (r, t) = located[i];
                ListedLink {
                    title: t.title.clone(),
                    href: r.recap().talk_href(&t.slug, &at),
                    event: Some(r.site.config.event.name.clone()),
                }
            })
            .collect();
        let heading = locale.labels.tag_heading.replace("{tag}", tag);
        let page = TagPage {
            name: tag,
            heading: &heading,
        };
        let title = format!("{heading} · {}", w.blog.title);
        let inputs = w.digest().add(&page).add(&entries);
        w.page(&at, title, "tag.html", inputs, &|c| {
            c.insert("tag", &page);
            c.insert("talks", &entries);
        })?;
        dirs.push(at.dir());
    }
    Ok(dirs)
}

/// 404, Atom, sitemap, robots.txt, `.nojekyll`, `CNAME` and the theme's static files.
fn site_files(
    w: &Writer<'_>,
    locale: &Locale,
    recaps: &[RecapMeta<'_>],
    sitemap: &[String],
) -> Result<()> {
    let path = &w.urls.path;
    let mut context = Context::from_serialize(&Common {
        root: path,
        recap_root: path,
        page: PageMeta {
            title: format!("{} · {}", locale.labels.not_found, w.blog.title),
            og_type: "website",
            ..PageMeta::default()
        },
    })
    .map_err(|e| template_error(&e))?;
    w.put("404.html", w.theme.render("404.html", &context)?)?;
    if let Some(abs) = &w.urls.absolute {
        let newest = recaps.iter().filter_map(RecapMeta::date).max();
        if w.blog.pages.feed.is_on() {
            let entries: Vec<&super::FeedEntry> = recaps.iter().flat_map(|r| r.feed).collect();
            context.insert("updated", &newest.map(|d| format!("{d}T00:00:00Z")));
            context.insert("entries", &entries);
            w.put(
                "atom.xml",
                xml_chars(w.theme.render("blog_atom.xml", &context)?),
            )?;
        }
        if w.blog.pages.sitemap {
            let urls: Vec<String> = sitemap.iter().map(|d| format!("{abs}{d}")).collect();
            context.insert("urls", &urls);
            context.insert("lastmod", &newest.map(|d| d.to_string()));
            w.put(
                "sitemap.xml",
                xml_chars(w.theme.render("sitemap.xml", &context)?),
            )?;
            if w.urls.at_domain_root() {
                w.put("robots.txt", super::site_files::robots_txt(abs))?;
            }
        }
    }
    w.put(".nojekyll", String::new())?;
    if let Some(cname) = &w.blog.cname {
        w.put("CNAME", format!("{}\n", cname.trim()))?;
    }
    for (path, bytes) in &w.theme.assets {
        w.sink.put(OutputFile {
            path: path.as_str().into(),
            contents: bytes.clone(),
        })?;
    }
    Ok(())
}
