//! Render stage: the model becomes output files, in memory.
//!
//! Markdown is turned into HTML here (anchors depend on slugs, which the model decides), then
//! Tera renders the theme: the built-in templates and CSS are embedded in the binary and the
//! site's own `templates/` and `static/` files replace them by name. Never touches the disk.

pub mod markdown;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::load::Asset;
use crate::locale::{Locale, ResolvedLabels};
use crate::model::{Site, Talk};
use crate::parse::ParsedPage;
use markdown::Placement;

/// The default theme, compiled into the binary.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("talk.html", include_str!("../../templates/talk.html")),
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

#[derive(Serialize)]
struct PageContext<'a> {
    lang: &'a str,
    /// Relative path from this page to the site root ("" or "../…/").
    root: &'a str,
    base_url: &'a str,
    labels: &'a ResolvedLabels,
    post: PostContext<'a>,
}

#[derive(Serialize)]
struct PostContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<String>,
    published_text: Option<String>,
    word_count: usize,
    reading_minutes: usize,
    reading_time: String,
    intro: Option<Section>,
    outro: Option<Section>,
    days: Vec<DayContext<'a>>,
    event: EventContext<'a>,
}

#[derive(Serialize)]
struct EventContext<'a> {
    name: &'a str,
    url: Option<&'a str>,
    location: Option<&'a str>,
    is_virtual: bool,
    start: Option<String>,
    end: Option<String>,
}

#[derive(Serialize)]
struct Section {
    title: Option<String>,
    html: String,
}

#[derive(Serialize)]
struct DayContext<'a> {
    number: u32,
    id: &'a str,
    date: String,
    date_text: String,
    heading: String,
    lead: Option<Section>,
    talks: Vec<TalkContext<'a>>,
}

#[derive(Serialize)]
struct TalkContext<'a> {
    #[serde(flatten)]
    talk: &'a Talk,
    start_text: Option<String>,
    end_text: Option<String>,
    html: String,
}

/// Renders the whole site. `cache` keeps rendered Markdown between builds.
pub fn render(site: &Site, theme: &Theme, cache: &mut markdown::Cache) -> Result<Vec<OutputFile>> {
    let config = &site.config;
    let locale = Locale::new(config.language(), &config.labels);
    cache.begin(site.fixed_ids());

    // Markdown first (needs the cache mutably), then the contexts borrow the results.
    let pages = [(&site.intro, "intro"), (&site.outro, "outro")];
    for (page, prefix) in pages {
        if let Some(p) = page {
            cache.render(&p.body, &section_place(prefix, 1, 2));
        }
    }
    for day in &site.days {
        if let Some(p) = &day.lead {
            cache.render(&p.body, &section_place(&day.id, 2, 3));
        }
        for t in &day.talks {
            cache.render(&t.body, &talk_place(t));
        }
    }
    let mut words = 0;
    let mut section = |page: &Option<ParsedPage>, prefix: &str, shift: u8, min_level: u8| {
        page.as_ref().map(|p| {
            let r = cache.render(&p.body, &section_place(prefix, shift, min_level));
            words += r.words;
            Section {
                title: p.meta.title.clone(),
                html: r.html.clone(),
            }
        })
    };
    let intro = section(&site.intro, "intro", 1, 2);
    let outro = section(&site.outro, "outro", 1, 2);
    let leads: Vec<Option<Section>> = site
        .days
        .iter()
        .map(|d| section(&d.lead, &d.id, 2, 3))
        .collect();

    let mut days = Vec::with_capacity(site.days.len());
    for (day, lead) in site.days.iter().zip(leads) {
        let talks = day
            .talks
            .iter()
            .map(|t| {
                let r = cache.render(&t.body, &talk_place(t));
                words += r.words + t.title.split_whitespace().count();
                TalkContext {
                    talk: t,
                    start_text: t.start.map(|s| s.to_string()),
                    end_text: t.end.map(|s| s.to_string()),
                    html: r.html.clone(),
                }
            })
            .collect();
        days.push(DayContext {
            number: day.number,
            id: &day.id,
            date: day.date.to_string(),
            date_text: locale.date_with_weekday(day.date),
            heading: day
                .title
                .clone()
                .unwrap_or_else(|| locale.day_heading(day.number)),
            lead,
            talks,
        });
    }
    let reading_minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);
    let event = &config.event;
    let post = PostContext {
        title: &config.title,
        description: config.description.as_deref(),
        author: config.author.as_deref(),
        published: config.published.map(|d| d.to_string()),
        published_text: config.published.map(|d| locale.published(d)),
        word_count: words,
        reading_minutes,
        reading_time: locale.reading_time(reading_minutes),
        intro,
        outro,
        days,
        event: EventContext {
            name: &event.name,
            url: event.url.as_deref(),
            location: event.location.as_deref(),
            is_virtual: event.is_virtual,
            start: site.days.first().map(|d| d.date.to_string()),
            end: site.days.last().map(|d| d.date.to_string()),
        },
    };
    let page = PageContext {
        lang: config.language(),
        root: "",
        base_url: &site.base_url,
        labels: &locale.labels,
        post,
    };
    let context = Context::from_serialize(&page).map_err(|e| template_error(&e))?;
    let html = theme
        .tera
        .render("index.html", &context)
        .map_err(|e| template_error(&e))?;

    let mut files = vec![OutputFile {
        path: "index.html".into(),
        contents: Bytes::from(html.into_bytes()),
    }];
    files.extend(theme.assets.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        contents: bytes.clone(),
    }));
    Ok(files)
}

fn section_place(prefix: &str, shift: u8, min_level: u8) -> Placement<'_> {
    Placement {
        id_prefix: prefix,
        shift,
        min_level,
    }
}

fn talk_place(t: &Talk) -> Placement<'_> {
    section_place(&t.slug, 2, 4)
}
