//! `summit-gen import SCHEDULE`: one note per talk from a published schedule.

use std::path::PathBuf;

use clap::Args;

use super::Verbosity;
use crate::import::merge::{self, Action};
use crate::{Diagnostic, Error};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The schedule: frab/pretalx schedule.xml or schedule.json, or a Sessionize "All data" export.
    pub schedule: PathBuf,
    #[command(flatten)]
    pub site: super::SiteArg,
    /// Keep only talks whose title, track or tags contain one of these comma-separated terms.
    #[arg(long, value_name = "TERMS", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Show what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(args: ImportArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bytes = std::fs::read(&args.schedule)
        .map_err(|e| Error::io("could not read", &args.schedule, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::from(vec![
            Diagnostic::new(&args.schedule, "the schedule is not UTF-8 text")
                .help("export it again as UTF-8"),
        ])
    })?;
    let mut schedule =
        crate::import::read(&text, &args.schedule).map_err(|d| Error::from(vec![d]))?;
    crate::import::filter(&mut schedule, &args.only);
    let root = args.site.root(verbosity)?;
    let plan = merge::plan(&root, &schedule)?;

    for w in schedule.skipped.iter().chain(&plan.warnings) {
        super::warn(verbosity, shown(w));
    }
    if args.dry_run || verbosity == Verbosity::Verbose {
        table(&plan);
    }
    if !args.dry_run {
        merge::apply(&root, &plan)?;
    }
    let count = |f: fn(&Action) -> bool| plan.actions.iter().filter(|a| f(a)).count();
    let new = count(|a| matches!(a, Action::New { .. }));
    let updated = count(|a| matches!(a, Action::Update { .. }));
    let unchanged = count(|a| matches!(a, Action::Unchanged { .. }));
    if verbosity != Verbosity::Quiet {
        let verb = if args.dry_run {
            "Would import"
        } else {
            "Imported"
        };
        println!(
            "{verb} {} talks from a {} ({} new, {} updated, {} unchanged) in {} ms{}",
            plan.actions.len(),
            schedule.format,
            new,
            updated,
            unchanged,
            started.elapsed().as_millis(),
            if plan.config.is_some() && !args.dry_run {
                "; wrote summit.yaml"
            } else {
                ""
            }
        );
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
    Ok(())
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
