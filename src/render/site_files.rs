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
pub(super) fn write_recap_files(env: &Env<'_>, extras: &[(Option<u64>, u64)]) -> Result<()> {
    calendar(env, extras)?;
    for (path, bytes) in env.theme.own_assets() {
        env.sink.put(OutputFile {
            path: env.recap.file(path).into(),
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
fn calendar(env: &Env<'_>, extras: &[(Option<u64>, u64)]) -> Result<()> {
    if !env.site.config.pages.calendar {
        return Ok(());
    }
    let file = env.recap.file("schedule.ics");
    if let Some(from) = calendar_inputs(env, extras)
        && let Some(old) = env.reuse_made_from(&file, from)
    {
        return env.sink.put(OutputFile {
            path: file.into(),
            contents: old,
        });
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
    env.put(&file, ics::calendar(env.site, &urls, &summaries))
}

/// Each talk's section fingerprint (see `render::fingerprint`) and a hash of what the
/// calendar and the feed show of it beyond the site's shape: its summary, duration, id and
/// room, all made from its note. Hashed again only for a talk whose fingerprint is not the one
/// `known` has at its place (the last build's, `serve`): the same fingerprint is the same
/// note text and the same rendered Markdown, so the same summary. Empty for a one-shot build
/// (which reuses nothing) and a site with neither a calendar nor a feed.
pub(super) fn talk_extras(env: &Env<'_>, known: &[(Option<u64>, u64)]) -> Vec<(Option<u64>, u64)> {
    use std::hash::{Hash, Hasher};
    let pages = &env.site.config.pages;
    if !env.keep || !(pages.calendar || pages.feed.is_on()) {
        return Vec::new();
    }
    env.talks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let print = env.prints.get(i).and_then(|p| p[0]);
            if let (Some(now), Some(&(Some(then), extra))) = (print, known.get(i))
                && now == then
            {
                return (print, extra);
            }
            let summary = env.cache.get(&t.slug, POST).map(|r| r.summary.as_str());
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (t.duration, &t.id, &t.room, summary).hash(&mut h);
            (print, h.finish())
        })
        .collect()
}

/// A key of what a file listing every talk is made from besides the site's shape (which
/// reuse requires anyway, and which holds summit.yaml): where the recap's pages are, and
/// each talk's [`talk_extras`]. `None` without them (a one-shot build).
fn talks_key(env: &Env<'_>, extras: &[(Option<u64>, u64)]) -> Option<std::hash::DefaultHasher> {
    use std::hash::Hash;
    if !env.keep || extras.len() != env.talks.len() {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&env.urls.absolute, env.recap.prefix, env.recap.talk_pages).hash(&mut h);
    for (_, extra) in extras {
        extra.hash(&mut h);
    }
    Some(h)
}

/// A key of what the calendar is rendered from besides the site's shape (see
/// [`talks_key`]).
fn calendar_inputs(env: &Env<'_>, extras: &[(Option<u64>, u64)]) -> Option<u64> {
    use std::hash::Hasher;
    Some(talks_key(env, extras)?.finish())
}

/// A key of what the feed is rendered from besides the site's shape: its entries' kind, the
/// post's summary, and (see [`talks_key`]) the talks'.
fn feed_inputs(
    env: &Env<'_>,
    extras: &[(Option<u64>, u64)],
    feed: Feed,
    post_summary: Option<&str>,
) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = talks_key(env, extras)?;
    (feed, post_summary).hash(&mut h);
    Some(h.finish())
}

/// The folders of the recap's post and talk pages, for a sitemap.
pub(super) fn page_dirs(env: &Env<'_>) -> Vec<String> {
    let mut dirs: Vec<String> = vec![env.recap.post().dir()];
    if env.site.config.pages.talks {
        dirs.extend(env.talks.iter().map(|t| env.recap.talk_page(&t.slug).dir()));
    }
    dirs
}

/// The previous build's file at `path` if the shape (all it is made from) is the same, else
/// `make`'s.
fn shaped(env: &Env<'_>, path: &str, make: impl FnOnce() -> Result<String>) -> Result<()> {
    match env.reuse(path) {
        Some(old) => env.sink.put(OutputFile {
            path: path.into(),
            contents: old,
        }),
        None => env.put(path, make()?),
    }
}

/// The Atom feed, reused when what it is made from is the same (`serve`).
fn atom(env: &Env<'_>, extras: &[(Option<u64>, u64)], abs: &str, feed: Feed) -> Result<()> {
    let file = "atom.xml";
    let intro = env.cache.get("intro", POST).map(|r| r.summary.as_str());
    let post_summary = env.site.config.description.as_deref().or(intro);
    if let Some(from) = feed_inputs(env, extras, feed, post_summary)
        && let Some(old) = env.reuse_made_from(file, from)
    {
        return env.sink.put(OutputFile {
            path: file.into(),
            contents: old,
        });
    }
    let entries = feed_entries(env, abs, feed);
    let mut context = env.context_at("", "", PageMeta::default())?;
    context.insert("updated", &entries[0].updated);
    context.insert("entries", &entries);
    env.put(file, xml_chars(env.render("atom.xml", &context)?))
}

/// Writes every file but the pages.
pub(super) fn write(env: &Env<'_>, extras: &[(Option<u64>, u64)]) -> Result<()> {
    let site = env.site;
    let config = &site.config;
    let pages = &config.pages;

    // 404: GitHub Pages serves it at any depth, so it links from the base path. It shows
    // only summit.yaml's title and labels: part of the shape.
    shaped(env, "404.html", || {
        let meta = PageMeta {
            title: format!("{} · {}", env.locale.labels.not_found, config.title),
            og_type: "website",
            ..PageMeta::default()
        };
        let context = env.context_at(&env.urls.path, &env.urls.path, meta)?;
        env.render("404.html", &context)
    })?;

    if let Some(abs) = &env.urls.absolute {
        if pages.feed.is_on() {
            atom(env, extras, abs, pages.feed)?;
        }
        if pages.sitemap {
            // The pages there are, and where: all of it is the shape.
            shaped(env, "sitemap.xml", || {
                let mut dirs = page_dirs(env);
                dirs.extend(super::listings::dirs(env));
                let urls: Vec<String> = dirs.iter().map(|d| format!("{abs}{d}")).collect();
                let mut context = env.context_at("", "", PageMeta::default())?;
                context.insert("urls", &urls);
                context.insert("lastmod", &config.published.map(|d| d.to_string()));
                Ok(xml_chars(env.render("sitemap.xml", &context)?))
            })?;
            if env.urls.at_domain_root() {
                env.put("robots.txt", robots_txt(abs))?;
            }
        }
    }
    calendar(env, extras)?;

    // GitHub Pages: no Jekyll processing; an optional custom domain.
    env.put(".nojekyll", String::new())?;
    if let Some(cname) = &config.cname {
        env.put("CNAME", format!("{}\n", cname.trim()))?;
    }
    for (path, bytes) in &env.theme.assets {
        env.sink.put(OutputFile {
            path: path.as_str().into(),
            contents: bytes.clone(),
        })?;
    }
    Ok(())
}
