//! iCalendar (RFC 5545) files: the one export every conference tool has. Read by hand, and
//! leniently, because published calendars are messy.
//!
//! Lines are unfolded as bytes (a fold may split a multi-byte character), on CRLF or a bare
//! LF; text values are unescaped (`\, \; \n \\`). A line that is not `NAME[;PARAM=…]:value` is
//! skipped and counted; a space after the colon is dropped. Times are shown in one zone: the
//! site's (summit.yaml), else the file's (`X-WR-TIMEZONE`, else the zone most events name),
//! else `--timezone`, else UTC (with a warning). A `TZID` is used as an IANA name when it is
//! one (also inside a path, `/mozilla.org/…/Europe/Berlin`); otherwise its `VTIMEZONE` is read
//! simply: each `STANDARD`/`DAYLIGHT` part's `TZOFFSETTO` from its `DTSTART`, repeated yearly
//! by an `RRULE` of `BYMONTH` and `BYDAY` (`-1SU`, `2SU`). UTC (`Z`) and floating times are
//! read as RFC 5545 says. An event's end is its `DTEND`, else `DTSTART` + `DURATION`.
//!
//! Ids: an event's `UID` when no other event has it; otherwise (repeated or missing UIDs are
//! common) one made from the UID, the start and the title, so that it is the same on every
//! import of the same file.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

use super::ics_zone::{Observance, civil, duration_minutes, iana, offset_at, offset_seconds};

use super::{Entry, Schedule, text};
use crate::error::Diagnostic;
use crate::parse::types::{ClockTime, Date};

/// True when `bytes` start (after a BOM and blank space) with `BEGIN:VCALENDAR`.
pub fn looks_like(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|i| {
        bytes[i..]
            .get(..15)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"BEGIN:VCALENDAR"))
    })
}

/// One content line: name (upper case), parameters (names upper case), raw value.
#[derive(Debug, Clone)]
struct Prop {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Prop {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads an iCalendar file. `site_zone` is summit.yaml's `event.timezone`; `fallback` is
/// `--timezone`.
pub fn read(
    bytes: &[u8],
    path: &Path,
    site_zone: Option<&str>,
    fallback: Option<&str>,
) -> Result<Schedule, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut stack: Vec<String> = Vec::new();
    let mut calendar: Vec<Prop> = Vec::new();
    let mut events: Vec<Vec<Prop>> = Vec::new();
    let mut zones: HashMap<String, Vec<Observance>> = HashMap::new();
    let mut zone_id = String::new();
    let mut bad: Vec<usize> = Vec::new();
    for (line_no, line) in unfold(bytes) {
        let line = String::from_utf8_lossy(&line);
        if line.trim().is_empty() {
            continue;
        }
        let Some(prop) = content_line(&line) else {
            bad.push(line_no);
            continue;
        };
        let component = prop.value.trim().to_ascii_uppercase();
        match prop.name.as_str() {
            "BEGIN" => {
                match component.as_str() {
                    "VEVENT" => events.push(Vec::new()),
                    "STANDARD" | "DAYLIGHT" => zones
                        .entry(zone_id.clone())
                        .or_default()
                        .push(Observance::default()),
                    _ => {}
                }
                stack.push(component);
            }
            "END" => {
                stack.pop();
            }
            _ => match stack.last().map(String::as_str) {
                Some("VEVENT") => events
                    .last_mut()
                    .into_iter()
                    .for_each(|e| e.push(prop.clone())),
                Some("VCALENDAR") => calendar.push(prop),
                Some("VTIMEZONE") if prop.name == "TZID" => zone_id = prop.value.trim().into(),
                Some("STANDARD" | "DAYLIGHT") => {
                    if let Some(o) = zones.get_mut(&zone_id).and_then(|z| z.last_mut()) {
                        match prop.name.as_str() {
                            "DTSTART" => o.start = civil(&prop.value),
                            "TZOFFSETTO" => o.offset = offset_seconds(&prop.value),
                            "RRULE" => o.rrule = Some(prop.value.clone()),
                            _ => {}
                        }
                    }
                }
                Some(_) => {}
                None => bad.push(line_no),
            },
        }
    }
    if events.is_empty() {
        return Err(Diagnostic::new(path, "the calendar has no events (VEVENT)")
            .help("export the calendar again, with the conference's talks in it"));
    }
    let cal = |name: &str| {
        calendar
            .iter()
            .find(|p| p.name == name)
            .map(|p| unescape(&p.value))
    };
    // The zone times are shown in.
    let mut tzids: Vec<(usize, String)> = Vec::new();
    for e in &events {
        if let Some(tz) = e
            .iter()
            .find(|p| p.name == "DTSTART")
            .and_then(|p| p.param("TZID"))
            && let Some(name) = iana(tz)
        {
            match tzids.iter_mut().find(|(_, n)| *n == name) {
                Some((count, _)) => *count += 1,
                None => tzids.push((1, name)),
            }
        }
    }
    tzids.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let file_zone = cal("X-WR-TIMEZONE")
        .as_deref()
        .and_then(iana)
        .or_else(|| tzids.first().map(|(_, n)| n.clone()));
    let mut warnings = Vec::new();
    let (zone_name, zone_warning) = match (site_zone, file_zone, fallback) {
        (Some(site), _, _) => (Some(site.to_string()), None),
        (None, Some(file), _) => (Some(file), None),
        (None, None, Some(arg)) => (Some(arg.to_string()), None),
        (None, None, None) => (None, Some("the calendar names no time zone, so its times are shown in UTC; if the event was elsewhere, import again with --timezone ZONE (an IANA name such as Europe/Berlin), or set event.timezone in summit.yaml".to_string())),
    };
    let target = zone_name
        .as_deref()
        .and_then(|n| TimeZone::get(n).ok())
        .unwrap_or(TimeZone::UTC);
    let reader = Times {
        zones: &zones,
        target: &target,
        target_name: zone_name.as_deref(),
    };

