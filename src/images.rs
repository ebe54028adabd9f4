//! Image sizes: the width and height of every image among the site's `static/` files, so each
//! `<img>` can carry them (no layout shift) and `og:image` can say them.
//!
//! Pure: the bytes were read by `load` (through its jail), and only their headers are looked
//! at here. Raster formats (PNG, JPEG, GIF, WebP, AVIF …) go through `imagesize`, which reads
//! a header and never decodes; SVG is text, so its root element's `width`/`height` (or, when
//! they are missing or relative, its `viewBox`) are read here. An SVG with neither has no
//! intrinsic size: it is kept without `width`/`height` (see the README).
//!
//! Where images live: a path in a note or in `image:` is a file of the site from its root,
//! as every other link (`img/a.png` is `static/img/a.png`, copied to the output as is), so the
//! same path works on the post, on a talk's page and in a recap of a blog.

use std::collections::HashMap;
use std::path::{Component, Path};

use serde_saphyr::Spanned;

use crate::error::Diagnostic;
use crate::load::Asset;
use crate::parse::ParsedTalk;

/// An image's intrinsic size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Size {
    pub width: u64,
    pub height: u64,
}

/// The images among the site's static files, by path inside `static/` (as the output has
/// them), with their size if it could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sizes {
    by_path: HashMap<String, Option<Size>>,
    /// A hash of the sizes, in sorted order: rendered notes depend on it.
    pub key: u64,
}

/// The file endings taken for images.
const ENDINGS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico", "jxl", "tif", "tiff",
];

/// Whether a path names an image by its ending.
pub fn is_image(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| ENDINGS.contains(&ext.to_ascii_lowercase().as_str()))
}

impl Sizes {
    /// The sizes of the images among `assets`.
    pub fn of(assets: &[Asset]) -> Sizes {
        use std::hash::{Hash, Hasher};
        // Every static file (a picture may have any name); sizes of those named as images.
        let by_path: HashMap<String, Option<Size>> = assets
            .iter()
            .map(|a| {
                let size = is_image(&a.rel).then(|| size(&a.rel, &a.bytes)).flatten();
                (a.rel.clone(), size)
            })
            .collect();
        let mut sorted: Vec<_> = by_path.iter().collect();
        sorted.sort();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        sorted.hash(&mut h);
        Sizes {
            by_path,
            key: h.finish(),
        }
    }

    /// Whether the site has the image at `path` (inside `static/`).
    pub fn has(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// The size of the image at `path`, if the site has it and its size is known.
    pub fn get(&self, path: &str) -> Option<Size> {
        self.by_path.get(path).copied().flatten()
    }
}

/// The file inside `static/` a local image path names (`/img/a.png`, `./img/a%20b.png`);
/// `None` for an address off the site. `Err` for a path that climbs out of the site.
pub fn static_path(url: &str) -> Option<Result<String, ()>> {
    if crate::model::is_external(url) {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(path.as_ref()).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str().unwrap_or_default()),
            Component::ParentDir if parts.pop().is_none() => return Some(Err(())),
            _ => {}
        }
    }
    Some(Ok(parts.join("/")))
}

/// Why a local image cannot be shown, as a message says it (`path` as written).
pub fn missing(path: &str, sizes: &Sizes) -> Option<(String, String)> {
    let file = match static_path(path)? {
        Ok(file) if sizes.has(&file) => return None,
        Ok(file) => file,
        Err(()) => {
            return Some((
                format!("missing image `{path}`: it leads out of the site"),
                "put the image in static/ and write its path from there".into(),
            ));
        }
    };
    Some((
        format!("missing image `{path}`: there is no image static/{file}"),
        format!("put the image at static/{file}, or fix the path"),
    ))
}

/// The warning for a cover that cannot be `og:image`: only summit-gen's own pages have one,
/// so `export` (whose host writes its own metadata) leaves it out ([`is_about_social_image`]).
const NO_SOCIAL_IMAGE: &str =
    "`image` is left out of the page's social metadata (`og:image`), which needs a full URL";

/// Whether `warning` is the one [`check_covers`] gives a cover that cannot be `og:image`.
pub fn is_about_social_image(warning: &Diagnostic) -> bool {
    warning.message == NO_SOCIAL_IMAGE
}

