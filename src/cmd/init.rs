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
    /// Add the starter files that are missing to a folder that is not empty (a file already
    /// there is never replaced).
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
    /// When it started, HH:MM in the event's time zone.
    #[arg(long, value_name = "HH:MM", value_parser = super::time_arg)]
    pub start: Option<String>,
    /// Where it was.
    #[arg(long)]
    pub room: Option<String>,
    /// A tag (repeat for each tag).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Highlight the talk as recommended in the post.
    #[arg(long)]
    pub recommended: bool,
    #[command(flatten)]
    pub site: super::SiteArg,
}

pub fn init(args: InitArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    use crate::scaffold::Starter;
    let done = crate::scaffold::init(&args.dir, &args.language, args.force)?;
    if verbosity != Verbosity::Quiet {
        for f in &done {
            match f {
                Starter::Written(f) => println!("  {}", args.dir.join(f).display()),
                Starter::Unchanged(f) => {
                    println!("  {} (already there)", args.dir.join(f).display())
                }
                Starter::Kept(f) => println!(
                    "  {} (kept as it is: yours differs from the starter file)",
                    args.dir.join(f).display()
                ),
            }
        }
        println!(
            "Created a site in {}. Next: cd there, `summit-gen serve`, and write your notes in content/talks/.",
            args.dir.display()
        );
    }
    Ok(())
}

pub fn new(args: NewArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let talk = crate::scaffold::NewTalk {
        speakers: args.speaker.iter().map(String::as_str).collect(),
        start: args.start.as_deref(),
        room: args.room.as_deref(),
        tags: args.tag.iter().map(String::as_str).collect(),
        recommended: args.recommended,
    };
    let root = args.site.root(verbosity)?;
    let (rel, warnings) = crate::scaffold::new_note(&root, &args.title, &args.day, &talk)?;
    for w in &warnings {
        super::warn(verbosity, w);
    }
    if verbosity != Verbosity::Quiet {
        println!(
            "Created {}",
            crate::load::display_path(&root, &rel).display()
        );
    }
    Ok(())
}
