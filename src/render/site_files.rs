//! The files around the pages: `404.html`, the Atom feed, the sitemap and `robots.txt` (both
//! need a full `base_url`; `robots.txt` only at a domain root, the only place crawlers read
//! it), `schedule.ics`, GitHub Pages' `.nojekyll` and `CNAME`, and the theme's static files.
//! [`left_out`] is the one home of the rule of which of them a base URL rules out.

use std::collections::HashMap;

use serde::Serialize;

use super::{Env, OutputFile, POST, PageMeta, Urls, ics, meta};
use crate::config::Feed;
use crate::error::Result;

/// An entry of an Atom feed: a post, or a talk of one.
#[derive(Serialize, Debug, Clone)]
pub struct FeedEntry {
    pub title: String,
    pub url: String,
    /// `YYYY-MM-DDT00:00:00Z`: the post's published date, else its last day.
    pub updated: Option<String>,
    pub published: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
}

/// A file a site's `pages:` asks for that its base URL rules out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// Its addresses must be absolute, and the base URL is a path only.
    NoFullUrl(&'static str),
    /// `robots.txt` of a site below a path: crawlers read only `/robots.txt` of a domain.
    NotDomainRoot,
}

/// The files `feed` and `sitemap` ask for that `base_url` rules out, in the order written.
pub fn left_out(feed: Feed, sitemap: bool, base_url: &str) -> Vec<LeftOut> {
    let urls = Urls::new(base_url);
    let mut out = Vec::new();
    if urls.absolute.is_none() {
        if feed.is_on() {
            out.push(LeftOut::NoFullUrl("atom.xml"));
        }
        if sitemap {
            out.extend([
                LeftOut::NoFullUrl("sitemap.xml"),
                LeftOut::NoFullUrl("robots.txt"),
            ]);
        }
    } else if sitemap && !urls.at_domain_root() {
        out.push(LeftOut::NotDomainRoot);
    }
    out
}

fn stamp(date: Option<crate::parse::types::Date>) -> Option<String> {
    date.map(|d| format!("{d}T00:00:00Z"))
}

/// The recap's entries in a feed whose base is `abs`: the post, and (`Feed::Talks`) a talk
/// after it.
pub(super) fn feed_entries(env: &Env<'_>, abs: &str, feed: Feed) -> Vec<FeedEntry> {
    let site = env.site;
    let config = &site.config;
    let updated = stamp(
        config
            .published
            .or_else(|| site.days.last().map(|d| d.date)),
    );
    // What a feed reader shows under the title: the description, else the intro's opening.
    let intro = env.cache.get("intro", POST).map(|r| r.summary.clone());
    let post = FeedEntry {
        title: config.title.clone(),
        url: env.recap.post().absolute(abs),
        updated: updated.clone(),
        published: stamp(config.published),
        summary: config
            .description
            .clone()
            .or(intro.filter(|s| !s.is_empty())),
        tags: Vec::new(),
    };
    let mut entries = vec![post];
    if feed == Feed::Talks {
        let summary = |slug: &str| env.cache.get(slug, POST).map(|r| r.summary.as_str());
        entries.extend(env.talks.iter().map(|t| FeedEntry {
            title: t.title.clone(),
            url: env.recap.talk_url(&t.slug, abs),
            updated: updated.clone(),
            published: stamp(config.published),
            summary: Some(meta::talk_description(t, summary(&t.slug))),
            tags: t.tags.clone(),
        }));
    }
    entries
}

/// An XML document without the characters XML 1.0 forbids (NUL and the other C0 controls
/// but tab and line breaks, unpaired surrogates cannot occur in Rust text, U+FFFE, U+FFFF):
/// one in a title would make the whole feed ill-formed, and feed readers drop it.
pub(super) fn xml_chars(text: String) -> String {
    if text.chars().all(xml_allowed) {
        return text;
    }
    text.chars().filter(|c| xml_allowed(*c)).collect()
}

