//! frab / Pentabarf / pretalx `schedule.xml` (the c3voc schema, and its older 2013 form).
//! Talks belong to the `<day>` they are listed under, which is how frab applies its day
//! boundary (a talk at 01:30 after midnight stays on the previous conference day).

use std::path::Path;

use roxmltree::{Document, Node};

use super::{Entry, Schedule, parse_duration};
use crate::error::Diagnostic;
use crate::parse::types::Date;

pub fn read(xml: &str, path: &Path) -> Result<Schedule, Diagnostic> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options).map_err(|e| xml_error(&e, xml, path))?;
    let root = doc.root_element();
    if !root.has_tag_name("schedule") {
        return Err(Diagnostic::new(
            path,
            format!(
                "an XML file whose root is <{}>, not <schedule>",
                root.tag_name().name()
            ),
        )
        .help(format!("summit-gen reads {}", super::FORMATS)));
    }
    let conference = child(root, "conference");
    let name = conference
        .and_then(|c| text_of(c, "title"))
        .or_else(|| conference.and_then(|c| text_of(c, "acronym")))
        .unwrap_or_else(|| "Conference".into());
    let timezone = conference.and_then(|c| text_of(c, "time_zone_name"));

    let mut schedule = Schedule {
        format: "frab schedule.xml",
        name,
        timezone,
        day_change: root
            .children()
            .find(|n| n.has_tag_name("day"))
            .and_then(|d| d.attribute("start"))
            .and_then(super::time_of)
            .filter(|t| t.minutes() > 0),
        days: Vec::new(),
        talks: Vec::new(),
        skipped: Vec::new(),
        zone_warning: None,
    };
    for day in root.children().filter(|n| n.has_tag_name("day")) {
        let Some(date) = day.attribute("date").and_then(Date::parse) else {
            let (line, col) = position(&doc, day);
            return Err(Diagnostic::new(
                path,
                "a <day> without a valid `date` attribute (YYYY-MM-DD)",
            )
            .at(line, col));
        };
        if !schedule.days.contains(&date) {
            schedule.days.push(date);
        }
        for event in day.descendants().filter(|n| n.has_tag_name("event")) {
            match entry(event, date) {
                Ok(e) => schedule.talks.push(e),
                Err(why) => {
                    let (line, col) = position(&doc, event);
                    schedule
                        .skipped
                        .push(format!("{}:{line}:{col}: {why}", path.display()));
                }
            }
        }
    }
    schedule.days.sort();
    if schedule.days.is_empty() {
        return Err(Diagnostic::new(path, "the schedule has no <day>")
            .help("is this the full schedule export?"));
    }
    Ok(super::unique_ids(schedule))
}

/// An XML error, with message and help chosen by its kind (never by its text).
fn xml_error(e: &roxmltree::Error, xml: &str, path: &Path) -> Diagnostic {
    use roxmltree::Error as E;
    let at_byte = |d: Diagnostic, i: usize| {
        let (line, column) = line_col(xml, i);
        d.at(line, column)
    };
    match e {
        // roxmltree gives no position for this one: the declaration's own.
        E::DtdDetected => at_byte(
            Diagnostic::new(
                path,
                "the file has a document type declaration (<!DOCTYPE …>), which summit-gen does not read",
            ),
            xml.find("<!DOCTYPE").unwrap_or(0),
        )
        .help("schedule exports have none (its entities could expand without limit): remove the <!DOCTYPE …> declaration, or export the schedule again"),
        E::UnexpectedEndOfStream | E::UnclosedRootNode => {
            at_byte(Diagnostic::new(path, format!("not valid XML: {e}")), xml.len())
                .help("the file ends too early: it may be cut off; download the schedule again")
        }
        E::NoRootNode => Diagnostic::new(path, "the XML file has no elements")
            .help(format!("summit-gen reads {}", super::FORMATS)),
        _ => {
            let pos = e.pos();
            Diagnostic::new(path, format!("not valid XML: {e}"))
                .at(pos.row as usize, pos.col as usize)
                .help("the XML is broken at this place; export the schedule again, or fix it there")
        }
    }
}

/// Line and column (1-based, in characters) of byte `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn entry(event: Node<'_, '_>, date: Date) -> Result<Entry, String> {
    let id = event
        .attribute("guid")
        .or_else(|| event.attribute("id"))
        .map(str::to_string)
        .unwrap_or_default();
    let title = text_of(event, "title").unwrap_or_default();
    let name = super::name("event", &id, &title);
    super::require_title_and_id(&name, &title, &id, "<title>")?;
    let start = super::require_start(&name, text_of(event, "start"), "<start>")?;
    let subtitle = text_of(event, "subtitle");
    let speakers = child(event, "persons")
        .map(|p| {
            p.children()
                .filter(|n| n.has_tag_name("person"))
                .filter_map(|n| n.text().map(|t| t.trim().to_string()))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let links = child(event, "links")
        .map(|l| {
            l.children()
                .filter(|n| n.has_tag_name("link"))
                .filter_map(|n| {
                    let href = n.attribute("href")?.trim().to_string();
                    let title = n
                        .text()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .unwrap_or(&href)
                        .to_string();
                    super::is_web_url(&href).then_some((title, href))
                })
                .collect()
        })
        .unwrap_or_default();
    let recording =
        child(event, "recording").and_then(|r| text_of(r, "url").or_else(|| text_of(r, "link")));
    let recording = recording.filter(|u| super::is_web_url(u));
    let summary = super::summary(
        subtitle,
        &text_of(event, "abstract").unwrap_or_default(),
        &text_of(event, "description").unwrap_or_default(),
    );
    Ok(Entry {
        id,
        title,
        speakers,
        date,
        start,
        duration: text_of(event, "duration").and_then(|d| parse_duration(&d)),
        room: text_of(event, "room"),
        track: text_of(event, "track"),
        url: text_of(event, "url").filter(|u| super::is_web_url(u)),
        recording,
        links,
        summary,
        tags: Vec::new(),
    })
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn position(doc: &Document<'_>, node: Node<'_, '_>) -> (usize, usize) {
    let p = doc.text_pos_at(node.range().start);
    (p.row as usize, p.col as usize)
}
