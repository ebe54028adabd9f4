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

#![forbid(unsafe_code)]

pub mod check;
pub mod cmd;
pub mod config;
pub mod error;
pub mod export;
pub mod import;
pub mod load;
pub mod locale;
pub mod model;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod write;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The site in memory: the model, the files to write, and what was skipped.
#[derive(Debug)]
pub struct Compiled {
    pub site: Site,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// Every link written in a note, resolved (the note's path, the page, the link).
    pub note_links: Vec<(PathBuf, String, render::markdown::NoteLink)>,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the pipeline, keeping what it can between runs: file contents (by size and mtime),
/// parsed notes (by text), rendered Markdown (by text and placement) and the theme (by the
/// site's templates and static files). `serve` keeps one `Builder` for its lifetime, so an
/// edit to one note re-parses and re-renders that note only; `build` uses a fresh one.
#[derive(Default)]
pub struct Builder {
    /// Keep parsed notes between runs (`serve`); a one-shot build does not.
    retain: bool,
    reads: load::ReadCache,
    talks: HashMap<PathBuf, CachedTalk>,
    theme: Option<(ThemeKey, Theme)>,
    markdown: render::markdown::Cache,
    /// The last successful build's pages (`serve`) and what each was rendered from.
    previous: render::Previous,
    /// A hash of each note's text in this run, by display path (`serve` only).
    note_hashes: HashMap<PathBuf, u64>,
}

/// A parsed note kept between runs: its text, a hash of the text, the result.
type CachedTalk = (String, u64, Result<parse::ParsedTalk, Vec<Diagnostic>>);

type ThemeKey = (Vec<(String, String)>, Vec<load::Asset>);

impl Builder {
    /// A builder for many runs (`serve`): it keeps what it can between them.
    pub fn new() -> Self {
        Builder {
            retain: true,
            reads: load::ReadCache::new(true),
            markdown: render::markdown::Cache::retaining(),
            ..Self::default()
        }
    }

    /// A builder for one run (`build`, `check`): it keeps nothing it does not need.
    pub fn once() -> Self {
        Self::default()
    }

    /// Loads, parses, models and renders the site into memory. Every content problem of the
    /// site is reported together.
    pub fn compile(&mut self, opts: &BuildOptions) -> Result<Compiled> {
        let sink = render::Collect::default();
        let mut compiled = self.compile_into(opts, &sink)?;
        compiled.files = sink.into_files();
        if self.retain {
            self.previous.files = compiled
                .files
                .iter()
                .map(|f| (f.path.clone(), f.contents.clone()))
                .collect();
        }
        Ok(compiled)
    }

    /// Like [`Builder::compile`], but every file goes to `sink` as soon as it is rendered
    /// (`Compiled::files` stays empty).
    pub fn compile_into(
        &mut self,
        opts: &BuildOptions,
        sink: &dyn render::Sink,
    ) -> Result<Compiled> {
        let mut timings = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str| {
            let now = Instant::now();
            timings.push((name, now - clock));
            clock = now;
        };
        let inputs = load::load(&opts.root, &mut self.reads)?;
        lap("load");
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
                .and_then(|s| parse::page(s).map_err(|d| problems.extend(d)).ok())
        };
        let intro = page(&inputs.intro);
        let outro = page(&inputs.outro);
        let days: Vec<_> = inputs
            .days
            .iter()
            .filter_map(|(n, s)| {
                parse::page(s)
                    .map_err(|d| problems.extend(d))
                    .ok()
                    .map(|p| (*n, p))
            })
            .collect();
        let talks = self.parse_talks(inputs.talks, &mut problems);
        let note_warnings: Vec<Diagnostic> = talks
            .iter()
            .flat_map(|t| t.warnings.iter().cloned())
            .collect();
        lap("parse");

