//! The build engine: runs load → parse → model → render, collecting every problem, and
//! keeps what it can between runs for `serve` (file contents, parsed notes, rendered
//! Markdown, the theme, and the last build's pages with what each was rendered from).
//!
//! `lib.rs` is the facade: [`crate::compile`] and [`crate::build`] call into this file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{self, Config};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{self, Site};
use crate::render::{self, OutputFile, Theme};
use crate::{BuildOptions, load, parse};

mod blog;
mod left_out;
mod reuse;
pub use left_out::Notice;
use reuse::{CachedTalk, GlobalKey, ThemeKey, Themes, cached_theme, shared_theme};

/// The site in memory: the model, the files to write, and what was skipped.
#[derive(Debug)]
pub struct Compiled {
    /// The recap, or every recap of a blog (in folder order).
    pub sites: Vec<Site>,
    /// The base URL the site was built for.
    pub base_url: String,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// Every link written in a note, resolved (the note's path, the page, the link).
    pub note_links: Vec<(PathBuf, String, render::markdown::NoteLink)>,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// The pages taken from the previous build as they were (`serve`), because what each was
    /// rendered from is unchanged, in no order: [`Compiled::reused`] sorts them (only tests
    /// ask, and a rebuild of 10,000 unchanged talks need not sort their paths).
    reused: Vec<Arc<str>>,
    /// Outputs the base URL ruled out (`build` and `check` say so; `serve` does not).
    pub left_out: Vec<Notice>,
    /// What this build replaced of the builder's last one (`serve`): freed with the result,
    /// so that `serve` tells the pages first and frees a big site's old state after.
    _spent: Option<Box<render::Previous>>,
    /// The paths whose contents differ from the replaced build's (`serve`), when both have
    /// the very same paths (a rebuild's usually do).
    changed: Option<Vec<Arc<str>>>,
}

impl Compiled {
    /// The pages taken from the previous build as they were (`serve`), because what each was
    /// rendered from is unchanged; sorted.
    pub fn reused(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.reused.iter().map(|p| p.to_string()).collect();
        paths.sort_unstable();
        paths
    }

    /// The paths whose contents differ from those of `files`, if `files` is the map this
    /// build replaced and both have the very same paths; else `None` (compare them).
    pub fn changed_since(&self, files: &Arc<render::Files>) -> Option<&[Arc<str>]> {
        let spent = self._spent.as_ref()?;
        Arc::ptr_eq(&spent.files, files)
            .then_some(self.changed.as_deref())
            .flatten()
    }

