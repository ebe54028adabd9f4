//! From a schedule to files: what to create, what to update, what disappeared.
//!
//! A note is matched to its talk by `id`. Re-importing updates only the fields the schedule
//! owns (title, speakers, day, start, duration or end, room, track; a recording link only where
//! the note has none), by editing those lines of the front matter in place: the body, comments
//! and every field the writer set by hand stay as they are (see [`super::edit`]). Talks that
//! left the schedule are listed, never deleted. Every file is named and checked before any is
//! written, and all are written together (see [`super::files`]).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::edit::{self, New, scalar};
use super::files::{self, NoteNames};
use super::memory;
use super::{Entry, Schedule};
use crate::error::{Diagnostic, Error, Result};
use crate::load::Source;
use crate::parse;
use crate::parse::types::{Date, DayRef};

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub actions: Vec<Action>,
    /// Notes whose talk is no longer in the schedule: (path, id, title). Kept.
    pub gone: Vec<(PathBuf, String, String)>,
    /// `summit.yaml` to write: a new one when the site has none, or init's with the
    /// schedule's days (`config_edited`).
    pub config: Option<String>,
    pub config_edited: bool,
    /// The starter files `init` writes besides notes, for a site that has no summit.yaml.
    pub starters: Vec<(PathBuf, String)>,
    /// Init's untouched sample notes, removed once the schedule's days replace init's.
    pub delete: Vec<PathBuf>,
    /// Talks whose note the writer deleted: not written again (see [`super::memory`]).
    pub removed: Vec<Entry>,
    /// `imported.yaml`, when it changes.
    pub memory: Option<String>,
    /// Talks on dates that are not days of the site.
    pub unplaced: Vec<Entry>,
    /// The site's days and time zone, as the notes will be read.
    pub days: Vec<Date>,
    pub timezone: Option<String>,
    /// Notes that could not be read or updated.
    pub warnings: Vec<String>,
}

/// How to plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write the notes of talks the writer removed again.
    pub restore: bool,
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
    /// The file as it is (BOM, line endings and all).
    text: String,
    meta: parse::TalkMeta,
}

/// The site's summit.yaml (its text and what it says), if it has one.
pub fn site_config(root: &Path) -> Result<Option<(String, crate::config::Config)>> {
    let config_path = crate::config::path(root);
    if !config_path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&config_path)
        .map_err(|e| Error::io("could not read", &config_path, e))?;
    let source = Source {
        path: crate::load::display_path(root, Path::new("summit.yaml")),
        rel: "summit.yaml".into(),
        text: text.as_str().into(),
    };
    let config = crate::config::Config::parse(&source).map_err(Error::from)?;
    Ok(Some((text, config)))
}

