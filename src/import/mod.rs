//! `import`: a conference's published schedule becomes one note per talk.
//!
//! Each format has its own module that turns the file into one [`Schedule`] (event, days,
//! talks); the format is detected from the content, never from the file name. [`merge`] then
//! compares the schedule with the notes already in the site and decides, per talk, what to
//! write — never a note's body, never a field the writer set by hand.

pub mod c3voc_v2;
pub mod download;
mod edit;
mod files;
pub mod frab_json;
pub mod frab_xml;
pub mod ics;
mod ics_zone;
mod memory;
pub mod merge;
pub mod sessionize;
mod site;
mod text;

use std::path::Path;

use crate::error::Diagnostic;
use crate::parse::types::{ClockTime, Date};

/// A schedule, whatever format it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub format: &'static str,
    pub name: String,
    /// IANA name, when the schedule says.
    pub timezone: Option<String>,
    /// When a conference day ends (talks before it belong to the previous day), when the
    /// schedule says.
    pub day_change: Option<ClockTime>,
    /// The conference days, in order.
    pub days: Vec<Date>,
    pub talks: Vec<Entry>,
    /// Items skipped, with why (named by id and title), and other warnings.
    pub skipped: Vec<String>,
    /// Why the time zone is not known: shown only while summit.yaml names none.
    pub zone_warning: Option<String>,
}

/// One talk of a schedule: public programme fields only.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The schedule's stable id (guid, or code, or numeric id).
    pub id: String,
    pub title: String,
    pub speakers: Vec<String>,
    pub date: Date,
    pub start: ClockTime,
    pub duration: Option<u32>,
    pub room: Option<String>,
    pub track: Option<String>,
    /// The talk's page on the conference site.
    pub url: Option<String>,
    pub recording: Option<String>,
    pub links: Vec<(String, String)>,
    /// The abstract as plain text (HTML removed, e-mail addresses and phone numbers too).
    pub summary: String,
    pub tags: Vec<String>,
}

pub const FORMATS: &str = "frab/pretalx schedule.xml, pretalx/frab schedule.json (v1 or c3voc v2), a Sessionize \"All data\" JSON export, or an iCalendar (.ics) file";

/// What a reader needs to know about the site to place times.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zones<'a> {
    /// summit.yaml's `event.timezone`.
    pub site: Option<&'a str>,
    /// `--timezone`: for a schedule that names no zone.
    pub fallback: Option<&'a str>,
}

/// Reads a schedule from `bytes` (detected from the content); `path` is used in messages.
pub fn read(bytes: &[u8], path: &Path, zones: Zones<'_>) -> Result<Schedule, Diagnostic> {
    if ics::looks_like(bytes) {
        let mut schedule = ics::read(bytes, path, zones.site, zones.fallback)?;
        if let Some(w) = placeholder_links(&schedule) {
            schedule.skipped.push(w);
        }
        return Ok(schedule);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        Diagnostic::new(path, "the schedule is not UTF-8 text")
            .at(line, column)
            .help("export it again as UTF-8")
    })?;
    let mut schedule = read_text(text, path)?;
    if let Some(w) = placeholder_links(&schedule) {
        schedule.skipped.push(w);
    }
    if schedule.timezone.is_none()
        && let Some(zone) = zones.fallback
    {
        schedule.timezone = Some(zone.to_string());
        schedule.zone_warning = None;
    }
    Ok(schedule)
}

/// A warning when talk pages point at a test server (`localhost`, `example.org`, `*.test` …):
/// the schedule was exported where it did not know its public address.
fn placeholder_links(schedule: &Schedule) -> Option<String> {
    let local: Vec<(&str, &str)> = schedule
        .talks
        .iter()
        .filter_map(|t| t.url.as_deref())
        .filter_map(|u| Some((u, placeholder_host(u)?)))
        .collect();
    let (example, host) = *local.first()?;
    let n = local.len();
    let whose = if n == 1 {
        "1 talk's".to_string()
    } else {
        format!("{n} talks'")
    };
    Some(format!(
        "{whose} \"Talk page\" links point at {host} (e.g. {example}): the schedule was exported from a server that does not know its public address, so these links will not work — fix them in the notes, or export the schedule from the conference's public site"
    ))
}

/// The host of `url` when it is a local or placeholder one.
fn placeholder_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    let lower = host.to_ascii_lowercase();
    let placeholder = lower == "localhost"
        || lower == "::1"
        || lower == "0.0.0.0"
        || lower.starts_with("127.")
        || ["localhost", "example", "test", "invalid"]
            .iter()
            .any(|tld| lower.ends_with(&format!(".{tld}")))
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| lower == *d || lower.ends_with(&format!(".{d}")));
    placeholder.then_some(host)
}

/// Line and column (1-based) of byte `at`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

