//! The listing pages: speakers (each with their talks) and tags (an index and a page per
//! tag). They show only the site's shape, so when it is unchanged (`serve`) the previous
//! build's pages are reused as they are, without grouping the talks again.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tera::Context;

use super::{Env, OutputFile, PageMeta, page_url};
use crate::error::Result;
use crate::model::{Talk, UniqueNames, slugify};
use crate::route::{Page, Route};

/// Writes the pages the site has (summit.yaml `pages:`).
pub(super) fn write(env: &Env<'_>) -> Result<()> {
    if reuse_all(env)? {
        return Ok(());
    }
    let pages = &env.site.config.pages;
    let labels = &env.locale.labels;
    if pages.speakers {
        let at = Route::site(Page::Speakers);
        let root = at.href(&env.recap.post());
        let listed: Vec<Listed<'_>> = env
            .talks
            .iter()
            .map(|t| Listed {
                talk: t,
                href: env.recap.talk_href(&t.slug, &at),
                event: None,
            })
            .collect();
        let speakers = speakers_of(&listed, &root);
        let page = listing_page(env, &at, labels.speakers.clone(), "speakers.html", &|c| {
            c.insert("speakers", &speakers)
        })?;
        env.put(&at.file(), page)?;
    }
    if has_tag_pages(env) {
        // One page per tag, whatever its spelling; it is shown as first spelled (in sorted order).
        let keys: HashMap<&str, String> = env.tag_slugs.keys().map(|t| (*t, tag_key(t))).collect();
        let mut by_tag: BTreeMap<&str, (&str, Vec<&Talk>)> = BTreeMap::new();
        for t in env.talks {
            for tag in &t.tags {
                let key = keys.get(tag.as_str()).map_or(tag.as_str(), String::as_str);
                let (name, talks) = by_tag.entry(key).or_insert((tag, Vec::new()));
                *name = (*name).min(tag.as_str());
                if !talks.last().is_some_and(|last| std::ptr::eq(*last, *t)) {
                    talks.push(t);
                }
            }
        }
        let index = Route::site(Page::Tags);
        let list: Vec<TagEntry> = by_tag
            .values()
            .map(|(tag, ts)| TagEntry {
                name: tag.to_string(),
                href: index.href(&Route::site(Page::Tag(
                    env.tag_slugs.get(tag).map_or("", String::as_str),
                ))),
                count: ts.len(),
            })
            .collect();
        let page = listing_page(env, &index, labels.tags.clone(), "tags.html", &|c| {
            c.insert("tags", &list)
        })?;
        env.put(&index.file(), page)?;
        for (tag, ts) in by_tag.values() {
            let Some(slug) = env.tag_slugs.get(tag) else {
                continue;
            };
            let at = Route::site(Page::Tag(slug));
            let entries: Vec<ListedLink> = ts
                .iter()
                .map(|t| ListedLink {
                    title: t.title.clone(),
                    href: env.recap.talk_href(&t.slug, &at),
                    event: None,
                })
                .collect();
            let heading = labels.tag_heading.replace("{tag}", tag);
            let tag_page = TagPage {
                name: tag,
                heading: &heading,
            };
            let page = listing_page(env, &at, heading.clone(), "tag.html", &|c| {
                c.insert("tag", &tag_page);
                c.insert("talks", &entries);
            })?;
            env.put(&at.file(), page)?;
        }
    }
    Ok(())
}

/// Whether the site has tag pages (a site whose talks have no tags has none).
fn has_tag_pages(env: &Env<'_>) -> bool {
    env.site.config.pages.tags && !env.tag_slugs.is_empty()
}

/// The listing pages' routes: the speakers page, the tags page, then a page per tag in the
/// order of the tags' keys (the order they are written in, and listed in the sitemap).
fn routes<'e>(env: &'e Env<'_>) -> Vec<Route<'e>> {
    let mut out = Vec::new();
    if env.site.config.pages.speakers {
        out.push(Route::site(Page::Speakers));
    }
    if has_tag_pages(env) {
        out.push(Route::site(Page::Tags));
        // A tag's spellings share its key and its slug.
        let by_key: BTreeMap<String, &str> = env
            .tag_slugs
            .iter()
            .map(|(tag, slug)| (tag_key(tag), slug.as_str()))
            .collect();
        out.extend(
            by_key
                .into_values()
                .map(|slug| Route::site(Page::Tag(slug))),
        );
    }
    out
}

/// The folders of the listing pages, for the sitemap.
pub(super) fn dirs(env: &Env<'_>) -> Vec<String> {
    routes(env).iter().map(Route::dir).collect()
}

/// Puts every listing page as the previous build made it, if it may be reused (the same
/// shape: the same talks, speakers and tags); whether it did. The pages are the same files
/// as then, since the shape decides which there are.
fn reuse_all(env: &Env<'_>) -> Result<bool> {
    if env.previous.is_none() {
        return Ok(false);
    }
    let old: Option<Vec<OutputFile>> = routes(env)
        .iter()
        .map(|at| env.old_output(&at.file()))
        .collect();
    let Some(old) = old else {
        return Ok(false);
    };
    env.record_reused(old.iter().map(|f| f.path.clone()));
    env.sink.put_all(old)?;
    Ok(true)
}

