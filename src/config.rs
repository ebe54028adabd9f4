//! `summit.yaml`: the event and the post.
//!
//! Typed serde structs with `deny_unknown_fields`, so a typo is an error with a suggestion
//! instead of a silently ignored key. Validation that needs more than one field (days, base URL,
//! language) happens in [`Config::parse`], which reports every problem it finds.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::Diagnostic;
use crate::load::Source;
use crate::locale::{self, Labels};
use crate::parse::types::{ClockTime, Date};
use crate::yaml;

mod pages;
pub use pages::{Feed, Pages};

/// A built-in language of the pages (labels, dates).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Language {
    Da,
    De,
    #[default]
    En,
    Es,
    Fr,
    Nb,
    Nl,
    Sv,
}

impl Language {
    /// In the order of their codes (as messages list them).
    pub const ALL: [Language; 8] = [
        Language::Da,
        Language::De,
        Language::En,
        Language::Es,
        Language::Fr,
        Language::Nb,
        Language::Nl,
        Language::Sv,
    ];

    /// The language named by an ISO 639-1 code, if built in.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The built-in languages' codes, for messages: `da, de, en, …`.
    pub fn codes() -> String {
        Language::ALL.map(Language::code).join(", ")
    }

    /// The ISO 639-1 code (`lang="…"`, `inLanguage`).
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::De => "de",
            Language::En => "en",
            Language::Es => "es",
            Language::Fr => "fr",
            Language::Nb => "nb",
            Language::Nl => "nl",
            Language::Sv => "sv",
        }
    }

    /// OpenGraph's `og:locale`.
    pub fn og_locale(self) -> &'static str {
        match self {
            Language::Da => "da_DK",
            Language::De => "de_DE",
            Language::En => "en_US",
            Language::Es => "es_ES",
            Language::Fr => "fr_FR",
            Language::Nb => "nb_NO",
            Language::Nl => "nl_NL",
            Language::Sv => "sv_SE",
        }
    }
}

/// The whole of `summit.yaml`, checked: the raw keys as written, and what [`Config::parse`]
/// resolved from them once (`language`, `timezone`), so later stages never match strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    pub author: Option<String>,
    /// As written; see [`Config::language`].
    #[serde(rename = "language")]
    pub language_key: Option<Spanned<String>>,
    /// The pages' language, resolved (English when unset).
    #[serde(skip)]
    pub language: Language,
    /// The event's time zone, resolved from `event.timezone`.
    #[serde(skip)]
    pub timezone: Option<jiff::tz::TimeZone>,
    pub base_url: Option<Spanned<String>>,
    pub published: Option<Date>,
    /// The post's cover and social image: a path on the site (a file in `static/`) or an
    /// http(s) address.
    pub image: Option<Spanned<String>>,
    /// The cover's text alternative.
    pub image_alt: Option<String>,
    pub event: Event,
    #[serde(default)]
    pub labels: Labels,
    /// A custom domain for GitHub Pages: written to `CNAME`.
    pub cname: Option<String>,
    /// As written (a recap in a blog inherits the blog's when unset).
    #[serde(rename = "pages")]
    pub pages_key: Option<Pages>,
    /// Which pages the recap has.
    #[serde(skip)]
    pub pages: Pages,
    /// As written; see `highlight`.
    #[serde(rename = "highlight")]
    pub highlight_key: Option<bool>,
    /// Highlight fenced code blocks (on unless `false`).
    #[serde(skip)]
    pub highlight: bool,
    /// What the post does with a talk whose note has no text yet.
    #[serde(default)]
    pub unwritten: Unwritten,
}

/// A talk whose note has no text (empty, or only a comment as `import` writes): listed at
/// the end of its day, or left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unwritten {
    #[default]
    List,
    Hide,
}

/// A blog's `summit.yaml`: the blog, and what its recaps inherit. No `event:`: each recap
/// under `posts/` brings its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blog {
    pub title: String,
    pub description: Option<String>,
    pub author: Option<String>,
    #[serde(rename = "language")]
    pub language_key: Option<Spanned<String>>,
    /// The blog's own pages' language, resolved.
    #[serde(skip)]
    pub language: Language,
    pub base_url: Option<Spanned<String>>,
    pub cname: Option<String>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub pages: Pages,
    pub highlight: Option<bool>,
}

impl Blog {
    /// Parses and checks a blog's `summit.yaml`.
    pub fn parse(source: &Source) -> Result<Blog, Vec<Diagnostic>> {
        let mut blog: Blog = yaml::from_str(&source.text, &source.path, 1)?;
        for text in [&mut blog.description, &mut blog.author] {
            if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
                *text = None;
            }
        }
        let mut problems = Vec::new();
        problems.extend(blog.pages.resolve(source));
        if let Some(lang) = &blog.language_key {
            match Language::from_code(&lang.value) {
                Some(l) => blog.language = l,
                None => problems.push(unknown_language(source, lang)),
            }
        }
        if let Some(url) = &blog.base_url
            && let Err(why) = check_base_url(&url.value)
        {
            problems.push(bad_base_url(source, url, &why));
        }
        if let Some(cname) = &blog.cname
            && let Some(d) = bad_cname(source, cname)
        {
            problems.push(d);
        }
        problems.extend(label_problems(source, &blog.labels));
        if problems.is_empty() {
            Ok(blog)
        } else {
            Err(problems)
        }
    }

    /// The base URL, always ending in `/`.
    pub fn base_url(&self) -> String {
        normalize_base_url(self.base_url.as_ref().map_or("/", |u| u.value.as_str()))
    }
}