    /// How many talks the site shows.
    pub fn talks(&self) -> usize {
        self.sites
            .iter()
            .flat_map(|s| &s.days)
            .map(|d| d.talks.len())
            .sum()
    }
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
    /// The last run's notes, parsed, in path order (`serve`).
    talks: Vec<CachedTalk>,
    /// Of those, the notes that parsed, as handed to the model stage (`serve`; patched in
    /// place, so that an unchanged note is not even touched).
    parsed: Vec<Arc<parse::ParsedTalk>>,
    /// The last run's talks, by the parsed notes they were made from (`serve`).
    modelled: model::Memo,
    /// The image sizes of the last run's static files (`serve`).
    images: Option<(Vec<load::Asset>, Arc<crate::images::Sizes>)>,
    /// The last run's global hash and what it was made from (`serve`).
    global: Option<(GlobalKey, u64)>,
    theme: Option<(ThemeKey, Theme)>,
    markdown: render::markdown::Cache,
    /// The last successful build's pages (`serve`) and what each was rendered from.
    previous: render::Previous,
    /// What this build's pages were rendered from, until the whole build succeeds: only then
    /// does it go into `previous` with the pages (a recap rendered before a later recap
    /// failed must not claim pages that were never kept).
    next: Option<render::Previous>,
    /// A hash of each note's text in this run, by display path (`serve` only).
    note_hashes: HashMap<PathBuf, u64>,
    /// In a blog: the recaps' themes, one per set of templates and static files (most recaps
    /// have none of their own, and share one).
    recap_themes: Vec<(ThemeKey, Theme)>,
    /// In a blog: a builder per recap, by folder (the blog's own theme is `theme`).
    recaps: std::collections::BTreeMap<String, Builder>,
    /// What the next load may skip (`compile_after`), taken by that load; `Unknown` (walk
    /// everything) otherwise.
    changes: load::Changes,
    /// The ids on the last build's pages, by their bytes (`serve`: reused pages are not read
    /// again for the link check).
    ids: crate::check::Ids,
}

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
        self.compile_after(opts, load::Changes::Unknown)
    }

    /// [`Builder::compile`], told which paths changed since the last compile (`serve`'s
    /// watcher): the load looks at those again instead of at every file. What is reused is
    /// still decided by what each page is rendered from, so the result is `compile`'s.
    pub fn compile_after(
        &mut self,
        opts: &BuildOptions,
        changes: load::Changes,
    ) -> Result<Compiled> {
        self.changes = changes;
        let compiled = self.compile_collected(opts);
        self.changes = load::Changes::Unknown;
        compiled
    }

    fn compile_collected(&mut self, opts: &BuildOptions) -> Result<Compiled> {
        let sink = render::Collect::default();
        self.next = None;
        for recap in self.recaps.values_mut() {
            recap.next = None;
        }
        let mut compiled = self.compile_into(opts, &sink)?;
        let clock = Instant::now();
        compiled.files = sink.into_files();
        if self.retain {
            let (files, changed) = files_by_path(&self.previous.files, &compiled.files);
            compiled.changed = changed;
            // A recap of a blog reuses its own pages, under its folder: one pass sorts them.
            if !self.recaps.is_empty() {
                let mut own: HashMap<&str, render::Files> = HashMap::new();
                for (path, bytes) in &files {
                    if let Some((folder, _)) = path.split_once('/')
                        && self.recaps.contains_key(folder)
                    {
                        own.entry(folder)
                            .or_default()
                            .insert(path.clone(), bytes.clone());
                    }
                }
                for (folder, recap) in &mut self.recaps {
                    recap.keep(own.remove(folder.as_str()).unwrap_or_default());
                }
            }
            compiled._spent = Some(Box::new(self.keep(files)));
        }
        compiled
            .timings
            .push(("keeping the pages", clock.elapsed()));
        Ok(compiled)
    }

    /// The build succeeded: its pages and what they were rendered from are the previous
    /// build's from now on. Returns what they replace.
    fn keep(&mut self, files: render::Files) -> render::Previous {
        let next = render::Previous {
            files: std::sync::Arc::new(files),
            ..self.next.take().unwrap_or_default()
        };
        std::mem::replace(&mut self.previous, next)
    }

    /// The last successful compile's files by path (`serve`, which keeps them: a one-shot
    /// builder keeps none), shared rather than copied.
    pub fn kept_files(&self) -> std::sync::Arc<render::Files> {
        self.previous.files.clone()
    }

    /// Like [`Builder::compile`], but every file goes to `sink` as soon as it is rendered
    /// (`Compiled::files` stays empty). A folder with `posts/` is a blog of recaps. A link in
    /// a note to a missing note, heading or file fails the build (as `check` reports it).
    pub fn compile_into(
        &mut self,
        opts: &BuildOptions,
        sink: &dyn render::Sink,
    ) -> Result<Compiled> {
        let indexing = match self.retain {
            true => crate::check::Indexing::knowing(sink, std::mem::take(&mut self.ids)),
            false => crate::check::Indexing::new(sink),
        };
        let mut compiled = self.compile_unchecked(opts, &indexing)?;
        let clock = Instant::now();
        let ids = indexing.into_ids();
        let broken = crate::check::note_links(&compiled.note_links, ids.index());
        if self.retain {
            self.ids = ids;
        }
        if !broken.is_empty() {
            // What this render left for the next one describes pages that were never kept.
            self.previous = render::Previous::default();
            for recap in self.recaps.values_mut() {
                recap.previous = render::Previous::default();
            }
            return Err(sorted(broken));
        }
        compiled.timings.push(("link check", clock.elapsed()));
        Ok(compiled)
    }

    fn compile_unchecked(
        &mut self,
        opts: &BuildOptions,
        sink: &dyn render::Sink,
    ) -> Result<Compiled> {
        if load::is_blog(&opts.root) {
            return self.compile_blog(opts, sink);
        }
        let modelled = self.prepare(opts, None)?;
        let host = render::blog::Host::ALONE;
        let rendered = self.finish(opts, modelled, &host, &[], 0, None, sink)?;
        let config = &rendered.site.config;
        let origin = left_out::Origin {
            root: &opts.root,
            arg: opts.base_url.is_some(),
            key: config.base_url.as_ref(),
        };
        let left = render::left_out(
            config.pages.feed,
            config.pages.sitemap,
            &rendered.site.base_url,
        );
        let mut warnings = rendered.warnings;
        let social = left_out::fold_social(&mut warnings, &left);
        let left_out = left_out::notices(&left, &rendered.site.base_url, &origin, social);
        Ok(Compiled {
            left_out,
            base_url: rendered.site.base_url.clone(),
            sites: vec![rendered.site],
            files: Vec::new(),
            warnings,
            note_links: rendered.output.note_links,
            timings: rendered.timings,
            reused: rendered.output.reused,
            _spent: None,
            changed: None,
        })
    }

    /// Loads, parses and models one recap (inside `blog`, if given).
    fn prepare(&mut self, opts: &BuildOptions, blog: Option<&config::Blog>) -> Result<Modelled> {
        let mut timings = Timings::start();
        let changes = std::mem::replace(&mut self.changes, load::Changes::Unknown);
        let inputs = load::load_after(&opts.root, &mut self.reads, &changes)?;
        timings.lap("load");
        let (site, rest, warnings) = self.model(opts, inputs, blog, &mut timings)?;
        Ok(Modelled {
            site,
            rest,
            warnings,
            timings,
        })
    }

    /// Renders a modelled recap where `host` says, with `templates` (the blog's) under the
    /// recap's own and `outer` (a hash of the blog's inputs) deciding reuse with the rest.
    #[allow(clippy::too_many_arguments)]
    fn finish<'t>(
        &'t mut self,
        opts: &BuildOptions,
        modelled: Modelled,
        host: &render::blog::Host<'_>,
        templates: &[(String, load::Source)],
        outer: u64,
        themes: Option<&'t mut Themes>,
        sink: &dyn render::Sink,
    ) -> Result<Rendered> {
        let Modelled {
            site,
            rest,
            mut warnings,
            mut timings,
        } = modelled;
        let global = self.global_hash(&rest, opts) ^ outer;
        warnings.extend(unused_template_warnings(&opts.root, &rest.templates));
        let mut all_templates = templates.to_vec();
        all_templates.extend(rest.templates);
        // In a blog, recaps with the same templates and static files share one theme.
        let theme = match themes {
            Some(themes) => shared_theme(themes, all_templates, rest.assets)?,
            None => cached_theme(&mut self.theme, all_templates, rest.assets)?,
        };
        timings.lap("model");
        let incremental = self.retain.then_some(render::Incremental {
            previous: &self.previous,
            notes: &self.note_hashes,
            global,
        });
        let mut output = render::render(&site, host, theme, &mut self.markdown, sink, incremental)?;
        self.markdown.end();
        if self.retain {
            self.next = Some(render::Previous {
                shape: output.shape,
                files: Default::default(),
                sections: std::mem::take(&mut output.sections),
                rendered_from: std::mem::take(&mut output.rendered_from),
                talk_extras: std::mem::take(&mut output.talk_extras),
            });
        }
        let mut timings = timings.done;
        timings.extend(output.timings.iter().copied());
        Ok(Rendered {
            site,
            output,
            warnings,
            timings,
        })
    }

    /// Parses what was loaded and models the site: every content problem of the site at
    /// once. Returns the site, what of the inputs rendering still needs, and the warnings.
    fn model(
        &mut self,
        opts: &BuildOptions,
        mut inputs: load::Inputs,
        blog: Option<&config::Blog>,
        timings: &mut Timings,
    ) -> Result<(Site, Rest, Vec<Diagnostic>)> {
        let mut problems = std::mem::take(&mut inputs.problems);
        let mut warnings = std::mem::take(&mut inputs.warnings);
        let config = inputs.config.as_ref().and_then(|src| {
            let mut c = Config::parse(src).map_err(|d| problems.extend(d)).ok()?;
            if let Some(blog) = blog {
                warnings.extend(c.inherit(blog, src));
            }
            Some(c)
        });
        let (intro, outro, days) = parse_pages(&inputs, &mut problems);
        let (talks, notable) = self.parse_talks(std::mem::take(&mut inputs.talks), &mut problems);
        // Only notable notes have warnings, covers or images.
        warnings.extend(notable.iter().flat_map(|t| t.warnings.iter().cloned()));
        timings.lap("parse");
        let base_url = base_url_option(opts, &mut problems);

        // Model checks run even when some files failed, so one build reports every problem.
        let Some(config) = config else {
            return Err(sorted(problems));
        };
        let base_url = base_url.unwrap_or_else(|| config.base_url());
        let images = self.image_sizes(&inputs.assets);
        let config_path = inputs
            .config
            .as_ref()
            .map(|c| c.path.clone())
            .unwrap_or_default();
        let (bad, warn) = crate::images::check_covers(
            (&config_path, config.image.as_ref()),
            &notable,
            &images,
            base_url.starts_with("http"),
            opts.drafts,
        );
        problems.extend(bad);
        warnings.extend(warn);
        let bodies = notable
            .iter()
            .filter(|t| t.has_images && (opts.drafts || !t.meta.draft))
            .map(|t| (&t.path, &*t.body, t.body_line));
        let pages = intro
            .iter()
            .chain(&outro)
            .chain(days.iter().map(|(_, d)| d));
        for (path, body, line) in
            bodies.chain(pages.map(|p| (&p.path, p.body.as_str(), p.body_line)))
        {
            crate::images::check_note_images(path, body, line, &images, &mut problems);
        }
        // (Taken out while the model borrows it; put back when it is done.)
        let kept = std::mem::take(&mut self.parsed);
        let parsed = model::Parsed {
            intro,
            outro,
            days,
            talks: match talks {
                Some(talks) => model::Notes::Owned(talks),
                None => model::Notes::Shared(&kept),
            },
        };
        let memo = self.retain.then_some(&mut self.modelled);
        let assembled = model::assemble(config, base_url, parsed, opts.drafts, memo);
        self.parsed = kept;
        let site = match assembled {
            Ok(mut site) if problems.is_empty() => {
                site.images = images;
                site
            }
            Ok(_) => return Err(sorted(problems)),
            Err(more) => {
                problems.extend(more);
                return Err(sorted(problems));
            }
        };
        let rest = Rest {
            config: inputs.config,
            templates: inputs.templates,
            assets: inputs.assets,
        };
        Ok((site, rest, warnings))
    }
}

