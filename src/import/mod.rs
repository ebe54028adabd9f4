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
                serde_json::from_str(text).map_err(|e| json_error(&e, path))?;
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
fn json_error(e: &serde_json::Error, path: &Path) -> Diagnostic {
    use serde_json::error::Category;
    let help = match e.classify() {
        Category::Eof => "the file ends too early: it may be cut off; download the schedule again",
        Category::Syntax => {
            "the JSON is broken at this place; export the schedule again, or fix it there"
        }
        Category::Data | Category::Io => "export the schedule again",
    };
    Diagnostic::new(path, format!("not valid JSON: {e}"))
        .at(e.line(), e.column())
        .help(help)
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

/// `HH:MM`, `H:MM:SS` or a number of minutes.
pub fn parse_duration(s: &str) -> Option<u32> {
    let s = s.trim();
    if let Ok(m) = s.parse::<u32>() {
        return Some(m);
    }
    let mut parts = s.split(':').map(|p| p.parse::<u32>().ok());
    let h = parts.next()??;
    let m = parts.next()??;
    Some(h * 60 + m)
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
}
