//! The c3voc schedule v2 JSON in its flat shape, as the CCC hub exports it (38C3):
//! `schedule.events[]` with `start`/`end` date-times, `room` and `track` as references to
//! `conference.rooms[]`/`conference.tracks[]` (by guid, slug or name), and `participants[]`
//! with roles. `conference.days[]` gives each day's `start` and `end`: an event belongs to the
//! day it starts in (so a talk at 00:15 stays on the day before, as the hub shows it).

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::frab_json::{person_name, str_of, web_links};
use super::{Entry, Schedule, parse_duration};
use crate::error::Diagnostic;
use crate::parse::types::{ClockTime, Date};

/// True for `{"schedule": {"events": [...]}}`.
pub fn is_flat(value: &Value) -> bool {
    value
        .pointer("/schedule/events")
        .is_some_and(Value::is_array)
}

/// Participant roles that present a talk; others (e.g. `submitter`, `organizer`) do not.
const PRESENTING: &[&str] = &[
    "speaker",
    "moderator",
    "host",
    "guest",
    "presenter",
    "panelist",
];

struct Day {
    date: Date,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
}

pub fn read(value: &Value, path: &Path) -> Result<Schedule, Diagnostic> {
    let bad = |what: &str| {
        Diagnostic::new(path, format!("not a c3voc schedule: {what}"))
            .help(format!("summit-gen reads {}", super::FORMATS))
    };
    let conference = value
        .pointer("/schedule/conference")
        .ok_or_else(|| bad("no `schedule.conference`"))?;
    let list = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let zone_name = str_of(conference, "time_zone_name").filter(|z| TimeZone::get(z).is_ok());
    let zone = zone_name.as_deref().and_then(|z| TimeZone::get(z).ok());
    let days: Vec<Day> = list(conference, "days")
        .iter()
        .filter_map(|d| {
            Some(Day {
                date: Date::parse(&str_of(d, "date")?)?,
                start: str_of(d, "start").and_then(|s| s.parse().ok()),
                end: str_of(d, "end").and_then(|s| s.parse().ok()),
            })
        })
        .collect();
    // When a day ends, as a time of day: the first day's end, when it is after midnight.
    let day_change = days.first().and_then(|d| {
        let end = local(d.end?, zone.as_ref(), None)?;
        (end.date() > d.date.0 && (end.hour(), end.minute()) != (0, 0))
            .then(|| ClockTime::from_minutes(end.hour() as u32 * 60 + end.minute() as u32))
    });
    let rooms = list(conference, "rooms");
    let tracks = list(conference, "tracks");
    let mut schedule = Schedule {
        format: "c3voc schedule.json (v2)",
        name: str_of(conference, "title")
            .or_else(|| str_of(conference, "acronym"))
            .unwrap_or_else(|| "Conference".into()),
        timezone: zone_name,
        day_change,
        days: days.iter().map(|d| d.date).collect(),
        talks: Vec::new(),
        skipped: Vec::new(),
        zone_warning: None,
    };
    for event in list(&value["schedule"], "events") {
        match entry(&event, &days, zone.as_ref(), day_change, &rooms, &tracks) {
            Ok(e) => {
                if !schedule.days.contains(&e.date) {
                    schedule.days.push(e.date);
                }
                schedule.talks.push(e);
            }
            Err(why) => schedule.skipped.push(why),
        }
    }
    schedule.days.sort();
    schedule.days.dedup();
    if schedule.days.is_empty() {
        return Err(bad("it lists no days and no events"));
    }
    schedule
        .talks
        .sort_by(|a, b| (a.date, a.start, &a.id).cmp(&(b.date, b.start, &b.id)));
    Ok(super::unique_ids(schedule))
}

