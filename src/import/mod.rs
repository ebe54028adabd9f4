//! `import`: a conference's published schedule becomes one note per talk.
//!
//! Each format has its own module that turns the file into one [`Schedule`] (event, days,
//! talks); the format is detected from the content, never from the file name. [`merge`] then
//! compares the schedule with the notes already in the site and decides, per talk, what to
//! write — never a note's body, never a field the writer set by hand.

pub mod frab_json;
pub mod frab_xml;
pub mod merge;
pub mod sessionize;
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
    /// Items skipped, with why (named by id and title).
    pub skipped: Vec<String>,
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

pub const FORMATS: &str = "frab/pretalx schedule.xml, pretalx/frab schedule.json (v1 or c3voc v2), or a Sessionize \"All data\" JSON export";

/// Reads a schedule from `text`; `path` is used in messages.
pub fn read(text: &str, path: &Path) -> Result<Schedule, Diagnostic> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.trim_start().chars().next();
    match first {
        Some('<') => frab_xml::read(text, path),
        Some('{') | Some('[') => {
            let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
                let (line, column) = json_position(text, e.line(), e.column());
                Diagnostic::new(path, format!("not valid JSON: {e}"))
                    .at(line, column)
                    .help("the file may be cut off; download the schedule again")
            })?;
            if value.get("schedule").is_some() {
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
        let s = read(&json.to_string(), Path::new("s.json")).unwrap();
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
        let s = read(&json.to_string(), Path::new("s.json")).unwrap();
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
            let d = read(text, Path::new("s.json")).unwrap_err();
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
