//! Model stage: parsed notes become the post: days in order, talks ordered within each day,
//! unique slugs, drafts dropped. Pure and deterministic; every problem found is reported.
//!
//! `serve` models the site on every edit: a [`Memo`] keeps the last run's talks by the very
//! (shared) parsed note each was made from, so an unchanged note's talk is the same `Arc`
//! again, and the slugs of the last run when the titles in reading order are the same.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::parse::types::{ClockTime, Date, DayRef, Link, Speaker};
use crate::parse::{self, ParsedPage, ParsedTalk};

mod memo;
mod urls;
pub use memo::Memo;
use memo::{Kept, Placed, modelled_before, slugs};
pub use urls::{BadUrl, check_url, is_external};

/// The whole post.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub base_url: String,
    pub intro: Option<ParsedPage>,
    pub outro: Option<ParsedPage>,
    pub days: Vec<Day>,
    /// Notes left out as drafts (paths relative to the site root), so that a link to one can
    /// say why it leads nowhere.
    pub drafts: Vec<PathBuf>,
    /// Notes with no text left out by `unwritten: hide` (as `drafts`).
    pub hidden: Vec<PathBuf>,
    /// The sizes of the site's images (its `static/` files), set by the builder.
    pub images: std::sync::Arc<crate::images::Sizes>,
}

impl Site {
    /// Every id the page uses before any Markdown is rendered: the page's own, the days'
    /// and the talks'. Ids made from headings in the notes must avoid all of them.
    pub fn fixed_ids(&self) -> HashSet<String> {
        let mut ids: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
        for day in &self.days {
            ids.insert(day.id.clone());
            ids.extend(day.talks.iter().map(|t| t.slug.clone()));
        }
        ids
    }
}

#[derive(Debug)]
pub struct Day {
    pub number: u32,
    /// `day-N`: the day's anchor.
    pub id: String,
    pub date: Date,
    pub title: Option<String>,
    pub lead: Option<ParsedPage>,
    /// Shared: `serve` hands on an unchanged note's talk as the very same value.
    pub talks: Vec<Arc<Talk>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Talk {
    #[serde(skip)]
    pub path: PathBuf,
    /// Path relative to the site root.
    #[serde(skip)]
    pub rel: PathBuf,
    #[serde(skip)]
    pub body_line: usize,
    /// Unique across the site; the talk's anchor.
    pub slug: String,
    pub title: String,
    pub speakers: Vec<Speaker>,
    pub day: u32,
    pub start: Option<ClockTime>,
    pub end: Option<ClockTime>,
    pub duration: Option<u32>,
    pub room: Option<String>,
    pub track: Option<String>,
    pub tags: Vec<String>,
    pub recommended: bool,
    /// 1 to 5 stars.
    pub rating: Option<u8>,
    pub video: Option<String>,
    pub slides: Option<String>,
    /// The talk page's cover image (see `Config::image`), and its text alternative.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub links: Vec<Link>,
    pub id: Option<String>,
    pub extra: Option<serde_json::Value>,
    pub draft: bool,
    /// The note has no text yet (empty, or only comments): not a section of the post.
    pub unwritten: bool,
    #[serde(skip)]
    pub body: std::sync::Arc<str>,
}

/// What the model stage is given.
pub struct Parsed<'a> {
    pub intro: Option<ParsedPage>,
    pub outro: Option<ParsedPage>,
    pub days: Vec<(u32, ParsedPage)>,
    /// In path order (which is the order of talks that start at the same time).
    pub talks: Notes<'a>,
}

/// The parsed notes given to [`assemble`].
pub enum Notes<'a> {
    /// A one-shot build's: each becomes its talk without a copy.
    Owned(Vec<Arc<ParsedTalk>>),
    /// Kept by the caller for the next build (`serve`): only a note that is new since the
    /// last build (`Memo`) is looked at, and an unchanged one is not even touched.
    Shared(&'a [Arc<ParsedTalk>]),
}

impl Notes<'_> {
    fn len(&self) -> usize {
        match self {
            Notes::Owned(v) => v.len(),
            Notes::Shared(v) => v.len(),
        }
    }
}

/// Ids the page itself uses; a talk whose slug would clash gets a suffix.
pub const RESERVED_IDS: &[&str] = &["intro", "outro", "contents", "main", "top", "post", "picks"];

