//! From a schedule to files: what to create, what to update, what disappeared.
//!
//! A note is matched to its talk by `id`. Re-importing updates only the fields the schedule
//! owns (title, speakers, day, start, duration or end, room, track; a recording link only where
//! the note has none), by editing those lines of the front matter in place: the body, comments
//! and every field the writer set by hand stay as they are. Talks that left the schedule are
//! listed, never deleted. Each file is written atomically (a temporary file, then a rename).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Entry, Schedule};
use crate::error::{Diagnostic, Error, Result};
use crate::load::Source;
use crate::parse::types::{Date, DayRef};
use crate::parse::{self, front_matter};

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub actions: Vec<Action>,
    /// Notes whose talk is no longer in the schedule: (path, id, title). Kept.
    pub gone: Vec<(PathBuf, String, String)>,
    /// `summit.yaml` to write, when the site has none.
    pub config: Option<String>,
    /// Talks that could not be placed, and notes that could not be read.
    pub warnings: Vec<String>,
}

#[derive(Debug)]
pub enum Action {
    New {
        path: PathBuf,
        text: String,
        entry: Entry,
    },
    Update {
        path: PathBuf,
        text: String,
        entry: Entry,
        fields: Vec<&'static str>,
    },
    Unchanged {
        path: PathBuf,
        entry: Entry,
    },
}

impl Action {
    pub fn entry(&self) -> &Entry {
        match self {
            Action::New { entry, .. }
            | Action::Update { entry, .. }
            | Action::Unchanged { entry, .. } => entry,
        }
    }
}

/// A note already in the site that carries an `id`.
struct Existing {
    path: PathBuf,
    text: String,
    yaml_line: usize,
    meta: parse::TalkMeta,
}

/// Decides what to write for `schedule` in the site at `root`.
pub fn plan(root: &Path, schedule: &Schedule) -> Result<Plan> {
    let mut plan = Plan::default();
    let config_path = crate::config::path(root);
    let days: Vec<Date> = if config_path.is_file() {
        let text = std::fs::read_to_string(&config_path)
            .map_err(|e| Error::io("could not read", &config_path, e))?;
        let source = Source {
            path: crate::load::display_path(root, Path::new("summit.yaml")),
            rel: "summit.yaml".into(),
            text,
        };
        let config = crate::config::Config::parse(&source).map_err(Error::from)?;
        config.event.days.value.iter().map(|d| d.date).collect()
    } else {
        plan.config = Some(new_config(schedule)?);
        schedule.days.clone()
    };

    let existing = existing_notes(root, &mut plan.warnings)?;
    let mut by_id: HashMap<&str, &Existing> = HashMap::new();
    for e in &existing {
        if let Some(id) = &e.meta.id {
            by_id.insert(&id.value, e);
        }
    }
    let mut taken: std::collections::HashSet<PathBuf> =
        existing.iter().map(|e| e.path.clone()).collect();
    for entry in &schedule.talks {
        let Some(day) = days
            .iter()
            .position(|d| *d == entry.date)
            .map(|i| i as u32 + 1)
        else {
            plan.warnings.push(format!(
                "talk {} ({}) is on {}, which is not one of summit.yaml's days; not imported",
                entry.id, entry.title, entry.date
            ));
            continue;
        };
        match by_id.get(entry.id.as_str()) {
            Some(note) => {
                let (text, fields) = update(note, entry, &days)?;
                let path = note.path.clone();
                plan.actions.push(if fields.is_empty() {
                    Action::Unchanged {
                        path,
                        entry: entry.clone(),
                    }
                } else {
                    Action::Update {
                        path,
                        text,
                        entry: entry.clone(),
                        fields,
                    }
                });
            }
            None => {
                let path = free_path(root, day, &entry.title, &mut taken);
                plan.actions.push(Action::New {
                    path,
                    text: new_note(entry)?,
                    entry: entry.clone(),
                });
            }
        }
    }
    let in_schedule: std::collections::HashSet<&str> =
        schedule.talks.iter().map(|t| t.id.as_str()).collect();
    for e in &existing {
        if let Some(id) = &e.meta.id
            && !in_schedule.contains(id.value.as_str())
        {
            plan.gone
                .push((e.path.clone(), id.value.clone(), e.meta.title.value.clone()));
        }
    }
    Ok(plan)
}

/// Writes the plan's files, each atomically.
pub fn apply(root: &Path, plan: &Plan) -> Result<()> {
    if let Some(config) = &plan.config {
        write_atomic(&crate::config::path(root), config)?;
    }
    for action in &plan.actions {
        match action {
            Action::New { path, text, .. } | Action::Update { path, text, .. } => {
                write_atomic(&root.join(path), text)?
            }
            Action::Unchanged { .. } => {}
        }
    }
    Ok(())
}

fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("could not create", dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.summit-gen-tmp"));
    std::fs::write(&tmp, text).map_err(|e| Error::io("could not write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("could not replace", path, e)
    })
}

/// Every note under content/talks with an `id`; notes that do not parse are left alone.
fn existing_notes(root: &Path, warnings: &mut Vec<String>) -> Result<Vec<Existing>> {
    let dir = root.join("content/talks");
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io("could not list", &dir, e.into()))?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::load::is_ignored(&name) || !name.ends_with(".md")
        {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let Ok(text) = crate::load::decode(&bytes) else {
            continue;
        };
        let source = Source {
            path: rel.clone(),
            rel: rel.clone(),
            text: text.clone(),
        };
        match parse::talk(&source) {
            Ok(t) if t.meta.id.is_some() => out.push(Existing {
                path: rel,
                text: String::from_utf8_lossy(&bytes).into_owned(),
                yaml_line: t.yaml_line,
                meta: t.meta,
            }),
            Ok(_) => {}
            Err(d) => warnings.extend(d.iter().map(|d| format!("{d} (left as it is)"))),
        }
    }
    Ok(out)
}

/// content/talks/day-N/<slug>.md, or -2, -3 … if that is taken.
fn free_path(
    root: &Path,
    day: u32,
    title: &str,
    taken: &mut std::collections::HashSet<PathBuf>,
) -> PathBuf {
    let dir = PathBuf::from(format!("content/talks/day-{day}"));
    let slug = crate::model::slugify(title);
    let path = (1..)
        .map(|n| match n {
            1 => dir.join(format!("{slug}.md")),
            n => dir.join(format!("{slug}-{n}.md")),
        })
        .find(|p| !taken.contains(p) && !root.join(p).exists())
        .unwrap_or_else(|| dir.join(format!("{slug}.md")));
    taken.insert(path.clone());
    path
}

#[derive(Serialize)]
struct NewNote<'a> {
    title: &'a str,
    speakers: &'a [String],
    day: String,
    /// Quoted, so that no YAML 1.1 reader takes 09:00 for a number.
    start: serde_saphyr::DoubleQuoted<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    room: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    track: Option<&'a str>,
    tags: &'a [String],
    recommended: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    video: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkOut<'a>>,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Extra<'a>>,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Extra<'a> {
    #[serde(rename = "abstract")]
    summary: &'a str,
}

fn yaml<T: Serialize>(value: &T) -> Result<String> {
    serde_saphyr::to_string(value).map_err(|e| Error::Serve {
        what: format!("could not write YAML: {e}"),
        help: "report this as a bug".into(),
    })
}

/// A new note: the schedule's fields, an empty body with a prompt (an HTML comment, so the
/// post shows nothing until the writer writes), the abstract under `extra.abstract`.
fn new_note(e: &Entry) -> Result<String> {
    let mut links: Vec<LinkOut<'_>> = Vec::new();
    if let Some(url) = &e.url {
        links.push(LinkOut {
            title: "Talk page",
            url,
        });
    }
    links.extend(e.links.iter().map(|(t, u)| LinkOut { title: t, url: u }));
    let meta = NewNote {
        title: &e.title,
        speakers: &e.speakers,
        day: e.date.to_string(),
        start: serde_saphyr::DoubleQuoted(e.start.to_string()),
        duration: e.duration,
        room: e.room.as_deref(),
        track: e.track.as_deref(),
        tags: &e.tags,
        recommended: false,
        video: e.recording.as_deref(),
        links,
        id: &e.id,
        extra: (!e.summary.is_empty()).then_some(Extra {
            summary: &e.summary,
        }),
    };
    Ok(format!(
        "---\n{}---\n<!-- Your notes on this talk: what was good, and should others watch it? The schedule's abstract is under extra.abstract. -->\n",
        yaml(&meta)?
    ))
}

