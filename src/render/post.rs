//! The post and the talk pages.
//!
//! Each talk's section of the post is rendered from `talk.html`, in parallel. The post's
//! template gets a marker per talk and the sections are spliced in afterwards, so the whole
//! post's HTML never passes through the template engine's values; the post goes to the sink
//! as its pieces (its frame, the template's output around the sections, is `frame`'s). The
//! post (one big page, mostly serial work) is written while the talk pages (many small ones)
//! are rendered in parallel beside it.
//!
//! In `serve`, what a build keeps for the next (`super::Kept`) is aligned with the talks in
//! reading order: a talk whose section or page is rendered from the same as last time costs a
//! comparison of its fingerprint and a few pointer copies, with no key or path made for it.

mod frame;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::markdown::{NoteLink, Rendered};
use super::output::KeptPage;
use super::{Bytes, Env, Link, OutputFile, POST, PageMeta, cover, meta};
use crate::error::Result;
use crate::model::Talk;

pub(super) use frame::Frame;

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

    /// The section's shared text, if it is one (what `serve` keeps for the next build).
    pub(super) fn into_text(self) -> Option<Arc<str>> {
        self.shared
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
    let reuse = |i: usize| {
        let old = env.kept_section(i)?;
        Some(TalkSection {
            shared: Some(old.clone()),
            ..TalkSection::default()
        })
    };
    let keep = env.keep;
    reuse_or_make(env, reuse, |i| {
        let section = section(env, env.talks[i])?;
        Ok(if keep { section.into_shared() } else { section })
    })
}

/// For each talk in reading order, `reuse`'s part if it gives one, else `make`'s. The reused
/// are taken in one pass on this thread (a comparison and a pointer copy each: threads would
/// cost more than they save) straight into their places, an empty part holding the place of
/// each of the rest, which are then made in parallel.
fn reuse_or_make<T: Send + Default>(
    env: &Env<'_>,
    reuse: impl Fn(usize) -> Option<T>,
    make: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let n = env.talks.len();
    if env.kept().is_none() {
        return (0..n).into_par_iter().map(&make).collect();
    }
    let mut parts = Vec::with_capacity(n);
    let mut todo = Vec::new();
    for i in 0..n {
        parts.push(reuse(i).unwrap_or_else(|| {
            todo.push(i);
            T::default()
        }));
    }
    let made: Vec<T> = todo.par_iter().map(|&i| make(i)).collect::<Result<_>>()?;
    for (i, part) in todo.into_iter().zip(made) {
        parts[i] = part;
    }
    Ok(parts)
}

