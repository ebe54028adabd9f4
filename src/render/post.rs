//! The post and the talk pages.
//!
//! Each talk's section of the post is rendered from `talk.html`, in parallel. The post's
//! template gets a marker per talk and the sections are spliced in afterwards, so the whole
//! post's HTML never passes through the template engine's values; the post goes to the sink
//! as its pieces. The post (one big page, mostly serial work) is written while the talk pages
//! (many small ones) are rendered in parallel beside it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::markdown::{NoteLink, Rendered};
use super::{
    AlsoTalk, DayContext, Env, Link, OutputFile, POST, PageMeta, Part, Pick, PostContext, PostTalk,
    Print, Stars, WORDS_PER_MINUTE, cover, meta,
};
use crate::error::Result;
use crate::model::Talk;

const SECTION_MARK: &str = "<!--summit-gen:section:";

/// A talk's section of the post: the template's output around the note's HTML, which is
/// borrowed from the Markdown cache rather than copied (on a large site the sections would
/// otherwise hold every note's HTML a second time until the post is written).
/// In `serve` a section is one shared text instead (`shared`), kept for the next build and
/// put into the post as it is: a rebuild copies only the sections it rendered.
#[derive(Default)]
pub(super) struct TalkSection<'a> {
    head: String,
    notes: &'a str,
    tail: String,
    shared: Option<Arc<str>>,
}

impl TalkSection<'_> {
    /// The section as one shared text (what `serve` keeps for the next build).
    pub(super) fn shared(&self) -> Option<&Arc<str>> {
        self.shared.as_ref()
    }

    /// The same section as one shared text.
    fn into_shared(self) -> Self {
        if self.shared.is_some() {
            return self;
        }
        let text = [self.head.as_str(), self.notes, &self.tail].concat();
        TalkSection {
            shared: Some(text.into()),
            ..TalkSection::default()
        }
    }
}

/// Where the note's HTML goes in the built-in `talk.html`'s output.
const NOTES_MARK: &str = "<!--summit-gen:notes-->";

/// Each talk's section of the post, in reading order: rendered anew, or taken from the
/// previous build when the talk's note is unchanged.
pub(super) fn sections<'a>(env: &Env<'a>) -> Result<Vec<TalkSection<'a>>> {
    let keep = env.keep;
    env.talks
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            let section = section(env, i, t)?;
            Ok(if keep { section.into_shared() } else { section })
        })
        .collect()
}

/// Talk `t`'s section of the post (the `i`th talk in reading order).
fn section<'a>(env: &Env<'a>, i: usize, t: &'a Talk) -> Result<TalkSection<'a>> {
    // Only the built-in template is known to show the notes once, as they are.
    let split = !env.theme.is_own("talk.html");
    // A talk with no notes is listed at the end of its day, not a section.
    if t.unwritten {
        return Ok(TalkSection::default());
    }
    if env.unchanged(Print(i, Part::Section), &super::section_key(t))
        && let Some(old) = env.previous.and_then(|(p, _)| p.sections.get(&t.slug))
    {
        return Ok(TalkSection {
            shared: Some(old.clone()),
            ..TalkSection::default()
        });
    }
    let post = env.recap.post();
    let mut context = Context::new();
    context.insert("root", &post.root());
    let Some(mut talk) = env.pager.talk(t, &post, env.day_heading(t.day)) else {
        context.insert("talk", &None::<()>);
        return Ok(TalkSection {
            head: env.render("talk.html", &context)?,
            ..TalkSection::default()
        });
    };
    let notes = talk.html;
    if split {
        talk.html = NOTES_MARK;
        context.insert("talk", &talk);
        let text = env.render("talk.html", &context)?;
        if let Some((head, tail)) = text.split_once(NOTES_MARK)
            && !tail.contains(NOTES_MARK)
            && !notes.contains(NOTES_MARK)
        {
            return Ok(TalkSection {
                head: head.to_string(),
                notes,
                tail: tail.to_string(),
                shared: None,
            });
        }
        talk.html = notes;
    }
    context.insert("talk", &talk);
    Ok(TalkSection {
        head: env.render("talk.html", &context)?,
        ..TalkSection::default()
    })
}