/// The note with the schedule's fields brought up to date; the names of the fields changed.
fn update(note: &Existing, e: &Entry, days: &[Date]) -> Result<(String, Vec<&'static str>)> {
    let m = &note.meta;
    let date_of = |d: &DayRef| match d {
        DayRef::Date(d) => Some(*d),
        DayRef::Number(n) => days.get(*n as usize - 1).copied(),
    };
    let mut edits: Vec<(&'static str, Option<String>)> = Vec::new();
    if m.title.value != e.title {
        edits.push(("title", Some(yaml(&HashMap::from([("title", &e.title)]))?)));
    }
    let speakers: Vec<&str> = m.speakers.value.0.iter().map(|s| s.name.as_str()).collect();
    if speakers != e.speakers.iter().map(String::as_str).collect::<Vec<_>>()
        && !e.speakers.is_empty()
    {
        edits.push((
            "speakers",
            Some(yaml(&HashMap::from([("speakers", &e.speakers)]))?),
        ));
    }
    if date_of(&m.day.value) != Some(e.date) {
        edits.push(("day", Some(format!("day: {}\n", e.date))));
    }
    if m.start != Some(e.start) {
        edits.push(("start", Some(format!("start: \"{}\"\n", e.start))));
    }
    match (&m.end, e.duration) {
        // The writer uses `end`: keep using it.
        (Some(end), Some(d)) => {
            let new_end = crate::parse::types::ClockTime::from_minutes(e.start.minutes() + d);
            if end.value != new_end {
                edits.push(("end", Some(format!("end: \"{new_end}\"\n"))));
            }
        }
        (None, d) if m.duration.as_ref().map(|x| x.value.0) != d => {
            edits.push(("duration", d.map(|d| format!("duration: {d}\n"))));
        }
        _ => {}
    }
    if m.room.as_deref() != e.room.as_deref() {
        edits.push((
            "room",
            e.room
                .as_ref()
                .map(|r| yaml(&HashMap::from([("room", r)])))
                .transpose()?,
        ));
    }
    if m.track.as_deref() != e.track.as_deref() {
        edits.push((
            "track",
            e.track
                .as_ref()
                .map(|t| yaml(&HashMap::from([("track", t)])))
                .transpose()?,
        ));
    }
    if m.video.is_none()
        && let Some(rec) = &e.recording
    {
        edits.push(("video", Some(yaml(&HashMap::from([("video", rec)]))?)));
    }
    let names = edits.iter().map(|(k, _)| *k).collect();
    if edits.is_empty() {
        return Ok((note.text.clone(), names));
    }
    let text = edit_front_matter(&note.text, note.yaml_line, &edits).ok_or_else(|| {
        Error::from(vec![
            Diagnostic::new(&note.path, "could not update its front matter")
                .help("check that it starts and ends with a `---` line"),
        ])
    })?;
    Ok((text, names))
}

/// Replaces (or adds, or removes) top-level keys in the front matter of `text`, leaving every
/// other line — comments, the writer's own keys, the body — byte for byte as it was.
fn edit_front_matter(
    text: &str,
    yaml_line: usize,
    edits: &[(&str, Option<String>)],
) -> Option<String> {
    let normalized = text.replace("\r\n", "\n");
    let split = front_matter::split(&normalized, Path::new("")).ok()?;
    let yaml = split.yaml?;
    let _ = yaml_line;
    let mut lines: Vec<String> = yaml.lines().map(String::from).collect();
    for (key, value) in edits {
        let prefix = format!("{key}:");
        let start = lines.iter().position(|l| l.starts_with(&prefix));
        let new_lines: Vec<String> = value
            .iter()
            .flat_map(|v| v.lines().map(String::from))
            .collect();
        match start {
            Some(i) => {
                // The key's value continues on indented lines and block-sequence items.
                let end = (i + 1..lines.len())
                    .find(|&j| {
                        let l = &lines[j];
                        !(l.starts_with(' ')
                            || l.starts_with('\t')
                            || l.starts_with("- ")
                            || l == "-")
                    })
                    .unwrap_or(lines.len());
                lines.splice(i..end, new_lines);
            }
            None => lines.extend(new_lines),
        }
    }
    let mut out = String::from("---\n");
    for l in &lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(split.body);
    Some(out)
}

#[derive(Serialize)]
struct NewConfig<'a> {
    title: String,
    language: &'a str,
    base_url: &'a str,
    event: NewEvent<'a>,
}

#[derive(Serialize)]
struct NewEvent<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day_change: Option<serde_saphyr::DoubleQuoted<String>>,
    days: Vec<HashMap<&'a str, String>>,
}

/// summit.yaml for a site that has none, from the schedule.
fn new_config(s: &Schedule) -> Result<String> {
    let timezone = s
        .timezone
        .as_deref()
        .filter(|tz| jiff::tz::TimeZone::get(tz).is_ok());
    yaml(&NewConfig {
        title: format!("{}: my notes", s.name),
        language: "en",
        base_url: "/",
        event: NewEvent {
            name: &s.name,
            timezone,
            day_change: s
                .day_change
                .map(|t| serde_saphyr::DoubleQuoted(t.to_string())),
            days: s
                .days
                .iter()
                .map(|d| HashMap::from([("date", d.to_string())]))
                .collect(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_only_the_named_keys() {
        let text = "---\ntitle: Old\n# my comment\nspeakers:\n- A\n- B\nrecommended: true\nextra: {mine: 1}\n---\nMy notes.\n\n---\n\nMore.\n";
        let out = edit_front_matter(
            text,
            2,
            &[
                ("title", Some("title: New\n".into())),
                ("speakers", Some("speakers:\n- C\n".into())),
                ("room", Some("room: R2\n".into())),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "---\ntitle: New\n# my comment\nspeakers:\n- C\nrecommended: true\nextra: {mine: 1}\nroom: R2\n---\nMy notes.\n\n---\n\nMore.\n"
        );
    }
}
