//! The template contexts: what each page's template is given (borrowed from the model and
//! the rendered Markdown, so that a talk page never carries the whole post), and the
//! [`Pager`] that builds a talk's context for the page it is shown on.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use super::{POST, cover, markdown, video};
use crate::locale::{Locale, ResolvedLabels};
use crate::model::Talk;
use crate::parse::ParsedPage;
use crate::parse::types::ClockTime;
use crate::route::{Page, Recap, Route};

/// The site's addresses.
pub(super) struct Urls {
    /// The full base URL (`https://…/`), if `base_url` is one.
    pub(super) absolute: Option<String>,
    /// The base URL's path (`/` or `/repo/`).
    pub(super) path: String,
}

impl Urls {
    pub(super) fn new(base_url: &str) -> Urls {
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

    /// Whether the site is a domain's root (`https://host/`), where crawlers read
    /// `/robots.txt`, rather than below a path (`https://user.github.io/repo/`).
    pub(super) fn at_domain_root(&self) -> bool {
        self.path == "/"
    }

    /// The absolute URL of a folder page (`""`, `talks/x/`), if the base is absolute.
    pub(super) fn of(&self, dir: &str) -> Option<String> {
        self.absolute.as_ref().map(|a| format!("{a}{dir}"))
    }
}

/// What every page of a build shares: set once as Tera's global context, so it is not
/// serialized again for each of thousands of pages.
#[derive(Serialize)]
pub(super) struct Globals<'a> {
    pub(super) lang: &'a str,
    pub(super) base_url: &'a str,
    pub(super) labels: &'a ResolvedLabels,
    pub(super) site: &'a SiteInfo<'a>,
}

/// What differs from page to page.
#[derive(Serialize)]
pub(super) struct Common<'a> {
    /// Relative path from this page to the site root.
    pub(super) root: &'a str,
    /// Relative path from this page to its recap's root (the site root but in a blog).
    pub(super) recap_root: &'a str,
    pub(super) page: PageMeta,
}

#[derive(Serialize)]
pub(super) struct SiteInfo<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) author: Option<&'a str>,
    pub(super) url: Option<&'a str>,
    pub(super) og_locale: &'a str,
    /// The blog's title, on a recap inside a blog (the site navigation's home link).
    pub(super) blog_title: Option<&'a str>,
    pub(super) event: EventInfo<'a>,
    /// Which pages exist (links are only shown to pages that exist).
    pub(super) talk_pages: bool,
    pub(super) speakers_page: bool,
    pub(super) tags_page: bool,
    pub(super) feed: bool,
    pub(super) calendar: bool,
    /// `custom.css` at the site root (a blog's, in a blog): linked after the theme's CSS.
    pub(super) custom_css: bool,
    /// A recap's own `custom.css` in a blog, linked after the blog's.
    pub(super) recap_css: bool,
}

#[derive(Serialize)]
pub(super) struct EventInfo<'a> {
    pub(super) name: &'a str,
    pub(super) url: Option<&'a str>,
    pub(super) location: Option<&'a str>,
    pub(super) is_virtual: bool,
    pub(super) start: Option<String>,
    pub(super) end: Option<String>,
}

#[derive(Serialize, Default)]
pub(super) struct PageMeta {
    pub(super) title: String,
    pub(super) description: Option<String>,
    /// Absolute URL of this page (canonical, og:url), if the base URL is absolute.
    pub(super) url: Option<String>,
    pub(super) og_type: &'static str,
    pub(super) published: Option<String>,
    /// JSON-LD, already escaped for a `<script>` element.
    pub(super) jsonld: Option<String>,
    /// The cover at the top of the page, and the page's social image.
    pub(super) cover: Option<cover::Cover>,
    pub(super) image: Option<cover::SocialImage>,
}

#[derive(Serialize)]
pub(super) struct PostContext<'a> {
    pub(super) published: Option<String>,
    pub(super) published_text: Option<String>,
    pub(super) word_count: usize,
    pub(super) reading_minutes: usize,
    pub(super) reading_time: String,
    pub(super) intro: Option<Section<'a>>,
    pub(super) outro: Option<Section<'a>>,
    /// The recommended talks, in reading order, for the box at the top.
    pub(super) picks: Vec<Pick<'a>>,
    pub(super) days: Vec<DayContext<'a>>,
}

/// A recommended talk in the post's top picks.
#[derive(Serialize)]
pub(super) struct Pick<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    /// "Ada Lovelace and Grace Hopper".
    pub(super) speakers: String,
    /// The note's first sentence.
    pub(super) summary: String,
    pub(super) rating: Option<Stars>,
}