    let mut talks = Vec::new();
    let mut skipped = Vec::new();
    let mut uids: HashMap<String, usize> = HashMap::new();
    for e in &events {
        let uid = e
            .iter()
            .find(|p| p.name == "UID")
            .map(|p| p.value.trim().to_string());
        *uids.entry(uid.unwrap_or_default()).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    let (mut derived, mut repeats) = (0, 0);
    for e in &events {
        let get = |name: &str| e.iter().find(|p| p.name == name);
        let uid = get("UID")
            .map(|p| p.value.trim().to_string())
            .unwrap_or_default();
        let title = get("SUMMARY")
            .map(|p| unescape(&p.value))
            .unwrap_or_default();
        let name = super::name("event", &uid, &title);
        if title.is_empty() {
            skipped.push(format!("{name}: it has no SUMMARY (title); skipped"));
            continue;
        }
        if get("STATUS").is_some_and(|p| p.value.trim().eq_ignore_ascii_case("CANCELLED")) {
            skipped.push(format!("{name}: it is cancelled; skipped"));
            continue;
        }
        let Some(start_prop) = get("DTSTART") else {
            skipped.push(format!("{name}: it has no DTSTART; skipped"));
            continue;
        };
        let Some(start) = reader.local(start_prop) else {
            let why = if start_prop.value.trim().len() == 8 {
                "it is an all-day event"
            } else {
                "its DTSTART is not a date-time"
            };
            skipped.push(format!("{name}: {why}; skipped"));
            continue;
        };
        let end = get("DTEND").and_then(|p| reader.local(p)).or_else(|| {
            let minutes = get("DURATION").and_then(|p| duration_minutes(&p.value))?;
            start
                .checked_add(jiff::SignedDuration::from_mins(minutes))
                .ok()
        });
        // Only a duration a note may hold (1 to 1440 minutes): a longer event keeps its start.
        let duration = end
            .and_then(|end| u64::try_from(end.duration_since(start).as_mins()).ok())
            .and_then(super::duration_minutes);
        if get("RRULE").is_some() {
            repeats += 1;
        }
        let own = !uid.is_empty() && uids.get(&uid) == Some(&1);
        let id = if own {
            uid.clone()
        } else {
            let key = format!("{uid}\n{}\n{title}", start_prop.value.trim());
            let prefix = if uid.is_empty() { "ics" } else { uid.as_str() };
            format!("{prefix}-{:016x}", fnv1a64(key.as_bytes()))
        };
        if !seen.insert(id.clone()) {
            skipped.push(format!("{name}: the same event (UID, start and title) is in the calendar twice; the second is skipped"));
            continue;
        }
        if !own {
            derived += 1;
        }
        let speakers = speakers(e);
        let categories: Vec<String> = e
            .iter()
            .filter(|p| p.name == "CATEGORIES")
            .flat_map(|p| split_list(&p.value))
            .filter(|c| !c.is_empty())
            .collect();
        let optional = |name: &str| {
            get(name)
                .map(|p| unescape(&p.value))
                .filter(|v| !v.is_empty())
        };
        talks.push(Entry {
            id,
            title,
            speakers,
            date: Date(start.date()),
            start: ClockTime::from_minutes(start.hour() as u32 * 60 + start.minute() as u32),
            duration,
            room: optional("LOCATION"),
            track: categories.first().cloned(),
            url: optional("URL").filter(|u| super::is_web_url(u)),
            recording: None,
            links: Vec::new(),
            summary: text::plain(&optional("DESCRIPTION").unwrap_or_default()),
            tags: categories
                .iter()
                .map(|c| crate::model::slugify(c))
                .collect(),
        });
    }
    if derived > 0 {
        warnings.push(format!("{derived} events have no UID of their own (it is missing, or another event has it too): their ids are made from UID, start and title, so a change of time or title in the calendar makes a new note"));
    }
    if repeats > 0 {
        warnings.push(format!(
            "{repeats} events repeat (RRULE): only their first time is imported"
        ));
    }
    if let Some(first) = bad.first() {
        warnings.push(format!(
            "{}:{first}: {} lines are not iCalendar content lines (NAME:value); they were skipped",
            path.display(),
            bad.len()
        ));
    }
    if talks.is_empty() {
        // Like the other readers: a schedule without a talk is no schedule to import.
        let why = skipped.first().map_or_else(
            || "it has no VEVENT".to_string(),
            |first| format!("{} events were skipped (the first: {first})", skipped.len()),
        );
        return Err(Diagnostic::new(
            path,
            format!("the calendar has no event with a title and a start time: {why}"),
        )
        .help("is this the conference's programme? export its calendar again"));
    }
    let mut days: Vec<Date> = talks.iter().map(|t| t.date).collect();
    days.sort();
    days.dedup();
    talks.sort_by(|a, b| (a.date, a.start, &a.id).cmp(&(b.date, b.start, &b.id)));
    skipped.extend(warnings);
    Ok(super::unique_ids(Schedule {
        format: "schedule.ics (iCalendar)",
        name: cal("X-WR-CALNAME")
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Conference".into()),
        timezone: zone_name,
        day_change: None,
        days,
        talks,
        skipped,
        zone_warning,
    }))
}

/// Logical lines (with the number of their first physical line): CRLF or LF, and a line that
/// starts with a space or tab continues the one before (without that first byte).
fn unfold(bytes: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match (line.first(), out.last_mut()) {
            (Some(b' ' | b'\t'), Some((_, last))) => last.extend_from_slice(&line[1..]),
            _ => out.push((i + 1, line.to_vec())),
        }
    }
    out
}

/// `NAME;P=v;Q="a:b":value`; `None` if the line is not one.
fn content_line(line: &str) -> Option<Prop> {
    let end = line.find([';', ':'])?;
    let name = &line[..end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = &line[end..];
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after.find('=')?;
        let pname = after[..eq].trim().to_ascii_uppercase();
        let mut value = String::new();
        let mut tail = &after[eq + 1..];
        loop {
            if let Some(q) = tail.strip_prefix('"') {
                let close = q.find('"')?;
                value.push_str(&q[..close]);
                tail = &q[close + 1..];
            } else {
                let stop = tail.find([';', ':', ',']).unwrap_or(tail.len());
                value.push_str(&tail[..stop]);
                tail = &tail[stop..];
            }
            match tail.strip_prefix(',') {
                Some(t) => {
                    value.push(',');
                    tail = t;
                }
                None => break,
            }
        }
        params.push((pname, value));
        rest = tail;
    }
    let value = rest.strip_prefix(':')?;
    Some(Prop {
        name: name.to_ascii_uppercase(),
        params,
        value: value.trim_start_matches(' ').to_string(),
    })
}

/// A TEXT value unescaped: `\n` `\N` a line break, `\,` `\;` `\\` the character.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('n' | 'N')) => {
                out.push('\n');
                chars.next();
            }
            ('\\', Some(next)) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// A list value (`CATEGORIES:a,b\,c`) split on unescaped commas, each unescaped.
