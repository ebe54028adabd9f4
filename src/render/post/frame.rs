//! The post's frame: `index.html`'s output around the talk sections (head, table of contents,
//! day headings, intro, outro), cut into the text between the sections, the sections' places,
//! and — with the built-in post templates — the two places where the word count shows.
//!
//! The word count changes with every edit of a note, and the frame of a large post is by far
//! the costliest page to render (its table of contents lists every talk), so `serve` keeps
//! the frame and renders it again only when what it is rendered from besides the word count
//! changes ([`frame_print`]). The built-in `index.html` and `base.html` show the word count only
//! as the reading time (escaped) and in the JSON-LD (as it is), so the frame is rendered with
//! a marker in each of those two values (and no word count at all) and the two are filled in
//! as pieces of their own; the frame is then the same for every word count, and the post is
//! byte for byte what a render with the real values writes. A site's own post template may
//! use the count in any way, so its frame is rendered with the real values and reused only
//! for the same count. A one-shot build renders the frame once either way.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use super::super::{
    AlsoTalk, DayContext, Env, POST, PageMeta, Pick, PostContext, PostTalk, Stars,
    WORDS_PER_MINUTE, cover, meta,
};
use super::TalkSection;
use crate::error::Result;

const SECTION_MARK: &str = "<!--summit-gen:section:";

/// Where a value that depends on the word count goes in the built-in templates' output (a
/// text the HTML escaping leaves as it is).
const SLOT_MARK: &str = "\u{1}summit-gen:";
const READING_TIME_MARK: &str = "\u{1}summit-gen:reading-time\u{1}";
const JSON_LD_MARK: &str = "\u{1}summit-gen:json-ld\u{1}";

/// Where the values that depend on the word count go in a rendered frame, in order.
type Fills = Vec<(Range<usize>, Part<Range<usize>>)>;

/// The post's frame as `serve` keeps it for the next build.
pub(in crate::render) struct Frame {
    /// What it was rendered from besides the word count (see [`frame_print`]).
    print: u64,
    /// The word count it was rendered with, if the count is in its text (a site's own post
    /// templates): then it is reused only for the same count.
    words: Option<usize>,
    parts: Vec<Part<Arc<str>>>,
}

/// A part of the frame: its own text, the place of talk `n`'s section, or of a value that
/// depends on the word count.
enum Part<T> {
    Text(T),
    Section(usize),
    ReadingTime,
    JsonLd,
}

impl<T> Part<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Part<U> {
        match self {
            Part::Text(t) => Part::Text(f(t)),
            Part::Section(i) => Part::Section(i),
            Part::ReadingTime => Part::ReadingTime,
            Part::JsonLd => Part::JsonLd,
        }
    }
}

/// The values that depend on the word count, as the built-in templates write them.
struct Counted {
    /// The reading time, escaped as the template's `{{ post.reading_time }}` writes it.
    reading_time: String,
    /// The JSON-LD, as `{{ page.jsonld | safe }}` writes it.
    json_ld: String,
}

/// Writes the post: its frame (taken from the last build when it is rendered from the same)
/// with `sections` and the values of `words` in their places. Returns the frame for the next
/// build (`serve`).
pub(super) fn write_post(
    env: &Env<'_>,
    sections: &[TalkSection<'_>],
    words: usize,
) -> Result<Option<Arc<Frame>>> {
    let values = values(env, words);
    let counted = Counted {
        reading_time: escaped(&values.reading_time),
        json_ld: values.json_ld.clone(),
    };
    // Only the built-in templates are known to show the count only where the slots are.
    let slots = !env.theme.is_own("index.html") && !env.theme.is_own("base.html");
    let file = env.recap.post().file();
    if !env.keep {
        let (html, fills) = rendered(env, words, slots)?;
        let mut out = Vec::with_capacity(4 * sections.len() + 1);
        cut(&html, sections.len(), fills.unwrap_or_default(), |part| {
            join(&mut out, part.map(|r| &html[r]), sections, &counted);
        });
        env.sink.put_parts(&file, &out)?;
        return Ok(None);
    }
    let print = frame_print(env, values.embeds);
    let old = env.kept().and_then(|k| k.frame.as_ref());
    let frame = match old {
        Some(f) if f.print == print && f.words.is_none_or(|w| w == words) => f.clone(),
        _ => {
            let (html, fills) = rendered(env, words, slots)?;
            let fixed = fills.is_some();
            let old = old.map_or(&[][..], |f| &f.parts[..]);
            let mut parts = Vec::with_capacity(2 * sections.len() + 1);
            cut(&html, sections.len(), fills.unwrap_or_default(), |part| {
                let n = parts.len();
                parts.push(part.map(|r| match old.get(n) {
                    Some(Part::Text(o)) if **o == html[r.clone()] => o.clone(),
                    _ => html[r].into(),
                }));
            });
            Arc::new(Frame {
                print,
                words: (!fixed).then_some(words),
                parts,
            })
        }
    };
    env.sink
        .put_pieces(&file, pieces(&frame, sections, &counted))?;
    Ok(Some(frame))
}

/// The frame rendered: with the slots if `slots` and the site's text holds none of their
/// markers (then with where they are, see [`fills`]), else with the real values of `words`.
fn rendered(env: &Env<'_>, words: usize, slots: bool) -> Result<(String, Option<Fills>)> {
    if slots {
        let html = render(env, values(env, words), true)?;
        if let Some(fills) = fills(&html) {
            return Ok((html, Some(fills)));
        }
    }
    Ok((render(env, values(env, words), false)?, None))
}

/// What the post shows that is neither in the site's shape nor in the sections.
struct Values {
    embeds: bool,
    social: Option<cover::SocialImage>,
    words: usize,
    reading_minutes: usize,
    reading_time: String,
    json_ld: String,
}

/// [`Values`] for `words`.
fn values(env: &Env<'_>, words: usize) -> Values {
    let site = env.site;
    let image = site.config.image.as_ref().map(|i| i.value.as_str());
    let alt = site.config.image_alt.as_deref();
    let social = image.and_then(|i| cover::social(i, alt, &env.recap, env.urls, &site.images));
    let reading_minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);
    let at = env.recap.post();
    Values {
        embeds: env.talks.iter().any(|t| {
            !t.unwritten
                && t.video
                    .as_deref()
                    .and_then(super::super::video::embed)
                    .is_some()
        }),
        reading_time: env.locale.reading_time(reading_minutes),
        json_ld: meta::post_jsonld(site, env.urls.of(&at.dir()), words, social.as_ref()),
        social,
        words,
        reading_minutes,
    }
}