fn read_text(text: &str, path: &Path) -> Result<Schedule, Diagnostic> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.trim_start().chars().next();
    match first {
        Some('<') => frab_xml::read(text, path),
        Some('{') | Some('[') => {
            if let Some((line, column)) = too_deep(text) {
                return Err(Diagnostic::new(
                    path,
                    format!("the JSON is nested more than {JSON_DEPTH} levels deep"),
                )
                .at(line, column)
                .help("a schedule export is nested a few levels deep; this file is not one"));
            }
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| json_error(&e, text, path))?;
            if c3voc_v2::is_flat(&value) {
                c3voc_v2::read(&value, path)
            } else if value.get("schedule").is_some() {
                frab_json::read(&value, path)
            } else if value.get("sessions").is_some() && value.get("speakers").is_some() {
                sessionize::read(&value, path)
            } else {
                Err(unknown(path))
            }
        }
        _ => Err(unknown(path)),
    }
}

/// How deep summit-gen lets JSON nest (serde_json stops at 128; schedules need under 10).
const JSON_DEPTH: usize = 100;

/// Where `text` (JSON) first opens a level deeper than [`JSON_DEPTH`]: line and column.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ if in_string => {}
            '[' | '{' => {
                depth += 1;
                if depth > JSON_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A JSON error, with help chosen by its kind (never by its text).
fn json_error(e: &serde_json::Error, text: &str, path: &Path) -> Diagnostic {
    use serde_json::error::Category;
    let help = match e.classify() {
        Category::Eof => "the file ends too early: it may be cut off; download the schedule again",
        Category::Syntax => {
            "the JSON is broken at this place; export the schedule again, or fix it there"
        }
        Category::Data | Category::Io => "export the schedule again",
    };
    let (line, column) = json_position(text, e.line(), e.column());
    Diagnostic::new(path, format!("not valid JSON: {e}"))
        .at(line, column)
        .help(help)
}

/// serde_json's error position (its column counts bytes, and is 0 when the culprit is the
/// line break that ends the line before) as a file position, the column in characters.
fn json_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let line_text = |n: usize| text.split('\n').nth(n.saturating_sub(1)).unwrap_or("");
    if column == 0 && line > 1 {
        return (line - 1, line_text(line - 1).chars().count() + 1);
    }
    let l = line_text(line);
    let mut byte = column.saturating_sub(1).min(l.len());
    while !l.is_char_boundary(byte) {
        byte -= 1;
    }
    (line.max(1), l[..byte].chars().count() + 1)
}

fn unknown(path: &Path) -> Diagnostic {
    Diagnostic::new(path, "this is not a schedule summit-gen can read")
        .help(format!("summit-gen reads {FORMATS}"))
}

/// How a talk is named in messages: "event 1237 (init)".
pub(crate) fn name(kind: &str, id: &str, title: &str) -> String {
    let id = if id.is_empty() { "without id" } else { id };
    let title = if title.is_empty() { "no title" } else { title };
    format!("{kind} {id} ({title})")
}

/// The schedule with one talk per id: a note is matched to its talk by id, so a later talk
/// with an id already taken is skipped (with why) rather than written as a second note
/// that the build then refuses.
pub(crate) fn unique_ids(mut schedule: Schedule) -> Schedule {
    let mut seen = std::collections::HashSet::new();
    let mut skipped = Vec::new();
    schedule.talks.retain(|t| {
        let first = seen.insert(t.id.clone());
        if !first {
            skipped.push(format!(
                "{}: another talk of the schedule has the same id; skipped",
                name("talk", &t.id, &t.title)
            ));
        }
        first
    });
    schedule.skipped.extend(skipped);
    schedule
}

/// Whether a schedule's address may go into a note: `http://` or `https://`, and accepted by
/// the check the build runs on every front-matter link (so `http;s://…` is left out).
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && crate::model::check_url(url).is_ok()
}

/// Checks a talk has a title and an id; the reason it is skipped if not.
pub(crate) fn require_title_and_id(
    name: &str,
    title: &str,
    id: &str,
    title_field: &str,
) -> Result<(), String> {
    if title.is_empty() {
        return Err(format!("{name}: it has no {title_field}; skipped"));
    }
    if id.is_empty() {
        return Err(format!("{name}: it has no guid or id; skipped"));
    }
    Ok(())
}

/// A talk's start time (`HH:MM`, from `field`); the reason it is skipped if there is none.
pub(crate) fn require_start(
    name: &str,
    start: Option<String>,
    field: &str,
) -> Result<ClockTime, String> {
    start
        .and_then(|s| ClockTime::parse(&s))
        .ok_or_else(|| format!("{name}: no {field} time (HH:MM); skipped"))
}

/// The text kept for the writer: the subtitle, then the abstract (or else the description),
/// as plain text.
pub(crate) fn summary(subtitle: Option<String>, abstract_text: &str, description: &str) -> String {
    let body = text::plain(if abstract_text.trim().is_empty() {
        description
    } else {
        abstract_text
    });
    match subtitle.filter(|s| !s.is_empty()) {
        Some(sub) if body.is_empty() => sub,
        Some(sub) => format!("{sub}\n\n{body}"),
        None => body,
    }
}

/// The time of day of an ISO date-time (`2020-12-14T04:00:00+01:00` → 04:00).
pub fn time_of(datetime: &str) -> Option<ClockTime> {
    let (_, time) = datetime.split_once('T')?;
    ClockTime::parse(time.get(..5)?)
}