/// Talk `t`'s section of the post, rendered.
fn section<'a>(env: &Env<'a>, t: &'a Talk) -> Result<TalkSection<'a>> {
    // Only the built-in template is known to show the notes once, as they are.
    let split = !env.theme.is_own("talk.html");
    // A talk with no notes is listed at the end of its day, not a section.
    if t.unwritten {
        return Ok(TalkSection::default());
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

/// What writing the post and the talk pages leaves: the links written in the talk pages'
/// notes, and for `serve` the post's frame and each talk's page (see [`super::Kept`]).
#[derive(Default)]
pub(super) struct Written {
    pub(super) links: Vec<(PathBuf, String, NoteLink)>,
    pub(super) frame: Option<Arc<Frame>>,
    pub(super) pages: Vec<Option<Arc<KeptPage>>>,
}

/// Writes the post (with `sections`, and `words` for its reading time) and, unless they are
/// written already (`talk_pages_done`), the talk pages.
pub(super) fn write(
    env: &Env<'_>,
    sections: &[TalkSection<'_>],
    words: usize,
    talk_pages_done: bool,
) -> Result<Written> {
    if talk_pages_done {
        let frame = frame::write_post(env, sections, words)?;
        return Ok(Written {
            frame,
            ..Written::default()
        });
    }
    let (frame, pages) = rayon::join(
        || frame::write_post(env, sections, words),
        || write_talk_pages(env),
    );
    let (links, pages) = pages?;
    Ok(Written {
        links,
        frame: frame?,
        pages,
    })
}

type TalkPages = (Links, Vec<Option<Arc<KeptPage>>>);

/// Links written in notes: the note's path, the page it is on, the link.
type Links = Vec<(PathBuf, String, NoteLink)>;

/// A page per talk, with the previous and next talk, each put into the sink as soon as it is
/// ready (a one-shot build writes them as their notes are rendered instead: see
/// [`super::render`]). Returns the links written in their notes and, for `serve`, the pages
/// as the next build may reuse them.
fn write_talk_pages(env: &Env<'_>) -> Result<TalkPages> {
    let config = &env.site.config;
    if !config.pages.talks {
        return Ok(Default::default());
    }
    let talks = env.talks;
    let n = talks.len();
    // Each talk's page as the next build may reuse it, in reading order.
    let mut kept: Vec<Option<Arc<KeptPage>>> = match env.keep {
        true => vec![None; n],
        false => Vec::new(),
    };
    // A reused page is gathered here rather than put: they all go to the sink in one batch,
    // so 10,000 unchanged pages do not take the sink's locks 10,000 times. Its record is the
    // page's own shared path (no copy).
    let mut reused = Vec::new();
    let mut paths = Vec::new();
    // The links in reused pages' notes, by the talk's place (few notes have any).
    let mut old_links: Vec<(usize, Links)> = Vec::new();
    // One pass on this thread over the talks (a comparison and a few pointer copies for an
    // unchanged one, with nothing gathered per talk but what is put), then the rest are
    // made in parallel.
    let mut todo = Vec::new();
    if env.kept().is_some() {
        reused.reserve(n);
        paths.reserve(n);
    }
    for (i, t) in talks.iter().enumerate() {
        // Unchanged: the last build's page, its paths as they were (no new key or path).
        let Some(old) = env.kept_page(i) else {
            todo.push(i);
            continue;
        };
        // A retaining cache (the only one a page is reused with) has the job's rendering
        // where the job was: no lookup by key.
        let notes = match env.cache.retains() {
            true => env.cache.shown(env.first_talk + i),
            false => env.cache.get(&t.slug, &old.page),
        };
        let Some(notes) = notes else {
            continue;
        };
        if !notes.links.is_empty() {
            old_links.push((i, links_of(t, &old.file, notes)));
        }
        reused.push(OutputFile {
            path: old.file.clone(),
            contents: old.bytes.clone(),
        });
        paths.push(old.file.clone());
        if let Some(slot) = kept.get_mut(i) {
            *slot = Some(old.clone());
        }
    }
    let made: Vec<(usize, Links, Option<Arc<KeptPage>>)> = todo
        .par_iter()
        .map(|&i| -> Result<_> {
            let t = talks[i];
            let at = env.recap.talk_page(&t.slug);
            let page = at.local_file();
            // The Markdown is rendered for the page's file inside the recap.
            let Some(notes) = env.cache.get(&t.slug, &page) else {
                return Ok((i, Vec::new(), None));
            };
            let summary = env.cache.get(&t.slug, POST).map(|r| r.summary.as_str());
            let (links, bytes) = talk_page(env, i, notes, summary)?;
            let kept = env.keep.then(|| {
                Arc::new(KeptPage {
                    page: page.into(),
                    file: at.file().into(),
                    bytes,
                })
            });
            Ok((i, links, kept))
        })
        .collect::<Result<_>>()?;
    // The links in reading order: the reused pages' and the made pages', merged by place.
    let mut links = Vec::new();
    let mut old_links = old_links.into_iter().peekable();
    for (i, l, page) in made {
        while let Some((_, l)) = old_links.next_if(|(j, _)| *j < i) {
            links.extend(l);
        }
        links.extend(l);
        if let Some(slot) = kept.get_mut(i) {
            *slot = page;
        }
    }
    links.extend(old_links.flat_map(|(_, l)| l));
    env.record_reused(paths);
    env.sink.put_all(reused)?;
    Ok((links, kept))
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
/// written in the notes, and the page as it was put.
pub(super) fn talk_page(
    env: &Env<'_>,
    i: usize,
    notes: &Rendered,
    summary: Option<&str>,
) -> Result<(Links, Bytes)> {
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
    let links = links_of(t, &file, notes);
    let contents = Bytes::from(env.render("talk_page.html", &context)?.into_bytes());
    env.sink.put(OutputFile {
        path: file.into(),
        contents: contents.clone(),
    })?;
    Ok((links, contents))
}