pub fn assemble(
    config: Config,
    base_url: String,
    parsed: Parsed,
    drafts: bool,
    mut memo: Option<&mut Memo>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let day_dates: Vec<Date> = config.event.days.value.iter().map(|d| d.date).collect();
    let mut days: Vec<Day> = config
        .event
        .days
        .value
        .iter()
        .zip(1..)
        .map(|(d, number)| Day {
            number,
            id: format!("day-{number}"),
            date: d.date,
            title: d.title.clone(),
            lead: None,
            talks: Vec::new(),
        })
        .collect();

    for (n, page) in parsed.days {
        match days.get_mut(n as usize - 1) {
            Some(day) => {
                if let Some(t) = &page.meta.title {
                    day.title = Some(t.clone());
                }
                day.lead = Some(page);
            }
            None => problems.push(
                Diagnostic::new(&page.path, format!("there is no day {n}"))
                    .help(days_help(&day_dates)),
            ),
        }
    }

    let hide = config.unwritten == crate::config::Unwritten::Hide;
    let context = (day_dates.clone(), config.event.day_change);
    let mut last = match memo.as_deref_mut() {
        Some(m) if m.context == context => std::mem::take(&mut m.talks),
        _ => Vec::new(),
    }
    .into_iter()
    .peekable();
    let mut by_day: Vec<Vec<Placed>> = days.iter().map(|_| Vec::new()).collect();
    let (mut left_out, mut hidden, mut with_ids) = (Vec::new(), Vec::new(), Vec::new());
    // Every talk modelled, in path order (the memo's entries, `serve`).
    let mut pool: Vec<Kept> = Vec::with_capacity(parsed.talks.len());
    let (owned, shared) = match parsed.talks {
        Notes::Owned(v) => (v, &[][..]),
        Notes::Shared(v) => (Vec::new(), v),
    };
    let notes = (owned.into_iter().map(std::borrow::Cow::Owned))
        .chain(shared.iter().map(std::borrow::Cow::Borrowed));
    for p in notes {
        let before = modelled_before(&mut last, &p);
        let (draft, unwritten, id) = match &before {
            Some(k) => (k.draft, k.unwritten, k.id),
            None => (p.meta.draft, is_unwritten(&p.body), p.meta.id.is_some()),
        };
        let draft_left_out = draft && !drafts;
        if draft_left_out || (hide && unwritten) {
            match draft_left_out {
                true => left_out.push(p.rel.clone()),
                false => hidden.push(p.rel.clone()),
            }
            continue;
        }
        if id {
            with_ids.push(Arc::clone(&p));
        }
        let k = match before {
            Some(k) => k,
            None => {
                let note = memo.is_some().then(|| Arc::clone(&p));
                // Shared with the parse cache (`serve`): a copy; else the note itself.
                let owned = match p {
                    std::borrow::Cow::Owned(p) => {
                        Arc::try_unwrap(p).unwrap_or_else(|p| ParsedTalk::clone(&p))
                    }
                    std::borrow::Cow::Borrowed(p) => ParsedTalk::clone(p),
                };
                let Some(t) = talk(owned, &day_dates, &config, &mut problems) else {
                    continue;
                };
                Kept {
                    note,
                    day: t.day,
                    start: t.start,
                    draft,
                    unwritten,
                    id,
                    talk: Arc::new(t),
                }
            }
        };
        by_day[k.day as usize - 1].push(Placed {
            slot: pool.len(),
            start: k.start,
        });
        pool.push(k);
    }
    check_ids(&with_ids, &mut problems);
    if !problems.is_empty() {
        if let Some(m) = memo {
            (m.talks, m.context) = (pool, context);
        }
        return Err(problems);
    }

    // Order: by start within the conference day (after-midnight talks last when the day
    // changes later than midnight; untimed talks last), then by file name: the notes come
    // in path order, and the sort is stable.
    // (A memo keeps the last run's sort: placements compared by value, 10,000 of them in
    // one pass, instead of sorting them again.)
    let change = config.event.day_change;
    let kept_sort = memo
        .as_deref_mut()
        .and_then(|m| m.sorted.take())
        .filter(|(c, before, _)| *c == change && *before == by_day);
    let unsorted = match kept_sort {
        Some((_, before, after)) => {
            by_day = after;
            Some(before)
        }
        None => {
            let before = memo.is_some().then(|| by_day.clone());
            for talks in &mut by_day {
                talks.sort_by_key(|p| {
                    let start = p.start.map(|s| config.day_time(s).0);
                    (start.is_none(), start)
                });
            }
            before
        }
    };
    let reading = || by_day.iter().flatten().map(|p| p.slot);
    let rename = |pool: &mut [Kept], slot: usize, slug: &str| {
        let talk = &mut pool[slot].talk;
        if talk.slug != slug {
            Arc::make_mut(talk).slug = slug.to_string();
        }
    };
    match slugs(&by_day, &pool, memo.as_deref()) {
        Some(fresh) => {
            for (at, slug) in reading().zip(fresh) {
                rename(&mut pool, at, &slug);
            }
        }
        None => {
            let last_order = memo.as_deref().map_or(&[][..], |m| &m.order.0[..]);
            for (at, l) in reading().zip(last_order) {
                if !Arc::ptr_eq(&pool[at].talk, l) {
                    rename(&mut pool, at, &l.slug);
                }
            }
        }
    }
    match memo {
        Some(m) => {
            for (day, talks) in days.iter_mut().zip(&by_day) {
                day.talks = talks.iter().map(|p| pool[p.slot].talk.clone()).collect();
            }
            // In place: an unchanged talk's count is not touched (nor its memory read).
            let order = &mut m.order.0;
            let reading = days.iter().flat_map(|d| &d.talks);
            order.truncate(reading.clone().count());
            for (i, t) in reading.enumerate() {
                match order.get_mut(i) {
                    Some(o) if Arc::ptr_eq(o, t) => {}
                    Some(o) => *o = t.clone(),
                    None => order.push(t.clone()),
                }
            }
            m.order.1 = days.len();
            (m.talks, m.context) = (pool, context);
            m.sorted = unsorted.map(|before| (change, before, by_day));
        }
        None => {
            let mut talks: Vec<Option<Arc<Talk>>> =
                pool.into_iter().map(|k| Some(k.talk)).collect();
            for (day, placed) in days.iter_mut().zip(&by_day) {
                day.talks = placed.iter().filter_map(|p| talks[p.slot].take()).collect();
            }
        }
    }
    Ok(Site {
        config,
        base_url,
        intro: parsed.intro,
        outro: parsed.outro,
        days,
        drafts: left_out,
        hidden,
        images: Default::default(),
    })
}

