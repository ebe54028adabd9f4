//! Markdown → HTML with pulldown-cmark.
//!
//! **Ids.** All notes end up on one page, so every id a note produces must be unique there.
//! Headings get `<prefix>--<heading-slug>` (unless the writer gave `{#an-id}`) and footnotes
//! `<prefix>--fn--<label>`. Prefixes (talk slugs, `day-N`, `intro`) are unique and never
//! contain `--`, so ids made for different notes cannot collide, and each note can be rendered
//! (and cached) on its own; it only has to avoid the page's fixed ids.
//!
//! **Links.** A note is shown on the post and on its own page, at different depths, so links
//! are rewritten for the page they appear on: a link to another note (`other.md`,
//! `../day-2/x.md#heading`, resolved from the note's own folder) points at that talk; any other
//! relative path (`img/a.png`, `/img/a.png`) is taken from the site root; `#heading` finds the
//! note's own heading. Every internal link is recorded with its file position for `check`.
//!
//! Heading levels are shifted to nest under the section that holds the note; the word count
//! is taken from the same pass.
//!
//! **Code and tables** are written by [`super::blocks`] (highlighting with CSS classes,
//! scroll containers), once per note, in [`prepare`].

mod cache;
mod images;
mod links;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

pub use cache::{Cache, Job, Links, Show};
pub use links::{BlogNotes, HeadingOf, LinkEnv, LinkTarget, NoteLink, NoteTarget};
pub(crate) use links::{position, resolve_link};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub words: usize,
    /// Internal links, for `check`.
    pub links: Vec<NoteLink>,
    /// Whether any link depends on the page the note is shown on.
    pub page_dependent: bool,
    /// The first words of the text, for descriptions and feeds.
    pub summary: String,
    /// A hash of `html`, set by a retaining cache (`serve`), 0 otherwise: part of the
    /// fingerprint that decides whether a page rendered from it may be reused.
    pub fingerprint: u64,
}

/// How a document is placed on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement<'a> {
    /// Prefix of every id the document produces.
    pub id_prefix: &'a str,
    /// Added to every heading level…
    pub shift: u8,
    /// …and no heading is higher than this.
    pub min_level: u8,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one document in one call (the build goes through [`Cache::render_all`]).
#[cfg(test)]
fn to_html(
    markdown: &str,
    place: &Placement<'_>,
    fixed: &HashSet<String>,
    env: &LinkEnv<'_>,
    text: bool,
) -> Rendered {
    let doc = prepare(markdown, place.id_prefix, fixed, text, true);
    emit(&doc, markdown, place, env)
}

/// A parsed document, ready to be written out for any page: ids are decided, heading levels
/// and links are not (they depend on where it is shown).
pub struct Prepared<'a> {
    events: Vec<Event<'a>>,
    offsets: Vec<usize>,
    /// Heading events (start and end) with their level as written.
    headings: Vec<(usize, HeadingLevel)>,
    heading_ids: HashMap<String, String>,
    words: usize,
    summary: String,
}

pub fn prepare<'a>(
    markdown: &'a str,
    id_prefix: &str,
    fixed: &HashSet<String>,
    text: bool,
    highlight: bool,
) -> Prepared<'a> {
    let (events, offsets): (Vec<Event<'a>>, Vec<usize>) = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .unzip();

    // Words: inline markup splits words into several events ("*dig*," is two), so the text is
    // gathered first and counted once; a "word" must hold a letter or digit.
    let mut plain = String::new();
    for e in events.iter().take_while(|_| text) {
        match e {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            // Inline markup ends inside a word or sentence; blocks end with a space.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => plain.push(' '),
            _ => {}
        }
    }

    let prose = if text { prose(&events) } else { String::new() };
    let (mut events, offsets) = super::blocks::rewrite(events, offsets, highlight);
    strip_comments(&mut events);
    let mut own: HashSet<String> = HashSet::new();
    let mut heading_ids: HashMap<String, String> = HashMap::new();
    let mut headings = Vec::new();
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { .. }) => {
                let text: String = events[i + 1..]
                    .iter()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[i] {
                    let ids = HeadingIds {
                        id_prefix,
                        fixed,
                        own: &mut own,
                        by_name: &mut heading_ids,
                    };
                    let final_id = ids.claim(&text, id.as_deref());
                    *id = Some(CowStr::from(final_id));
                    headings.push((i, *level));
                }
            }
            Event::End(TagEnd::Heading(level)) => headings.push((i, *level)),
            Event::FootnoteReference(label) => {
                events[i] = Event::FootnoteReference(footnote_id(id_prefix, label).into());
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events[i] = Event::Start(Tag::FootnoteDefinition(
                    footnote_id(id_prefix, label).into(),
                ));
            }
            _ => {}
        }
    }
    Prepared {
        events,
        offsets,
        headings,
        heading_ids,
        words: if text { count_words(&plain) } else { 0 },
        summary: sentences(&prose, SUMMARY_CHARS, false),
    }
}

