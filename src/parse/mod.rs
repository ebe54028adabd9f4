//! Parse stage: a [`Source`] (path + text) becomes typed front matter plus a Markdown body.
//!
//! Pure: no disk access. Markdown itself is turned into HTML later, in `render`, once slugs
//! (and so heading anchors) are known.

pub mod front_matter;
pub mod types;

use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::Diagnostic;
use crate::load::Source;
use crate::yaml;
use types::{ClockTime, DayRef, Link, OneOrMany, Speaker};

/// A talk note's front matter, exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkMeta {
    pub title: Spanned<String>,
    pub speakers: Spanned<OneOrMany<Speaker>>,
    pub day: Spanned<DayRef>,
    pub start: Option<ClockTime>,
    pub duration: Option<Spanned<Minutes>>,
    pub end: Option<Spanned<ClockTime>>,
    pub room: Option<String>,
    pub track: Option<String>,
    #[serde(default)]
    pub tags: OneOrMany<String>,
    #[serde(default)]
    pub recommended: bool,
    /// 1 to 5 stars.
    pub rating: Option<Rating>,
    pub video: Option<Spanned<String>>,
    pub slides: Option<Spanned<String>>,
    /// The talk page's cover and social image (see `Config::image`).
    pub image: Option<Spanned<String>>,
    pub image_alt: Option<String>,
    #[serde(default)]
    pub links: Vec<Spanned<Link>>,
    pub id: Option<Spanned<String>>,
    pub extra: Option<serde_json::Value>,
    #[serde(default)]
    pub draft: bool,
}

/// A duration in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(pub u32);

impl<'de> Deserialize<'de> for Minutes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Minutes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of minutes")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Minutes, E> {
                match u32::try_from(n) {
                    Ok(n) if (1..=24 * 60).contains(&n) => Ok(Minutes(n)),
                    _ => Err(E::custom(format!(
                        "expected a number of minutes from 1 to 1440, found {n}"
                    ))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Minutes, E> {
                Err(E::custom(format!(
                    "expected a number of minutes from 1 to 1440, found {n}"
                )))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Minutes, E> {
                match s.trim().parse::<u64>() {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!(
                        "expected a number of minutes (e.g. 45), found \"{s}\""
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A rating from 1 to 5 (stars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Rating(pub u8);

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        const WANT: &str = "expected a rating from 1 to 5";
        impl serde::de::Visitor<'_> for V {
            type Value = Rating;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rating from 1 to 5")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Rating, E> {
                match u8::try_from(n) {
                    Ok(n) if (1..=5).contains(&n) => Ok(Rating(n)),
                    _ => Err(E::custom(format!("{WANT}, found {n}"))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Rating, E> {
                Err(E::custom(format!("{WANT}, found {n}")))
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Rating, E> {
                Err(E::custom(format!("{WANT} (a whole number), found {n}")))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Rating, E> {
                match s.trim().parse::<u64>() {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("{WANT}, found \"{s}\""))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Front matter of the intro, the outro and a day's lead text: all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: Option<String>,
}

/// A parsed talk note.
#[derive(Debug, Clone)]
pub struct ParsedTalk {
    pub path: PathBuf,
    /// Path relative to the site root.
    pub rel: PathBuf,
    /// File line on which the body starts.
    pub body_line: usize,
    pub meta: TalkMeta,
    /// File line on which the YAML starts: add it to YAML positions (minus one).
    pub yaml_line: usize,
    pub body: std::sync::Arc<str>,
    /// Whether the body has `![` anywhere: only such a body can show an image, so only its
    /// images need checking. Found once per text (`serve` shares the parsed note while its
    /// text is unchanged, so an unchanged body is not scanned again).
    pub has_images: bool,
    /// What is legal but most likely not meant (`tags: a, b` is one tag).
    pub warnings: Vec<Diagnostic>,
}

/// A parsed page (intro, outro, a day's lead).
#[derive(Debug, Clone)]
pub struct ParsedPage {
    pub path: PathBuf,
    /// Path relative to the site root.
    pub rel: PathBuf,
    /// File line on which the body starts.
    pub body_line: usize,
    pub meta: PageMeta,
    pub body: String,
}

pub fn talk(source: &Source) -> Result<ParsedTalk, Vec<Diagnostic>> {
    let split = front_matter::split(&source.text, &source.path).map_err(|d| vec![d])?;
    let Some(yaml_text) = split.yaml else {
        return Err(vec![Diagnostic::new(&source.path, "a talk note needs front matter")
            .at(1, 1)
            .help("start the file with a `---` line, then `title:`, `speakers:` and `day:`, then `---`")]);
    };
    let meta: TalkMeta = yaml::from_str(yaml_text, &source.path, split.yaml_line)?;
    let warnings = ["tags", "speakers"]
        .into_iter()
        .filter_map(|key| {
            let (line, column, value) = yaml::unbracketed_list(yaml_text, key)?;
            let items: Vec<&str> = value.split(',').map(str::trim).collect();
            Some(
                Diagnostic::new(
                    &source.path,
                    format!("`{key}` is one value, `{value}`: a list needs brackets"),
                )
                .at(line + split.yaml_line - 1, column)
                .help(format!("write `{key}: [{}]`", items.join(", "))),
            )
        })
        .collect();
    Ok(ParsedTalk {
        warnings,
        path: source.path.clone(),
        rel: source.rel.clone(),
        body_line: split.body_line,
        meta,
        yaml_line: split.yaml_line,
        has_images: split.body.contains("!["),
        body: split.body.into(),
    })
}

pub fn page(source: &Source) -> Result<ParsedPage, Vec<Diagnostic>> {
    let split = front_matter::split(&source.text, &source.path).map_err(|d| vec![d])?;
    let meta = match split.yaml {
        Some(y) => yaml::from_str(y, &source.path, split.yaml_line)?,
        None => PageMeta::default(),
    };
    Ok(ParsedPage {
        path: source.path.clone(),
        rel: source.rel.clone(),
        body_line: split.body_line,
        meta,
        body: split.body.into(),
    })
}

/// Converts a YAML position (from a `Spanned`) into a file position.
pub fn file_pos(loc: &serde_saphyr::Location, yaml_line: usize) -> (usize, usize) {
    (loc.line() as usize + yaml_line - 1, loc.column() as usize)
}