impl Config {
    /// A recap inside `blog`: the blog's author, language, labels, pages and highlighting
    /// where the recap sets none. `base_url` and `cname` are the blog's: a recap's are
    /// dropped, each with a warning at its line in `source` (the recap's summit.yaml).
    pub fn inherit(&mut self, blog: &Blog, source: &Source) -> Vec<Diagnostic> {
        if self.author.is_none() {
            self.author = blog.author.clone();
        }
        if self.language_key.is_none() {
            self.language = blog.language;
        }
        self.labels.inherit(&blog.labels);
        if self.pages_key.is_none() {
            self.pages = blog.pages.clone();
        }
        if self.highlight_key.is_none() {
            self.highlight = blog.highlight.unwrap_or(true);
        }
        let mut warnings = Vec::new();
        let ignored = |key: &str| {
            let d = Diagnostic::new(
                &source.path,
                format!("`{key}` is the blog's: a recap's own is ignored"),
            )
            .help(format!(
                "remove it here; set `{key}` in the blog's summit.yaml"
            ));
            match key_position(&source.text, key) {
                Some((l, c)) => d.at(l, c),
                None => d,
            }
        };
        if self.base_url.take().is_some() {
            warnings.push(ignored("base_url"));
        }
        if self.cname.take().is_some() {
            warnings.push(ignored("cname"));
        }
        warnings
    }
}

/// The line and column of the top-level `key:` in YAML `text`.
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let key = format!("{key}:");
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.starts_with(&key).then_some((i + 1, 1)))
}

fn unknown_language(source: &Source, lang: &Spanned<String>) -> Diagnostic {
    let loc = &lang.referenced;
    Diagnostic::new(&source.path, format!("unknown language `{}`", lang.value))
        .at(loc.line() as usize, loc.column() as usize)
        .help(format!(
            "built-in languages are {}; pick one and translate its texts under `labels:`",
            Language::codes()
        ))
}

fn bad_base_url(source: &Source, url: &Spanned<String>, why: &str) -> Diagnostic {
    let loc = &url.referenced;
    Diagnostic::new(&source.path, format!("invalid `base_url`: {why}"))
        .at(loc.line() as usize, loc.column() as usize)
        .help("write \"/\" or a full URL such as \"https://user.github.io/repo/\"")
}

fn bad_cname(source: &Source, cname: &str) -> Option<Diagnostic> {
    (cname.trim().is_empty() || cname.contains(['/', ':', ' '])).then(|| {
        Diagnostic::new(
            &source.path,
            format!("`cname` must be a bare domain, found \"{cname}\""),
        )
        .help("write only the host, e.g. `cname: notes.example.org`")
    })
}

/// Labels with a `{placeholder}` they never fill in.
fn label_problems(source: &Source, labels: &Labels) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (label, text) in labels.overrides() {
        for word in locale::unknown_placeholders(label, text) {
            // The label's own line, found by its key (labels are not located by the parser).
            let key = format!("{label}:");
            let at_key = source.text.lines().enumerate().find_map(|(i, l)| {
                let text = l.trim_start();
                text.starts_with(&key)
                    .then(|| (i + 1, l.len() - text.len() + 1))
            });
            let d = Diagnostic::new(
                &source.path,
                format!("label `{label}` has `{{{word}}}`, which is never filled in"),
            );
            let d = match at_key {
                Some((l, c)) => d.at(l, c),
                None => d,
            };
            problems.push(match locale::placeholder(label) {
                Some(p) => d.help(format!("`{label}` takes `{{{p}}}`")),
                None => d.help(format!("`{label}` takes no value: write the text alone")),
            });
        }
    }
    problems
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub name: String,
    pub url: Option<String>,
    pub location: Option<String>,
    #[serde(rename = "virtual", default)]
    pub is_virtual: bool,
    pub timezone: Option<Spanned<String>>,
    /// When a conference day ends: talks that start before this time (after midnight)
    /// belong to the end of the previous day. Off when unset.
    pub day_change: Option<ClockTime>,
    pub days: Spanned<Vec<DayConfig>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayConfig {
    pub date: Date,
    pub title: Option<String>,
}