/// Writes the post (with `sections`, and `words` for its reading time) and, unless they are
/// written already (`talk_pages_done`), the talk pages. Returns the links written in the
/// talk pages' notes.
pub(super) fn write(
    env: &Env<'_>,
    sections: &[TalkSection<'_>],
    words: usize,
    talk_pages_done: bool,
) -> Result<Vec<(PathBuf, String, NoteLink)>> {
    if talk_pages_done {
        write_post(env, sections, words)?;
        return Ok(Vec::new());
    }
    let (post, talk_links) = rayon::join(
        || write_post(env, sections, words),
        || write_talk_pages(env),
    );
    post?;
    talk_links
}

fn write_post(env: &Env<'_>, sections: &[TalkSection<'_>], words: usize) -> Result<()> {
    let (site, locale) = (env.site, env.locale);
    let config = &site.config;
    let markers: HashMap<&str, String> = env
        .talks
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
                .filter(|t| !t.unwritten)
                .map(|t| PostTalk {
                    slug: &t.slug,
                    title: &t.title,
                    recommended: t.recommended,
                    section: markers.get(t.slug.as_str()).map_or("", String::as_str),
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
                .map(|r| super::markdown::sentences(&r.summary, 200, true))
                .unwrap_or_default(),
            rating: t.rating.map(|n| Stars::new(n, locale)),
        })
        .collect();
    let reading_minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);
    let post = PostContext {
        published: config.published.map(|d| d.to_string()),
        published_text: config.published.map(|d| locale.published(d)),
        word_count: words,
        reading_minutes,
        reading_time: locale.reading_time(reading_minutes),
        intro: env.pager.section(&site.intro, "intro"),
        outro: env.pager.section(&site.outro, "outro"),
        picks,
        days,
    };
    let at = env.recap.post();
    let image = config.image.as_ref().map(|i| i.value.as_str());
    let alt = config.image_alt.as_deref();
    let social = image.and_then(|i| cover::social(i, alt, &env.recap, env.urls, &site.images));
    let page = PageMeta {
        title: config.title.clone(),
        description: config.description.clone(),
        url: env.urls.of(&at.dir()),
        og_type: "article",
        published: config.published.map(|d| d.to_string()),
        jsonld: Some(meta::post_jsonld(
            site,
            env.urls.of(&at.dir()),
            words,
            social.as_ref(),
        )),
        cover: image.map(|i| cover::cover(i, alt, &at, &site.images)),
        image: social,
    };
    let mut context = env.context(&at, page)?;
    context.insert("post", &post);
    let embeds = env
        .talks
        .iter()
        .any(|t| !t.unwritten && t.video.as_deref().and_then(super::video::embed).is_some());
    context.insert("embeds", &embeds);
    let index = env.render("index.html", &context)?;
    drop(context);
    if env.keep {
        let file = at.file();
        let old = env
            .previous
            .and_then(|(p, _)| p.files.get(file.as_str())?.parts());
        return env
            .sink
            .put_pieces(&file, splice_shared(&index, sections, old));
    }
    env.sink.put_parts(&at.file(), &splice(&index, sections))
}

/// A page per talk, with the previous and next talk, each put into the sink as soon as it is
/// ready (a one-shot build writes them as their notes are rendered instead: see
/// [`super::render`]).
fn write_talk_pages(env: &Env<'_>) -> Result<Vec<(PathBuf, String, NoteLink)>> {
    let config = &env.site.config;
    if !config.pages.talks {
        return Ok(Vec::new());
    }
    let talks = env.talks;
    // A reused page is handed back rather than put here: they all go to the sink in one
    // batch, so 10,000 unchanged pages do not take the sink's locks 10,000 times.
    type Done = (Vec<(PathBuf, String, NoteLink)>, Option<OutputFile>);
    let done: Vec<Done> = talks
        .par_iter()
        .enumerate()
        .map(|(i, t)| -> Result<Done> {
            let at = env.recap.talk_page(&t.slug);
            let (page, file) = (at.local_file(), at.file());
            // The Markdown is rendered for the page's file inside the recap.
            let Some(notes) = env.cache.get(&t.slug, &page) else {
                return Ok((Vec::new(), None));
            };
            if env.unchanged(Print(i, Part::Page), &page)
                && let Some(old) = env.old_file(&file)
            {
                let links = links_of(t, &file, notes);
                let reused = OutputFile {
                    path: file,
                    contents: old,
                };
                return Ok((links, Some(reused)));
            }
            let summary = env.cache.get(&t.slug, POST).map(|r| r.summary.as_str());
            Ok((talk_page(env, i, notes, summary)?, None))
        })
        .collect::<Result<_>>()?;
    let mut links = Vec::new();
    let mut reused = Vec::new();
    for (l, file) in done {
        links.extend(l);
        reused.extend(file);
    }
    env.record_reused(reused.iter().map(|f| f.path.clone()));
    env.sink.put_all(reused)?;
    Ok(links)
}

/// The links written in talk `t`'s notes as its page `file` shows them.
fn links_of(t: &Talk, file: &str, notes: &Rendered) -> Vec<(PathBuf, String, NoteLink)> {
    notes
        .links
        .iter()
        .map(|l| (t.path.clone(), file.to_string(), l.clone()))
        .collect()
}