/// Two notes with one `id` (`talks`: the notes shown that have one, in path order): a
/// problem at the second.
fn check_ids(talks: &[Arc<ParsedTalk>], problems: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, &Path> = HashMap::new();
    for p in talks {
        let Some(id) = &p.meta.id else { continue };
        if let Some(first) = ids.insert(&id.value, &p.path) {
            let (l, c) = parse::file_pos(&id.referenced, p.yaml_line);
            problems.push(
                Diagnostic::new(
                    &p.path,
                    format!("the id `{}` is also used by {}", id.value, first.display()),
                )
                .at(l, c)
                .help("give each note its own `id`, or remove it"),
            );
        }
    }
}

/// Whether a note's body has no text: only white space and HTML comments.
pub fn is_unwritten(body: &str) -> bool {
    let mut rest = body;
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix("<!--") {
            Some(comment) => match comment.find("-->") {
                Some(end) => rest = &comment[end + 3..],
                None => return true,
            },
            None => return rest.is_empty(),
        }
    }
}

fn days_help(dates: &[Date]) -> String {
    let list = dates
        .iter()
        .map(Date::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    format!("summit.yaml defines days 1 to {} ({list})", dates.len())
}

/// Checks one note and resolves its day; `None` (with problems pushed) if it is unusable.
fn talk(
    p: ParsedTalk,
    day_dates: &[Date],
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> Option<Talk> {
    let before = problems.len();
    let m = p.meta;
    let at = |loc: &serde_saphyr::Location| parse::file_pos(loc, p.yaml_line);
    let mut problem = |loc: &serde_saphyr::Location, msg: String, help: String| {
        let (l, c) = at(loc);
        problems.push(Diagnostic::new(&p.path, msg).at(l, c).help(help));
    };

    let title = m.title.value.trim().to_string();
    if title.is_empty() {
        problem(
            &m.title.referenced,
            "`title` is empty".into(),
            "give the talk its title".into(),
        );
    }
    let day = match m.day.value {
        DayRef::Number(n) if (n as usize) <= day_dates.len() => Some(n),
        DayRef::Number(n) => {
            problem(
                &m.day.referenced,
                format!("day {n} does not exist"),
                days_help(day_dates),
            );
            None
        }
        DayRef::Date(d) => match day_dates.iter().position(|x| *x == d) {
            Some(i) => Some(i as u32 + 1),
            None => {
                problem(
                    &m.day.referenced,
                    format!("{d} is not a day of the event"),
                    days_help(day_dates),
                );
                None
            }
        },
    };
    let mut end = m.end.as_ref().map(|e| e.value);
    match (&m.duration, &m.end, m.start) {
        (Some(_), Some(e), _) => problem(
            &e.referenced,
            "both `duration` and `end` are set".into(),
            "keep one of them".into(),
        ),
        (None, Some(e), None) => problem(
            &e.referenced,
            "`end` is set but `start` is not".into(),
            "add `start: \"HH:MM\"`".into(),
        ),
        // Minutes into the conference day: with `day_change`, 00:30 comes after 23:30.
        (None, Some(e), Some(s)) if config.day_time(e.value).0 <= config.day_time(s).0 => problem(
            &e.referenced,
            format!("`end` ({}) is not after `start` ({s})", e.value),
            if config.event.day_change.is_none() && e.value < s {
                "check the times; a talk that runs past midnight needs `event.day_change` in summit.yaml (e.g. \"04:00\")".into()
            } else {
                "check the times".into()
            },
        ),
        (Some(d), None, Some(s)) => end = Some(ClockTime::from_minutes(s.minutes() + d.value.0)),
        _ => {}
    }
    let duration = match (m.duration.as_ref(), m.start, end) {
        (Some(d), _, _) => Some(d.value.0),
        (None, Some(s), Some(e)) => Some(config.day_time(e).0.saturating_sub(config.day_time(s).0)),
        _ => None,
    };
    // `image` is checked with the site's images (`images::check_covers`).
    for (name, url) in [("video", &m.video), ("slides", &m.slides)] {
        if let Some(u) = url
            && let Err(bad) = check_url(&u.value)
        {
            problem(&u.referenced, format!("`{name}` {}", bad.why), bad.help);
        }
    }
    for link in &m.links {
        if let Err(bad) = check_url(&link.value.url) {
            problem(
                &link.referenced,
                format!("link `{}` {}", link.value.title, bad.why),
                bad.help,
            );
        }
    }
    for s in &m.speakers.value.0 {
        if let Some(u) = &s.url
            && let Err(bad) = check_url(u)
        {
            problem(
                &m.speakers.referenced,
                format!("speaker {}'s url {}", s.name, bad.why),
                bad.help,
            );
        }
    }
    if problems.len() > before {
        return None;
    }
    Some(Talk {
        path: p.path,
        rel: p.rel,
        body_line: p.body_line,
        slug: String::new(),
        title,
        speakers: m.speakers.value.0,
        day: day?,
        start: m.start,
        end,
        duration,
        room: m.room,
        track: m.track,
        tags: m.tags.0,
        recommended: m.recommended,
        rating: m.rating.map(|r| r.0),
        video: m.video.map(|v| v.value),
        slides: m.slides.map(|v| v.value),
        image: m.image.map(|v| v.value),
        image_alt: m.image_alt,
        links: m.links.into_iter().map(|l| l.value).collect(),
        id: m.id.map(|i| i.value),
        extra: m.extra,
        draft: m.draft,
        unwritten: is_unwritten(&p.body),
        body: p.body,
    })
}

/// Slugs are at most this many bytes: they become file and folder names (`talks/SLUG/`,
/// `content/talks/day-N/SLUG.md`) and anchors, and every command must agree on them. Far
/// below the 255 bytes a file name may have, and above the longest slug of a real title in
/// the example (93 bytes), which keeps its slug.
pub const MAX_SLUG: usize = 100;

/// ASCII slug: lower case, Danish/German letters spelled out, other runs become `-`.
/// A slug longer than [`MAX_SLUG`] bytes is cut after a whole word and ends in `-` and six hex
/// digits of a hash of the whole slug, so two long titles that start alike stay apart; a
/// shorter one is left as it is.
pub fn slugify(text: &str) -> String {
    cap(full_slug(text))
}

fn full_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let spelled: &str = match ch {
            'æ' => "ae",
            'ø' | 'ö' => "oe",
            'å' => "aa",
            'ä' => "ae",
            'ü' => "ue",
            'ß' => "ss",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'á' | 'à' | 'â' => "a",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' => "n",
            'ç' => "c",
            c if c.is_ascii_alphanumeric() => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c);
                continue;
            }
            _ => {
                dash = true;
                continue;
            }
        };
        if dash && !out.is_empty() {
            out.push('-');
        }
        dash = false;
        out.push_str(spelled);
    }
    if out.is_empty() { "talk".into() } else { out }
}

