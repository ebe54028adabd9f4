//! summit-gen: a static site generator for conference recaps.
//!
//! One Markdown note per talk becomes one post with a section per conference day. The build
//! is a one-way pipeline, one module per stage:
//!
//! `load` (disk → [`load::Inputs`]) → `parse` (front matter) → `config` (summit.yaml, typed)
//! → `model` (days, order, slugs) → `render` (Markdown, Tera; [`route`] decides where every
//! page lives) → `write` (atomic output).
//!
//! This file is the facade: the options and reports of a build, and its two entry points.
//! [`compile`] runs everything but the write (what `serve` and `check` use, through a
//! [`Builder`] that keeps caches between runs; see `builder.rs`); [`build`] adds the write.

#![forbid(unsafe_code)]

mod builder;
pub mod check;
pub mod cmd;
pub mod config;
pub mod error;
pub mod export;
pub mod images;
pub mod import;
pub mod load;
pub mod locale;
pub mod model;
pub mod parse;
pub mod render;
pub mod route;
pub mod scaffold;
pub mod serve;
pub mod write;
mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use builder::{Builder, Compiled, Notice};
pub use error::{Diagnostic, Error, Result};

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
    pub warnings: Vec<Diagnostic>,
    /// Outputs the base URL ruled out.
    pub left_out: Vec<Notice>,
    pub elapsed: Duration,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Loads, parses, models and renders the site once, in memory.
pub fn compile(opts: &BuildOptions) -> Result<Compiled> {
    Builder::once().compile(opts)
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_with(opts, &|_| {})
}

/// Like [`build`]; when another build into the same output folder must finish first, this
/// one waits, and `on_wait` is told (with that build's process id, if known).
pub fn build_with(opts: &BuildOptions, on_wait: &dyn Fn(Option<u32>)) -> Result<BuildReport> {
    let started = Instant::now();
    let output = opts.output_dir();
    // Refuse a bad output folder before doing any work; pages go to disk as they are
    // rendered, and the folder is swapped in only if everything succeeded.
    let staging = write::Staging::begin(&opts.root, &output, on_wait)?;
    let mut builder = Builder::once();
    let compiled = builder.compile_into(opts, &staging)?;
    let writing = Instant::now();
    let files = staging.commit()?;
    let mut timings = compiled.timings.clone();
    timings.push(("commit", writing.elapsed()));
    let report = BuildReport {
        output,
        files,
        talks: compiled.talks(),
        warnings: compiled.warnings.clone(),
        left_out: compiled.left_out.clone(),
        elapsed: started.elapsed(),
        timings,
    };
    // Freeing a large site takes a while and nobody waits for it.
    std::thread::spawn(move || drop((compiled, builder)));
    Ok(report)
}
