//! `summit-gen import SCHEDULE`: one note per talk from a published schedule.

use std::path::PathBuf;

use clap::Args;

use super::Verbosity;
use crate::import::merge::{self, Action};
use crate::parse::types::Date;
use crate::{Diagnostic, Error};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The schedule, a file or an http(s):// URL: frab/pretalx schedule.xml or schedule.json,
    /// a Sessionize "All data" export, or an iCalendar (.ics) file.
    pub schedule: PathBuf,
    #[command(flatten)]
    pub site: super::SiteArg,
    /// Keep only talks whose title, track or tags contain one of these comma-separated terms.
    #[arg(long, value_name = "TERMS", value_delimiter = ',')]
    pub only: Vec<String>,
    /// The event's time zone (an IANA name such as Europe/Berlin), for a schedule that names
    /// none.
    #[arg(long, value_name = "ZONE", value_parser = zone_arg)]
    pub timezone: Option<String>,
    /// Write the notes of talks you deleted again (see imported.yaml).
    #[arg(long)]
    pub restore: bool,
    /// How long to wait for a schedule given as a URL, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Show what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `--timezone`: an IANA time zone name.
fn zone_arg(zone: &str) -> Result<String, String> {
    match jiff::tz::TimeZone::get(zone) {
        Ok(_) => Ok(zone.to_string()),
        Err(_) => Err("not a time zone name; give an IANA name such as Europe/Berlin".into()),
    }
}

pub fn run(args: ImportArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let source = args.schedule.to_string_lossy();
    let bytes = if source.starts_with("http://") || source.starts_with("https://") {
        crate::import::download::get(&source, std::time::Duration::from_secs(args.timeout))?
    } else {
        std::fs::read(&args.schedule).map_err(|e| Error::io("could not read", &args.schedule, e))?
    };
    let root = args.site.root(verbosity)?;
    let site = merge::site_config(&root)?;
    let site_zone = site
        .as_ref()
        .and_then(|(_, c)| c.event.timezone.as_ref().map(|t| t.value.clone()));
    let zones = crate::import::Zones {
        site: site_zone.as_deref(),
        fallback: args.timezone.as_deref(),
    };
    let mut schedule =
        crate::import::read(&bytes, &args.schedule, zones).map_err(|d| Error::from(vec![d]))?;
    let read = schedule.talks.len();
    crate::import::filter(&mut schedule, &args.only);
    let options = merge::Options {
        restore: args.restore,
    };
    let plan = merge::plan(&root, &schedule, options)?;

    for w in schedule.skipped.iter().chain(&plan.warnings) {
        super::warn(verbosity, shown(w));
    }
    if let Some(w) = schedule
        .zone_warning
        .as_ref()
        .filter(|_| plan.timezone.is_none())
    {
        super::warn(verbosity, shown(w));
    }
    if !plan.unplaced.is_empty() && !plan.actions.is_empty() {
        super::warn(verbosity, unplaced(&plan));
    }
    if args.dry_run || verbosity == Verbosity::Verbose {
        table(&plan);
    }
    if plan.actions.is_empty() && plan.removed.is_empty() {
        return Err(nothing(&args, &schedule, &plan, read).into());
    }
    if !args.dry_run {
        merge::apply(&root, &plan)?;
    }
    if verbosity != Verbosity::Quiet {
        summary(&args, &schedule, &plan, started);
    }
    Ok(())
}

