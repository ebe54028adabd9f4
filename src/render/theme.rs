//! The theme: the built-in templates and stylesheet (embedded in the binary) with the site's
//! own `templates/` and `static/` files on top, by name. Tera compiles the templates once per
//! theme; a template error names the template.

use std::collections::{BTreeMap, BTreeSet};

use tera::{Context, Tera};

use super::Bytes;
use crate::error::{Error, Result};
use crate::load::Asset;

/// The default theme, compiled into the binary.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("talk.html", include_str!("../../templates/talk.html")),
    (
        "talk_page.html",
        include_str!("../../templates/talk_page.html"),
    ),
    (
        "speakers.html",
        include_str!("../../templates/speakers.html"),
    ),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("blog.html", include_str!("../../templates/blog.html")),
    (
        "blog_atom.xml",
        include_str!("../../templates/blog_atom.xml"),
    ),
];
const BUILTIN_ASSETS: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("embed.js", include_bytes!("../../static/embed.js")),
];

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
    /// The built-in theme with the site's templates and static files on top.
    pub fn new(site_templates: &[(String, String)], site_assets: &[Asset]) -> Result<Theme> {
        let mut templates: BTreeMap<&str, &str> = BUILTIN_TEMPLATES.iter().copied().collect();
        for (name, text) in site_templates {
            templates.insert(name, text);
        }
        let own: BTreeSet<String> = site_templates.iter().map(|(n, _)| n.clone()).collect();
        let mut tera = Tera::new();
        tera.add_raw_templates(templates)
            .map_err(|e| named_error(&e, None, &own))?;

        let mut assets: BTreeMap<String, Bytes> = BUILTIN_ASSETS
            .iter()
            .map(|(p, b)| (p.to_string(), Bytes::from(*b)))
            .collect();
        for a in site_assets {
            assets.insert(a.rel.clone(), a.bytes.clone());
        }
        let own_assets = site_assets.iter().map(|a| a.rel.clone()).collect();
        Ok(Theme {
            tera,
            assets,
            own,
            own_assets,
        })
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
        .map(|(n, _)| n.to_string())
        .collect();
    let texts: Vec<&str> = BUILTIN_TEMPLATES
        .iter()
        .map(|(_, t)| *t)
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
        tera::ErrorKind::SyntaxError(r) => Some(r.filename().to_string()),
        _ => rendering.map(String::from),
    };
    let name = match file {
        Some(f) if own.contains(&f) => format!("templates/{f}"),
        Some(f) => format!("{f} (built-in theme)"),
        None => "(theme)".into(),
    };
    Error::Template { name, message }
}
