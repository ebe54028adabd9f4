//! Model stage: parsed notes become the post: days in order, talks ordered within each day,
//! unique slugs, drafts dropped. Pure and deterministic; every problem found is reported.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::parse::types::{ClockTime, Date, DayRef, Link, Speaker};
use crate::parse::{self, ParsedPage, ParsedTalk};

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
    pub talks: Vec<Talk>,
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
    pub video: Option<String>,
    pub slides: Option<String>,
    pub links: Vec<Link>,
    pub id: Option<String>,
    pub extra: Option<serde_json::Value>,
    pub draft: bool,
    #[serde(skip)]
    pub body: String,
}

/// What the model stage is given.
pub struct Parsed {
    pub intro: Option<ParsedPage>,
    pub outro: Option<ParsedPage>,
    pub days: Vec<(u32, ParsedPage)>,
    pub talks: Vec<ParsedTalk>,
}

/// Ids the page itself uses; a talk whose slug would clash gets a suffix.
pub const RESERVED_IDS: &[&str] = &["intro", "outro", "contents", "main", "top", "post"];

pub fn assemble(
    config: Config,
    base_url: String,
    parsed: Parsed,
    drafts: bool,
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

    let mut ids: HashMap<String, PathBuf> = HashMap::new();
    let mut left_out = Vec::new();
    for p in parsed.talks {
        if p.meta.draft && !drafts {
            left_out.push(p.rel);
            continue;
        }
        match talk(p, &day_dates, &mut problems) {
            Some(t) => {
                if let Some(id) = &t.id
                    && let Some(first) = ids.insert(id.clone(), t.path.clone())
                {
                    problems.push(
                        Diagnostic::new(
                            &t.path,
                            format!("the id `{id}` is also used by {}", first.display()),
                        )
                        .help("give each note its own `id`, or remove it"),
                    );
                }
                let i = t.day as usize - 1;
                days[i].talks.push(t);
            }
            None => continue,
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Order: by start within the conference day (after-midnight talks last when the day
    // changes later than midnight; untimed talks last), then by file name.
    for day in &mut days {
        day.talks.sort_by_cached_key(|t| {
            let start = t.start.map(|s| config.day_time(s).0);
            (start.is_none(), start, t.path.clone())
        });
    }
    // Slugs: unique across the page, in reading order.
    let mut taken: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    taken.extend(days.iter().map(|d| d.id.clone()));
    for day in &mut days {
        for t in &mut day.talks {
            t.slug = unique(slugify(&t.title), &mut taken);
        }
    }
    Ok(Site {
        config,
        base_url,
        intro: parsed.intro,
        outro: parsed.outro,
        days,
        drafts: left_out,
    })
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
fn talk(p: ParsedTalk, day_dates: &[Date], problems: &mut Vec<Diagnostic>) -> Option<Talk> {
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
        (None, Some(e), Some(s)) if e.value <= s => problem(
            &e.referenced,
            format!("`end` ({}) is not after `start` ({s})", e.value),
            "check the times".into(),
        ),
        (Some(d), None, Some(s)) => end = Some(ClockTime::from_minutes(s.minutes() + d.value.0)),
        _ => {}
    }
    let duration = match (m.duration.as_ref(), m.start, end) {
        (Some(d), _, _) => Some(d.value.0),
        (None, Some(s), Some(e)) => Some(e.minutes().saturating_sub(s.minutes())),
        _ => None,
    };
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
        video: m.video.map(|v| v.value),
        slides: m.slides.map(|v| v.value),
        links: m.links.into_iter().map(|l| l.value).collect(),
        id: m.id,
        extra: m.extra,
        draft: m.draft,
        body: p.body,
    })
}

const URL_HELP: &str = "use an http:// or https:// address, or a path on this site";

/// Whether `url` leads off the site: it has a scheme (`https:`, `mailto:`) or is
/// protocol-relative (`//host/…`). Anything else is a path on the site or an `#anchor`.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '?', '#']))
}