/// Why an import would write no note, and what to do: an error, since nothing was imported.
fn nothing(
    args: &ImportArgs,
    schedule: &crate::import::Schedule,
    plan: &merge::Plan,
    read: usize,
) -> Error {
    let diagnostic = if !plan.unplaced.is_empty() {
        Diagnostic::new(&args.schedule, unplaced(plan)).help(
            "set event.days in summit.yaml to the schedule's days, or import into a new, empty folder",
        )
    } else if read > 0 {
        Diagnostic::new(
            &args.schedule,
            format!(
                "none of the schedule's {read} talks has a title, track or tag containing {}",
                args.only.join(", ")
            ),
        )
        .help("check the --only terms, or leave --only out to import every talk")
    } else {
        let why = if schedule.skipped.is_empty() {
            "the schedule lists no talks".to_string()
        } else {
            format!(
                "the schedule lists no talk that can be imported ({} skipped, see the warnings above)",
                schedule.skipped.len()
            )
        };
        Diagnostic::new(&args.schedule, why).help(
            "is this the conference's full schedule? export it again once the talks are scheduled",
        )
    };
    Error::from(vec![diagnostic])
}

/// "all 36 talks are on 2020-12-14..16, which are not days in summit.yaml (2026-12-01..02)"
fn unplaced(plan: &merge::Plan) -> String {
    let mut dates: Vec<Date> = plan.unplaced.iter().map(|e| e.date).collect();
    dates.sort();
    dates.dedup();
    let n = plan.unplaced.len();
    let all = if plan.actions.is_empty() && plan.removed.is_empty() {
        format!("all {n} talks are")
    } else if n == 1 {
        "1 talk is".to_string()
    } else {
        format!("{n} talks are")
    };
    let which = if dates.len() == 1 {
        "which is not a day"
    } else {
        "which are not days"
    };
    let days = if plan.days.is_empty() {
        "none".to_string()
    } else {
        span(&plan.days)
    };
    format!(
        "{all} on {}, {which} in summit.yaml ({days}); not imported",
        span(&dates)
    )
}