fn entry(
    event: &Value,
    days: &[Day],
    zone: Option<&TimeZone>,
    day_change: Option<ClockTime>,
    rooms: &[Value],
    tracks: &[Value],
) -> Result<Entry, String> {
    let id = str_of(event, "guid")
        .or_else(|| str_of(event, "code"))
        .or_else(|| {
            event
                .get("id")
                .and_then(Value::as_u64)
                .map(|n| n.to_string())
        })
        .unwrap_or_default();
    let title = str_of(event, "title").unwrap_or_default();
    let name = super::name("event", &id, &title);
    super::require_title_and_id(&name, &title, &id, "title")?;
    let raw_start = str_of(event, "start").or_else(|| str_of(event, "date"));
    let start_at: Option<Timestamp> = raw_start.as_deref().and_then(|s| s.parse().ok());
    let Some(start) = start_at.and_then(|t| local(t, zone, raw_start.as_deref())) else {
        return Err(format!(
            "{name}: no `start` date-time with an offset; skipped"
        ));
    };
    let end_at: Option<Timestamp> = str_of(event, "end").and_then(|s| s.parse().ok());
    let duration = match (start_at, end_at) {
        // Only a duration a note may hold (1 to 1440 minutes).
        (Some(s), Some(e)) => u64::try_from(e.duration_since(s).as_mins())
            .ok()
            .and_then(super::duration_minutes),
        _ => str_of(event, "duration").and_then(|d| parse_duration(&d)),
    };
    // The day it starts in; else its date, moved back a day before the day change.
    let date = start_at
        .and_then(|t| {
            days.iter()
                .find(|d| d.start.is_some_and(|s| s <= t) && d.end.is_some_and(|e| t < e))
                .map(|d| d.date)
        })
        .unwrap_or_else(|| {
            let early = day_change.is_some_and(|c| {
                (start.hour() as u32) * 60 + (start.minute() as u32) < c.minutes()
            });
            let date = if early {
                start.date().yesterday().unwrap_or(start.date())
            } else {
                start.date()
            };
            Date(date)
        });
    let speakers = event
        .get("participants")
        .or_else(|| event.get("persons"))
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter(|p| {
                    str_of(p, "role")
                        .is_none_or(|r| PRESENTING.contains(&r.to_lowercase().as_str()))
                })
                .filter_map(person_name)
                .collect()
        })
        .unwrap_or_default();
    let links = web_links(event);
    let summary = super::summary(
        str_of(event, "subtitle"),
        &translated(event.get("abstract")),
        &translated(event.get("description")),
    );
    Ok(Entry {
        id,
        title,
        speakers,
        date,
        start: ClockTime::from_minutes(start.hour() as u32 * 60 + start.minute() as u32),
        duration,
        room: reference(event.get("room"), rooms),
        track: reference(event.get("track"), tracks),
        url: str_of(event, "url").filter(|u| super::is_web_url(u)),
        recording: None,
        links,
        summary,
        tags: Vec::new(),
    })
}

/// An instant as a local time: in the conference's zone, else at the offset it was written
/// with.
fn local(t: Timestamp, zone: Option<&TimeZone>, raw: Option<&str>) -> Option<DateTime> {
    match zone {
        Some(z) => Some(z.to_datetime(t)),
        None => match raw {
            Some(raw) => raw.get(..19)?.parse().ok(),
            None => Some(TimeZone::UTC.to_datetime(t)),
        },
    }
}

/// A room or track: a name, or a reference (`{guid}`, `{slug}`, `{name}`) to the
/// conference's list.
fn reference(value: Option<&Value>, list: &[Value]) -> Option<String> {
    let value = value?;
    if let Some(name) = value.as_str().map(str::trim).filter(|s| !s.is_empty()) {
        return Some(name.to_string());
    }
    if let Some(name) = str_of(value, "name") {
        return Some(name);
    }
    ["guid", "slug"].iter().find_map(|key| {
        let wanted = str_of(value, key)?;
        list.iter()
            .find(|item| str_of(item, key).as_deref() == Some(wanted.as_str()))
            .and_then(|item| str_of(item, "name"))
            .or(Some(wanted).filter(|_| *key == "slug"))
    })
}

/// A text, or a text per language (`{"en": …, "de": …}`): English, else the first.
fn translated(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(map)) => map
            .get("en")
            .and_then(Value::as_str)
            .or_else(|| map.values().find_map(Value::as_str))
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}