/// Writes the page of talk `i` (in reading order), showing `notes` (its Markdown rendered
/// for the page) and `summary` (of the note, as the post shows it). Returns the links
/// written in the notes.
pub(super) fn talk_page(
    env: &Env<'_>,
    i: usize,
    notes: &Rendered,
    summary: Option<&str>,
) -> Result<Vec<(PathBuf, String, NoteLink)>> {
    let (config, talks) = (&env.site.config, env.talks);
    let t = talks[i];
    let at = env.recap.talk_page(&t.slug);
    let file = at.file();
    let talk = env.pager.view(t, &at, env.day_heading(t.day), &notes.html);
    let neighbour = |j: Option<usize>| {
        j.and_then(|j| talks.get(j)).map(|n| Link {
            title: n.title.clone(),
            href: at.href(&env.recap.talk_page(&n.slug)),
        })
    };
    // The talk's own image, or else the post's as its social image.
    let (image, alt) = match &t.image {
        Some(i) => (Some(i.as_str()), t.image_alt.as_deref()),
        None => (
            config.image.as_ref().map(|i| i.value.as_str()),
            config.image_alt.as_deref(),
        ),
    };
    let images = &env.site.images;
    let meta = PageMeta {
        title: format!("{} · {}", t.title, config.title),
        description: Some(meta::talk_description(t, summary)),
        url: env.urls.of(&at.dir()),
        og_type: "article",
        published: config.published.map(|d| d.to_string()),
        jsonld: None,
        cover: t
            .image
            .as_deref()
            .map(|i| cover::cover(i, t.image_alt.as_deref(), &at, images)),
        image: image.and_then(|i| cover::social(i, alt, &env.recap, env.urls, images)),
    };
    let mut context = env.context(&at, meta)?;
    context.insert("embeds", &talk.embed.is_some());
    context.insert("talk", &talk);
    context.insert("previous", &neighbour(i.checked_sub(1)));
    context.insert("next", &neighbour(Some(i + 1)));
    env.put(&file, env.render("talk_page.html", &context)?)?;
    Ok(links_of(t, &file, notes))
}

/// The template's output `html` cut at its section markers: the text before each marker and
/// the section it names, in order, then the text after the last one. A marker that names no
/// section stays in the text as it is.
fn cut<'h, 's>(
    html: &'h str,
    sections: &'s [TalkSection<'s>],
    mut each: impl FnMut(&'h str, Option<&'s TalkSection<'s>>),
) {
    let mut rest = html;
    while let Some(at) = rest.find(SECTION_MARK) {
        let after = &rest[at + SECTION_MARK.len()..];
        let section = after
            .split_once("-->")
            .and_then(|(n, tail)| Some((sections.get(n.parse::<usize>().ok()?)?, tail)));
        match section {
            Some((s, tail)) => {
                each(&rest[..at], Some(s));
                rest = tail;
            }
            None => {
                // Up to and with the marker, as text.
                each(&rest[..at + SECTION_MARK.len()], None);
                rest = after;
            }
        }
    }
    each(rest, None);
}

/// [`splice`] for `serve`, whose sections are shared: each section is put in as it is, and
/// the template's text between them becomes pieces of its own, taken from `old` (the last
/// post's pieces) where the piece at the same place has the same text, so that what did not
/// change stays the very same piece (whose ids the link check knows).
fn splice_shared(
    html: &str,
    sections: &[TalkSection<'_>],
    old: Option<&[Arc<str>]>,
) -> Vec<Arc<str>> {
    let mut out: Vec<Arc<str>> = Vec::with_capacity(2 * sections.len() + 1);
    let own = |out: &mut Vec<Arc<str>>, text: &str| {
        match old.and_then(|o| o.get(out.len())) {
            Some(o) if **o == *text => out.push(o.clone()),
            _ => out.push(text.into()),
        };
    };
    let mut pending = String::new();
    cut(html, sections, |text, section| {
        pending.push_str(text);
        match section.map(|s| (s, &s.shared)) {
            // A talk with no notes has no section.
            Some((_, Some(shared))) if shared.is_empty() => {}
            Some((_, Some(shared))) => {
                if !pending.is_empty() {
                    own(&mut out, &pending);
                    pending.clear();
                }
                out.push(shared.clone());
            }
            Some((s, None)) => pending.extend([s.head.as_str(), s.notes, &s.tail]),
            None => {}
        }
    });
    own(&mut out, &pending);
    out
}

/// `html` with each section marker replaced by its section (a marker that names no section
/// is left as it is), as the pieces of the page in order.
fn splice<'a>(html: &'a str, sections: &'a [TalkSection<'a>]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(4 * sections.len() + 1);
    cut(html, sections, |text, section| {
        out.push(text);
        if let Some(s) = section {
            out.extend([s.head.as_str(), s.notes, &s.tail]);
        }
    });
    out
}