/// `text` as the templates' autoescaping writes it.
fn escaped(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    if tera::escape_html(text, &mut out).is_err() {
        return text.to_string();
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A hash of what the frame is rendered from besides the site's shape (which the last
/// build's must share for anything to be reused: talks, days, times, speakers, summit.yaml,
/// templates, static files) and the word count: which talks have notes, whether any has a
/// player, the top picks' summaries, the intro, the outro and the days' leads.
fn frame_print(env: &Env<'_>, embeds: bool) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (env.recap.prefix, embeds).hash(&mut h);
    for t in env.talks {
        t.unwritten.hash(&mut h);
    }
    for (i, t) in env.talks.iter().enumerate().filter(|(_, t)| t.recommended) {
        env.on_post(i, t).map(|r| &r.summary).hash(&mut h);
    }
    let site = env.site;
    let docs = [(&site.intro, "intro"), (&site.outro, "outro")];
    let leads = site.days.iter().map(|d| (&d.lead, d.id.as_str()));
    for (page, id) in docs.into_iter().chain(leads) {
        id.hash(&mut h);
        env.pager
            .section(page, id)
            .map(|s| (s.title, s.html))
            .hash(&mut h);
    }
    h.finish()
}

/// Renders `index.html`; with `slots`, with the markers in place of the values that depend
/// on the word count, and no count.
fn render(env: &Env<'_>, values: Values, slots: bool) -> Result<String> {
    let (site, locale) = (env.site, env.locale);
    let config = &site.config;
    let (words, reading_minutes, reading_time, json_ld) = match slots {
        true => (
            0,
            0,
            READING_TIME_MARK.to_string(),
            JSON_LD_MARK.to_string(),
        ),
        false => (
            values.words,
            values.reading_minutes,
            values.reading_time,
            values.json_ld,
        ),
    };
    let markers: Vec<String> = env
        .talks
        .iter()
        .enumerate()
        .map(|(i, _)| format!("{SECTION_MARK}{i}-->"))
        .collect();
    // Talk `j` of a day is talk `first + j` in reading order.
    let mut first = 0;
    let days: Vec<DayContext<'_>> = site
        .days
        .iter()
        .map(|day| {
            let at = first;
            first += day.talks.len();
            (day, at)
        })
        .map(|(day, first)| DayContext {
            number: day.number,
            id: &day.id,
            date: day.date.to_string(),
            date_text: locale.date_with_weekday(day.date),
            heading: env.day_heading(day.number),
            lead: env.pager.section(&day.lead, &day.id),
            also: day
                .talks
                .iter()
                .filter(|t| t.unwritten)
                .map(|t| AlsoTalk {
                    slug: &t.slug,
                    title: &t.title,
                    href: config
                        .pages
                        .talks
                        .then(|| env.recap.post().href(&env.recap.talk_page(&t.slug))),
                    speakers: locale.names(t.speakers.iter().map(|s| s.name.as_str())),
                    time: t.start.map(|s| match t.end {
                        Some(e) => format!("{s}–{e}"),
                        None => s.to_string(),
                    }),
                })
                .collect(),
            talks: day
                .talks
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.unwritten)
                .map(|(j, t)| PostTalk {
                    slug: &t.slug,
                    title: &t.title,
                    recommended: t.recommended,
                    section: markers.get(first + j).map_or("", String::as_str),
                })
                .collect(),
        })
        .collect();
    let picks = env
        .talks
        .iter()
        .filter(|t| t.recommended)
        .map(|t| Pick {
            slug: &t.slug,
            title: &t.title,
            speakers: locale.names(t.speakers.iter().map(|s| s.name.as_str())),
            summary: env
                .cache
                .get(&t.slug, POST)
                .map(|r| super::super::markdown::sentences(&r.summary, 200, true))
                .unwrap_or_default(),
            rating: t.rating.map(|n| Stars::new(n, locale)),
        })
        .collect();
    let post = PostContext {
        published: config.published.map(|d| d.to_string()),
        published_text: config.published.map(|d| locale.published(d)),
        word_count: words,
        reading_minutes,
        reading_time,
        intro: env.pager.section(&site.intro, "intro"),
        outro: env.pager.section(&site.outro, "outro"),
        picks,
        days,
    };
    let at = env.recap.post();
    let image = config.image.as_ref().map(|i| i.value.as_str());
    let alt = config.image_alt.as_deref();
    let page = PageMeta {
        title: config.title.clone(),
        description: config.description.clone(),
        url: env.urls.of(&at.dir()),
        og_type: "article",
        published: config.published.map(|d| d.to_string()),
        jsonld: Some(json_ld),
        cover: image.map(|i| cover::cover(i, alt, &at, &site.images)),
        image: values.social,
    };
    let mut context = env.context(&at, page)?;
    context.insert("post", &post);
    context.insert("embeds", &values.embeds);
    env.render("index.html", &context)
}

/// Where the word count's markers are in `html`, in order: `None` unless each is there
/// exactly once (else the site's own text holds one).
fn fills(html: &str) -> Option<Fills> {
    let mut fills = Vec::new();
    let mut found = [0, 0];
    for (at, _) in html.match_indices(SLOT_MARK) {
        let slots = [
            (READING_TIME_MARK, Part::ReadingTime),
            (JSON_LD_MARK, Part::JsonLd),
        ];
        for (n, (mark, part)) in slots.into_iter().enumerate() {
            if html[at..].starts_with(mark) {
                found[n] += 1;
                fills.push((at..at + mark.len(), part));
            }
        }
    }
    (found == [1, 1]).then_some(fills)
}

/// The template's output `html` cut at its section markers (of the `sections` talks) and at
/// `fills`, each part handed to `each` in order as a range of `html`. A marker that names no
/// section stays in the text as it is.
fn cut(html: &str, sections: usize, fills: Fills, mut each: impl FnMut(Part<Range<usize>>)) {
    let mut fills = fills.into_iter().peekable();
    // The text `from..to`, with the fills in it.
    let mut text = |mut from: usize, to: usize, each: &mut dyn FnMut(Part<Range<usize>>)| {
        while let Some((at, _)) = fills.peek()
            && at.start < to
        {
            if let Some((at, part)) = fills.next() {
                if at.start > from {
                    each(Part::Text(from..at.start));
                }
                each(part);
                from = at.end;
            }
        }
        if to > from {
            each(Part::Text(from..to));
        }
    };
    let mut from = 0;
    for (at, _) in html.match_indices(SECTION_MARK) {
        let after = &html[at + SECTION_MARK.len()..];
        if let Some((n, _)) = after.split_once("-->")
            && let Ok(i) = n.parse::<usize>()
            && i < sections
        {
            text(from, at, &mut each);
            each(Part::Section(i));
            from = at + SECTION_MARK.len() + n.len() + "-->".len();
        }
    }
    text(from, html.len(), &mut each);
}

/// The post's pieces from its frame, for `serve`: the frame's text and each section as the
/// very same shared texts they are (the link check knows their ids), and the values of the
/// word count as pieces of their own.
fn pieces(frame: &Frame, sections: &[TalkSection<'_>], counted: &Counted) -> Vec<Arc<str>> {
    let mut out: Vec<Arc<str>> = Vec::with_capacity(frame.parts.len());
    for part in &frame.parts {
        match part {
            Part::Text(text) => out.push(text.clone()),
            Part::Section(i) => {
                if let Some(s) = sections.get(*i) {
                    match s.shared() {
                        // A talk with no notes has no section.
                        Some(shared) if shared.is_empty() => {}
                        Some(shared) => out.push(shared.clone()),
                        None => out.push([s.head.as_str(), s.notes, &s.tail].concat().into()),
                    }
                }
            }
            Part::ReadingTime => out.push(counted.reading_time.as_str().into()),
            Part::JsonLd => out.push(counted.json_ld.as_str().into()),
        }
    }
    out
}

/// Puts `part` of the post into `out`, for a one-shot build (nothing copied).
fn join<'a>(
    out: &mut Vec<&'a str>,
    part: Part<&'a str>,
    sections: &'a [TalkSection<'a>],
    counted: &'a Counted,
) {
    match part {
        Part::Text(text) => out.push(text),
        Part::Section(i) => {
            if let Some(s) = sections.get(i) {
                match s.shared() {
                    Some(shared) => out.push(&**shared),
                    None => out.extend([s.head.as_str(), s.notes, &s.tail]),
                }
            }
        }
        Part::ReadingTime => out.push(&counted.reading_time),
        Part::JsonLd => out.push(&counted.json_ld),
    }
}