/// `slug` itself if it fits in [`MAX_SLUG`] bytes; else its words up to
/// `MAX_SLUG - 7` bytes, `-`, and six hex digits of its FNV-1a hash. The hash is of the whole
/// slug (not the title), so titles that slugify alike still do after the cut.
fn cap(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let room = MAX_SLUG - 7;
    // The slug is ASCII, so every byte index is a character boundary.
    let head = &slug[..room];
    let head = match slug.as_bytes()[room] {
        b'-' => head,
        _ => head.rsplit_once('-').map_or(head, |(words, _)| words),
    };
    format!("{head}-{:06x}", fnv1a(slug.as_bytes()) & 0xff_ffff)
}

/// 32-bit FNV-1a: stable across runs, platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Hands out unique names in the order asked: `base`, else `base-2`, `base-3` … (the first
/// that is free). Remembers the last number given per base, so N equal bases cost O(N), not
/// O(N²); the names are the same as trying 2, 3, … from the start each time, since a name once
/// taken stays taken.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
    next: HashMap<String, u32>,
}

impl UniqueNames {
    /// `taken` are names already in use (never handed out).
    pub fn new(taken: impl IntoIterator<Item = String>) -> Self {
        UniqueNames {
            taken: taken.into_iter().collect(),
            next: HashMap::new(),
        }
    }

