//! `export`: the recap as one Markdown post in another blog's conventions (Hugo, Jekyll,
//! Zola, or plain CommonMark), so that blog's own theme renders it.
//!
//! One build path: the recap is compiled as for `build` ([`crate::compile`]: load, parse,
//! config, model, and the rendered site for the files notes link to), then written as
//! Markdown from the model: the intro, a `##` per day (its label in the recap's language), a
//! `###` per talk with its speakers, time, room, recommendation and links, the writer's notes
//! below it ([`body`]: headings shifted and given the ids `build` gives them, links resolved
//! as on the post), and the outro. [`hosts`] adds the host's front matter, escapes what the
//! host would interpret and decides where each file goes; [`files`] writes them.

mod body;
mod files;
mod hosts;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::Error;
use crate::model::Site;

pub use files::MANIFEST;
pub use hosts::Format;

use crate::error::{Diagnostic, Result};
use crate::locale::Locale;
use crate::model::Talk;
use crate::render::markdown::{LinkTarget, NoteLink};
use crate::render::notes;
use crate::{BuildOptions, Compiled};

/// What to export and where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The recap's folder (holding summit.yaml).
    pub root: PathBuf,
    /// The host blog's root; `root/export/<format>` when `None`.
    pub output: Option<PathBuf>,
    pub format: Format,
    /// Include notes marked `draft: true`.
    pub drafts: bool,
}

impl ExportOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| {
            crate::load::display_path(&self.root, &Path::new("export").join(self.format.name()))
        })
    }
}

/// What an export did.
#[derive(Debug, Clone)]
pub struct ExportReport {
    pub output: PathBuf,
    /// The post's file, relative to the output.
    pub post: String,
    /// Every file written, relative to the output, sorted.
    pub written: Vec<String>,
    /// Files an earlier export of this recap wrote that this one no longer does, removed.
    pub removed: Vec<String>,
    pub talks: usize,
    pub warnings: Vec<Diagnostic>,
}

/// A piece of the post's Markdown: text (the host escapes what it would interpret), or the
/// address of a copied site file (the host decides how to write it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Asset {
        path: String,
        fragment: Option<String>,
    },
}

/// The recap, host-neutral: what every host's post is made of.
pub(crate) struct Recap {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub date: String,
    pub tags: Vec<String>,
    pub body: Vec<Piece>,
    /// Site files the post links to (output paths), with their bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// Exports the recap at `opts.root` into `opts.output_dir()`.
pub fn export(opts: &ExportOptions) -> Result<ExportReport> {
    let compiled = crate::compile(&BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: None,
        drafts: opts.drafts,
    })?;
    // One post per export: a blog's recaps are exported one by one.
    let [site] = compiled.sites.as_slice() else {
        return Err(Error::from(vec![
            Diagnostic::new(
                &opts.root,
                "is a blog of recaps; export writes one recap as one post",
            )
            .help("export each recap with `--root posts/NAME`"),
        ]));
    };
    let (recap, warnings) = recap(&compiled, site);
    let out = hosts::files(opts.format, &recap);
    let output = opts.output_dir();
    let done = files::replace(&opts.root, &output, &recap.slug, &out.files)?;
    Ok(ExportReport {
        output,
        post: out.post,
        written: done.written,
        removed: done.removed,
        talks: compiled.talks(),
        // The host writes the post's social metadata, not summit-gen.
        warnings: compiled
            .warnings
            .into_iter()
            .filter(|w| !crate::images::is_about_social_image(w))
            .chain(warnings)
            .collect(),
    })
}