/// A rating as a page shows it: the stars, and the words a screen reader says instead.
#[derive(Serialize)]
pub(super) struct Stars {
    pub(super) n: u8,
    pub(super) stars: String,
    pub(super) text: String,
}

impl Stars {
    pub(super) fn new(n: u8, locale: &Locale) -> Stars {
        Stars {
            n,
            stars: "★".repeat(n.into()) + &"☆".repeat(5 - usize::from(n)),
            text: locale.rating(n),
        }
    }
}

#[derive(Serialize)]
pub(super) struct Section<'a> {
    pub(super) title: Option<&'a str>,
    pub(super) html: &'a str,
}

#[derive(Serialize)]
pub(super) struct DayContext<'a> {
    pub(super) number: u32,
    pub(super) id: &'a str,
    pub(super) date: String,
    pub(super) date_text: String,
    pub(super) heading: String,
    pub(super) lead: Option<Section<'a>>,
    /// The talks written up, each a section.
    pub(super) talks: Vec<PostTalk<'a>>,
    /// The talks of the day with no notes yet, listed at its end.
    pub(super) also: Vec<AlsoTalk<'a>>,
}

/// A talk with no notes yet, as the end of its day lists it.
#[derive(Serialize)]
pub(super) struct AlsoTalk<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    /// Its own page, if the recap has talk pages.
    pub(super) href: Option<String>,
    pub(super) speakers: String,
    pub(super) time: Option<String>,
}

/// A talk on the post: what the table of contents needs, and its section rendered from
/// `talk.html` (as a marker that is replaced after the post is rendered).
#[derive(Serialize)]
pub(super) struct PostTalk<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) recommended: bool,
    pub(super) section: &'a str,
}

#[derive(Serialize)]
pub(super) struct TalkContext<'a> {
    // Talk's own fields, borrowed one by one: `#[serde(flatten)]` would buffer every talk
    // through serde's generic content twice per build (a tenth of a 10,000-talk build).
    // `talk_context_has_every_field_of_talk` keeps this list complete.
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) speakers: Vec<SpeakerView<'a>>,
    pub(super) day: u32,
    pub(super) start: Option<ClockTime>,
    pub(super) end: Option<ClockTime>,
    pub(super) duration: Option<u32>,
    pub(super) room: Option<&'a str>,
    pub(super) track: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) recommended: bool,
    pub(super) rating: Option<u8>,
    /// The rating as stars, with its text alternative.
    pub(super) stars: Option<Stars>,
    pub(super) video: Option<Cow<'a, str>>,
    /// A click-to-play player for the recording, if it is on a known one.
    pub(super) embed: Option<video::Embed>,
    pub(super) slides: Option<Cow<'a, str>>,
    /// The talk's cover, from this page (the talk page shows it as `page.cover`).
    pub(super) image: Option<Cow<'a, str>>,
    pub(super) image_alt: Option<&'a str>,
    pub(super) links: Vec<LinkView<'a>>,
    pub(super) id: Option<&'a str>,
    pub(super) extra: Option<&'a serde_json::Value>,
    pub(super) draft: bool,
    pub(super) unwritten: bool,
    pub(super) start_text: Option<String>,
    pub(super) end_text: Option<String>,
    pub(super) html: &'a str,
    /// Where the title links: the talk's own page, or its anchor on the post.
    pub(super) href: String,
    /// The talk's anchor on the post.
    pub(super) post_href: String,
    pub(super) tag_links: Vec<Link>,
    pub(super) day_heading: String,
}

/// A speaker as a page shows them: a relative `url` is made relative to that page.
#[derive(Serialize)]
pub(super) struct SpeakerView<'a> {
    pub(super) name: &'a str,
    /// The speaker's entry on the speakers page, if there is one.
    pub(super) entry: Option<String>,
    pub(super) affiliation: Option<&'a str>,
    pub(super) url: Option<Cow<'a, str>>,
}

/// A front-matter link as a page shows it (see [`SpeakerView`]).
#[derive(Serialize)]
pub(super) struct LinkView<'a> {
    pub(super) title: &'a str,
    pub(super) url: Cow<'a, str>,
}

/// A front-matter `url` for a page `root` away from the site root: a path on the site
/// (`slides/a.pdf`, `/slides/a.pdf`) is taken from the site root, as in notes; addresses
/// with a scheme, `//host/…` and `#anchors` stay as written.
pub(super) fn page_url<'a>(url: &'a str, root: &str) -> Cow<'a, str> {
    if crate::model::is_external(url) || url.starts_with('#') {
        return Cow::Borrowed(url);
    }
    match (root, url.strip_prefix('/')) {
        ("", None) => Cow::Borrowed(url),
        (_, rest) => Cow::Owned(format!("{root}{}", rest.unwrap_or(url))),
    }
}

