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
    /// The site folder, holding summit.yaml (created from the schedule if missing).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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
    let plan = merge::plan(&args.root, &schedule)?;

    for w in schedule.skipped.iter().chain(&plan.warnings) {
        super::warn(verbosity, w);
    }
    if args.dry_run || verbosity == Verbosity::Verbose {
        println!(
            "{:<10} {:<10} {:<5} {:<50} file",
            "action", "date", "start", "title"
        );
        for a in &plan.actions {
            let e = a.entry();
            let (what, path, fields) = match a {
                Action::New { path, .. } => ("new", path, String::new()),
                Action::Update { path, fields, .. } => {
                    ("update", path, format!(" ({})", fields.join(", ")))
                }
                Action::Unchanged { path, .. } => ("unchanged", path, String::new()),
            };
            let title: String = e.title.chars().take(50).collect();
            println!(
                "{what:<10} {:<10} {:<5} {title:<50} {}{fields}",
                e.date.to_string(),
                e.start.to_string(),
                path.display()
            );
        }
        for (path, id, title) in &plan.gone {
            println!(
                "{:<10} {:<10} {:<5} {:<50} {} (id {id}; kept)",
                "gone",
                "",
                "",
                title,
                path.display()
            );
        }
    }
    if !args.dry_run {
        merge::apply(&args.root, &plan)?;
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
                println!("  {} ({title}, id {id})", path.display());
            }
        }
    }
    Ok(())
}