fn split_list(value: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut escaped = false;
    for c in value.chars() {
        match c {
            ',' if !escaped => items.push(String::new()),
            _ => {
                if let Some(last) = items.last_mut() {
                    last.push(c);
                }
            }
        }
        escaped = c == '\\' && !escaped;
    }
    items.iter().map(|i| unescape(i)).collect()
}

/// The people of an event: `ATTENDEE`s with a `CN` (not rooms, resources or groups, nor
/// non-participants), else the `ORGANIZER`'s `CN`.
fn speakers(event: &[Prop]) -> Vec<String> {
    let cn = |p: &Prop| {
        p.param("CN")
            .map(|n| unescape(n.trim_matches('"')))
            .filter(|n| !n.is_empty())
    };
    let attendees: Vec<String> = event
        .iter()
        .filter(|p| p.name == "ATTENDEE")
        .filter(|p| {
            !matches!(
                p.param("CUTYPE").map(str::to_ascii_uppercase).as_deref(),
                Some("ROOM" | "RESOURCE" | "GROUP")
            )
        })
        .filter(|p| {
            !p.param("ROLE")
                .is_some_and(|r| r.eq_ignore_ascii_case("NON-PARTICIPANT"))
        })
        .filter_map(cn)
        .collect();
    if !attendees.is_empty() {
        return attendees;
    }
    event
        .iter()
        .filter(|p| p.name == "ORGANIZER")
        .filter_map(cn)
        .collect()
}