/// The recap's post from the compiled site, and warnings about links the post cannot keep.
pub(crate) fn recap(compiled: &Compiled, site: &Site) -> (Recap, Vec<Diagnostic>) {
    let config = &site.config;
    let locale = Locale::new(config.language, &config.labels);
    let fixed = site.fixed_ids();
    let targets = notes::note_targets(site);
    let files: HashSet<&str> = compiled.files.iter().map(|f| &*f.path).collect();
    let env = body::Env {
        fixed: &fixed,
        notes: &targets,
        files: &files,
    };
    let docs = notes::documents(site);
    let mut post = Post {
        pieces: Vec::new(),
        ids: HashSet::new(),
        links: Vec::new(),
        assets: BTreeSet::new(),
    };
    let note = |post: &mut Post, rel: &Path| {
        if let Some(doc) = docs.iter().find(|d| d.rel == rel) {
            post.note(doc, &env);
        }
    };

    if let Some(p) = &site.intro {
        post.section_heading(p.meta.title.as_deref(), "intro");
        note(&mut post, &p.rel);
    }
    for day in &site.days {
        let heading = day
            .title
            .clone()
            .unwrap_or_else(|| locale.day_heading(day.number));
        post.heading(2, &heading, &day.id);
        post.text(format!(
            "*{}*\n\n",
            text(&locale.date_with_weekday(day.date))
        ));
        if let Some(lead) = &day.lead {
            note(&mut post, &lead.rel);
        }
        for t in &day.talks {
            post.talk(t, &locale, &files);
            note(&mut post, &t.rel);
            post.talk_links(t, &locale, &files);
        }
    }
    if let Some(p) = &site.outro {
        post.section_heading(p.meta.title.as_deref(), "outro");
        note(&mut post, &p.rel);
    }

    let warnings = post.missing_anchors();
    let tags: BTreeSet<&String> = site
        .days
        .iter()
        .flat_map(|d| d.talks.iter().flat_map(|t| &t.tags))
        .collect();
    let assets = post
        .assets
        .iter()
        .filter_map(|path| {
            let file = compiled.files.iter().find(|f| *f.path == **path)?;
            Some((path.clone(), file.contents.to_vec()))
        })
        .collect();
    let date = config
        .published
        .or_else(|| site.days.last().map(|d| d.date))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let recap = Recap {
        slug: crate::model::slugify(&config.title),
        title: config.title.clone(),
        description: config.description.clone(),
        date,
        tags: tags.into_iter().cloned().collect(),
        body: post.pieces,
        assets,
    };
    (recap, warnings)
}

/// The post's Markdown as it is put together.
struct Post {
    pieces: Vec<Piece>,
    /// Every id the post's headings have.
    ids: HashSet<String>,
    /// Every link written in a note, with the note's path.
    links: Vec<(PathBuf, NoteLink)>,
    assets: BTreeSet<String>,
}

impl Post {
    fn text(&mut self, s: impl Into<String>) {
        self.pieces.push(Piece::Text(s.into()));
    }

    fn heading(&mut self, level: usize, title: &str, id: &str) {
        self.text(format!(
            "{} {} {{#{id}}}\n\n",
            "#".repeat(level),
            text(title)
        ));
        self.ids.insert(id.to_string());
    }

    /// The intro's or outro's heading, if it has a title (as on the post).
    fn section_heading(&mut self, title: Option<&str>, id: &str) {
        if let Some(title) = title {
            self.heading(2, title, id);
        }
    }