/// This build's files by path, made from the previous build's map when the paths are the
/// same (a `serve` rebuild's usually are): a copy of its table, whose paths are shared, with
/// the new contents put in, and the paths whose contents differ; else anew, and `None`.
fn files_by_path(
    old: &render::Files,
    list: &[render::OutputFile],
) -> (render::Files, Option<Vec<Arc<str>>>) {
    // A path the list has twice (a static file over a page) makes the counts unequal for the
    // same paths: build anew then, where the later file wins, as it does on disk.
    let twice = list.windows(2).any(|w| w[0].path == w[1].path);
    if old.len() == list.len() && !twice {
        let mut files = old.clone();
        let mut same = true;
        let mut changed = Vec::new();
        for f in list {
            match files.get_mut(&*f.path) {
                Some(bytes) => {
                    if *bytes != f.contents {
                        changed.push(f.path.clone());
                    }
                    *bytes = f.contents.clone();
                }
                None => {
                    same = false;
                    break;
                }
            }
        }
        // Every path of the list was in the map, and as many: the very same paths.
        if same {
            return (files, Some(changed));
        }
    }
    let files = list
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect();
    (files, None)
}

fn sorted(mut problems: Vec<Diagnostic>) -> Error {
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Error::from(problems)
}

/// A recap, modelled and ready to render.
struct Modelled {
    site: Site,
    rest: Rest,
    warnings: Vec<Diagnostic>,
    timings: Timings,
}