    /// `base`, or `base-N` for the smallest N ≥ 2 that is free; marks it taken.
    pub fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        loop {
            let name = format!("{base}-{n}");
            n += 1;
            if self.taken.insert(name.clone()) {
                self.next.insert(base, n);
                return name;
            }
        }
    }
}

/// `base`, or `base-2`, `base-3` … whichever is free, trying each: the reference that
/// [`UniqueNames`] is tested against.
#[cfg(test)]
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| taken.insert(s.clone()))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (title, slug) in [
            (
                "Apache Kafka and ksqlDB in Action: Let's Build a Streaming Data Pipeline!",
                "apache-kafka-and-ksqldb-in-action-let-s-build-a-streaming-data-pipeline",
            ),
            (
                "Can Kafka Handle a Lyft Ride?",
                "can-kafka-handle-a-lyft-ride",
            ),
            ("Æbler på én ø", "aebler-paa-en-oe"),
            ("  --  ", "talk"),
            ("<script>", "script"),
        ] {
            assert_eq!(slugify(title), slug);
        }
    }

    #[test]
    fn long_slugs_are_cut_at_a_word_and_keep_a_hash_of_the_whole() {
        let title = "word ".repeat(60);
        let slug = slugify(&title);
        // 18 whole words (89 bytes), `-`, then the hash of all 60.
        let hash = fnv1a(full_slug(&title).as_bytes()) & 0xff_ffff;
        assert_eq!(slug, format!("{}-{hash:06x}", ["word"; 18].join("-")));
        assert_eq!(slug.len(), 96);
        // Same first 100 bytes, different ends: different slugs.
        let other = slugify(&format!("{title} and more"));
        assert_ne!(slug, other);
        assert_eq!(slug[..90], other[..90]);
        assert!(other.len() <= MAX_SLUG);
        // One word longer than the cap is cut inside it.
        let word = slugify(&"x".repeat(300));
        assert_eq!(
            word,
            format!(
                "{}-{:06x}",
                "x".repeat(93),
                fnv1a("x".repeat(300).as_bytes()) & 0xff_ffff
            )
        );
        // Exactly MAX_SLUG bytes: unchanged.
        assert_eq!(slugify(&"y".repeat(MAX_SLUG)), "y".repeat(MAX_SLUG));
        // The hash is fixed (not seeded per run): FNV-1a of "a" is e40c292c.
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
    }

    #[test]
    fn unique_slugs() {
        let mut taken = HashSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a-2");
        assert_eq!(unique("a".into(), &mut taken), "a-3");
    }

    #[test]
    fn unique_names_match_trying_every_number() {
        let mut names = UniqueNames::new(["a-3".to_string(), "top".to_string()]);
        let mut taken: HashSet<String> = ["a-3".to_string(), "top".to_string()].into();
        for base in ["a", "a", "a-2", "a", "top", "a", "b", "top", "a-2"] {
            assert_eq!(
                names.claim(base.into()),
                unique(base.into(), &mut taken),
                "{base}"
            );
        }
        assert_eq!(names.claim("a".into()), "a-6");
    }

    #[test]
    fn unwritten_notes() {
        for body in [
            "",
            "\n\n",
            "<!-- Write here -->\n",
            "<!-- a -->\n<!-- b",
            " <!--x--> ",
        ] {
            assert!(is_unwritten(body), "{body:?}");
        }
        for body in ["x", "<!-- a --> x", "<p></p>"] {
            assert!(!is_unwritten(body), "{body:?}");
        }
    }
}
