//! The theme: the built-in templates and stylesheet (embedded in the binary) with the site's
//! own `templates/` and `static/` files on top, by name. Tera compiles the templates once per
//! theme; a template error names the template.

use std::collections::{BTreeMap, BTreeSet};

use tera::{Context, Tera};

use super::Bytes;
use crate::error::{Error, Result};
use crate::load::Asset;

/// The default theme, compiled into the binary: each template's name, text and what it is for
/// (`summit-gen theme` lists them).
const BUILTIN_TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "404.html",
        include_str!("../../templates/404.html"),
        "the page for an address that does not exist",
    ),
    (
        "atom.xml",
        include_str!("../../templates/atom.xml"),
        "the recap's Atom feed",
    ),
    (
        "base.html",
        include_str!("../../templates/base.html"),
        "the frame of every HTML page: head, navigation, footer",
    ),
    (
        "blog.html",
        include_str!("../../templates/blog.html"),
        "a blog's front page: its recaps, newest first",
    ),
    (
        "blog_atom.xml",
        include_str!("../../templates/blog_atom.xml"),
        "a blog's Atom feed",
    ),
    (
        "index.html",
        include_str!("../../templates/index.html"),
        "the post: intro, a section per day, outro",
    ),
    (
        "sitemap.xml",
        include_str!("../../templates/sitemap.xml"),
        "the sitemap",
    ),
    (
        "speakers.html",
        include_str!("../../templates/speakers.html"),
        "the speakers page",
    ),
    (
        "tag.html",
        include_str!("../../templates/tag.html"),
        "the page of one tag",
    ),
    (
        "tags.html",
        include_str!("../../templates/tags.html"),
        "the page of all tags",
    ),
    (
        "talk.html",
        include_str!("../../templates/talk.html"),
        "one talk's section of the post",
    ),
    (
        "talk_page.html",
        include_str!("../../templates/talk_page.html"),
        "a talk's own page",
    ),
];
const BUILTIN_ASSETS: &[(&str, &[u8], &str)] = &[
    (
        "embed.js",
        include_bytes!("../../static/embed.js"),
        "loads a recording's player when its button is clicked",
    ),
    (
        "style.css",
        include_bytes!("../../static/style.css"),
        "the stylesheet (colours are variables at its top)",
    ),
];

/// The name space of the built-in templates: `theme/base.html` is always the built-in
/// `base.html`, even where the site replaces `base.html` (so an override can extend it).
pub const THEME_PREFIX: &str = "theme/";

/// The site's extra stylesheet: linked after the theme's on every page when it exists.
pub const CUSTOM_CSS: &str = "custom.css";

/// One file of the built-in theme.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// `templates` or `static`: the site folder where a file of this name replaces it.
    pub folder: &'static str,
    pub name: &'static str,
    pub bytes: &'static [u8],
    /// What it is for, in a few words.
    pub about: &'static str,
}

/// Every file of the built-in theme: the templates, then the static files, each sorted by name.
pub fn builtin_files() -> impl Iterator<Item = Builtin> {
    let templates = BUILTIN_TEMPLATES
        .iter()
        .map(|&(name, text, about)| Builtin {
            folder: "templates",
            name,
            bytes: text.as_bytes(),
            about,
        });
    let assets = BUILTIN_ASSETS.iter().map(|&(name, bytes, about)| Builtin {
        folder: "static",
        name,
        bytes,
        about,
    });
    templates.chain(assets)
}

/// Parsed templates plus the static files to copy: built once, and again only when the
/// site's templates or static files change.
pub struct Theme {
    pub(super) tera: Tera,
    pub(super) assets: BTreeMap<String, Bytes>,
    /// Names of the templates the site brings itself (in its `templates/`).
    own: BTreeSet<String>,
    /// Names of the static files the site brings itself.
    own_assets: BTreeSet<String>,
}