/// A front-matter link that cannot be used, and how to fix it.
pub struct BadUrl {
    pub why: String,
    pub help: String,
}

/// Links in front matter must be http(s), mailto, or relative: never `javascript:` and the like.
/// A web address written without its scheme (`www.youtube.com/…`, `youtu.be/…`) would be a
/// path on this site, so it is refused too, with the address to write instead.
pub fn check_url(url: &str) -> Result<(), BadUrl> {
    let url = url.trim();
    let bad = |why: String| {
        Err(BadUrl {
            why,
            help: URL_HELP.into(),
        })
    };
    if url.is_empty() {
        return bad("is empty".into());
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end {
        Some(i) if i < path_start => {
            let scheme = url[..i].to_ascii_lowercase();
            if matches!(scheme.as_str(), "http" | "https" | "mailto") {
                Ok(())
            } else {
                bad(format!("uses the scheme `{scheme}:`, which is not allowed"))
            }
        }
        _ if looks_like_a_host(&url[..path_start]) => Err(BadUrl {
            why: format!("`{url}` has no `https://`, so it would be a path on this site"),
            help: format!("write `https://{url}`"),
        }),
        _ => Ok(()),
    }
}

/// `www.example.org`, `youtu.be`, `vimeo.com`: a host name, not a file of the site (files
/// end in `.pdf`, `.png`, …; host names in a top-level domain).
fn looks_like_a_host(first_segment: &str) -> bool {
    const DOMAINS: &[&str] = &[
        "com", "org", "net", "io", "dev", "be", "tv", "co", "app", "info", "me", "ly", "gg", "eu",
        "uk", "de", "dk", "se", "no", "nl", "fr",
    ];
    let lower = first_segment.to_ascii_lowercase();
    if lower.starts_with("www.") {
        return true;
    }
    match lower.rsplit_once('.') {
        Some((name, tld)) => !name.is_empty() && DOMAINS.contains(&tld),
        None => false,
    }
}

/// ASCII slug: lower case, Danish/German letters spelled out, other runs become `-`.
pub fn slugify(text: &str) -> String {
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
    if out.len() > MAX_SLUG {
        // The slug names a folder (`talks/<slug>/`) and a file (`import`, `new`): keep it far
        // below file systems' 255-byte limit, cut at a word where one is near.
        out.truncate(MAX_SLUG);
        if let Some(dash) = out.rfind('-').filter(|d| *d >= MAX_SLUG / 2) {
            out.truncate(dash);
        }
    }
    if out.is_empty() { "talk".into() } else { out }
}

/// The longest slug [`slugify`] makes (it is ASCII: bytes are characters).
pub const MAX_SLUG: usize = 80;

/// `base`, or `base-2`, `base-3` … whichever is free; marks it taken.
pub fn unique(base: String, taken: &mut HashSet<String>) -> String {
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
    fn a_long_title_gets_a_slug_short_enough_for_a_file_name() {
        let words = "word ".repeat(100);
        let slug = slugify(&words);
        assert!(slug.len() <= MAX_SLUG, "{}", slug.len());
        assert!(
            slug.starts_with("word-word") && slug.ends_with("word"),
            "{slug}"
        );
        let one_word = slugify(&"x".repeat(300));
        assert_eq!(one_word, "x".repeat(MAX_SLUG));
    }

    #[test]
    fn unique_slugs() {
        let mut taken = HashSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a-2");
        assert_eq!(unique("a".into(), &mut taken), "a-3");
    }

    #[test]
    fn urls() {
        for ok in [
            "https://x.org/a",
            "http://x",
            "mailto:a@b.c",
            "/talks/a/",
            "../x.md",
            "#a",
            "a/b:c",
            "slides.pdf",
            "img/a.png",
            "talks/a.b/",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            " ",
            "vbscript:x",
            "www.youtube.com/watch?v=1",
            "youtu.be/abc",
            "vimeo.com/123",
            "WWW.example.org",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
