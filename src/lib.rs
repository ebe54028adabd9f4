//! summit-gen: a static site generator for conference recaps.
//!
//! One Markdown note per talk becomes one post with a section per conference day. The build
//! is a one-way pipeline, one module per stage:
//!
//! `load` (disk → [`load::Inputs`]) → `parse` (front matter) → `model` (days, order, slugs) →
//! `render` (Markdown, Tera) → `write` (atomic output).
//!
//! [`compile`] runs everything but the write and is what `build` (and later `serve` and
//! `check`) share.

pub mod cmd;
pub mod config;
pub mod error;
pub mod load;
pub mod locale;
pub mod model;
pub mod parse;
pub mod render;
pub mod write;
mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Error, Result};

use config::Config;
use model::Site;
use render::{OutputFile, Theme};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding summit.yaml).
    pub root: PathBuf,
    /// Output folder; `root/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides summit.yaml's `base_url`.
    pub base_url: Option<String>,
    /// Include notes marked `draft: true`.
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| load::display_path(&self.root, std::path::Path::new("public")))
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub files: Vec<String>,
    pub talks: usize,
    pub elapsed: Duration,
}

/// Loads, parses, models and renders the site, in memory. Every content problem of the site
/// is reported together.
pub fn compile(opts: &BuildOptions) -> Result<(Site, Vec<OutputFile>)> {
    let inputs = load::load(&opts.root)?;
    let mut problems = inputs.problems;

    let config = match inputs.config.as_ref().map(Config::parse) {
        Some(Ok(c)) => Some(c),
        Some(Err(d)) => {
            problems.extend(d);
            None
        }
        None => None,
    };
    let mut page = |src: &Option<load::Source>| {
        src.as_ref()
            .and_then(|s| parse::page(s).map_err(|d| problems.push(d)).ok())
    };
    let intro = page(&inputs.intro);
    let outro = page(&inputs.outro);
    let days: Vec<_> = inputs
        .days
        .iter()
        .filter_map(|(n, s)| {
            parse::page(s)
                .map_err(|d| problems.push(d))
                .ok()
                .map(|p| (*n, p))
        })
        .collect();
    let talks: Vec<_> = inputs
        .talks
        .iter()
        .filter_map(|s| parse::talk(s).map_err(|d| problems.push(d)).ok())
        .collect();

    let base_url = match &opts.base_url {
        Some(url) => match config::check_base_url(url) {
            Ok(()) => Some(config::normalize_base_url(url)),
            Err(why) => {
                problems
                    .push(Diagnostic::new("--base-url", why).help(
                        "write \"/\" or a full URL such as \"https://user.github.io/repo/\"",
                    ));
                None
            }
        },
        None => None,
    };

    // Model checks run even when some files failed, so one build reports every problem.
    let Some(config) = config else {
        return Err(sorted(problems));
    };
    let base_url = base_url.unwrap_or_else(|| config.base_url());
    let parsed = model::Parsed {
        intro,
        outro,
        days,
        talks,
    };
    let site = match model::assemble(config, base_url, parsed, opts.drafts) {
        Ok(site) if problems.is_empty() => site,
        Ok(_) => return Err(sorted(problems)),
        Err(more) => {
            problems.extend(more);
            return Err(sorted(problems));
        }
    };
    let theme = Theme::new(&inputs.templates, &inputs.assets)?;
    let files = render::render(&site, &theme)?;
    Ok((site, files))
}

fn sorted(mut problems: Vec<Diagnostic>) -> Error {
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Error::from(problems)
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let output = opts.output_dir();
    // Refuse a bad output folder before doing any work.
    write::check_output(&opts.root, &output)?;
    let (site, files) = compile(opts)?;
    write::write_site(&opts.root, &output, &files)?;
    Ok(BuildReport {
        output,
        files: files.into_iter().map(|f| f.path).collect(),
        talks: site.days.iter().map(|d| d.talks.len()).sum(),
        elapsed: started.elapsed(),
    })
}
