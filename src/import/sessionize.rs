//! Sessionize "All data" JSON: `sessions`, `speakers`, `rooms`, `categories`. Times
//! (`startsAt`) have no offset: they are local times of the event. Service sessions (breaks,
//! lunch) are skipped, as Sessionize marks them; nothing else is.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::frab_json::str_of;
use super::{Entry, Schedule, text};
use crate::error::Diagnostic;
use crate::parse::types::{ClockTime, Date};

pub fn read(value: &Value, path: &Path) -> Result<Schedule, Diagnostic> {
    let list = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let id_of = |v: &Value| {
        v.get("id").map(|id| {
            id.as_str()
                .map(String::from)
                .unwrap_or_else(|| id.to_string())
        })
    };
    // Only the public name of a speaker is used: never e-mail, phone or other fields.
    let speakers: HashMap<String, String> = list("speakers")
        .iter()
        .filter_map(|s| Some((id_of(s)?, str_of(s, "fullName")?)))
        .collect();
    let rooms: HashMap<String, String> = list("rooms")
        .iter()
        .filter_map(|r| Some((id_of(r)?, str_of(r, "name")?)))
        .collect();
    let categories: HashMap<String, String> = list("categories")
        .iter()
        .flat_map(|c| {
            c.get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|item| Some((id_of(&item)?, str_of(&item, "name")?)))
        .collect();

    let mut schedule = Schedule {
        format: "Sessionize",
        name: "Conference".into(),
        timezone: None,
        day_change: None,
        days: Vec::new(),
        talks: Vec::new(),
        skipped: Vec::new(),
        zone_warning: None,
    };
    for s in list("sessions") {
        let id = id_of(&s).unwrap_or_default();
        let title = str_of(&s, "title").unwrap_or_default();
        let name = format!(
            "session {id} ({})",
            if title.is_empty() { "no title" } else { &title }
        );
        if s.get("isServiceSession").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        if title.is_empty() {
            schedule
                .skipped
                .push(format!("{name}: it has no title; skipped"));
            continue;
        }
        let Some((date, start)) = str_of(&s, "startsAt").as_deref().and_then(local_time) else {
            schedule.skipped.push(format!(
                "{name}: it has no start time (not scheduled); skipped"
            ));
            continue;
        };
        let end = str_of(&s, "endsAt").as_deref().and_then(local_time);
        let duration = end
            .filter(|(d, _)| *d == date)
            .and_then(|(_, e)| e.minutes().checked_sub(start.minutes()))
            .filter(|m| *m > 0);
        let names = |key: &str, table: &HashMap<String, String>| -> Vec<String> {
            s.get(key)
                .and_then(Value::as_array)
                .map(|ids| {
                    ids.iter()
                        .filter_map(|i| {
                            let key = i
                                .as_str()
                                .map(String::from)
                                .unwrap_or_else(|| i.to_string());
                            table.get(&key).cloned()
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let room = s
            .get("roomId")
            .map(|r| {
                r.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| r.to_string())
            })
            .and_then(|r| rooms.get(&r).cloned());
        if !schedule.days.contains(&date) {
            schedule.days.push(date);
        }
        let tags = names("categoryItems", &categories);
        schedule.talks.push(Entry {
            id: format!("sessionize-{id}"),
            title,
            speakers: names("speakers", &speakers),
            date,
            start,
            duration,
            room,
            track: tags.first().cloned(),
            url: None,
            recording: str_of(&s, "recordingUrl").filter(|u| super::is_web_url(u)),
            links: Vec::new(),
            summary: text::plain(&str_of(&s, "description").unwrap_or_default()),
            tags: tags.iter().map(|t| crate::model::slugify(t)).collect(),
        });
    }
    schedule.days.sort();
    if schedule.days.is_empty() {
        return Err(
            Diagnostic::new(path, "the Sessionize export has no scheduled sessions")
                .help("export \"All data\" after the schedule is published"),
        );
    }
    schedule
        .talks
        .sort_by(|a, b| (a.date, a.start, &a.id).cmp(&(b.date, b.start, &b.id)));
    Ok(super::unique_ids(schedule))
}

/// `2024-05-14T09:30:00` (local; an offset, if any, is ignored) → date and time.
fn local_time(s: &str) -> Option<(Date, ClockTime)> {
    let (d, t) = s.split_once('T')?;
    Some((Date::parse(d)?, ClockTime::parse(t.get(..5)?)?))
}
