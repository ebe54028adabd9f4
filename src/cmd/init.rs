//! `summit-gen init` and `summit-gen new`.

use std::path::PathBuf;

use clap::Args;

use super::Verbosity;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the site (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The post's language: da or en.
    #[arg(long, default_value = "en", value_parser = super::language_arg)]
    pub language: String,
    /// Add the starter files to a folder that is not empty (same-named files are replaced).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The talk's title.
    #[arg(value_parser = super::title_arg)]
    pub title: String,
    /// The conference day: its number (1, 2, …) or its date (YYYY-MM-DD).
    #[arg(long, value_parser = super::day_arg)]
    pub day: String,
    /// Who gave the talk (repeat for each speaker).
    #[arg(long)]
    pub speaker: Vec<String>,
    #[command(flatten)]
    pub site: super::SiteArg,
}

pub fn init(args: InitArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let written = crate::scaffold::init(&args.dir, &args.language, args.force)?;
    if verbosity != Verbosity::Quiet {
        for f in &written {
            println!("  {}", args.dir.join(f).display());
        }
        println!(
            "Created a site in {}. Next: cd there, `summit-gen serve`, and write your notes in content/talks/.",
            args.dir.display()
        );
    }
    Ok(())
}

pub fn new(args: NewArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let speakers: Vec<&str> = args.speaker.iter().map(String::as_str).collect();
    let root = args.site.root(verbosity)?;
    let rel = crate::scaffold::new_note(&root, &args.title, &args.day, &speakers)?;
    if verbosity != Verbosity::Quiet {
        println!(
            "Created {}",
            crate::load::display_path(&root, &rel).display()
        );
    }
    Ok(())
}
