//! `summit-gen init` and `summit-gen new`.

use std::path::PathBuf;

use clap::Args;

use super::Verbosity;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the site (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The post's language: da, de, en, es, fr, nb, nl or sv [default: en; a recap in a blog: the blog's].
    #[arg(long, value_parser = super::language_arg)]
    pub language: Option<String>,
    /// Make a blog of recaps: the blog's summit.yaml and one sample recap in posts/ (each
    /// recap is a folder there; `init` inside posts/ adds one).
    #[arg(long)]
    pub blog: bool,
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
    use crate::scaffold::Kind;
    use crate::scaffold::Starter;
    let kind = crate::scaffold::kind_at(&args.dir, args.blog);
    let done = crate::scaffold::init(&args.dir, kind, args.language.as_deref(), args.force)?;
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
        let dir = args.dir.display();
        println!(
            "{}",
            match kind {
                Kind::Site => format!(
                    "Created a site in {dir}. Next: cd there, `summit-gen serve`, and write your notes in content/talks/."
                ),
                Kind::Blog => format!(
                    "Created a blog in {dir}. Next: cd there, `summit-gen serve`, and write your notes in posts/my-conference/content/talks/; `summit-gen init posts/NAME` adds a recap."
                ),
                Kind::Recap => format!(
                    "Created a recap in {dir}. Next: fill in its summit.yaml, and write your notes in its content/talks/; `summit-gen serve` at the blog's root shows it."
                ),
            }
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
