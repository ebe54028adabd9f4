//! Markdown → HTML with pulldown-cmark.
//!
//! All notes end up on one page, so every id a note produces is made unique there: headings get
//! `<prefix>-<heading-slug>` (unless the writer gave `{#an-id}`), footnotes get the prefix too.
//! Heading levels are shifted to nest under the section that holds the note. The word count
//! (for the reading time) is taken from the same pass.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::{slugify, unique};

pub struct Rendered {
    pub html: String,
    pub words: usize,
}

/// How a document is placed on the page.
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

pub fn to_html(markdown: &str, place: &Placement<'_>, taken: &mut HashSet<String>) -> Rendered {
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
                        Some(own) => own.to_string(),
                        None => format!("{}-{}", place.id_prefix, slugify(&text)),
                    };
                    *id = Some(CowStr::from(unique(wanted, taken)));
                    *level = new_level;
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                let new_level = shift(*level, place);
                events[i] = Event::End(TagEnd::Heading(new_level));
            }
            Event::FootnoteReference(label) => {
                events[i] =
                    Event::FootnoteReference(format!("{}-fn-{label}", place.id_prefix).into());
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events[i] = Event::Start(Tag::FootnoteDefinition(
                    format!("{}-fn-{label}", place.id_prefix).into(),
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
        to_html(md, &place, &mut HashSet::new()).html
    }

    #[test]
    fn headings_nest_and_get_unique_ids() {
        assert_eq!(
            render("## Hej verden"),
            "<h4 id=\"talk-hej-verden\">Hej verden</h4>\n"
        );
        assert_eq!(render("# Top"), "<h4 id=\"talk-top\">Top</h4>\n");
        assert_eq!(
            render("## A\n\n## A\n"),
            "<h4 id=\"talk-a\">A</h4>\n<h4 id=\"talk-a-2\">A</h4>\n"
        );
        assert_eq!(render("## A {#own}"), "<h4 id=\"own\">A</h4>\n");
    }

    #[test]
    fn footnotes_are_prefixed() {
        let html = render("x[^1]\n\n[^1]: note\n");
        assert!(html.contains("href=\"#talk-fn-1\""), "{html}");
        assert!(html.contains("id=\"talk-fn-1\""), "{html}");
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
            &mut HashSet::new(),
        );
        assert_eq!(r.words, 7);
    }
}
