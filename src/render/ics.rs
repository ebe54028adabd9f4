//! `schedule.ics`: the talks as an iCalendar file (RFC 5545), written by hand because it is
//! small and the rules are strict: CRLF line ends, lines folded at 75 octets on UTF-8
//! boundaries, TEXT escaping, a stable UID per talk and a fixed DTSTAMP (so the same notes give
//! the same bytes). Times are converted to UTC through the event's time zone; without one they
//! are "floating" local times, which calendar apps show as written.

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::model::{Site, Talk};
use crate::route::Recap;

pub struct Urls<'a> {
    pub absolute: Option<&'a str>,
    /// Where the recap's pages are.
    pub recap: Recap<'a>,
}

/// The calendar for every talk with a start time.
pub fn calendar(site: &Site, urls: &Urls<'_>, summaries: &HashMap<&str, &str>) -> String {
    let config = &site.config;
    let tz = config.timezone.clone();
    let host = urls
        .absolute
        .and_then(|u| u.split_once("://"))
        .map(|(_, rest)| rest.split('/').next().unwrap_or(rest).to_string())
        .unwrap_or_else(|| format!("{}.summit-gen", crate::model::slugify(&config.event.name)));
    // A fixed stamp: the publishing date (or the last day), never "now".
    let stamp = config
        .published
        .or_else(|| site.days.last().map(|d| d.date))
        .map(|d| format!("{}T000000Z", compact(&d.to_string())))
        .unwrap_or_else(|| "19700101T000000Z".into());

    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//summit-gen//summit-gen//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(&config.event.name)),
    ];
    for day in &site.days {
        for t in &day.talks {
            let Some(start) = t.start else { continue };
            // After midnight, on a day that changes later: the next calendar date.
            let next = config.day_time(start).1;
            let date = if next {
                day.date.0.tomorrow().unwrap_or(day.date.0)
            } else {
                day.date.0
            };
            let begin = DateTime::from_parts(
                date,
                jiff::civil::time(start.hour as i8, start.minute as i8, 0, 0),
            );
            let end = t.duration.and_then(|m| {
                begin
                    .checked_add(jiff::Span::new().minutes(i64::from(m)))
                    .ok()
            });
            lines.push("BEGIN:VEVENT".into());
            let uid =
                t.id.clone()
                    .unwrap_or_else(|| format!("{}-{}", day.date, t.slug));
            lines.push(format!("UID:{}@{host}", escape(&uid)));
            lines.push(format!("DTSTAMP:{stamp}"));
            lines.push(format!("DTSTART:{}", when(begin, tz.as_ref())));
            if let Some(e) = end {
                lines.push(format!("DTEND:{}", when(e, tz.as_ref())));
            }
            lines.push(format!("SUMMARY:{}", escape(&t.title)));
            lines.push(format!(
                "DESCRIPTION:{}",
                escape(&description(t, summaries.get(t.slug.as_str()).copied()))
            ));
            if let Some(room) = &t.room {
                lines.push(format!("LOCATION:{}", escape(room)));
            }
            if !t.tags.is_empty() {
                let tags: Vec<String> = t.tags.iter().map(|s| escape(s)).collect();
                lines.push(format!("CATEGORIES:{}", tags.join(",")));
            }
            if let Some(abs) = urls.absolute {
                lines.push(format!("URL:{}", urls.recap.talk_url(&t.slug, abs)));
            }
            lines.push("END:VEVENT".into());
        }
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

fn description(t: &Talk, summary: Option<&str>) -> String {
    let speakers: Vec<&str> = t.speakers.iter().map(|s| s.name.as_str()).collect();
    let mut d = speakers.join(", ");
    if let Some(s) = summary.filter(|s| !s.is_empty()) {
        d.push_str("\n\n");
        d.push_str(s);
    }
    d
}

/// `20200824T150000Z` in UTC when the zone is known, else the floating `20200824T170000`.
fn when(local: DateTime, tz: Option<&TimeZone>) -> String {
    match tz.and_then(|tz| tz.to_timestamp(local).ok()) {
        Some(ts) => ts.strftime("%Y%m%dT%H%M%SZ").to_string(),
        None => local.strftime("%Y%m%dT%H%M%S").to_string(),
    }
}

fn compact(date: &str) -> String {
    date.replace('-', "")
}

/// TEXT escaping (RFC 5545 3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // RFC 5545 allows no control characters in text but tab; nor do XML readers
            // of calendars allow U+FFFE/U+FFFF.
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a UTF-8 sequence), each part ending CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            let _ = write!(out, "{rest}\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let _ = write!(out, "{}\r\n ", &rest[..cut]);
        rest = &rest[cut..];
        // A continuation line starts with the space, which counts.
        limit = 74;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn folds_on_char_boundaries_at_75_octets() {
        let line = format!("SUMMARY:{}", "æøå".repeat(40));
        let mut out = String::new();
        fold(&line, &mut out);
        for part in out.split_inclusive("\r\n") {
            assert!(part.len() <= 77, "{} octets: {part:?}", part.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn utc_through_the_time_zone() {
        let tz = TimeZone::get("Europe/Copenhagen").unwrap();
        let t = DateTime::from_parts(
            jiff::civil::date(2020, 8, 24),
            jiff::civil::time(17, 0, 0, 0),
        );
        assert_eq!(when(t, Some(&tz)), "20200824T150000Z");
        assert_eq!(when(t, None), "20200824T170000");
    }
}
