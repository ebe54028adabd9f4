//! Markdown → HTML with pulldown-cmark.
//!
//! All notes end up on one page, so every id a note produces must be unique there. Headings get
//! `<prefix>--<heading-slug>` (unless the writer gave `{#an-id}`) and footnotes
//! `<prefix>--fn--<label>`. Prefixes (talk slugs, `day-N`, `intro`) are unique and never contain
//! `--`, so ids made for different notes cannot collide, and each note can be rendered (and
//! cached) on its own; it only has to avoid the page's fixed ids. Heading levels are shifted to
//! nest under the section that holds the note. The word count is taken from the same pass.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::slugify;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub words: usize,
}

/// How a document is placed on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement<'a> {
    /// Prefix of every id the document produces.
    pub id_prefix: &'a str,
    /// Added to every heading level…
    pub shift: u8,
    /// …and no heading is higher than this.
    pub min_level: u8,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one document; generated ids avoid `fixed` (the page's own ids) and each other.
pub fn to_html(markdown: &str, place: &Placement<'_>, fixed: &HashSet<String>) -> Rendered {
    let mut own: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    // Inline markup splits words into several events ("*dig*," is two), so the text is
    // gathered first and counted once; a "word" must hold a letter or digit.
    let mut plain = String::new();
    for e in &events {
        match e {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => plain.push(' '),
            _ => {}
        }
    }

    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { .. }) => {
                let text: String = events[i + 1..]
                    .iter()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[i] {
                    let new_level = shift(*level, place);
                    let wanted = match id {
                        Some(given) => given.to_string(),
                        None => format!("{}--{}", place.id_prefix, slugify(&text)),
                    };
                    *id = Some(CowStr::from(unique(wanted, fixed, &mut own)));
                    *level = new_level;
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                let new_level = shift(*level, place);
                events[i] = Event::End(TagEnd::Heading(new_level));
            }
            Event::FootnoteReference(label) => {
                events[i] =
                    Event::FootnoteReference(format!("{}--fn--{label}", place.id_prefix).into());
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events[i] = Event::Start(Tag::FootnoteDefinition(
                    format!("{}--fn--{label}", place.id_prefix).into(),
                ));
            }
            _ => {}
        }
        i += 1;
    }
    let words = count_words(&plain);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered { html: out, words }
}

/// `base`, or `base-2`, `base-3` …: the first that is neither fixed nor already used here.
fn unique(base: String, fixed: &HashSet<String>, own: &mut HashSet<String>) -> String {
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !fixed.contains(id) && own.insert(id.clone()))
        .unwrap_or(base)
}

/// Rendered documents, kept between builds (`serve`): a note is rendered again only when its
/// text, its placement or the page's fixed ids change.
#[derive(Debug, Default)]
pub struct Cache {
    fixed: HashSet<String>,
    entries: std::collections::HashMap<String, (String, (u8, u8), Rendered)>,
}

impl Cache {
    /// Call once per build, before [`Cache::render`].
    pub fn begin(&mut self, fixed: HashSet<String>) {
        if fixed != self.fixed {
            self.entries.clear();
            self.fixed = fixed;
        }
    }

    pub fn render(&mut self, markdown: &str, place: &Placement<'_>) -> &Rendered {
        use std::collections::hash_map::Entry;
        let key = (place.shift, place.min_level);
        let fresh = || {
            (
                markdown.to_string(),
                key,
                to_html(markdown, place, &self.fixed),
            )
        };
        match self.entries.entry(place.id_prefix.to_string()) {
            Entry::Occupied(e) => {
                let slot = e.into_mut();
                if slot.0 != markdown || slot.1 != key {
                    *slot = fresh();
                }
                &slot.2
            }
            Entry::Vacant(e) => &e.insert(fresh()).2,
        }
    }
}

pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn shift(level: HeadingLevel, place: &Placement<'_>) -> HeadingLevel {
    let n = (level as u8 + place.shift).clamp(place.min_level, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> String {
        let place = Placement {
            id_prefix: "talk",
            shift: 2,
            min_level: 4,
        };
        to_html(md, &place, &HashSet::new()).html
    }

    #[test]
    fn headings_nest_and_get_unique_ids() {
        assert_eq!(
            render("## Hej verden"),
            "<h4 id=\"talk--hej-verden\">Hej verden</h4>\n"
        );
        assert_eq!(render("# Top"), "<h4 id=\"talk--top\">Top</h4>\n");
        assert_eq!(
            render("## A\n\n## A\n"),
            "<h4 id=\"talk--a\">A</h4>\n<h4 id=\"talk--a-2\">A</h4>\n"
        );
        assert_eq!(render("## A {#own}"), "<h4 id=\"own\">A</h4>\n");
    }

    #[test]
    fn ids_avoid_the_pages_own_ids() {
        let place = Placement {
            id_prefix: "talk",
            shift: 2,
            min_level: 4,
        };
        let fixed = HashSet::from(["talk--a".to_string(), "own".to_string()]);
        let html = to_html("## A\n\n## B {#own}\n", &place, &fixed).html;
        assert_eq!(
            html,
            "<h4 id=\"talk--a-2\">A</h4>\n<h4 id=\"own-2\">B</h4>\n"
        );
    }

    #[test]
    fn cache_renders_again_only_on_change() {
        let place = Placement {
            id_prefix: "t",
            shift: 2,
            min_level: 4,
        };
        let mut cache = Cache::default();
        cache.begin(HashSet::new());
        assert_eq!(
            cache.render("## A", &place).html,
            "<h4 id=\"t--a\">A</h4>\n"
        );
        assert_eq!(
            cache.render("## B", &place).html,
            "<h4 id=\"t--b\">B</h4>\n"
        );
        cache.begin(HashSet::from(["t--b".to_string()]));
        assert_eq!(
            cache.render("## B", &place).html,
            "<h4 id=\"t--b-2\">B</h4>\n"
        );
    }

    #[test]
    fn footnotes_are_prefixed() {
        let html = render("x[^1]\n\n[^1]: note\n");
        assert!(html.contains("href=\"#talk--fn--1\""), "{html}");
        assert!(html.contains("id=\"talk--fn--1\""), "{html}");
    }

    #[test]
    fn counts_words() {
        let place = Placement {
            id_prefix: "p",
            shift: 0,
            min_level: 1,
        };
        let r = to_html(
            "Hej med *dig*, `kode` her.\n\n- et\n- to",
            &place,
            &HashSet::new(),
        );
        assert_eq!(r.words, 7);
    }
}
