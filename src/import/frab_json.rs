//! pretalx / frab `schedule.json` (version 1: `schedule.conference.days[].rooms{}`) and the
//! c3voc schedule v2 JSON, which has the same shape with `conference.rooms[]` and where a
//! day's rooms may also be a list. Talks belong to the day they are listed under.

use std::path::Path;

use serde_json::Value;

use super::{Entry, Schedule, parse_duration};
use crate::error::Diagnostic;
use crate::parse::types::Date;

pub fn read(value: &Value, path: &Path) -> Result<Schedule, Diagnostic> {
    let bad = |what: &str| {
        Diagnostic::new(path, format!("not a pretalx/frab schedule: {what}"))
            .help(format!("summit-gen reads {}", super::FORMATS))
    };
    let conference = value
        .pointer("/schedule/conference")
        .ok_or_else(|| bad("no `schedule.conference`"))?;
    let days = conference
        .get("days")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `schedule.conference.days` list"))?;
    let name = str_of(conference, "title")
        .or_else(|| str_of(conference, "acronym"))
        .unwrap_or_else(|| "Conference".into());
    let mut schedule = Schedule {
        format: "pretalx/frab schedule.json",
        name,
        timezone: str_of(conference, "time_zone_name"),
        day_change: days
            .first()
            .and_then(|d| str_of(d, "day_start"))
            .and_then(|s| super::time_of(&s))
            .filter(|t| t.minutes() > 0),
        days: Vec::new(),
        talks: Vec::new(),
        skipped: Vec::new(),
        zone_warning: None,
    };
    for (i, day) in days.iter().enumerate() {
        let date = str_of(day, "date")
            .and_then(|d| Date::parse(&d))
            .ok_or_else(|| bad(&format!("day {} has no `date` (YYYY-MM-DD)", i + 1)))?;
        if !schedule.days.contains(&date) {
            schedule.days.push(date);
        }
        let events: Vec<&Value> = match day.get("rooms") {
            Some(Value::Object(rooms)) => rooms
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .collect(),
            Some(Value::Array(rooms)) => rooms
                .iter()
                .filter_map(|r| r.get("events").and_then(Value::as_array))
                .flatten()
                .collect(),
            _ => Vec::new(),
        };
        for event in events {
            match entry(event, date) {
                Ok(e) => schedule.talks.push(e),
                Err(why) => schedule.skipped.push(why),
            }
        }
    }
    schedule.days.sort();
    if schedule.days.is_empty() {
        return Err(bad("it lists no days"));
    }
    // Some exports name UTC while every time carries another offset: trust the times.
    let offset = days
        .iter()
        .filter_map(|d| d.get("rooms"))
        .flat_map(|r| match r {
            Value::Object(rooms) => rooms
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .collect::<Vec<_>>(),
            Value::Array(rooms) => rooms
                .iter()
                .filter_map(|r| r.get("events").and_then(Value::as_array))
                .flatten()
                .collect(),
            _ => Vec::new(),
        })
        .find_map(|e| str_of(e, "date"))
        .and_then(|d| d.get(19..).map(String::from));
    if schedule.timezone.as_deref() == Some("UTC")
        && let Some(offset) =
            offset.filter(|o| !matches!(o.as_str(), "Z" | "+00:00" | "-00:00" | ""))
    {
        schedule.zone_warning = Some(format!(
            "the schedule names the time zone UTC, but its times are at {offset}; the time zone is left out — set event.timezone in summit.yaml, or import with --timezone ZONE"
        ));
        schedule.timezone = None;
    }
    // Rooms are an object: order talks by day and time, then id, for a stable result.
    schedule
        .talks
        .sort_by(|a, b| (a.date, a.start, &a.id).cmp(&(b.date, b.start, &b.id)));
    Ok(super::unique_ids(schedule))
}

fn entry(event: &Value, date: Date) -> Result<Entry, String> {
    let id = str_of(event, "guid")
        .or_else(|| {
            event.get("id").and_then(|v| {
                v.as_u64()
                    .map(|n| n.to_string())
                    .or_else(|| v.as_str().map(String::from))
            })
        })
        .unwrap_or_default();
    let title = str_of(event, "title").unwrap_or_default();
    let name = super::name("talk", &id, &title);
    super::require_title_and_id(&name, &title, &id, "title")?;
    let start = super::require_start(&name, str_of(event, "start"), "start")?;
    let speakers = event
        .get("persons")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().filter_map(person_name).collect())
        .unwrap_or_default();
    let links = web_links(event);
    let duration = match event.get("duration") {
        Some(Value::Number(n)) => n.as_u64().and_then(super::duration_minutes),
        Some(Value::String(s)) => parse_duration(s),
        _ => None,
    };
    let summary = super::summary(
        str_of(event, "subtitle"),
        &str_of(event, "abstract").unwrap_or_default(),
        &str_of(event, "description").unwrap_or_default(),
    );
    let recording = event
        .get("recording")
        .and_then(|r| str_of(r, "url").or_else(|| str_of(r, "link")))
        .filter(|u| super::is_web_url(u));
    Ok(Entry {
        id,
        title,
        speakers,
        date,
        start,
        duration,
        room: str_of(event, "room"),
        track: str_of(event, "track"),
        url: str_of(event, "url").filter(|u| super::is_web_url(u)),
        recording,
        links,
        summary,
        tags: Vec::new(),
    })
}

/// A person's name as frab and c3voc JSON write it: `public_name`, `name`, or a bare string.
pub(super) fn person_name(p: &Value) -> Option<String> {
    str_of(p, "public_name")
        .or_else(|| str_of(p, "name"))
        .or_else(|| p.as_str().map(String::from))
}

/// An event's `links` (`{title, url}`) that lead to the web, as (title, url).
pub(super) fn web_links(event: &Value) -> Vec<(String, String)> {
    event
        .get("links")
        .and_then(Value::as_array)
        .map(|ls| {
            ls.iter()
                .filter_map(|l| {
                    let url = str_of(l, "url")?;
                    let title = str_of(l, "title").unwrap_or_else(|| url.clone());
                    super::is_web_url(&url).then_some((title, url))
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