/// Checks every cover (`image:` in summit.yaml, `config`, and in the notes): a path on the
/// site must name one of its images (a problem at the key otherwise). A cover that is a file
/// of the site cannot be `og:image` without a full base URL (`absolute`): a warning says so.
pub fn check_covers(
    config: (&Path, Option<&Spanned<String>>),
    talks: &[std::sync::Arc<ParsedTalk>],
    sizes: &Sizes,
    absolute: bool,
    drafts: bool,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (mut problems, mut warnings) = (Vec::new(), Vec::new());
    let covers = std::iter::once((config.0, config.1, 1)).chain(
        talks
            .iter()
            .filter(|t| drafts || !t.meta.draft)
            .map(|t| (t.path.as_path(), t.meta.image.as_ref(), t.yaml_line)),
    );
    for (path, image, yaml_line) in covers {
        let Some(image) = image else { continue };
        let (line, column) = crate::parse::file_pos(&image.referenced, yaml_line);
        if let Err(bad) = crate::model::check_url(&image.value) {
            let what = format!("`image` {}", bad.why);
            problems.push(Diagnostic::new(path, what).at(line, column).help(bad.help));
        } else if let Some((what, help)) = missing(&image.value, sizes) {
            problems.push(Diagnostic::new(path, what).at(line, column).help(help));
        } else if !absolute && !crate::model::is_external(&image.value) {
            warnings.push(
                Diagnostic::new(path, NO_SOCIAL_IMAGE)
                .at(line, column)
                .help("set `base_url` to a full URL such as \"https://user.github.io/repo/\", or build with `--base-url`"),
            );
        }
    }
    (problems, warnings)
}

/// Every image in a note's (or a page's) Markdown `body` that names no file of the site, as a
/// problem at its `![..](..)` (the body starts on file line `body_line`). Found before
/// rendering, so missing images and missing covers are reported together.
pub fn check_note_images(
    path: &Path,
    body: &str,
    body_line: usize,
    sizes: &Sizes,
    problems: &mut Vec<Diagnostic>,
) {
    use pulldown_cmark::{Event, Parser, Tag};
    if !body.contains("![") {
        return;
    }
    let parser = Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter();
    for (event, range) in parser {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        // A `.md` path or an anchor is a link to a note, checked with the links.
        if dest_url.is_empty() || dest_url.starts_with('#') || dest_url.ends_with(".md") {
            continue;
        }
        if let Some((what, help)) = missing(&dest_url, sizes) {
            let (line, column) = crate::render::markdown::position(body, range.start, body_line);
            problems.push(Diagnostic::new(path, what).at(line, column).help(help));
        }
    }
}

/// The size an image file says it has; `None` if it says none (or is not one).
pub fn size(name: &str, bytes: &[u8]) -> Option<Size> {
    if name.to_ascii_lowercase().ends_with(".svg") {
        return svg_size(&String::from_utf8_lossy(bytes));
    }
    let s = imagesize::blob_size(bytes).ok()?;
    Some(Size {
        width: s.width as u64,
        height: s.height as u64,
    })
}

/// An SVG's size from its root element: `width` and `height` in pixels (`px` or no unit),
/// else the `viewBox`'s width and height (rounded).
fn svg_size(text: &str) -> Option<Size> {
    let start = text.find("<svg")?;
    let rest = &text[start + 4..];
    let tag = &rest[..rest.find('>')?];
    let px = |name: &str| {
        let v = attribute(tag, name)?;
        let v = v.trim().strip_suffix("px").unwrap_or(v.trim());
        let n: f64 = v.parse().ok()?;
        (n.is_finite() && n > 0.0).then(|| n.round() as u64)
    };
    if let (Some(width), Some(height)) = (px("width"), px("height")) {
        return Some(Size { width, height });
    }
    let view_box: Vec<f64> = attribute(tag, "viewBox")?
        .split([' ', ',', '\t', '\n'])
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match view_box[..] {
        [_, _, w, h] if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => Some(Size {
            width: w.round() as u64,
            height: h.round() as u64,
        }),
        _ => None,
    }
}

/// The value of attribute `name` in the text of a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut at = 0;
    while let Some(i) = tag[at..].find(name) {
        let i = at + i;
        at = i + name.len();
        let before_ok = tag[..i].ends_with(|c: char| c.is_ascii_whitespace());
        let after = tag[at..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value = &value[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(root: &str) -> Option<(u64, u64)> {
        svg_size(&format!("<?xml version=\"1.0\"?>\n{root}</svg>")).map(|s| (s.width, s.height))
    }

    #[test]
    fn reads_an_svgs_size() {
        assert_eq!(
            svg(r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">"#),
            Some((120, 80))
        );
        assert_eq!(
            svg(r#"<svg viewBox="0 0 1200 630" width="100%">"#),
            Some((1200, 630))
        );
        assert_eq!(
            svg("<svg stroke-width='3' viewBox='0,0,10.4,20'>"),
            Some((10, 20))
        );
        assert_eq!(svg("<svg xmlns=\"http://www.w3.org/2000/svg\">"), None);
        assert_eq!(svg("<svg viewBox=\"0 0 -1 5\">"), None);
    }

    #[test]
    fn names_images_by_their_ending() {
        assert!(is_image("img/a.PNG"));
        assert!(is_image("img/a.svg#x"));
        assert!(!is_image("slides/a.pdf"));
    }
}
