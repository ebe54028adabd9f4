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
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::*;

    const TALK: Placement<'static> = Placement {
        id_prefix: "talk",
        shift: 2,
        min_level: 4,
    };

    fn notes() -> HashMap<PathBuf, NoteTarget> {
        HashMap::from([
            (
                PathBuf::from("content/talks/day-2/other.md"),
                NoteTarget::Talk {
                    slug: "other".into(),
                    page: true,
                },
            ),
            (
                PathBuf::from("content/intro.md"),
                NoteTarget::Section {
                    anchor: "intro".into(),
                },
            ),
        ])
    }

    /// The page whose file in the recap is `file` (`index.html`, `talks/x/index.html`).
    fn at(file: &str) -> crate::route::Route<'_> {
        use crate::route::{Page, Route};
        let page = match file.strip_prefix("talks/") {
            Some(rest) => Page::Talk(rest.trim_end_matches("/index.html")),
            None => Page::Post,
        };
        Route { prefix: "", page }
    }

    fn render_on(md: &str, page: &str) -> Rendered {
        let notes = notes();
        let env = LinkEnv {
            source: Path::new("content/talks/day-1/talk.md"),
            body_line: 10,
            notes: &notes,
            page: at(page),
            id_prefix: "talk",
            blog: None,
            images: None,
        };
        to_html(md, &TALK, &HashSet::new(), &env, true)
    }

    fn render(md: &str) -> String {
        render_on(md, "index.html").html
    }

    #[test]
    fn headings_nest_and_get_unique_ids() {
        assert_eq!(
            render("## Hej verden"),
            "<h4 id=\"talk--hej-verden\">Hej verden</h4>\n"
        );
        assert_eq!(render("# Top"), "<h4 id=\"talk--top\">Top</h4>\n");
        assert_eq!(
            render("## A\n\n## A\n"),
            "<h4 id=\"talk--a\">A</h4>\n<h4 id=\"talk--a-2\">A</h4>\n"
        );
        assert_eq!(render("## A {#own}"), "<h4 id=\"own\">A</h4>\n");
    }

    #[test]
    fn ids_avoid_the_pages_own_ids() {
        let fixed = HashSet::from(["talk--a".to_string(), "own".to_string()]);
        let notes = notes();
        let env = LinkEnv {
            source: Path::new("t.md"),
            body_line: 1,
            notes: &notes,
            page: at("index.html"),
            id_prefix: "talk",
            blog: None,
            images: None,
        };
        let html = to_html("## A\n\n## B {#own}\n", &TALK, &fixed, &env, true).html;
        assert_eq!(
            html,
            "<h4 id=\"talk--a-2\">A</h4>\n<h4 id=\"own-2\">B</h4>\n"
        );
    }

    #[test]
    fn footnotes_are_prefixed() {
        let html = render("x[^1]\n\n[^1]: note\n");
        assert!(html.contains("href=\"#talk--fn--1\""), "{html}");
        assert!(html.contains("id=\"talk--fn--1\""), "{html}");
    }

    #[test]
    fn counts_words() {
        let r = render_on("Hej med *dig*, `kode` her.\n\n- et\n- to", "index.html");
        assert_eq!(r.words, 7);
    }

    #[test]
    fn links_between_notes_follow_the_page() {
        let md = "See [other](../day-2/other.md), [its part](../day-2/other.md#Why-it-works), [intro](/content/intro.md) and [below](#notes).\n\n## Notes\n";
        let post = render_on(md, "index.html");
        assert!(post.html.contains("href=\"#other\""), "{}", post.html);
        assert!(
            post.html.contains("href=\"#other--why-it-works\""),
            "{}",
            post.html
        );
        assert!(post.html.contains("href=\"#intro\""), "{}", post.html);
        assert!(post.html.contains("href=\"#talk--notes\""), "{}", post.html);
        let page = render_on(md, "talks/talk/index.html");
        assert!(
            page.html.contains("href=\"../../talks/other/#other\""),
            "{}",
            page.html
        );
        assert!(page.html.contains("href=\"../../#intro\""), "{}", page.html);
        assert!(page.html.contains("href=\"#talk--notes\""), "{}", page.html);
        assert_eq!(
            page.links[0].target,
            LinkTarget::Internal {
                file: "talks/other/index.html".into(),
                fragment: Some("other".into()),
                heading_of: None,
            }
        );
        assert_eq!((page.links[0].line, page.links[0].column), (10, 5));
    }

    #[test]
    fn site_paths_and_broken_links() {
        let r = render_on(
            "![d](img/d.png) [x](/files/x.pdf) [web](https://example.org) [gone](gone.md)\n[out](../../../../x.md)",
            "talks/talk/index.html",
        );
        assert!(r.html.contains("src=\"../../img/d.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../files/x.pdf\""), "{}", r.html);
        assert!(
            r.html.contains("href=\"https://example.org\""),
            "{}",
            r.html
        );
        let targets: Vec<_> = r.links.iter().map(|l| &l.target).collect();
        assert_eq!(targets.len(), 4, "{targets:?}");
        assert!(
            matches!(targets[2], LinkTarget::Broken(why) if why == "there is no note content/talks/day-1/gone.md")
        );
        assert!(matches!(targets[3], LinkTarget::Broken(why) if why == "it leads out of the site"));
        assert_eq!((r.links[3].line, r.links[3].column), (11, 1));
    }

    /// Starts a build of `cache` whose page has the `fixed` ids and no notes to link to.
    fn begin(cache: &mut Cache, fixed: HashSet<String>) {
        let signature = |out: &mut Vec<u8>| {
            let mut ids: Vec<&String> = fixed.iter().collect();
            ids.sort();
            for id in ids {
                out.extend_from_slice(id.as_bytes());
                out.push(0xff);
            }
        };
        let make = || (fixed.clone(), HashMap::new());
        let links = Links {
            signature: &signature,
            same_talks: true,
            make: &make,
        };
        cache.begin(links, true, None, Default::default());
    }

    #[test]
    fn cache_renders_again_only_on_change() {
        let mut cache = Cache::retaining();
        begin(&mut cache, HashSet::new());
        let job = |md: &'static str, page: &'static str| Job {
            markdown: md,
            shared: None,
            talk: None,
            place: Placement {
                id_prefix: "t",
                shift: 2,
                min_level: 4,
            },
            source: Path::new("t.md"),
            body_line: 1,
            page: at(page),
        };
        cache.render_all(&[job("## A", "index.html")]);
        assert_eq!(
            cache.get("t", "index.html").unwrap().html,
            "<h4 id=\"t--a\">A</h4>\n"
        );
        cache.render_all(&[job("## B", "index.html"), job("## B", "talks/t/index.html")]);
        assert_eq!(
            cache.get("t", "index.html").unwrap().html,
            "<h4 id=\"t--b\">B</h4>\n"
        );
        // Same shape, no page-dependent link: the talk page shows the post's rendering.
        assert_eq!(
            cache.get("t", "talks/t/index.html").unwrap().html,
            "<h4 id=\"t--b\">B</h4>\n"
        );
        begin(&mut cache, HashSet::from(["t--b".to_string()]));
        cache.render_all(&[job("## B", "index.html")]);
        assert_eq!(
            cache.get("t", "index.html").unwrap().html,
            "<h4 id=\"t--b-2\">B</h4>\n"
        );
    }

    /// A rebuild keeps a rendering made from the very same shared text without rendering
    /// it again, and finds each note's rendering by its prefix when the notes moved (a talk's
    /// time changed) since the last build, whose places it guesses from.
    #[test]
    fn kept_renderings_follow_their_notes_when_the_jobs_move() {
        let mut cache = Cache::retaining();
        begin(&mut cache, HashSet::new());
        let (a, b): (Arc<str>, Arc<str>) = ("## A".into(), "## B".into());
        fn job<'a>(text: &'a str, shared: &'a Arc<str>, id_prefix: &'a str) -> Job<'a> {
            Job {
                markdown: text,
                shared: Some(shared),
                talk: None,
                place: Placement {
                    id_prefix,
                    shift: 2,
                    min_level: 4,
                },
                source: Path::new("t.md"),
                body_line: 1,
                page: at("index.html"),
            }
        }
        let html = |cache: &Cache, at: usize| {
            let r = cache.shown(at)?;
            Some((r.html.clone(), r.html.as_ptr()))
        };
        cache.render_all(&[job("## A", &a, "a"), job("## B", &b, "b")]);
        let (first_a, first_b) = (html(&cache, 0), html(&cache, 1));
        assert_eq!(
            first_a.as_ref().map(|h| h.0.as_str()),
            Some("<h4 id=\"a--a\">A</h4>\n")
        );
        cache.render_all(&[job("## B", &b, "b"), job("## A", &a, "a")]);
        // The same renderings (not made again), each where its note now is.
        assert_eq!(html(&cache, 0), first_b);
        assert_eq!(html(&cache, 1), first_a);
        assert_eq!(
            cache.get("a", "index.html").map(|r| r.html.as_str()),
            Some("<h4 id=\"a--a\">A</h4>\n")
        );
        // A new text for `a`: rendered again.
        let a2: Arc<str> = "## A2".into();
        cache.render_all(&[job("## B", &b, "b"), job("## A2", &a2, "a")]);
        assert_eq!(html(&cache, 0), first_b);
        assert_eq!(
            html(&cache, 1).map(|h| h.0),
            Some("<h4 id=\"a--a2\">A2</h4>\n".to_string())
        );
    }

    /// A rendering is known fresh by the very talk its job was made from only for the same
    /// kind of page: with the intro gone and an outro new, every job moves one place back,
    /// and where the last build had the talk's section of the post is now the talk's page.
    #[test]
    fn a_talk_page_job_where_the_talks_post_job_was_is_shown_its_own_rendering() {
        let body: Arc<str> = "## A".into();
        let talk = Arc::new(crate::model::Talk {
            path: PathBuf::from("t.md"),
            rel: PathBuf::from("t.md"),
            body_line: 1,
            slug: "t".into(),
            title: "T".into(),
            speakers: Vec::new(),
            day: 1,
            start: None,
            end: None,
            duration: None,
            room: None,
            track: None,
            tags: Vec::new(),
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
            body: body.clone(),
        });
        let job = |page: &'static str, shift: u8, min_level: u8| Job {
            markdown: "## A",
            shared: Some(&body),
            talk: Some(&talk),
            place: Placement {
                id_prefix: "t",
                shift,
                min_level,
            },
            source: Path::new("t.md"),
            body_line: 1,
            page: at(page),
        };
        let page = |prefix: &'static str| Job {
            markdown: "Text.",
            shared: None,
            talk: None,
            place: Placement {
                id_prefix: prefix,
                shift: 1,
                min_level: 2,
            },
            source: Path::new("page.md"),
            body_line: 1,
            page: at("index.html"),
        };
        let mut cache = Cache::retaining();
        begin(&mut cache, HashSet::new());
        let (post, own) = ("<h4 id=\"t--a\">A</h4>\n", "<h2 id=\"t--a\">A</h2>\n");
        cache.render_all(&[
            page("intro"),
            job("index.html", 2, 4),
            job("talks/t/index.html", 0, 2),
        ]);
        let html = |cache: &Cache, at: usize| cache.shown(at).map(|r| r.html.clone());
        assert_eq!(html(&cache, 1).as_deref(), Some(post));
        assert_eq!(html(&cache, 2).as_deref(), Some(own));
        begin(&mut cache, HashSet::new());
        cache.render_all(&[
            job("index.html", 2, 4),
            job("talks/t/index.html", 0, 2),
            page("outro"),
        ]);
        assert_eq!(html(&cache, 0).as_deref(), Some(post));
        assert_eq!(html(&cache, 1).as_deref(), Some(own));
    }

    /// A one-shot build must not hold every talk page's copy of every note: each page is
    /// shown as it is rendered (with the post's rendering beside it), only the post's is
    /// kept, and nothing is kept once the render is done.
    #[test]
    fn a_one_shot_cache_keeps_only_the_posts_renderings_and_not_past_the_build() {
        let mut cache = Cache::default();
        begin(&mut cache, HashSet::new());
        let job = |page: &'static str, shift: u8, min_level: u8| Job {
            markdown: "## A",
            shared: None,
            talk: None,
            place: Placement {
                id_prefix: "t",
                shift,
                min_level,
            },
            source: Path::new("t.md"),
            body_line: 1,
            page: at(page),
        };
        // The talk page places headings differently: its own rendering.
        let jobs = [job("talks/t/index.html", 0, 2), job("index.html", 2, 4)];
        let shown = std::sync::Mutex::new(Vec::new());
        let show = |at: usize, page: &Rendered, post: Option<&Rendered>| {
            let post = post.map(|p| p.html.clone());
            let mut shown = shown.lock().unwrap_or_else(|e| e.into_inner());
            shown.push((at, page.html.clone(), post));
            Ok(false)
        };
        let fresh = cache.render(&jobs, Some(&show)).expect("renders");
        cache.insert(fresh, &jobs);
        assert_eq!(
            shown.into_inner().unwrap_or_else(|e| e.into_inner()),
            [(
                0,
                "<h2 id=\"t--a\">A</h2>\n".to_string(),
                Some("<h4 id=\"t--a\">A</h4>\n".to_string())
            )]
        );
        // The page's own rendering is gone; the post's stays for the post.
        let post = "<h4 id=\"t--a\">A</h4>\n";
        assert_eq!(
            cache
                .get("t", "talks/t/index.html")
                .map(|r| r.html.as_str()),
            Some(post)
        );
        assert_eq!(
            cache.get("t", "index.html").map(|r| r.html.as_str()),
            Some(post)
        );
        cache.end();
        assert!(cache.get("t", "index.html").is_none());

        // `serve` keeps everything, past the build too.
        let mut kept = Cache::retaining();
        begin(&mut kept, HashSet::new());
        kept.render_all(&jobs);
        kept.end();
        assert_eq!(
            kept.get("t", "talks/t/index.html").map(|r| r.html.as_str()),
            Some("<h2 id=\"t--a\">A</h2>\n")
        );
    }

    #[test]
    fn fenced_code_is_highlighted_with_classes() {
        let html = render("```rust\nfn main() { let s = \"<b>\"; }\n```\n");
        assert!(
            html.starts_with("<pre tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-"),
            "{html}"
        );
        assert!(html.ends_with("</code></pre>\n"), "{html}");
        assert!(
            html.contains("<span class=\"hl-keyword\">fn</span>"),
            "{html}"
        );
        assert!(html.contains("hl-string"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("style="), "{html}");
        // The same note gives the same bytes.
        assert_eq!(
            html,
            render("```rust\nfn main() { let s = \"<b>\"; }\n```\n")
        );
    }

    #[test]
    fn unknown_languages_and_plain_blocks_stay_plain() {
        assert_eq!(
            render("```nosuchlang\nif a < b && c {}\n```\n"),
            "<pre tabindex=\"0\"><code class=\"language-nosuchlang\">if a &lt; b &amp;&amp; c {}\n</code></pre>\n"
        );
        assert_eq!(
            render("```\n<x>\n```\n\n    indented\n"),
            "<pre tabindex=\"0\"><code>&lt;x&gt;\n</code></pre>\n<pre tabindex=\"0\"><code>indented\n</code></pre>\n"
        );
        assert_eq!(
            render("```\"x\" title=a\nq\n```\n"),
            "<pre tabindex=\"0\"><code class=\"language-&quot;x&quot;\">q\n</code></pre>\n"
        );
    }

    #[test]
    fn tables_scroll_on_their_own() {
        let html = render("| a |\n|---|\n| 1 |\n\nafter\n");
        assert!(
            html.starts_with("<div class=\"table-scroll\" tabindex=\"0\">\n<table>"),
            "{html}"
        );
        assert!(html.contains("</table>\n</div>\n<p>after</p>"), "{html}");
    }

    #[test]
    fn code_blocks_keep_links_and_headings_in_place() {
        // Rewriting blocks shifts event indices; headings and link positions must follow.
        let r = render_on(
            "```rust\nlet x = 1;\n```\n\n## After\n\n[a](#after)\n",
            "index.html",
        );
        assert!(
            r.html.contains("<h4 id=\"talk--after\">After</h4>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"#talk--after\""), "{}", r.html);
        assert_eq!((r.links[0].line, r.links[0].column), (16, 1));
        assert_eq!(r.words, 5);
    }

    #[test]
    fn word_count_ignores_punctuation_and_spans_unicode() {
        assert_eq!(count_words("Hej med dig , — æble 42 !"), 5);
        assert_eq!(count_words("  "), 0);
        assert_eq!(count_words("én"), 1);
        assert_eq!(count_words("a—b — … 3\t\n"), 2);
    }

    #[test]
    fn heading_slugs_follow_github() {
        for (text, slug) in [
            ("What's new", "whats-new"),
            ("What's new?", "whats-new"),
            ("A -- B", "a----b"),
            ("Æbler & pærer", "æbler--pærer"),
            ("snake_case Rocks", "snake_case-rocks"),
            ("!!!", "heading"),
        ] {
            assert_eq!(heading_slug(text), slug, "{text}");
        }
    }

    #[test]
    fn summaries_are_whole_sentences_of_prose() {
        assert_eq!(sentences("One. Two. Three.", 10, false), "One. Two.");
        assert_eq!(sentences("One. Two. Three.", 100, true), "One.");
        assert_eq!(
            sentences("See e.g. this. Next", 100, true),
            "See e.g. this."
        );
        assert_eq!(sentences("no end here at all", 12, false), "no end here…");
        assert_eq!(sentences("short", 100, false), "short");
        let r = render_on(
            "![alt text](a.png) Prose `code` here.\n\n## Heading\n\n```\nfn x\n```\n",
            "index.html",
        );
        assert_eq!(r.summary, "Prose here.");
    }

    #[test]
    fn comments_never_reach_the_page() {
        assert_eq!(
            render("a <!-- x --> b\n\n<!--\nmany\nlines\n-->\n\nc\n"),
            "<p>a  b</p>\n\n<p>c</p>\n"
        );
    }
}