/// The listing page `at`, with `fill` adding its data.
fn listing_page(
    env: &Env<'_>,
    at: &Route<'_>,
    title: String,
    template: &str,
    fill: &dyn Fn(&mut Context),
) -> Result<String> {
    let meta = PageMeta {
        title: format!("{title} · {}", env.site.config.title),
        url: env.urls.of(&at.dir()),
        og_type: "website",
        ..PageMeta::default()
    };
    let mut context = env.context(at, meta)?;
    fill(&mut context);
    env.render(template, &context)
}

#[derive(Serialize)]
pub(super) struct TagEntry {
    pub(super) name: String,
    pub(super) href: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct TagPage<'a> {
    pub(super) name: &'a str,
    pub(super) heading: &'a str,
}

#[derive(Serialize)]
pub(super) struct SpeakerEntry {
    name: String,
    id: String,
    affiliation: Option<String>,
    url: Option<String>,
    talks: Vec<ListedLink>,
}

/// A talk on a listing page: where the page links it, and (in a blog) its conference.
pub(super) struct Listed<'a> {
    pub(super) talk: &'a Talk,
    pub(super) href: String,
    pub(super) event: Option<&'a str>,
}

/// A talk's link on a listing page.
#[derive(Serialize)]
pub(super) struct ListedLink {
    pub(super) title: String,
    pub(super) href: String,
    /// The talk's conference, in a blog.
    pub(super) event: Option<String>,
}

/// Every speaker (by name, case-insensitively sorted) with their talks in reading order, for
/// a page `root` away from the site root (a speaker's `url` on the site is taken from there).
pub(super) fn speakers_of(talks: &[Listed<'_>], root: &str) -> Vec<SpeakerEntry> {
    let mut by_name: BTreeMap<(String, String), SpeakerEntry> = BTreeMap::new();
    for Listed {
        talk: t,
        href,
        event,
    } in talks
    {
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
            e.url = e
                .url
                .take()
                .or_else(|| s.url.as_deref().map(|u| page_url(u, root).into_owned()));
            e.talks.push(ListedLink {
                title: t.title.clone(),
                href: href.clone(),
                event: event.map(String::from),
            });
        }
    }
    let ids = speaker_ids(by_name.values().map(|e| e.name.as_str()));
    by_name
        .into_values()
        .map(|mut e| {
            e.id = ids.get(&e.name).cloned().unwrap_or_default();
            e
        })
        .collect()
}

/// Each speaker's id on the speakers page (`speaker-ada-lovelace`), by name: talks link their
/// speakers to these entries, and the speakers page gives them.
pub(super) fn speaker_ids<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, String> {
    let sorted: std::collections::BTreeSet<(String, &str)> =
        names.map(|n| (n.to_lowercase(), n)).collect();
    // Linear however many names slugify alike (names in other scripts).
    let mut taken = UniqueNames::new([]);
    sorted
        .into_iter()
        .map(|(_, name)| {
            let id = taken.claim(format!("speaker-{}", slugify(name)));
            (name.to_string(), id)
        })
        .collect()
}

/// Spellings of one tag: `Kafka Streams`, `kafka-streams` and `kafka_streams` differ only in
/// case, spaces, `-` and `_`.
pub(super) fn tag_key(tag: &str) -> String {
    tag.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A unique URL slug per tag, in sorted order; the spellings of one tag share it, different
/// tags never do (`C++` and `c` cannot share a page).
pub(super) fn tag_slugs<'a>(talks: &[&'a Talk]) -> HashMap<&'a str, String> {
    // Distinct spellings first (a large site repeats a few tags thousands of times).
    let distinct: HashSet<&str> = talks
        .iter()
        .flat_map(|t| t.tags.iter().map(String::as_str))
        .collect();
    let mut tags: Vec<(String, &str)> = distinct.into_iter().map(|t| (tag_key(t), t)).collect();
    tags.sort();
    let mut taken = UniqueNames::new([]);
    let mut by_key: HashMap<String, String> = HashMap::new();
    let mut slugs = HashMap::new();
    for (key, t) in tags {
        let slug = by_key.entry(key).or_insert_with(|| taken.claim(slugify(t)));
        slugs.insert(t, slug.clone());
    }
    slugs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12.16: slugs were found by trying `-2`, `-3` … from the start for each name, so
    /// many tags that slugify alike (a non-Latin script: all `talk`) cost quadratic time.
    #[test]
    fn tags_that_slugify_alike_get_distinct_slugs_in_order() {
        let tags: Vec<String> = (0..5000u32)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .map(String::from)
            .collect();
        let talk = Talk {
            path: "content/talks/a.md".into(),
            rel: "content/talks/a.md".into(),
            body_line: 1,
            slug: "a".into(),
            title: "A".into(),
            speakers: Vec::new(),
            day: 1,
            start: None,
            end: None,
            duration: None,
            room: None,
            track: None,
            tags: tags.clone(),
            recommended: false,
            rating: None,
            video: None,
            slides: None,
            image: None,
            image_alt: None,
            links: Vec::new(),
            id: None,
            extra: None,
            draft: false,
            unwritten: false,
            body: "".into(),
        };
        let slugs = tag_slugs(&[&talk]);
        let mut got: Vec<&str> = tags.iter().map(|t| slugs[t.as_str()].as_str()).collect();
        assert_eq!(got[..3], ["talk", "talk-2", "talk-3"]);
        got.sort_unstable();
        got.dedup();
        assert_eq!(got.len(), 5000);
    }
}
