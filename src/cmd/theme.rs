//! `summit-gen theme` (list the built-in templates and static files, and what the site
//! replaces) and `summit-gen theme copy NAME…` (write them into the site to edit).

use clap::{Args, Subcommand};

use super::Verbosity;
use crate::scaffold::theme::{self, Copied, Place, Replacement, Whose};

#[derive(Debug, Args)]
pub struct ThemeArgs {
    #[command(subcommand)]
    pub action: Option<ThemeCommand>,
    #[command(flatten)]
    pub site: super::SiteArg,
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Write built-in templates into templates/ and static files into static/, to edit.
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The built-in files to copy, as `summit-gen theme` lists them.
    #[arg(
        value_name = "NAME",
        required_unless_present = "all",
        conflicts_with = "all",
        value_parser = clap::builder::PossibleValuesParser::new(theme::names())
    )]
    pub names: Vec<String>,
    /// Copy every built-in file.
    #[arg(long)]
    pub all: bool,
    /// Replace a file that is there already, keeping it beside as NAME.bak.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub site: super::SiteArg,
}

pub fn run(args: ThemeArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    match args.action {
        None => list(&args.site, verbosity),
        Some(ThemeCommand::Copy(copy)) => {
            let site = if copy.site.root.is_some() {
                copy.site.clone()
            } else {
                args.site
            };
            run_copy(&copy, &site, verbosity)
        }
    }
}

/// Width of the name column.
const NAME: usize = 16;

fn list(site: &super::SiteArg, verbosity: Verbosity) -> anyhow::Result<()> {
    let root = site.root(verbosity)?;
    let listing = theme::list(&root)?;
    let mut out = String::new();
    let mut folder = "";
    for l in &listing.files {
        if l.file.folder != folder {
            folder = l.file.folder;
            out.push_str(&match folder {
                "templates" => "Templates (a file of the same name in templates/ replaces one; {% extends \"theme/NAME\" %} reaches the built-in one):\n".to_string(),
                _ => format!("Static files (a file of the same name in {folder}/ replaces one):\n"),
            });
        }
        out.push_str(&format!("  {:<NAME$}{}\n", l.file.name, l.file.about));
        for r in &l.replaced_by {
            out.push_str(&format!("  {:<NAME$}{}\n", "", replaced(r, listing.place)));
        }
    }
    out.push_str(&format!(
        "  {:<NAME$}yours to add: linked after style.css on every page\n",
        crate::render::CUSTOM_CSS
    ));
    for r in &listing.custom_css {
        out.push_str(&format!("  {:<NAME$}{}\n", "", linked(r)));
    }
    out.push_str("Copy one to edit it: summit-gen theme copy NAME…\n");
    print!("{out}");
    Ok(())
}

/// How a replacement of a built-in file shows.
fn replaced(r: &Replacement, place: Place) -> String {
    let text = replaced_by(r, place);
    match r.same {
        true => format!("{text}, a copy of the built-in file, unchanged"),
        false => text,
    }
}

fn replaced_by(r: &Replacement, place: Place) -> String {
    let path = r.path.display();
    match (&r.whose, r.unused) {
        (_, true) => format!(
            "{path} is not used: a recap's pages link the blog's (put it in the blog's static/)"
        ),
        (Whose::Own, _) if place == Place::Recap => format!("replaced by {path} (this recap's)"),
        (Whose::Own, _) => format!("replaced by {path}"),
        (Whose::Blog, _) => format!("replaced by {path} (the blog's)"),
        (Whose::Recap(name), _) => format!("replaced by {path} on the pages of recap {name}"),
    }
}

/// How a `custom.css` that pages link shows.
fn linked(r: &Replacement) -> String {
    let path = r.path.display();
    match &r.whose {
        Whose::Own => format!("linked: {path}"),
        Whose::Blog => format!("linked: {path} (the blog's)"),
        Whose::Recap(name) => format!("linked: {path} on the pages of recap {name}"),
    }
}

fn run_copy(args: &CopyArgs, site: &super::SiteArg, verbosity: Verbosity) -> anyhow::Result<()> {
    let root = site.root(verbosity)?;
    let names: Vec<&str> = if args.all {
        theme::names()
    } else {
        args.names.iter().map(String::as_str).collect()
    };
    let done = theme::copy(&root, &names, args.force)?;
    if verbosity != Verbosity::Quiet {
        for c in &done {
            match c {
                Copied::Written(p) => println!("  {}", p.display()),
                Copied::Replaced { path, backup } => println!(
                    "  {} (the file that was there is now {})",
                    path.display(),
                    backup.display()
                ),
            }
        }
        println!(
            "{} from the built-in theme: the build uses yours now.",
            match done.len() {
                1 => "Copied 1 file".to_string(),
                n => format!("Copied {n} files"),
            }
        );
    }
    Ok(())
}