    /// A note's text (intro, outro, a day's lead or a talk's notes), rewritten for the post.
    fn note(&mut self, doc: &notes::Doc<'_>, env: &body::Env<'_>) {
        let markdown = doc.body;
        if markdown.trim().is_empty() {
            return;
        }
        let done = body::rewrite(markdown, doc.rel, doc.body_line, &doc.place, env);
        self.pieces.extend(done.pieces);
        self.text(if markdown.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        });
        self.ids.extend(done.ids);
        self.assets.extend(done.assets);
        self.links
            .extend(done.links.into_iter().map(|l| (doc.path.to_path_buf(), l)));
    }

    /// A talk's heading, speakers and the line of its time, room and recommendation.
    fn talk(&mut self, t: &Talk, locale: &Locale, files: &HashSet<&str>) {
        let labels = &locale.labels;
        self.heading(3, &t.title, &t.slug);
        if !t.speakers.is_empty() {
            let n = t.speakers.len();
            for (i, s) in t.speakers.iter().enumerate() {
                if i > 0 {
                    let sep = if i + 1 == n {
                        format!(" {} ", text(&labels.and))
                    } else {
                        ", ".into()
                    };
                    self.text(sep);
                }
                match &s.url {
                    Some(url) => self.link(&s.name, url, files),
                    None => self.text(text(&s.name)),
                }
                if let Some(a) = &s.affiliation {
                    self.text(format!(" ({})", text(a)));
                }
            }
            self.text("\n\n");
        }
        let mut meta = Vec::new();
        if t.recommended {
            meta.push(format!("★ {}", labels.recommended));
        }
        if let Some(start) = t.start {
            meta.push(match t.end {
                Some(end) => format!("{start}–{end}"),
                None => start.to_string(),
            });
        }
        if let Some(room) = &t.room {
            meta.push(format!("{}: {room}", labels.room));
        }
        if let Some(track) = &t.track {
            meta.push(format!("{}: {track}", labels.track));
        }
        if !meta.is_empty() {
            let line: Vec<String> = meta.iter().map(|m| text(m)).collect();
            self.text(format!("{}\n\n", line.join(" · ")));
        }
    }

    /// The recording, the slides and the talk's links, after its notes.
    fn talk_links(&mut self, t: &Talk, locale: &Locale, files: &HashSet<&str>) {
        let labels = &locale.labels;
        let links = t
            .video
            .iter()
            .map(|u| (labels.recording.as_str(), u.as_str()))
            .chain(
                t.slides
                    .iter()
                    .map(|u| (labels.slides.as_str(), u.as_str())),
            )
            .chain(t.links.iter().map(|l| (l.title.as_str(), l.url.as_str())));
        let mut any = false;
        for (title, url) in links {
            self.text("- ");
            self.link(title, url, files);
            self.text("\n");
            any = true;
        }
        if any {
            self.text("\n");
        }
    }

    /// `[title](<url>)`: a front-matter URL; a path of the site points at its copied file.
    fn link(&mut self, title: &str, url: &str, files: &HashSet<&str>) {
        self.text(format!("[{}](<", text(title)));
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string())),
            None => (url, None),
        };
        let file = path.trim_start_matches('/').trim_start_matches("./");
        if !crate::model::is_external(url)
            && !path.is_empty()
            && !file.ends_with(".html")
            && files.contains(file)
        {
            self.assets.insert(file.to_string());
            self.pieces.push(Piece::Asset {
                path: file.to_string(),
                fragment,
            });
        } else {
            self.text(url.replace('<', "%3C").replace('>', "%3E"));
        }
        self.text(">)");
    }

    /// Links to an anchor the exported post does not have (an untitled intro or outro has
    /// no heading), one warning each, at the link.
    fn missing_anchors(&self) -> Vec<Diagnostic> {
        self.links
            .iter()
            .filter_map(|(path, link)| match &link.target {
                LinkTarget::Internal {
                    file,
                    fragment: Some(f),
                    ..
                } if file == "index.html" && !self.ids.contains(f) => Some(
                    Diagnostic::new(
                        path,
                        format!("links to `#{f}`, which the exported post has no heading for"),
                    )
                    .at(link.line, link.column)
                    .help(if f == "intro" || f == "outro" {
                        "give that note a `title:`, so it has a heading in the post"
                    } else {
                        "link to a talk or to one of its headings"
                    }),
                ),
                _ => None,
            })
            .collect()
    }
}

/// Text from front matter or labels as Markdown that shows it as written: what Markdown,
/// kramdown or a template would read as syntax is escaped (`&`, `<`, `>` and `~` as
/// entities, other punctuation with a backslash, which CommonMark and kramdown both take).
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '~' => out.push_str("&#126;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '*' | '_' | '[' | ']' | '{' | '}' | '#' | '!' | '|' | '$' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