impl Config {
    /// Parses and checks `summit.yaml`.
    pub fn parse(source: &Source) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = yaml::from_str(&source.text, &source.path, 1)?;
        // `author: ""` (as `init` writes it) means no author: nothing empty reaches a page.
        for text in [
            &mut config.description,
            &mut config.author,
            &mut config.event.url,
            &mut config.event.location,
        ] {
            if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
                *text = None;
            }
        }
        config.pages = config.pages_key.clone().unwrap_or_default();
        config.highlight = config.highlight_key.unwrap_or(true);
        let mut problems = config.pages.resolve(source);
        let at = |s: &serde_saphyr::Location| (s.line() as usize, s.column() as usize);

        if let Some(lang) = &config.language_key {
            config.language = Language::from_code(&lang.value).unwrap_or_default();
        }
        if let Some(lang) = &config.language_key
            && Language::from_code(&lang.value).is_none()
        {
            let (l, c) = at(&lang.referenced);
            problems.push(
                Diagnostic::new(&source.path, format!("unknown language `{}`", lang.value))
                    .at(l, c)
                    .help(format!(
                        "built-in languages are {}; pick one and translate its texts under `labels:`",
                        Language::codes()
                    )),
            );
        }
        if let Some(url) = &config.base_url
            && let Err(why) = check_base_url(&url.value)
        {
            let (l, c) = at(&url.referenced);
            problems.push(
                Diagnostic::new(&source.path, format!("invalid `base_url`: {why}"))
                    .at(l, c)
                    .help("write \"/\" or a full URL such as \"https://user.github.io/repo/\""),
            );
        }
        if let Some(tz) = &config.event.timezone {
            config.timezone = jiff::tz::TimeZone::get(&tz.value).ok();
        }
        if let Some(tz) = &config.event.timezone
            && config.timezone.is_none()
        {
            let (l, c) = at(&tz.referenced);
            problems.push(
                Diagnostic::new(&source.path, format!("unknown time zone `{}`", tz.value))
                    .at(l, c)
                    .help("use an IANA name such as \"Europe/Copenhagen\" or \"America/New_York\""),
            );
        }
        if let Some(cname) = &config.cname
            && (cname.trim().is_empty() || cname.contains(['/', ':', ' ']))
        {
            problems.push(
                Diagnostic::new(
                    &source.path,
                    format!("`cname` must be a bare domain, found \"{cname}\""),
                )
                .help("write only the host, e.g. `cname: notes.example.org`"),
            );
        }
        let days = &config.event.days;
        if days.value.is_empty() {
            let (l, c) = at(&days.referenced);
            problems.push(
                Diagnostic::new(&source.path, "`event.days` is empty")
                    .at(l, c)
                    .help("list the conference days, e.g. `days: [{date: 2020-08-24}]`"),
            );
        }
        for pair in days.value.windows(2) {
            if pair[1].date <= pair[0].date {
                let (l, c) = at(&days.referenced);
                let (what, help) = if pair[1].date == pair[0].date {
                    (
                        format!("{} is listed twice", pair[0].date),
                        "remove one of them",
                    )
                } else {
                    (
                        format!("{} comes after {}", pair[1].date, pair[0].date),
                        "sort the days by date",
                    )
                };
                problems.push(
                    Diagnostic::new(
                        &source.path,
                        format!("`event.days` must be in date order without repeats: {what}"),
                    )
                    .at(l, c)
                    .help(help),
                );
            }
        }
        problems.extend(label_problems(source, &config.labels));
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Minutes since the start of the conference day (so 01:30 sorts after 23:00 when the
    /// day changes at 04:00), and whether the time falls on the next calendar date.
    pub fn day_time(&self, t: ClockTime) -> (u32, bool) {
        match self.event.day_change {
            Some(change) if t < change => (t.minutes() + 24 * 60, true),
            _ => (t.minutes(), false),
        }
    }

    /// The base URL, with `--base-url` taking precedence, always ending in `/`.
    pub fn base_url(&self) -> String {
        let url = self.base_url.as_ref().map_or("/", |u| u.value.as_str());
        normalize_base_url(url)
    }
}

pub fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// A base URL is "/" (or a path starting with "/"), or an absolute http(s) URL.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    if url.contains(char::is_whitespace) {
        return Err(format!(
            "\"{}\" contains a space; a URL has none (write %20 if it must)",
            crate::error::printable(url, false)
        ));
    }
    if url.contains(char::is_control) {
        return Err("contains a control character".into());
    }
    let path_part = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map_or(url, |rest| rest.find('/').map_or("", |i| &rest[i..]));
    if path_part.contains("//") {
        return Err(format!(
            "\"{url}\" has an empty path segment (`//`), which would make every link on the site wrong"
        ));
    }
    if url.starts_with('/') {
        return Ok(());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("\"{url}\" is neither a path starting with \"/\" nor an http(s) URL")
        })?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(char::is_whitespace) {
        return Err(format!("\"{url}\" has no host"));
    }
    Ok(())
}

/// Where summit.yaml lives in a site.
pub fn path(root: &Path) -> std::path::PathBuf {
    root.join("summit.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        for ok in [
            "/",
            "/repo/",
            "https://user.github.io/repo/",
            "http://localhost:1111",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "repo",
            "//cdn.example",
            "ftp://x",
            "https://",
            "javascript:alert(1)",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(normalize_base_url("https://a.b/repo"), "https://a.b/repo/");
    }
}