impl Theme {
    /// The built-in theme with the site's templates and static files on top. With any site
    /// template, the built-in ones are there under `theme/` too (for `extends` and `include`).
    pub fn new(site_templates: &[(String, String)], site_assets: &[Asset]) -> Result<Theme> {
        if let Some((name, _)) = site_templates
            .iter()
            .find(|(n, _)| n.starts_with(THEME_PREFIX))
        {
            return Err(Error::Template {
                name: format!("templates/{name}"),
                message: format!(
                    "the names under `{THEME_PREFIX}` are the built-in theme's — to replace a built-in template, put it in templates/ itself (`{THEME_PREFIX}NAME` still reaches the original)"
                ),
            });
        }
        let mut templates: BTreeMap<String, &str> = BTreeMap::new();
        for (name, text, _) in BUILTIN_TEMPLATES {
            templates.insert(name.to_string(), text);
            if !site_templates.is_empty() {
                templates.insert(format!("{THEME_PREFIX}{name}"), text);
            }
        }
        for (name, text) in site_templates {
            templates.insert(name.clone(), text);
        }
        let own: BTreeSet<String> = site_templates.iter().map(|(n, _)| n.clone()).collect();
        let mut tera = Tera::new();
        tera.add_raw_templates(templates)
            .map_err(|e| named_error(&e, None, &own))?;

        let mut assets: BTreeMap<String, Bytes> = BUILTIN_ASSETS
            .iter()
            .map(|(p, b, _)| (p.to_string(), Bytes::from(*b)))
            .collect();
        for a in site_assets {
            assets.insert(a.rel.clone(), a.bytes.clone().into());
        }
        let own_assets = site_assets.iter().map(|a| a.rel.clone()).collect();
        Ok(Theme {
            tera,
            assets,
            own,
            own_assets,
        })
    }

    /// Whether the site brings a `static/custom.css` of its own.
    pub(super) fn has_custom_css(&self) -> bool {
        self.own_assets.contains(CUSTOM_CSS)
    }

    /// Whether the site brings its own template `name` (in its `templates/`).
    pub(super) fn is_own(&self, name: &str) -> bool {
        self.own.contains(name)
    }

    /// The static files the site brings itself (not the built-in ones), by path.
    pub(super) fn own_assets(&self) -> impl Iterator<Item = (&String, &Bytes)> {
        self.assets
            .iter()
            .filter(|(p, _)| self.own_assets.contains(*p))
    }

    pub(super) fn render(&self, name: &str, context: &Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| named_error(&e, Some(name), &self.own))
    }
}

/// Site templates that replace no built-in template and that no template names (quoted, as
/// `include`, `extends` and `import` do): most likely misspelt, so the file changes nothing.
/// Each comes with the built-in name it is closest to, if any.
pub fn unused_templates(site_templates: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    let builtin: Vec<String> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, _, _)| n.to_string())
        .collect();
    let texts: Vec<&str> = BUILTIN_TEMPLATES
        .iter()
        .map(|(_, t, _)| *t)
        .chain(site_templates.iter().map(|(_, t)| *t))
        .collect();
    site_templates
        .iter()
        .map(|(name, _)| name.to_string())
        .filter(|name| !builtin.contains(name))
        .filter(|name| {
            let (double, single) = (format!("\"{name}\""), format!("'{name}'"));
            !texts
                .iter()
                .any(|t| t.contains(&double) || t.contains(&single))
        })
        .map(|name| {
            let near = crate::yaml::suggest(&name, &builtin).map(String::from);
            (name, near)
        })
        .collect()
}

/// A template error that names no template (building a context).
pub(super) fn template_error(e: &tera::Error) -> Error {
    named_error(e, None, &BTreeSet::new())
}

/// A template error, named by the file it is in (or else the template being rendered): the
/// site's own as `templates/NAME`, a built-in one as such.
fn named_error(e: &tera::Error, rendering: Option<&str>, own: &BTreeSet<String>) -> Error {
    use std::error::Error as _;
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(&format!(": {c}"));
        cause = c.source();
    }
    let file = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            Some(r.filename().to_string())
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // The template the loop comes back to is the one to fix.
            let tpl = inheritance_chain.last().unwrap_or(tpl);
            if !tpl.starts_with(THEME_PREFIX) {
                message.push_str(&format!(
                    " — to extend the built-in `{tpl}`, write {{% extends \"{THEME_PREFIX}{tpl}\" %}}"
                ));
            }
            Some(tpl.clone())
        }
        _ => rendering.map(String::from),
    };
    let name = match file {
        Some(f) if own.contains(&f) => format!("templates/{f}"),
        Some(f) => format!("{f} (built-in theme)"),
        None => "(theme)".into(),
    };
    Error::Template { name, message }
}
