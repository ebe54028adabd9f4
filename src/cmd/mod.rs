//! The command line: clap definitions and one module per subcommand.
//!
//! This is the edge of the library: it may use anyhow and print; the stages may not.

pub mod build;
pub mod check;
pub mod completions;
pub mod export;
pub mod import;
pub mod init;
pub mod serve;
pub mod theme;

use clap::{Parser, Subcommand};

/// A static site generator for conference recaps: one Markdown note per talk, one post.
#[derive(Debug, Parser)]
// `--version` names the commit too when built from a git checkout (see build.rs).
#[command(
    name = "summit-gen",
    version = env!("SUMMIT_GEN_VERSION"),
    about,
    propagate_version = true
)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: every file written and the time of each stage (build).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(build::BuildArgs),
    /// Build, serve on localhost and rebuild on every edit, reloading the browser.
    Serve(serve::ServeArgs),
    /// Build in memory and check every internal link and anchor; writes nothing.
    Check(check::CheckArgs),
    /// Create a new site: summit.yaml, a sample note per day and a GitHub Pages workflow.
    Init(init::InitArgs),
    /// Write a new talk note with its front matter filled in.
    New(init::NewArgs),
    /// Write the recap as one post of a Hugo, Jekyll or Zola blog (or plain Markdown).
    Export(export::ExportArgs),
    /// Start (or update) notes from the conference's published schedule.
    Import(import::ImportArgs),
    /// List the built-in templates and static files (and which the site replaces); `theme copy
    /// NAME…` writes them into the site to edit.
    Theme(theme::ThemeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), e.g. `summit-gen man > ~/.local/share/man/man1/summit-gen.1`.
    Man,
}

/// `--root`, shared by every command that works on a site.
#[derive(Debug, Clone, clap::Args)]
pub struct SiteArg {
    /// The site folder, holding summit.yaml [default: the nearest folder upwards that has one,
    /// as cargo finds Cargo.toml].
    #[arg(long, value_name = "DIR")]
    root: Option<std::path::PathBuf>,
}

impl SiteArg {
    /// The site folder: `--root`, else the current folder or the nearest one above it with a
    /// summit.yaml (as a path relative to here, so messages name files as the shell sees
    /// them), else the current folder (whose missing summit.yaml the command then reports).
    pub fn root(&self, verbosity: Verbosity) -> anyhow::Result<std::path::PathBuf> {
        self.find(verbosity, false)
    }

    /// The site to build (build, serve, check): as [`SiteArg::root`], but from inside a recap
    /// of a blog (a folder of its `posts/`) it is the blog, which is what gets published and
    /// what links between recaps resolve in. `--root` builds a recap alone.
    pub fn build_root(&self, verbosity: Verbosity) -> anyhow::Result<std::path::PathBuf> {
        self.find(verbosity, true)
    }

    fn find(&self, verbosity: Verbosity, blog: bool) -> anyhow::Result<std::path::PathBuf> {
        if let Some(root) = &self.root {
            return Ok(root.clone());
        }
        let here = std::env::current_dir()?;
        let Some(mut up) = here
            .ancestors()
            .position(|dir| crate::config::path(dir).is_file())
        else {
            return Ok(std::path::PathBuf::from("."));
        };
        let mut what = "site";
        let recap_of = |up: usize| {
            let dir = here.ancestors().nth(up)?;
            let posts = dir
                .parent()
                .filter(|p| p.file_name().is_some_and(|n| n == "posts"))?;
            let root = posts.parent()?;
            (crate::config::path(root).is_file() && crate::load::is_blog(root)).then_some(up + 2)
        };
        if blog && let Some(blog_up) = recap_of(up) {
            (up, what) = (blog_up, "blog");
        }
        if up == 0 {
            return Ok(std::path::PathBuf::from("."));
        }
        let root: std::path::PathBuf = std::iter::repeat_n("..", up).collect();
        if verbosity != Verbosity::Quiet {
            let shown = here.ancestors().nth(up).unwrap_or(&here).display();
            if what == "blog" {
                eprintln!(
                    "note: using the blog in {} ({shown}), whose recap this is; `--root DIR` builds one recap alone",
                    root.display()
                );
            } else {
                eprintln!(
                    "note: using the site in {} ({shown}), the nearest folder upwards with a summit.yaml",
                    root.display()
                );
            }
        }
        Ok(root)
    }
}

/// Prints a warning, unless `--quiet` asked for errors only.
pub fn warn(verbosity: Verbosity, what: impl std::fmt::Display) {
    if verbosity != Verbosity::Quiet {
        eprintln!("warning: {what}");
    }
}

/// What the base URL left out: warnings (a full one would bring them), and with `--verbose`
/// notes of what the site's address rules out whatever it is.
pub fn left_out(verbosity: Verbosity, notices: &[crate::Notice]) {
    for n in notices {
        if n.warn {
            warn(verbosity, &n.diagnostic);
        } else if verbosity == Verbosity::Verbose {
            eprintln!("note: {}", n.diagnostic);
        }
    }
}

/// `--base-url`: checked when the arguments are read, so a bad one is a usage error (exit 2)
/// like any other bad argument value.
pub fn base_url_arg(url: &str) -> Result<String, String> {
    crate::config::check_base_url(url).map(|()| url.to_string())
}

/// `--language`: one of the built-in languages.
pub fn language_arg(lang: &str) -> Result<String, String> {
    match crate::config::Language::from_code(lang) {
        Some(_) => Ok(lang.to_string()),
        None => Err(format!(
            "unknown language; built-in languages are {}",
            crate::config::Language::codes()
        )),
    }
}

/// A title: any text but an empty one.
pub fn title_arg(title: &str) -> Result<String, String> {
    if title.trim().is_empty() {
        Err("a talk needs a title".into())
    } else {
        Ok(title.to_string())
    }
}

/// `--day`: a day number from 1, or a date (whether the site has that day is the site's
/// business, checked later).
pub fn day_arg(day: &str) -> Result<String, String> {
    let day = day.trim();
    let number = day.parse::<u32>().is_ok_and(|n| n >= 1);
    if number || day.parse::<jiff::civil::Date>().is_ok() {
        Ok(day.to_string())
    } else {
        Err("expected a day number (1, 2, …) or a date (YYYY-MM-DD)".into())
    }
}

/// `--start`: a 24-hour time `HH:MM`.
pub fn time_arg(time: &str) -> Result<String, String> {
    match crate::parse::types::ClockTime::parse(time) {
        Some(t) => Ok(t.to_string()),
        None => Err("expected a 24-hour time written HH:MM, e.g. 14:30".into()),
    }
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Cli {
    pub fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let verbosity = cli.verbosity();
    match cli.command {
        Command::Build(args) => build::run(args, verbosity),
        Command::Serve(args) => serve::run(args, verbosity),
        Command::Check(args) => check::run(args, verbosity),
        Command::Init(args) => init::init(args, verbosity),
        Command::New(args) => init::new(args, verbosity),
        Command::Import(args) => import::run(args, verbosity),
        Command::Export(args) => export::run(args, verbosity),
        Command::Theme(args) => theme::run(args, verbosity),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
    }
}