        let base_url = match &opts.base_url {
            Some(url) => match config::check_base_url(url) {
                Ok(()) => Some(config::normalize_base_url(url)),
                Err(why) => {
                    problems.push(Diagnostic::new("--base-url", why).help(
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
        // Anything global changed (summit.yaml, the theme, the options): every page anew.
        let global = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            inputs.config.as_ref().map(|c| &c.text).hash(&mut h);
            (&opts.base_url, opts.drafts).hash(&mut h);
            for (name, src) in &inputs.templates {
                (name, &src.text).hash(&mut h);
            }
            for a in &inputs.assets {
                (&a.rel, &*a.bytes).hash(&mut h);
            }
            h.finish()
        };
        let mut warnings = inputs.warnings;
        warnings.extend(note_warnings);
        let site_templates: Vec<(&str, &str)> = inputs
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
            .collect();
        for (name, near) in render::unused_templates(&site_templates) {
            let path = load::display_path(&opts.root, &Path::new("templates").join(&name));
            let d = Diagnostic::new(
                path,
                "no template of the theme has this name, and no template uses it",
            );
            warnings.push(match near {
                Some(n) => d.help(format!("to replace the built-in `{n}`, name it so")),
                None => d.help("include it from another template, or remove it"),
            });
        }
        let theme = cached_theme(&mut self.theme, inputs.templates, inputs.assets)?;
        lap("model");
        let incremental = self.retain.then_some(render::Incremental {
            previous: &self.previous,
            notes: &self.note_hashes,
            global,
        });
        let output = render::render(&site, theme, &mut self.markdown, sink, incremental)?;
        if self.retain {
            self.previous.shape = output.shape;
            self.previous.sections = output.sections.clone();
            self.previous.rendered_from = output.rendered_from;
        }
        timings.extend(output.timings.iter().copied());
        Ok(Compiled {
            site,
            files: Vec::new(),
            warnings,
            note_links: output.note_links,
            timings,
        })
    }

    /// Parses the notes in parallel, reusing the result for any note whose text is unchanged.
    fn parse_talks(
        &mut self,
        sources: Vec<load::Source>,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<parse::ParsedTalk> {
        use rayon::prelude::*;
        let (cached, retain) = (&self.talks, self.retain);
        type Parsed = (Result<parse::ParsedTalk, Vec<Diagnostic>>, u64);
        let results: Vec<(load::Source, Parsed)> = sources
            .into_par_iter()
            .map(|src| {
                let result = match cached.get(&src.path) {
                    Some((text, hash, result)) if *text == src.text => (result.clone(), *hash),
                    _ => (
                        parse::talk(&src),
                        if retain { text_hash(&src.text) } else { 0 },
                    ),
                };
                (src, result)
            })
            .collect();
        let mut talks = Vec::with_capacity(results.len());
        let mut keep = HashMap::new();
        self.note_hashes.clear();
        for (src, (result, hash)) in results {
            if self.retain {
                match &result {
                    Ok(t) => talks.push(t.clone()),
                    Err(d) => problems.extend(d.iter().cloned()),
                }
                self.note_hashes.insert(src.path.clone(), hash);
                keep.insert(src.path, (src.text, hash, result));
            } else {
                // A one-shot build needs no copy.
                match result {
                    Ok(t) => talks.push(t),
                    Err(d) => problems.extend(d),
                }
            }
        }
        // Notes that were deleted drop out of the cache here.
        self.talks = keep;
        talks
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The theme from `slot` if the site's templates and static files are unchanged, else anew.
fn cached_theme(
    slot: &mut Option<(ThemeKey, Theme)>,
    templates: Vec<(String, load::Source)>,
    assets: Vec<load::Asset>,
) -> Result<&mut Theme> {
    let key: ThemeKey = (
        templates.into_iter().map(|(n, s)| (n, s.text)).collect(),
        assets,
    );
    let entry = match slot.take() {
        Some((k, theme)) if k == key => (k, theme),
        _ => {
            let theme = Theme::new(&key.0, &key.1)?;
            (key, theme)
        }
    };
    Ok(&mut slot.insert(entry).1)
}

/// Loads, parses, models and renders the site once, in memory.
pub fn compile(opts: &BuildOptions) -> Result<Compiled> {
    Builder::once().compile(opts)
}

fn sorted(mut problems: Vec<Diagnostic>) -> Error {
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Error::from(problems)
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let output = opts.output_dir();
    // Refuse a bad output folder before doing any work; pages go to disk as they are
    // rendered, and the folder is swapped in only if everything succeeded.
    let staging = write::Staging::begin(&opts.root, &output)?;
    let mut builder = Builder::once();
    let compiled = builder.compile_into(opts, &staging)?;
    let writing = Instant::now();
    let files = staging.commit()?;
    let mut timings = compiled.timings.clone();
    timings.push(("commit", writing.elapsed()));
    let report = BuildReport {
        output,
        files,
        talks: compiled.site.days.iter().map(|d| d.talks.len()).sum(),
        warnings: compiled.warnings.clone(),
        elapsed: started.elapsed(),
        timings,
    };
    // Freeing a large site takes a while and nobody waits for it.
    std::thread::spawn(move || drop((compiled, builder)));
    Ok(report)
}
