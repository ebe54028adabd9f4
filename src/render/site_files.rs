//! The files around the pages: `404.html`, the Atom feed, the sitemap and `robots.txt` (both
//! need a full `base_url`), `schedule.ics`, GitHub Pages' `.nojekyll` and `CNAME`, and the
//! theme's static files.

use std::collections::HashMap;

use serde::Serialize;

use super::{Env, OutputFile, POST, PageMeta, ics, meta};
use crate::error::Result;

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    summary: String,
    tags: Vec<String>,
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
    env.put(&file, ics::calendar(env.site, &urls, &summaries))
}

/// Writes every file but the pages; `sitemap` lists the folders of the pages written.
pub(super) fn write(env: &Env<'_>, sitemap: &[String]) -> Result<()> {
    let site = env.site;
    let config = &site.config;
    let pages = &config.pages;
    let summary = |slug: &str| env.cache.get(slug, POST).map(|r| r.summary.as_str());

    // 404: GitHub Pages serves it at any depth, so it links from the base path.
    let meta = PageMeta {
        title: format!("{} · {}", env.locale.labels.not_found, config.title),
        og_type: "website",
        ..PageMeta::default()
    };
    let context = env.context_at(&env.urls.path, &env.urls.path, meta)?;
    env.put("404.html", env.render("404.html", &context)?)?;

    if let Some(abs) = &env.urls.absolute {
        let updated = config
            .published
            .or_else(|| site.days.last().map(|d| d.date))
            .map(|d| format!("{d}T00:00:00Z"));
        if pages.feed {
            let entries: Vec<FeedEntry> = env
                .talks
                .iter()
                .map(|t| FeedEntry {
                    title: t.title.clone(),
                    url: env.recap.talk_url(&t.slug, abs),
                    summary: meta::talk_description(t, summary(&t.slug)),
                    tags: t.tags.clone(),
                })
                .collect();
            let mut context = env.context_at("", "", PageMeta::default())?;
            context.insert("updated", &updated);
            context.insert("entries", &entries);
            context.insert("post_summary", &config.description);
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
            env.put(
                "robots.txt",
                format!("User-agent: *\nAllow: /\n\nSitemap: {abs}sitemap.xml\n"),
            )?;
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