/// A recap, rendered.
struct Rendered {
    site: Site,
    output: render::Output,
    warnings: Vec<Diagnostic>,
    timings: Vec<(&'static str, Duration)>,
}

/// What rendering needs of the loaded inputs once the site is modelled.
struct Rest {
    config: Option<load::Source>,
    templates: Vec<(String, load::Source)>,
    assets: Vec<load::Asset>,
}

/// How long each stage took, in order.
struct Timings {
    clock: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn start() -> Timings {
        Timings {
            clock: Instant::now(),
            done: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.clock));
        self.clock = now;
    }
}

/// The intro, the outro and the days' texts, parsed; problems go to `problems`.
fn parse_pages(
    inputs: &load::Inputs,
    problems: &mut Vec<Diagnostic>,
) -> (
    Option<parse::ParsedPage>,
    Option<parse::ParsedPage>,
    Vec<(u32, parse::ParsedPage)>,
) {
    let mut page = |src: &load::Source| parse::page(src).map_err(|d| problems.extend(d)).ok();
    let intro = inputs.intro.as_ref().and_then(&mut page);
    let outro = inputs.outro.as_ref().and_then(&mut page);
    let days = inputs
        .days
        .iter()
        .filter_map(|(n, s)| page(s).map(|p| (*n, p)))
        .collect();
    (intro, outro, days)
}

/// `--base-url`, normalized, if given and valid; a bad one is a problem of the build.
fn base_url_option(opts: &BuildOptions, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let url = opts.base_url.as_ref()?;
    match config::check_base_url(url) {
        Ok(()) => Some(config::normalize_base_url(url)),
        Err(why) => {
            problems.push(
                Diagnostic::new("--base-url", why)
                    .help("write \"/\" or a full URL such as \"https://user.github.io/repo/\""),
            );
            None
        }
    }
}

/// A warning for each of the site's templates that replaces nothing and that nothing uses.
fn unused_template_warnings(root: &Path, templates: &[(String, load::Source)]) -> Vec<Diagnostic> {
    let site_templates: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), &*s.text))
        .collect();
    render::unused_templates(&site_templates)
        .into_iter()
        .map(|(name, near)| {
            let path = load::display_path(root, &Path::new("templates").join(&name));
            let d = Diagnostic::new(
                path,
                "no template of the theme has this name, and no template uses it",
            );
            match near {
                Some(n) => d.help(format!("to replace the built-in `{n}`, name it so")),
                None => d.help("include it from another template, or remove it"),
            }
        })
        .collect()
}
