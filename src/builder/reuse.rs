//! What a [`Builder`] keeps between runs for the stages before rendering (`serve`), each
//! found again by the identity of what it was made from: parsed notes (by their shared
//! source), image sizes and the global hash (by the shared texts and bytes of the site's
//! files), and themes (by the same). A one-note edit then parses one note and compares
//! pointers for the rest.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::{Builder, Rest};
use crate::error::{Diagnostic, Result};
use crate::render::Theme;
use crate::{BuildOptions, load, parse};

/// A parsed note kept between runs: its source, a hash of its text, the result (shared, so
/// an unchanged note's result is handed on, not copied).
#[derive(Clone)]
pub(super) struct CachedTalk {
    source: Arc<load::Source>,
    hash: u64,
    /// Whether the note is [`notable`], kept here so that an unchanged note is not read.
    notable: bool,
    result: Result<Arc<parse::ParsedTalk>, Arc<[Diagnostic]>>,
}

/// What a theme is made from: the templates (name, text) and the static files. Compared by
/// value, which for the shared texts and bytes of an unchanged file is a pointer comparison.
pub(super) type ThemeKey = (Vec<(String, Arc<str>)>, Vec<load::Asset>);

/// What [`global_hash`] hashes (see [`ThemeKey`] for how it compares).
#[derive(PartialEq)]
pub(super) struct GlobalKey {
    config: Option<Arc<str>>,
    options: (Option<String>, bool),
    templates: Vec<(String, Arc<str>)>,
    assets: Vec<load::Asset>,
}

impl Builder {
    /// Parses the notes in parallel, reusing the result for any note whose source is the
    /// last run's (the very same shared value, or the same path and text). Returns the
    /// parsed notes (`None`: they are in `self.parsed`, a builder that retains them) and,
    /// of those, the [`notable`] ones.
    pub(super) fn parse_talks(
        &mut self,
        sources: Vec<Arc<load::Source>>,
        problems: &mut Vec<Diagnostic>,
    ) -> (
        Option<Vec<Arc<parse::ParsedTalk>>>,
        Vec<Arc<parse::ParsedTalk>>,
    ) {
        use rayon::prelude::*;
        if !self.retain {
            // A one-shot build needs no copy.
            let results: Vec<_> = sources
                .into_par_iter()
                .map(|src| parse::talk(&src))
                .collect();
            let mut talks = Vec::with_capacity(results.len());
            for result in results {
                match result {
                    Ok(t) => talks.push(Arc::new(t)),
                    Err(d) => problems.extend(d),
                }
            }
            let notable = talks.iter().filter(|t| notable(t)).cloned().collect();
            return (Some(talks), notable);
        }
        let reused = matched(&self.talks, &sources);
        let fresh: Vec<CachedTalk> = sources
            .par_iter()
            .zip(&reused)
            .filter(|(_, r)| r.is_none())
            .map(|(src, _)| {
                let result = parse::talk(src).map(Arc::new).map_err(Arc::from);
                CachedTalk {
                    source: src.clone(),
                    hash: text_hash(&src.text),
                    notable: result.as_ref().is_ok_and(|t| notable(t)),
                    result,
                }
            })
            .collect();
        for entry in &fresh {
            self.note_hashes
                .insert(entry.source.path.clone(), entry.hash);
        }
        let mut fresh = fresh.into_iter();
        let aligned = self.talks.len() == sources.len()
            && reused
                .iter()
                .enumerate()
                .all(|(i, r)| r.is_none_or(|j| j == i));
        // Every note parsed last time, and is handed on by its place in path order.
        let mut in_place = aligned && self.parsed.len() == self.talks.len();
        if aligned {
            // In place: an unchanged note's entry is not even looked at.
            for (i, (src, r)) in sources.iter().zip(&reused).enumerate() {
                let entry = &mut self.talks[i];
                match r {
                    Some(_) if Arc::ptr_eq(&entry.source, src) => {}
                    Some(_) => entry.source = src.clone(),
                    None => {
                        *entry = fresh.next().unwrap_or_else(|| entry.clone());
                        match (&entry.result, self.parsed.get_mut(i)) {
                            (Ok(t), Some(p)) if in_place => *p = t.clone(),
                            _ => in_place = false,
                        }
                    }
                }
            }
        } else {
            let last = std::mem::take(&mut self.talks);
            for (src, r) in sources.iter().zip(reused) {
                let entry = match r {
                    Some(j) => CachedTalk {
                        source: src.clone(),
                        ..last[j].clone()
                    },
                    None => match fresh.next() {
                        Some(entry) => entry,
                        None => break,
                    },
                };
                self.talks.push(entry);
            }
        }
        if !in_place {
            self.parsed = self
                .talks
                .iter()
                .filter_map(|e| e.result.as_ref().ok().cloned())
                .collect();
        }
        let mut notable = Vec::new();
        for entry in &self.talks {
            match &entry.result {
                Ok(t) if entry.notable => notable.push(t.clone()),
                Ok(_) => {}
                Err(d) => problems.extend(d.iter().cloned()),
            }
        }
        // More hashes than notes means some were deleted: they drop out here.
        if self.note_hashes.len() > self.talks.len() {
            let present: HashSet<&Path> = self.talks.iter().map(|t| &*t.source.path).collect();
            self.note_hashes
                .retain(|p, _| present.contains(p.as_path()));
        }
        (None, notable)
    }