/// Dates as briefly as they read: `2020-12-14..16` for a run of days, else a list.
fn span(dates: &[Date]) -> String {
    let run = dates
        .windows(2)
        .all(|w| w[0].0.tomorrow().ok() == Some(w[1].0));
    match (dates.first(), dates.last()) {
        (Some(first), Some(last)) if run && dates.len() > 1 => {
            let (a, b) = (first.to_string(), last.to_string());
            let cut = if a[..7] == b[..7] {
                8
            } else if a[..4] == b[..4] {
                5
            } else {
                0
            };
            format!("{a}..{}", &b[cut..])
        }
        _ => dates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn summary(
    args: &ImportArgs,
    schedule: &crate::import::Schedule,
    plan: &merge::Plan,
    started: std::time::Instant,
) {
    let count = |f: fn(&Action) -> bool| plan.actions.iter().filter(|a| f(a)).count();
    let new = count(|a| matches!(a, Action::New { .. }));
    let updated = count(|a| matches!(a, Action::Update { .. }));
    let unchanged = count(|a| matches!(a, Action::Unchanged { .. }));
    let verb = if args.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    let config = match (&plan.config, plan.config_edited, args.dry_run) {
        (Some(_), false, false) => "; wrote summit.yaml",
        (Some(_), true, false) => "; summit.yaml: init's days replaced by the schedule's",
        _ => "",
    };
    println!(
        "{verb} {} talks from a {} ({} new, {} updated, {} unchanged) in {} ms{config}",
        plan.actions.len(),
        schedule.format,
        new,
        updated,
        unchanged,
        started.elapsed().as_millis(),
    );
    if !plan.delete.is_empty() && !args.dry_run {
        println!(
            "Removed init's sample notes (untouched): {}",
            listed(&plan.delete)
        );
    }
    if !plan.starters.is_empty() && !args.dry_run {
        let paths: Vec<PathBuf> = plan.starters.iter().map(|(p, _)| p.clone()).collect();
        println!("Wrote the starter files init writes: {}", listed(&paths));
    }
    if !plan.removed.is_empty() {
        println!(
            "{} talks whose notes you deleted were not imported again (they are listed in imported.yaml; --restore brings them back)",
            plan.removed.len()
        );
    }
    if !plan.gone.is_empty() {
        println!(
            "{} notes are for talks no longer in the schedule; they were kept:",
            plan.gone.len()
        );
        for (path, id, title) in &plan.gone {
            println!(
                "  {} ({}, id {})",
                shown(&path.display().to_string()),
                shown(title),
                shown(id)
            );
        }
    }
}

fn listed(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| shown(&p.display().to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Width of the title column; longer titles are cut and end in `…`.
const TITLE_WIDTH: usize = 50;

/// What import would do, a line per talk, by day and time (the schedule's order within one
/// time), then the notes whose talk is gone.
fn table(plan: &merge::Plan) {
    println!(
        "{:<10} {:<10} {:<5} {:<TITLE_WIDTH$} file",
        "action", "date", "start", "title"
    );
    let mut actions: Vec<&Action> = plan.actions.iter().collect();
    actions.sort_by_key(|a| (a.entry().date, a.entry().start));
    for a in actions {
        let e = a.entry();
        let (what, path, fields) = match a {
            Action::New { path, .. } => ("new", path, String::new()),
            Action::Update { path, fields, .. } => {
                ("update", path, format!(" ({})", fields.join(", ")))
            }
            Action::Unchanged { path, .. } => ("unchanged", path, String::new()),
        };
        println!(
            "{what:<10} {:<10} {:<5} {:<TITLE_WIDTH$} {}{fields}",
            e.date.to_string(),
            e.start.to_string(),
            cut(&e.title, TITLE_WIDTH),
            shown(&path.display().to_string()),
        );
    }
    let mut removed: Vec<&crate::import::Entry> = plan.removed.iter().collect();
    removed.sort_by_key(|e| (e.date, e.start));
    for e in removed {
        println!(
            "{:<10} {:<10} {:<5} {:<TITLE_WIDTH$} (id {}; you deleted its note; --restore brings it back)",
            "removed",
            e.date.to_string(),
            e.start.to_string(),
            cut(&e.title, TITLE_WIDTH),
            shown(&e.id)
        );
    }
    for path in &plan.delete {
        println!(
            "{:<10} {:<10} {:<5} {:<TITLE_WIDTH$} {} (init's sample, untouched)",
            "delete",
            "",
            "",
            "",
            shown(&path.display().to_string()),
        );
    }
    for (path, id, title) in &plan.gone {
        println!(
            "{:<10} {:<10} {:<5} {:<TITLE_WIDTH$} {} (id {}; kept)",
            "gone",
            "",
            "",
            cut(title, TITLE_WIDTH),
            shown(&path.display().to_string()),
            shown(id)
        );
    }
}

/// A schedule's or a note's text as printed: each [`crate::error::steers_terminal`] character written as Rust
/// writes it in a string, `\u{1b}`.
fn shown(text: &str) -> String {
    pieces(text).collect()
}

fn pieces(text: &str) -> impl Iterator<Item = String> + '_ {
    text.chars().map(|c| {
        if crate::error::steers_terminal(c) {
            format!("\\u{{{:x}}}", c as u32)
        } else {
            c.to_string()
        }
    })
}

/// [`shown`], cut to at most `width` characters; a cut one ends in `…` (an escape is never cut
/// in two).
fn cut(text: &str, width: usize) -> String {
    let full = shown(text);
    if full.chars().count() <= width {
        return full;
    }
    let mut out = String::new();
    let mut used = 0;
    for piece in pieces(text) {
        let n = piece.chars().count();
        if used + n > width - 1 {
            break;
        }
        out.push_str(&piece);
        used += n;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_escaped_and_cut() {
        assert_eq!(
            shown("a\u{1b}[31mb\r\u{202e}c"),
            "a\\u{1b}[31mb\\u{d}\\u{202e}c"
        );
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("exactly 10", 10), "exactly 10");
        assert_eq!(cut("a longer title", 10), "a longer …");
        assert_eq!(cut("abcdef\u{1b}gh", 10), "abcdef…");
    }
}