/// Whether XML 1.0 allows `c` in a document.
pub(super) fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A recap's own files inside a blog: its calendar and its `static/` files, under its folder
/// (the blog writes the rest, once for every recap).
pub(super) fn write_recap_files(env: &Env<'_>) -> Result<()> {
    calendar(env)?;
    for (path, bytes) in env.theme.own_assets() {
        env.sink.put(OutputFile {
            path: env.recap.file(path),
            contents: bytes.clone(),
        })?;
    }
    Ok(())
}

/// `robots.txt`, for a site at a domain root: everything allowed, and where the sitemap is.
pub(super) fn robots_txt(abs: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {abs}sitemap.xml\n")
}

/// `schedule.ics`, if the recap has one.
fn calendar(env: &Env<'_>) -> Result<()> {
    if !env.site.config.pages.calendar {
        return Ok(());
    }
    let summaries: HashMap<&str, &str> = env
        .talks
        .iter()
        .filter_map(|t| {
            Some((
                t.slug.as_str(),
                env.cache.get(&t.slug, POST)?.summary.as_str(),
            ))
        })
        .collect();
    let urls = ics::Urls {
        absolute: env.urls.absolute.as_deref(),
        recap: env.recap,
    };
    let file = env.recap.file("schedule.ics");
    if env.keep {
        let from = calendar_inputs(env, &summaries);
        if let Some(old) = env.reuse_made_from(&file, from) {
            return env.sink.put(OutputFile {
                path: file,
                contents: old,
            });
        }
    }
    env.put(&file, ics::calendar(env.site, &urls, &summaries))
}

/// A hash of what the calendar is rendered from besides summit.yaml (part of the site's
/// shape, which reuse requires anyway): every talk's fields it shows, with its summary, and
/// where the recap's pages are.
fn calendar_inputs(env: &Env<'_>, summaries: &HashMap<&str, &str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&env.urls.absolute, env.recap.prefix, env.recap.talk_pages).hash(&mut h);
    for day in &env.site.days {
        day.date.0.hash(&mut h);
        for t in &day.talks {
            (
                &t.slug, &t.title, t.start, t.duration, &t.id, &t.room, &t.tags,
            )
                .hash(&mut h);
            for s in &t.speakers {
                s.name.hash(&mut h);
            }
            summaries.get(t.slug.as_str()).hash(&mut h);
        }
    }
    h.finish()
}

/// Writes every file but the pages; `sitemap` lists the folders of the pages written.
pub(super) fn write(env: &Env<'_>, sitemap: &[String]) -> Result<()> {
    let site = env.site;
    let config = &site.config;
    let pages = &config.pages;

    // 404: GitHub Pages serves it at any depth, so it links from the base path.
    let meta = PageMeta {
        title: format!("{} · {}", env.locale.labels.not_found, config.title),
        og_type: "website",
        ..PageMeta::default()
    };
    let context = env.context_at(&env.urls.path, &env.urls.path, meta)?;
    env.put("404.html", env.render("404.html", &context)?)?;

    if let Some(abs) = &env.urls.absolute {
        if pages.feed.is_on() {
            let entries = feed_entries(env, abs, pages.feed);
            let mut context = env.context_at("", "", PageMeta::default())?;
            context.insert("updated", &entries[0].updated);
            context.insert("entries", &entries);
            env.put("atom.xml", xml_chars(env.render("atom.xml", &context)?))?;
        }
        if pages.sitemap {
            let urls: Vec<String> = sitemap.iter().map(|d| format!("{abs}{d}")).collect();
            let mut context = env.context_at("", "", PageMeta::default())?;
            context.insert("urls", &urls);
            context.insert("lastmod", &config.published.map(|d| d.to_string()));
            env.put(
                "sitemap.xml",
                xml_chars(env.render("sitemap.xml", &context)?),
            )?;
            if env.urls.at_domain_root() {
                env.put("robots.txt", robots_txt(abs))?;
            }
        }
    }
    calendar(env)?;

    // GitHub Pages: no Jekyll processing; an optional custom domain.
    env.put(".nojekyll", String::new())?;
    if let Some(cname) = &config.cname {
        env.put("CNAME", format!("{}\n", cname.trim()))?;
    }
    for (path, bytes) in &env.theme.assets {
        env.sink.put(OutputFile {
            path: path.clone(),
            contents: bytes.clone(),
        })?;
    }
    Ok(())
}
