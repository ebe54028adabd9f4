//! The blog build: a folder of recaps under `posts/` as one site. Each recap goes through the
//! very pipeline a one-recap site does (its own [`Builder`], so `serve` keeps its caches per
//! recap), modelled first so that tags get one slug across the blog, then rendered under its
//! folder; the blog's pages are rendered last from the recaps' metadata.

use std::hash::{Hash, Hasher};

use super::{
    Builder, Compiled, Modelled, Rendered, Themes, Timings, base_url_option, cached_theme, sorted,
};
use crate::config::Blog;
use crate::error::{Diagnostic, Error, Result};
use crate::render::blog::{Blogged, Host, RecapMeta, Scope, blog_notes, tag_slugs};
use crate::render::{self, Sink};
use crate::{BuildOptions, load};

impl Builder {
    /// Loads, models and renders the blog at `opts.root`: every recap, then the blog's pages.
    pub(super) fn compile_blog(
        &mut self,
        opts: &BuildOptions,
        sink: &dyn Sink,
    ) -> Result<Compiled> {
        let mut timings = Timings::start();
        let changes = std::mem::replace(&mut self.changes, load::Changes::Unknown);
        let inputs = load::load_after(&opts.root, &mut self.reads, &changes)?;
        let mut problems = inputs.problems;
        let mut warnings = inputs.warnings;
        let source = inputs.config.ok_or_else(|| Error::from(Vec::new()))?;
        let blog = Blog::parse(&source).map_err(|d| sorted([problems.clone(), d].concat()))?;
        let base_url = base_url_option(opts, &mut problems).unwrap_or_else(|| blog.base_url());
        let (folders, skipped) = load::recaps(&opts.root, &mut problems);
        warnings.extend(skipped);
        timings.lap("load");
        let modelled = self.model_recaps(opts, &folders, &blog, &base_url, &changes, &mut problems);
        if !problems.is_empty() {
            return Err(sorted(problems));
        }
        let sites: Vec<_> = modelled.iter().map(|(_, m)| &m.site).collect();
        let slugs = tag_slugs(&sites);
        let by_folder: Vec<_> = modelled
            .iter()
            .map(|(f, m)| (f.as_str(), &m.site))
            .collect();
        let notes = std::sync::Arc::new(blog_notes(&by_folder));
        let scope = Scope {
            title: &blog.title,
            speakers: blog.pages.speakers,
            tags: blog.pages.tags,
            tags_page: blog.pages.tags && !slugs.is_empty(),
            feed: blog.pages.feed,
            custom_css: inputs.assets.iter().any(|a| a.rel == render::CUSTOM_CSS),
            tag_slugs: slugs,
            speaker_ids: render::blog::speaker_ids(&sites),
            notes,
        };
        // What every recap's pages show of the blog: when it changes, they are all anew.
        let outer = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            source.text.hash(&mut h);
            scope.custom_css.hash(&mut h);
            for (name, src) in &inputs.templates {
                (name, &src.text).hash(&mut h);
            }
            let mut slugs: Vec<_> = scope.tag_slugs.iter().collect();
            slugs.sort();
            slugs.hash(&mut h);
            // A speaker's id is given across every recap: an edit in one can move an id
            // another recap's pages show.
            let mut ids: Vec<_> = scope.speaker_ids.iter().collect();
            ids.sort();
            ids.hash(&mut h);
            h.finish()
        };
        let rendered = self.render_recaps(
            opts,
            modelled,
            &scope,
            &base_url,
            &inputs.templates,
            outer,
            sink,
        )?;
        timings.lap("recaps");
        let mut metas: Vec<RecapMeta<'_>> = rendered
            .iter()
            .map(|(prefix, r)| RecapMeta {
                prefix,
                site: &r.site,
                words: r.output.words,
                sitemap: &r.output.sitemap,
                feed: &r.output.feed,
            })
            .collect();
        let templates: Vec<_> = inputs
            .templates
            .iter()
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect();
        let blogged = Blogged {
            blog: &blog,
            base_url: &base_url,
            scope: &scope,
            templates: {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for (name, src) in &templates {
                    (name, &src.text).hash(&mut h);
                }
                h.finish()
            },
        };
        let theme = cached_theme(&mut self.theme, templates, inputs.assets)?;
        let previous = self.retain.then_some(&self.previous);
        let out = render::blog::render(&blogged, &mut metas, theme, previous, sink)?;
        drop(metas);
        if self.retain {
            self.next = Some(render::Previous {
                rendered_from: out.rendered_from,
                ..render::Previous::default()
            });
        }
        timings.lap("blog pages");
        let origin = super::left_out::Origin {
            root: &opts.root,
            arg: opts.base_url.is_some(),
            key: blog.base_url.as_ref(),
        };
        let left = render::left_out(blog.pages.feed, blog.pages.sitemap, &base_url);
        let mut compiled = Compiled {
            left_out: Vec::new(),
            sites: Vec::new(),
            base_url,
            files: Vec::new(),
            warnings,
            note_links: Vec::new(),
            timings: timings.done,
            reused: out.reused.into_iter().map(Into::into).collect(),
            _spent: None,
            changed: None,
        };
        for (_, r) in rendered {
            compiled.warnings.extend(r.warnings);
            compiled.note_links.extend(r.output.note_links);
            compiled.reused.extend(r.output.reused);
            compiled.sites.push(r.site);
        }
        let social = super::left_out::fold_social(&mut compiled.warnings, &left);
        compiled.left_out = super::left_out::notices(&left, &compiled.base_url, &origin, social);
        Ok(compiled)
    }

    /// Renders the modelled recaps (in folder order) into `sink`, several at a time: each
    /// lane (one per thread) takes the next recap when it is done with one, with a theme of
    /// its own, as a render sets the theme's global context to its recap. Returns each
    /// recap's prefix and result in folder order; the first error in that order fails it.
    #[allow(clippy::too_many_arguments)]
    fn render_recaps(
        &mut self,
        opts: &BuildOptions,
        modelled: Vec<(String, Modelled)>,
        scope: &Scope<'_>,
        base_url: &str,
        templates: &[(String, load::Source)],
        outer: u64,
        sink: &dyn Sink,
    ) -> Result<Vec<(String, Rendered)>> {
        use rayon::prelude::*;
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let lanes = rayon::current_num_threads().clamp(1, modelled.len().max(1));
        // The themes the previous build used, each to the first lane lacking its key (so a
        // lane finds again what it made last time); those no recap uses now are dropped.
        let mut themes: Vec<Themes> = (0..lanes).map(|_| Themes::default()).collect();
        for entry in std::mem::take(&mut self.recap_themes) {
            let free = themes
                .iter_mut()
                .find(|t| t.unused.iter().all(|(k, _)| *k != entry.0));
            if let Some(lane) = free {
                lane.unused.push(entry);
            }
        }
        let mut builders: Vec<&mut Builder> = Vec::with_capacity(modelled.len());
        let mut recaps = self.recaps.iter_mut();
        for (folder, _) in &modelled {
            // `modelled` is in the map's order, one recap each.
            let builder = recaps
                .by_ref()
                .find(|(f, _)| *f == folder)
                .map(|(_, b)| b)
                .ok_or_else(|| Error::from(Vec::new()))?;
            builders.push(builder);
        }
        type Slot<'b> = Mutex<Option<(String, Modelled, &'b mut Builder)>>;
        let slots: Vec<Slot<'_>> = modelled
            .into_iter()
            .zip(builders)
            .map(|((folder, m), b)| Mutex::new(Some((folder, m, b))))
            .collect();
        type Done = Mutex<Option<Result<(String, Rendered)>>>;
        let results: Vec<Done> = slots.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        themes.par_iter_mut().for_each(|lane| {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = slots.get(i) else { break };
                let taken = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
                let Some((folder, m, recap)) = taken else {
                    continue;
                };
                let prefix = format!("{folder}/");
                let host = Host {
                    prefix: &prefix,
                    blog: Some(scope),
                };
                let recap_opts = recap_options(opts, &folder, base_url);
                let r = recap.finish(&recap_opts, m, &host, templates, outer, Some(lane), sink);
                let failed = r.is_err();
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(r.map(|r| (prefix, r)));
                if failed {
                    // The build fails: the recaps not begun need not be rendered.
                    next.fetch_add(slots.len(), Ordering::Relaxed);
                }
            }
        });
        self.recap_themes = themes.into_iter().flat_map(|t| t.used).collect();
        let mut rendered = Vec::with_capacity(results.len());
        // Recaps are taken in order, so one not begun comes after the one that failed.
        for r in results
            .into_iter()
            .map_while(|r| r.into_inner().ok().flatten())
        {
            rendered.push(r?);
        }
        Ok(rendered)
    }

    /// Models every recap in `folders`, each with its own builder; problems of all of them
    /// go to `problems`.
    fn model_recaps(
        &mut self,
        opts: &BuildOptions,
        folders: &[String],
        blog: &Blog,
        base_url: &str,
        changes: &load::Changes,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<(String, Modelled)> {
        use rayon::prelude::*;
        let retain = self.retain;
        // Recaps that are gone drop out with their caches.
        self.recaps.retain(|f, _| folders.contains(f));
        for folder in folders {
            self.recaps.entry(folder.clone()).or_insert_with(|| {
                if retain {
                    Builder::new()
                } else {
                    Builder::once()
                }
            });
        }
        // Each recap is loaded and modelled by its own builder, so recaps go in parallel
        // (beside the parallel reading and parsing inside each): a recap's walk, summit.yaml
        // and model are serial work that would otherwise leave the other cores idle.
        let recaps: Vec<(&String, &mut Builder)> = self.recaps.iter_mut().collect();
        let results: Vec<(String, Result<Modelled>)> = recaps
            .into_par_iter()
            .map(|(folder, recap)| {
                recap.changes = changes.within(&std::path::Path::new("posts").join(folder));
                let m = recap.prepare(&recap_options(opts, folder, base_url), Some(blog));
                (folder.clone(), m)
            })
            .collect();
        // In folder order (the map's), as one after another would give them.
        let mut modelled = Vec::new();
        for (folder, m) in results {
            match m {
                Ok(m) => modelled.push((folder, m)),
                Err(Error::Content(d)) => problems.extend(d.0),
                Err(e) => problems.push(Diagnostic::new(
                    load::display_path(&opts.root, &std::path::Path::new("posts").join(&folder)),
                    e.to_string(),
                )),
            }
        }
        modelled
    }
}

/// The build options of the recap in `posts/<folder>`, built for the blog's base URL.
fn recap_options(opts: &BuildOptions, folder: &str, base_url: &str) -> BuildOptions {
    BuildOptions {
        root: load::display_path(&opts.root, &std::path::Path::new("posts").join(folder)),
        output: None,
        base_url: Some(base_url.to_string()),
        drafts: opts.drafts,
    }
}