/// How a note's headings get their ids: `<prefix>--<slug of the text>` or the id the writer
/// gave, made unique on the page. `export` names the headings of the Markdown it writes with
/// the same rule, so its anchors are the ones `build` makes.
pub(crate) struct HeadingIds<'a> {
    pub(crate) id_prefix: &'a str,
    pub(crate) fixed: &'a HashSet<String>,
    /// Ids this document already used.
    pub(crate) own: &'a mut HashSet<String>,
    /// What `#name` links in the document lead to: a heading's slug or given id → its id.
    pub(crate) by_name: &'a mut HashMap<String, String>,
}

impl HeadingIds<'_> {
    /// The id of the next heading, whose text is `text` and whose `{#id}` is `given`.
    pub(crate) fn claim(self, text: &str, given: Option<&str>) -> String {
        let slug = heading_slug(text);
        let wanted = match given {
            Some(given) => given.to_string(),
            None => format!("{}--{slug}", self.id_prefix),
        };
        let final_id = unique(wanted, self.fixed, self.own);
        self.by_name.entry(slug).or_insert_with(|| final_id.clone());
        if let Some(given) = given {
            self.by_name.insert(given.to_string(), final_id.clone());
        }
        final_id
    }
}

/// Writes a prepared document out for one page: heading levels for `place`, links for `env`.
pub fn emit(
    doc: &Prepared<'_>,
    markdown: &str,
    place: &Placement<'_>,
    env: &LinkEnv<'_>,
) -> Rendered {
    // Events are adjusted as they stream into the writer; the prepared ones stay as they are
    // for the next page.
    let mut links = Vec::new();
    let mut page_dependent = false;
    let mut headings = doc.headings.iter().peekable();
    let events = doc
        .events
        .iter()
        .zip(&doc.offsets)
        .enumerate()
        .map(|(i, (event, offset))| {
            let mut event = event.clone();
            if headings.next_if(|(at, _)| *at == i).is_some() {
                match &mut event {
                    Event::Start(Tag::Heading { level, .. })
                    | Event::End(TagEnd::Heading(level)) => {
                        *level = shift(*level, place);
                    }
                    _ => {}
                }
            }
            let image = matches!(event, Event::Start(Tag::Image { .. }));
            if let Event::Start(
                Tag::Link { dest_url: dest, .. } | Tag::Image { dest_url: dest, .. },
            ) = &mut event
                && let Some((href, target)) = resolve_link(dest, &doc.heading_ids, env)
            {
                page_dependent |= href != dest.as_ref();
                let (line, column) = position(markdown, *offset, env.body_line);
                links.push(NoteLink {
                    line,
                    column,
                    written: dest.to_string(),
                    href: href.clone(),
                    target,
                    image,
                });
                *dest = CowStr::from(href);
            }
            event
        })
        .collect::<Vec<_>>();
    // Only images' paths are wanted, in order.
    let images: Vec<String> = doc
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect();
    let events = if images.is_empty() {
        events
    } else {
        images::rewrite(events, &images, env.images)
    };
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        words: doc.words,
        links,
        page_dependent,
        summary: doc.summary.clone(),
        fingerprint: 0,
    }
}

/// A heading's part of its id, by GitHub's rule (so a link written for GitHub finds it):
/// lower case; letters, digits, `_` and `-` kept, spaces become `-`, everything else
/// dropped (`What's new?` → `whats-new`). A heading with nothing left is `heading`.
pub fn heading_slug(text: &str) -> String {
    let slug: String = text
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            // Combining marks stay with their letter.
            '\u{300}'..='\u{36f}' => Some(c),
            _ => None,
        })
        .collect();
    if slug.is_empty() {
        "heading".into()
    } else {
        slug
    }
}

