//! The site around the notes: a summit.yaml as `init` left it gets the schedule's days, and
//! an import into a folder without summit.yaml writes the starter files `init` writes.
//!
//! "As `init` left it" is read from the files, not remembered: summit.yaml's `event.days` is
//! two `- date:` lines for consecutive days, and `content/talks/` holds nothing but init's two
//! sample notes, byte for byte as init wrote them. Then the days (and init's placeholder
//! event name and time zone) are replaced in place, every other line kept, and the samples are
//! removed. A site with any note of the writer's own is never changed this way.

use std::path::{Path, PathBuf};

use super::Schedule;
use super::edit::scalar;
use crate::parse::types::Date;

/// summit.yaml with the schedule's days, and init's untouched samples to remove.
#[derive(Debug)]
pub struct Fresh {
    pub config: String,
    pub samples: Vec<PathBuf>,
}

/// Init's files for any language and date; the dates only appear in summit.yaml.
fn init_files() -> Vec<(PathBuf, String)> {
    let some_day = jiff::civil::date(2000, 1, 1);
    use crate::scaffold::{Kind, starter_files};
    // A site's and a blog recap's (whose language may be the blog's).
    let languages = crate::config::Language::ALL.map(|l| Some(l.code()));
    [Kind::Site, Kind::Recap]
        .into_iter()
        .flat_map(|kind| languages.iter().chain([&None]).map(move |l| (kind, *l)))
        .filter_map(|(kind, lang)| starter_files(kind, lang, some_day).ok())
        .flatten()
        .collect()
}

fn is_sample(rel: &Path) -> bool {
    rel.starts_with("content/talks")
}

/// The files `init` writes besides notes and summit.yaml, that `root` does not have yet.
pub fn starter_files(root: &Path) -> Vec<(PathBuf, String)> {
    let some_day = jiff::civil::date(2000, 1, 1);
    crate::scaffold::starter_files(crate::scaffold::Kind::Site, Some("en"), some_day)
        .unwrap_or_default()
        .into_iter()
        .filter(|(rel, _)| !is_sample(rel) && rel != Path::new("summit.yaml"))
        .filter(|(rel, _)| std::fs::symlink_metadata(root.join(rel)).is_err())
        .collect()
}

/// If the site is as `init` left it: summit.yaml with the schedule's days, and the samples.
pub fn fresh_from_init(root: &Path, config: &str, schedule: &Schedule) -> Option<Fresh> {
    let samples = untouched_samples(root)?;
    let eol = if config.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut lines: Vec<String> = config.split_inclusive('\n').map(String::from).collect();
    let event = lines.iter().position(|l| l.trim_end() == "event:")?;
    let end = (event + 1..lines.len())
        .find(|&i| !lines[i].starts_with([' ', '\t']) && !lines[i].trim().is_empty())
        .unwrap_or(lines.len());
    let field = |lines: &[String], key: &str| {
        (event + 1..end).find(|&i| {
            lines[i]
                .trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.starts_with(':'))
        })
    };
    let days_at = field(&lines, "days")?;
    let indent =
        lines[days_at][..lines[days_at].len() - lines[days_at].trim_start().len()].to_string();
    let item_indent = format!("{indent}  ");
    let dates: Vec<Date> = lines[days_at + 1..end]
        .iter()
        .map(|l| {
            l.trim_end()
                .strip_prefix(&item_indent)?
                .strip_prefix("- date: ")
                .and_then(Date::parse)
        })
        .collect::<Option<_>>()?;
    let init_days = dates.len() == 2 && dates[0].0.tomorrow().ok() == Some(dates[1].0);
    if !init_days || dates == schedule.days {
        return None;
    }
    let new_days: Vec<String> = schedule
        .days
        .iter()
        .map(|d| format!("{item_indent}- date: {d}{eol}"))
        .collect();
    lines.splice(days_at + 1..end, new_days);
    let mut set = |key: &str, placeholder: &str, value: Option<String>| {
        let (Some(i), Some(value)) = (field(&lines, key), value) else {
            return;
        };
        if lines[i].trim() == format!("{key}: {placeholder}") {
            lines[i] = format!("{indent}{key}: {value}{eol}");
        }
    };
    set("name", "\"My Conference\"", Some(scalar(&schedule.name)));
    let zone = schedule
        .timezone
        .clone()
        .filter(|z| jiff::tz::TimeZone::get(z).is_ok());
    set("timezone", "Europe/Copenhagen", zone);
    if let Some(change) = schedule.day_change
        && field(&lines, "day_change").is_none()
        && let Some(days_at) = field(&lines, "days")
    {
        lines.insert(days_at, format!("{indent}day_change: \"{change}\"{eol}"));
    }
    Some(Fresh {
        config: lines.concat(),
        samples,
    })
}

/// Init's sample notes, when `content/talks/` holds exactly those, untouched.
fn untouched_samples(root: &Path) -> Option<Vec<PathBuf>> {
    let init = init_files();
    let dir = root.join("content/talks");
    let mut samples = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.ok()?;
        if !entry.file_type().is_file()
            || crate::load::is_ignored(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = entry.path().strip_prefix(root).ok()?.to_path_buf();
        let text = std::fs::read(entry.path()).ok()?;
        let untouched = init
            .iter()
            .any(|(path, init_text)| *path == rel && init_text.as_bytes() == text);
        if !untouched {
            return None;
        }
        samples.push(rel);
    }
    Some(samples)
}