/// Decides what to write for `schedule` in the site at `root`.
pub fn plan(root: &Path, schedule: &Schedule, options: Options) -> Result<Plan> {
    let mut plan = Plan::default();
    let days: Vec<Date> = match site_config(root)? {
        Some((text, config)) => match super::site::fresh_from_init(root, &text, schedule) {
            Some(fresh) => {
                plan.config = Some(fresh.config);
                plan.config_edited = true;
                plan.delete = fresh.samples;
                plan.timezone = schedule.timezone.clone();
                schedule.days.clone()
            }
            None => {
                plan.timezone = config.event.timezone.as_ref().map(|t| t.value.clone());
                config.event.days.value.iter().map(|d| d.date).collect()
            }
        },
        None => {
            plan.config = Some(new_config(schedule)?);
            plan.starters = super::site::starter_files(root);
            plan.timezone = valid_zone(schedule);
            schedule.days.clone()
        }
    };
    plan.days = days.clone();
    let (memory_text, memory) = memory::load(root)?;

    let existing = existing_notes(root, &mut plan.warnings)?;
    let mut by_id: HashMap<&str, &Existing> = HashMap::new();
    for e in &existing {
        if let Some(id) = &e.meta.id {
            by_id.insert(&id.value, e);
        }
    }
    // Talks imported before whose note is gone now: the writer deleted it.
    let mut removed = memory.removed.clone();
    for (id, title) in &memory.imported {
        if !by_id.contains_key(id.as_str()) {
            removed.insert(id.clone(), title.clone());
        }
    }
    let mut names = NoteNames::default();
    for entry in &schedule.talks {
        let Some(day) = days
            .iter()
            .position(|d| *d == entry.date)
            .map(|i| i as u32 + 1)
        else {
            plan.unplaced.push(entry.clone());
            continue;
        };
        match by_id.get(entry.id.as_str()) {
            Some(note) => {
                let path = note.path.clone();
                let (text, fields) = match update(note, entry, &days)? {
                    Ok(done) => done,
                    Err(why) => {
                        plan.warnings.push(why);
                        (String::new(), Vec::new())
                    }
                };
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
            None if removed.contains_key(&entry.id) && !options.restore => {
                plan.removed.push(entry.clone());
            }
            None => {
                let path = names.claim(root, day, &entry.title);
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
    plan.memory = new_memory(&plan, &existing, removed, memory_text.as_deref())?;
    // Every target checked before anything is written; a folder in the way is named once.
    let mut seen = std::collections::HashSet::new();
    let problems: Vec<Diagnostic> = plan
        .files()
        .into_iter()
        .filter_map(|(path, _)| files::check_target(root, path))
        .filter(|d| seen.insert(d.to_string()))
        .collect();
    if !problems.is_empty() {
        return Err(problems.into());
    }
    Ok(plan)
}

impl Plan {
    /// Every file the plan writes: path relative to the site root, and its text.
    pub fn files(&self) -> Vec<(&Path, &str)> {
        let config = self
            .config
            .as_deref()
            .map(|c| (Path::new("summit.yaml"), c));
        let starters = self.starters.iter().map(|(p, t)| (p.as_path(), t.as_str()));
        let memory = self.memory.as_deref().map(|m| (Path::new(memory::FILE), m));
        let notes = self.actions.iter().filter_map(|a| match a {
            Action::New { path, text, .. } | Action::Update { path, text, .. } => {
                Some((path.as_path(), text.as_str()))
            }
            Action::Unchanged { .. } => None,
        });
        config
            .into_iter()
            .chain(starters)
            .chain(notes)
            .chain(memory)
            .collect()
    }
}

/// Writes the plan's files: all of them, or (on a failure) none; then removes init's samples.
pub fn apply(root: &Path, plan: &Plan) -> Result<()> {
    files::write_all(root, &plan.files())?;
    for rel in &plan.delete {
        let path = root.join(rel);
        std::fs::remove_file(&path).map_err(|e| Error::io("could not remove", &path, e))?;
        // The day folder too, when the sample was all it held.
        if let Some(dir) = path.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok(())
}

/// `imported.yaml` after this import, if it changes: every note's id (with the schedule's
/// title), and the removed talks that still have no note.
fn new_memory(
    plan: &Plan,
    existing: &[Existing],
    mut removed: BTreeMap<String, String>,
    old: Option<&str>,
) -> Result<Option<String>> {
    let mut imported = BTreeMap::new();
    for e in existing {
        if let Some(id) = &e.meta.id {
            imported.insert(id.value.clone(), e.meta.title.value.clone());
        }
    }
    for a in &plan.actions {
        imported.insert(a.entry().id.clone(), a.entry().title.clone());
    }
    removed.retain(|id, _| !imported.contains_key(id));
    if old.is_none() && imported.is_empty() && removed.is_empty() {
        return Ok(None);
    }
    let text = memory::render(&memory::Memory { imported, removed })?;
    Ok((old != Some(text.as_str())).then_some(text))
}

fn valid_zone(s: &Schedule) -> Option<String> {
    s.timezone
        .clone()
        .filter(|tz| jiff::tz::TimeZone::get(tz).is_ok())
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
                meta: t.meta,
            }),
            Ok(_) => {}
            Err(d) => warnings.extend(d.iter().map(|d| format!("{d} (left as it is)"))),
        }
    }
    Ok(out)
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

/// The note with the schedule's fields brought up to date, and the names of the fields
/// changed; or why it is left as it is.
fn update(
    note: &Existing,
    e: &Entry,
    days: &[Date],
) -> Result<std::result::Result<(String, Vec<&'static str>), String>> {
    let m = &note.meta;
    let date_of = |d: &DayRef| match d {
        DayRef::Date(d) => Some(*d),
        DayRef::Number(n) => days.get(*n as usize - 1).copied(),
    };
    let mut edits: Vec<(&'static str, New)> = Vec::new();
    if m.title.value != e.title {
        edits.push(("title", New::Inline(scalar(&e.title))));
    }
    let speakers: Vec<&str> = m.speakers.value.0.iter().map(|s| s.name.as_str()).collect();
    if speakers != e.speakers.iter().map(String::as_str).collect::<Vec<_>>()
        && !e.speakers.is_empty()
    {
        edits.push((
            "speakers",
            New::Speakers {
                names: e.speakers.clone(),
                old: m.speakers.value.0.clone(),
            },
        ));
    }
    if date_of(&m.day.value) != Some(e.date) {
        edits.push(("day", New::Inline(e.date.to_string())));
    }
    if m.start != Some(e.start) {
        edits.push(("start", New::Inline(format!("\"{}\"", e.start))));
    }
    match (&m.end, e.duration) {
        // The writer uses `end`: keep using it.
        (Some(end), Some(d)) => {
            let new_end = crate::parse::types::ClockTime::from_minutes(e.start.minutes() + d);
            if end.value != new_end {
                edits.push(("end", New::Inline(format!("\"{new_end}\""))));
            }
        }
        (None, d) if m.duration.as_ref().map(|x| x.value.0) != d => {
            edits.push((
                "duration",
                d.map_or(New::Remove, |d| New::Inline(d.to_string())),
            ));
        }
        _ => {}
    }
    let optional =
        |v: &Option<String>| v.as_deref().map_or(New::Remove, |v| New::Inline(scalar(v)));
    if m.room.as_deref() != e.room.as_deref() {
        edits.push(("room", optional(&e.room)));
    }
    if m.track.as_deref() != e.track.as_deref() {
        edits.push(("track", optional(&e.track)));
    }
    if m.video.is_none()
        && let Some(rec) = &e.recording
    {
        edits.push(("video", New::Inline(scalar(rec))));
    }
    let names: Vec<&'static str> = edits.iter().map(|(k, _)| *k).collect();
    if edits.is_empty() {
        return Ok(Ok((note.text.clone(), names)));
    }
    let left = |why: &str| {
        Ok(Err(format!(
            "{}: could not update {} ({why}); left as it is",
            note.path.display(),
            names.join(", ")
        )))
    };
    let Some(text) = edit::edit(&note.text, &edits) else {
        return left("its front matter does not start and end with a `---` line");
    };
    // The edited note must still read as the same talk.
    let source = Source {
        path: note.path.clone(),
        rel: note.path.clone(),
        text: crate::load::decode(text.as_bytes()).unwrap_or_default(),
    };
    match parse::talk(&source) {
        // The id's value, not its place: an edit above it may move it.
        Ok(t) if t.meta.id.as_ref().map(|i| &i.value) == m.id.as_ref().map(|i| &i.value) => {
            Ok(Ok((text, names)))
        }
        _ => left("its front matter is written in a form the importer does not edit"),
    }
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