/// Takes every HTML comment out of the raw HTML of a note (a comment may span several HTML
/// events, one per line): a note's comments are the writer's, never the reader's. Events are
/// emptied, not removed, so positions stay in step with the offsets.
fn strip_comments(events: &mut [Event<'_>]) {
    let mut in_comment = false;
    for e in events.iter_mut() {
        let (Event::Html(raw) | Event::InlineHtml(raw)) = e else {
            continue;
        };
        if !in_comment && !raw.contains("<!--") {
            continue;
        }
        let mut kept = String::new();
        let mut rest: &str = raw;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(start) => {
                        kept.push_str(&rest[..start]);
                        rest = &rest[start + 4..];
                        in_comment = true;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        *raw = CowStr::from(kept);
    }
}

/// How long a summary (a page's description) may be, in characters.
const SUMMARY_CHARS: usize = 160;

/// The note's prose, for summaries: its paragraphs and lists, without headings, code, image
/// alt text, tables or footnotes (a description reads as sentences, not as `fn main()`).
fn prose(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    let mut hidden = 0usize;
    for e in events {
        match e {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock,
            ) => hidden += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => {
                hidden = hidden.saturating_sub(1);
                out.push(' ');
            }
            Event::Text(t) if hidden == 0 => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_)) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Whole sentences of `text` that fit in `max` characters (only the first, if `first`); a
/// first sentence longer than that is cut after a word, with an ellipsis.
pub fn sentences(text: &str, max: usize, first: bool) -> String {
    // Only the words that fit are looked at (and one more): a note's prose is long, its
    // summary short.
    let mut words = text.split_whitespace().peekable();
    let mut taken: Vec<&str> = Vec::new();
    let mut len = 0;
    let mut sentence_end = None;
    let mut unfit = None;
    while let Some(w) = words.next() {
        let next = len + usize::from(!taken.is_empty()) + w.chars().count();
        if next > max {
            unfit = Some(w);
            break;
        }
        len = next;
        taken.push(w);
        if ends_sentence(w, words.peek().copied()) {
            sentence_end = Some(taken.len());
            if first {
                break;
            }
        }
    }
    if let Some(end) = sentence_end {
        return taken[..end].join(" ");
    }
    let Some(unfit) = unfit else {
        return taken.join(" ");
    };
    // Not one sentence fits: cut after a word (the first one, if even that is too long).
    if taken.is_empty() {
        taken.push(unfit);
    }
    if let Some(last) = taken.last_mut() {
        *last = last.trim_end_matches([',', '.', ';', ':', '–', '—', '-']);
    }
    let mut s = taken.join(" ");
    s.push('…');
    s
}

/// Whether `word` ends a sentence: it ends in `.`, `!`, `?` or `…` (before closing quotes
/// or brackets) and no word follows, or the next starts with a capital or a digit ("e.g."
/// before a small letter does not end one).
fn ends_sentence(word: &str, next: Option<&str>) -> bool {
    let bare = word.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»']);
    if !bare.ends_with(['.', '!', '?', '…']) {
        return false;
    }
    match next.and_then(|n| {
        n.trim_start_matches(['"', '\'', '(', '“', '‘', '«'])
            .chars()
            .next()
    }) {
        None => true,
        Some(c) => c.is_uppercase() || c.is_ascii_digit(),
    }
}

fn footnote_id(id_prefix: &str, label: &str) -> String {
    format!("{id_prefix}--fn--{label}")
}

/// `base`, or `base-2`, `base-3` …: the first that is neither fixed nor already used here.
fn unique(base: String, fixed: &HashSet<String>, own: &mut HashSet<String>) -> String {
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !fixed.contains(id) && own.insert(id.clone()))
        .unwrap_or(base)
}

/// Words: runs of non-space characters holding at least one letter or digit (any non-ASCII
/// character counts as a letter, except the punctuation block U+2000–U+206F: dashes, quotes,
/// bullets). Byte-wise, because it runs over every note; most words start with a letter, so
/// the check usually ends at their first byte.
pub fn count_words(text: &str) -> usize {
    // One pass over the bytes: once a word has its letter, only its end is looked for.
    let bytes = text.as_bytes();
    let (mut count, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let mut lettered = false;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_whitespace() {
                break;
            }
            if !lettered {
                if b == 0xE2 && matches!(bytes.get(i + 1), Some(0x80 | 0x81)) {
                    i += 3;
                    continue;
                }
                lettered = b.is_ascii_alphanumeric() || b >= 0x80;
            }
            i += 1;
        }
        count += usize::from(lettered);
    }
    count
}

fn shift(level: HeadingLevel, place: &Placement<'_>) -> HeadingLevel {
    let n = (level as u8 + place.shift).clamp(place.min_level, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests;