#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub(super) title: String,
    pub(super) href: String,
}

/// Builds the contexts that borrow rendered Markdown from the cache.
pub(super) struct Pager<'a> {
    pub(super) cache: &'a markdown::Cache,
    pub(super) locale: &'a Locale,
    /// Speakers' ids on the speakers page, if the site has one.
    pub(super) speaker_ids: Option<&'a HashMap<String, String>>,
    pub(super) recap: Recap<'a>,
    pub(super) tag_pages: bool,
    pub(super) tag_slugs: &'a HashMap<&'a str, String>,
}

impl<'a> Pager<'a> {
    pub(super) fn section(
        &self,
        page: &'a Option<ParsedPage>,
        prefix: &str,
    ) -> Option<Section<'a>> {
        let p = page.as_ref()?;
        let html = self.cache.get(prefix, POST)?.html.as_str();
        Some(Section {
            title: p.meta.title.as_deref(),
            html,
        })
    }

    /// A talk as shown on the page `at` (the post or the talk's page).
    pub(super) fn talk(
        &self,
        t: &'a Talk,
        at: &Route<'_>,
        day_heading: String,
    ) -> Option<TalkContext<'a>> {
        let html = self.cache.get_at(&t.slug, at)?.html.as_str();
        Some(self.view(t, at, day_heading, html))
    }

    /// A talk with its rendered notes `html`, as shown on the page `at`.
    pub(super) fn view(
        &self,
        t: &'a Talk,
        at: &Route<'_>,
        day_heading: String,
        html: &'a str,
    ) -> TalkContext<'a> {
        // Paths on the site in front matter are taken from the recap's root.
        let root = at.recap_root();
        let post_href = at.anchor(&self.recap.post(), &t.slug);
        TalkContext {
            slug: &t.slug,
            title: &t.title,
            speakers: t
                .speakers
                .iter()
                .map(|s| SpeakerView {
                    name: &s.name,
                    entry: self.speaker_ids.and_then(|ids| {
                        Some(at.anchor(&Route::site(Page::Speakers), ids.get(&s.name)?))
                    }),
                    affiliation: s.affiliation.as_deref(),
                    url: s.url.as_deref().map(|u| page_url(u, &root)),
                })
                .collect(),
            day: t.day,
            start: t.start,
            end: t.end,
            duration: t.duration,
            room: t.room.as_deref(),
            track: t.track.as_deref(),
            tags: &t.tags,
            recommended: t.recommended,
            rating: t.rating,
            stars: t.rating.map(|n| Stars::new(n, self.locale)),
            video: t.video.as_deref().map(|u| page_url(u, &root)),
            embed: t.video.as_deref().and_then(video::embed),
            slides: t.slides.as_deref().map(|u| page_url(u, &root)),
            image: t.image.as_deref().map(|u| page_url(u, &root)),
            image_alt: t.image_alt.as_deref(),
            links: t
                .links
                .iter()
                .map(|l| LinkView {
                    title: &l.title,
                    url: page_url(&l.url, &root),
                })
                .collect(),
            id: t.id.as_deref(),
            extra: t.extra.as_ref(),
            draft: t.draft,
            unwritten: t.unwritten,
            start_text: t.start.map(|s| s.to_string()),
            end_text: t.end.map(|s| s.to_string()),
            html,
            href: self.recap.talk_href(&t.slug, at),
            post_href,
            tag_links: t
                .tags
                .iter()
                .map(|tag| Link {
                    title: tag.clone(),
                    href: match (self.tag_pages, self.tag_slugs.get(tag.as_str())) {
                        (true, Some(slug)) => at.href(&Route::site(Page::Tag(slug))),
                        _ => String::new(),
                    },
                })
                .collect(),
            day_heading,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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
            rating: Some(4),
            video: Some("https://v".into()),
            slides: Some("https://s".into()),
            image: Some("img/a.png".into()),
            image_alt: Some("A".into()),
            links: Vec::new(),
            id: Some("42".into()),
            extra: Some(serde_json::json!({"k": 1})),
            draft: false,
            unwritten: false,
            body: "".into(),
        };
        let slugs = HashMap::new();
        let cache = markdown::Cache::default();
        let recap = Recap {
            prefix: "",
            talk_pages: true,
        };
        let locale = Locale::new(crate::config::Language::En, &Default::default());
        let pager = Pager {
            cache: &cache,
            locale: &locale,
            speaker_ids: None,
            recap,
            tag_pages: true,
            tag_slugs: &slugs,
        };
        let context = pager.view(&talk, &recap.post(), String::new(), "");
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