    /// The sizes of the images among `assets`: the last run's if the files are the same.
    pub(super) fn image_sizes(&mut self, assets: &[load::Asset]) -> Arc<crate::images::Sizes> {
        if let Some((last, sizes)) = &self.images
            && last == assets
        {
            return sizes.clone();
        }
        let sizes = Arc::new(crate::images::Sizes::of(assets));
        if self.retain {
            self.images = Some((assets.to_vec(), sizes.clone()));
        }
        sizes
    }

    /// A hash of everything global the build reads (summit.yaml, the theme, the options):
    /// when it changes, every page is rendered anew. The last run's when made from the same.
    pub(super) fn global_hash(&mut self, inputs: &Rest, opts: &BuildOptions) -> u64 {
        let key = GlobalKey {
            config: inputs.config.as_ref().map(|c| c.text.clone()),
            options: (opts.base_url.clone(), opts.drafts),
            templates: theme_templates(&inputs.templates),
            assets: inputs.assets.clone(),
        };
        if let Some((last, hash)) = &self.global
            && *last == key
        {
            return *hash;
        }
        let hash = global_hash(&key);
        if self.retain {
            self.global = Some((key, hash));
        }
        hash
    }
}

/// Whether a note has what only a few notes have and the model stage looks at: a cover, an
/// image in its body, or a warning. The others need not be read for them.
fn notable(t: &parse::ParsedTalk) -> bool {
    t.meta.image.is_some() || t.has_images || !t.warnings.is_empty()
}

/// For each source, the place in `last` (the last run's notes, in path order, as the
/// sources are) of its entry: the same shared source, or the same path and text.
fn matched(last: &[CachedTalk], sources: &[Arc<load::Source>]) -> Vec<Option<usize>> {
    let mut j = 0;
    sources
        .iter()
        .map(|src| {
            if last.get(j).is_some_and(|l| Arc::ptr_eq(&l.source, src)) {
                j += 1;
                return Some(j - 1);
            }
            while last.get(j).is_some_and(|l| l.source.rel < src.rel) {
                j += 1;
            }
            let l = last.get(j).filter(|l| l.source.rel == src.rel)?;
            j += 1;
            (l.source.path == src.path && l.source.text == src.text).then_some(j - 1)
        })
        .collect()
}

/// The templates as a theme is keyed by them: names and shared texts, nothing copied.
fn theme_templates(templates: &[(String, load::Source)]) -> Vec<(String, Arc<str>)> {
    templates
        .iter()
        .map(|(n, s)| (n.clone(), s.text.clone()))
        .collect()
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The theme from `slot` if the site's templates and static files are unchanged, else anew.
pub(super) fn cached_theme(
    slot: &mut Option<(ThemeKey, Theme)>,
    templates: Vec<(String, load::Source)>,
    assets: Vec<load::Asset>,
) -> Result<&mut Theme> {
    let key: ThemeKey = (theme_templates(&templates), assets);
    let entry = match slot.take() {
        Some((k, theme)) if k == key => (k, theme),
        _ => {
            let theme = new_theme(&key)?;
            (key, theme)
        }
    };
    Ok(&mut slot.insert(entry).1)
}

/// The themes of a blog's recaps: those this build used so far, and those of the previous
/// build not used yet (dropped when the build is done).
#[derive(Default)]
pub(super) struct Themes {
    pub(super) used: Vec<(ThemeKey, Theme)>,
    pub(super) unused: Vec<(ThemeKey, Theme)>,
}

/// The theme made from these templates and static files: one this build made already, else
/// one of the previous build, else a new one.
pub(super) fn shared_theme(
    themes: &mut Themes,
    templates: Vec<(String, load::Source)>,
    assets: Vec<load::Asset>,
) -> Result<&mut Theme> {
    let key: ThemeKey = (theme_templates(&templates), assets);
    let at = match themes.used.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            let entry = match themes.unused.iter().position(|(k, _)| *k == key) {
                Some(old) => themes.unused.swap_remove(old),
                None => {
                    let theme = new_theme(&key)?;
                    (key, theme)
                }
            };
            themes.used.push(entry);
            themes.used.len() - 1
        }
    };
    Ok(&mut themes.used[at].1)
}

/// A theme made from what `key` names.
fn new_theme(key: &ThemeKey) -> Result<Theme> {
    let templates: Vec<(String, String)> = key
        .0
        .iter()
        .map(|(n, t)| (n.clone(), t.to_string()))
        .collect();
    Theme::new(&templates, &key.1)
}

/// A hash of what `key` names.
fn global_hash(key: &GlobalKey) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.config.hash(&mut h);
    key.options.hash(&mut h);
    for (name, text) in &key.templates {
        (name, text).hash(&mut h);
    }
    for a in &key.assets {
        (&a.rel, &*a.bytes).hash(&mut h);
    }
    h.finish()
}