/// `HH:MM`, `H:MM:SS` or a number of minutes; `None` unless it is a duration a note may
/// have (see [`duration_minutes`]).
pub fn parse_duration(s: &str) -> Option<u32> {
    let s = s.trim();
    if let Ok(m) = s.parse::<u64>() {
        return duration_minutes(m);
    }
    let mut parts = s.split(':').map(|p| p.parse::<u64>().ok());
    let h = parts.next()??;
    let m = parts.next()??;
    duration_minutes(h.checked_mul(60)?.checked_add(m)?)
}

/// A number of minutes a note's `duration:` accepts (1 to 1440), else `None`: an import
/// leaves out a duration the note could not hold rather than write a note that fails.
pub fn duration_minutes(m: u64) -> Option<u32> {
    u32::try_from(m).ok().filter(|m| (1..=24 * 60).contains(m))
}

/// Keeps only talks whose title, track or tags contain one of `terms` (case-insensitive).
pub fn filter(schedule: &mut Schedule, terms: &[String]) {
    if terms.is_empty() {
        return;
    }
    let terms: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
    schedule.talks.retain(|t| {
        let hay = format!(
            "{}\n{}\n{}",
            t.title,
            t.track.as_deref().unwrap_or(""),
            t.tags.join("\n")
        )
        .to_lowercase();
        terms.iter().any(|term| hay.contains(term.as_str()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("00:30"), Some(30));
        assert_eq!(parse_duration("01:15"), Some(75));
        assert_eq!(parse_duration("45"), Some(45));
        assert_eq!(parse_duration("1:00:00"), Some(60));
        assert_eq!(parse_duration("soon"), None);
    }

    /// Found by fuzzing `sessionize`: a recording at `http;s://…` (or `http3:…`) passed the
    /// importer's "starts with http" test, and the note's link check then failed the build.
    #[test]
    fn an_address_the_build_would_refuse_is_left_out() {
        let json = serde_json::json!({
            "sessions": [
                {"id": "1", "title": "A", "startsAt": "2024-05-14T09:00:00", "recordingUrl": "http;s://v.example.org/1"},
                {"id": "2", "title": "B", "startsAt": "2024-05-14T10:00:00", "recordingUrl": "https://v.example.org/2"},
            ],
            "speakers": [],
        });
        let s = read(
            json.to_string().as_bytes(),
            Path::new("s.json"),
            Zones::default(),
        )
        .unwrap();
        let videos: Vec<Option<&str>> = s.talks.iter().map(|t| t.recording.as_deref()).collect();
        assert_eq!(videos, [None, Some("https://v.example.org/2")]);
        for bad in [
            "http3://x",
            "httpq:x",
            "javascript:alert(1)",
            "/local",
            "ftp://x",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
        assert!(is_web_url("HTTPS://example.org/a"));
    }

    /// Found by fuzzing `sessionize`: two sessions with one id became two notes with one `id`,
    /// and the imported site did not build.
    #[test]
    fn a_second_talk_with_a_taken_id_is_skipped() {
        let session = |id: &str, title: &str, at: &str| serde_json::json!({"id": id, "title": title, "startsAt": at, "endsAt": null});
        let json = serde_json::json!({
            "sessions": [
                session("7", "First", "2024-05-14T09:00:00"),
                session("8", "Other", "2024-05-14T10:00:00"),
                session("7", "Second", "2024-05-15T09:00:00"),
            ],
            "speakers": [],
        });
        let s = read(
            json.to_string().as_bytes(),
            Path::new("s.json"),
            Zones::default(),
        )
        .unwrap();
        let titles: Vec<&str> = s.talks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["First", "Other"]);
        assert_eq!(
            s.skipped,
            ["talk sessionize-7 (Second): another talk of the schedule has the same id; skipped"]
        );
    }

    /// Found by fuzzing `frab_json`: a JSON error was reported at column 0 (serde_json's way of
    /// blaming the line break before) or at a byte offset past the line's last character.
    #[test]
    fn a_json_error_points_at_a_character_the_file_has() {
        let at = |text: &str| {
            let d = read(text.as_bytes(), Path::new("s.json"), Zones::default()).unwrap_err();
            (d.line, d.column)
        };
        // A line break inside a string: the break ending line 1, after its 8 characters.
        assert_eq!(at("{\"a\": \"x\nyz\"}"), (Some(1), Some(9)));
        // Cut off in a string of two-byte letters: its last (12th) character, not byte 15.
        assert_eq!(at("{\"æøå\": \"æøå"), (Some(1), Some(12)));
        assert_eq!(at("{\"a\":\n  1,\n  ?}"), (Some(3), Some(3)));
    }

    /// Found by the `frab_json` fuzz target's import check (on an edited seed): a schedule's
    /// `"duration": "00:00"` was written into the note as `duration: 0`, which the note then
    /// rejects, so the imported site did not build; and `"99999999:00"` overflowed.
    #[test]
    fn a_duration_no_note_could_hold_is_left_out() {
        for bad in [
            "0",
            "00:00",
            "0:00:00",
            "1441",
            "24:01",
            "99999999:00",
            "4294967296",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("24:00"), Some(1440));
    }
}