/// How an event's times become local times of the target zone.
struct Times<'a> {
    zones: &'a HashMap<String, Vec<Observance>>,
    target: &'a TimeZone,
    target_name: Option<&'a str>,
}

impl Times<'_> {
    /// A DATE-TIME property as a local time of the target zone; `None` for a DATE or junk.
    fn local(&self, prop: &Prop) -> Option<DateTime> {
        let raw = prop.value.trim();
        if prop
            .param("VALUE")
            .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        {
            return None;
        }
        let dt = civil(raw)?;
        let utc = raw.ends_with(['Z', 'z']);
        let instant = match (utc, prop.param("TZID")) {
            (true, _) => dt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp(),
            (false, None) => return Some(dt),
            (false, Some(tzid)) => match iana(tzid) {
                Some(name) if Some(name.as_str()) == self.target_name => return Some(dt),
                Some(name) => dt
                    .to_zoned_datetime(TimeZone::get(&name).ok()?)
                    .ok()?
                    .timestamp(),
                None => match self.zones.get(tzid.trim()) {
                    Some(rules) => {
                        let seconds = offset_at(rules, dt)?;
                        let offset = Offset::from_seconds(seconds).ok()?;
                        dt.to_zoned_datetime(TimeZone::fixed(offset))
                            .ok()?
                            .timestamp()
                    }
                    // An unknown zone: the time as written.
                    None => return Some(dt),
                },
            },
        };
        Some(self.target.to_datetime(instant))
    }
}

/// 64-bit FNV-1a: the same on every run and platform.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_may_split_a_character_and_lines_end_either_way() {
        let text = b"SUMMARY:Caf\xc3\r\n \xa9 talk\nDESCRIPTION:a\n\tb\r\n";
        let lines: Vec<String> = unfold(text)
            .into_iter()
            .map(|(_, l)| String::from_utf8(l).expect("UTF-8"))
            .collect();
        assert_eq!(lines, ["SUMMARY:Café talk", "DESCRIPTION:ab", ""]);
    }

    #[test]
    fn content_lines_and_escapes() {
        let p =
            content_line("ATTENDEE;ROLE=CHAIR;CN=\"Doe; Jane: Dr\":mailto:j@x.org").expect("line");
        assert_eq!(
            (p.name.as_str(), p.param("CN"), p.value.as_str()),
            ("ATTENDEE", Some("Doe; Jane: Dr"), "mailto:j@x.org")
        );
        assert_eq!(
            content_line("summary: Hello").map(|p| p.value),
            Some("Hello".into())
        );
        assert!(content_line("this is no line").is_none());
        assert_eq!(unescape(r"a\, b\; c\nd\\e"), "a, b; c\nd\\e");
        assert_eq!(
            split_list(r"Rust,Web\, HTTP, Cloud"),
            ["Rust", "Web, HTTP", "Cloud"]
        );
    }
}
