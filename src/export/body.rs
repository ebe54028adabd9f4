//! A note's Markdown, rewritten for its place in the exported post.
//!
//! The writer's text stays as written; only what depends on where it is shown is edited, at
//! the byte ranges pulldown-cmark (with the options `build` uses) reports: heading levels
//! shifted under their section and each heading given the id `build` gives it (`{#id}`),
//! links resolved as on the post (links to other notes become in-post anchors, links to site
//! files point at the copied assets), reference links written inline (every note's link
//! definitions end up in one document, where the first of a label would win), and footnote
//! labels prefixed with the note's id prefix (the same reason).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::Piece;
use crate::render::markdown::{
    HeadingIds, LinkEnv, LinkTarget, NoteLink, NoteTarget, Placement, options, position,
    resolve_link,
};

/// What links in a note are resolved against.
pub(super) struct Env<'a> {
    pub fixed: &'a HashSet<String>,
    pub notes: &'a HashMap<PathBuf, NoteTarget>,
    /// Files of the built site that notes may link to (images, PDFs), by output path.
    pub files: &'a HashSet<&'a str>,
}

/// One note, ready for the host: its pieces, the links it holds, the ids it defines and the
/// site files it links to.
pub(super) struct Rewritten {
    pub pieces: Vec<Piece>,
    pub links: Vec<NoteLink>,
    pub ids: Vec<String>,
    pub assets: Vec<String>,
}

/// Rewrites one document (`body`, from the note at `source`, placed at `place`).
pub(super) fn rewrite(
    body: &str,
    source: &std::path::Path,
    body_line: usize,
    place: &Placement<'_>,
    env: &Env<'_>,
) -> Rewritten {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();

    // Every heading's id first: `#name` links may point down the note.
    let mut own = HashSet::new();
    let mut by_name = HashMap::new();
    let mut ids = Vec::new();
    for (i, (event, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { id, .. }) = event {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|(e, _)| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let claim = HeadingIds {
                id_prefix: place.id_prefix,
                fixed: env.fixed,
                own: &mut own,
                by_name: &mut by_name,
            };
            ids.push(claim.claim(&text, id.as_deref()));
        }
    }

    let link_env = LinkEnv {
        source,
        body_line,
        notes: env.notes,
        // The post of a one-recap site: the page the exported notes are on.
        page: crate::route::Recap {
            prefix: "",
            talk_pages: false,
        }
        .post(),
        id_prefix: place.id_prefix,
        blog: None,
        images: None,
    };
    let mut edits: Vec<(Range<usize>, Vec<Piece>)> = Vec::new();
    let mut links = Vec::new();
    let mut assets = Vec::new();
    let mut heading = 0;
    let mut in_code = false;
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let id = &ids[heading];
                heading += 1;
                let inner = inner_span(&events, i);
                let marker = "#".repeat(shift(*level, place) as usize);
                let line_end = if body[..range.end].ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let close = format!(" {{#{id}}}{line_end}");
                match inner {
                    Some(inner) => {
                        let setext = !body[range.start..].starts_with('#');
                        let open = if setext {
                            range.start..range.start
                        } else {
                            range.start..inner.start
                        };
                        edits.push((open, vec![Piece::Text(format!("{marker} "))]));
                        // A setext heading's lines become one ATX line.
                        if setext {
                            for (e, r) in &events[i + 1..] {
                                match e {
                                    Event::End(TagEnd::Heading(_)) => break,
                                    Event::SoftBreak => {
                                        edits.push((r.clone(), vec![Piece::Text(" ".into())]));
                                    }
                                    _ => {}
                                }
                            }
                        }
                        edits.push((inner.end..range.end, vec![Piece::Text(close)]));
                    }
                    None => {
                        edits.push((range.clone(), vec![Piece::Text(format!("{marker}{close}"))]))
                    }
                }
            }
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    ..
                },
            ) => {
                if !matches!(
                    link_type,
                    LinkType::Inline
                        | LinkType::Reference
                        | LinkType::Collapsed
                        | LinkType::Shortcut
                ) {
                    continue;
                }
                let resolved = resolve_link(dest_url, &by_name, &link_env);
                let dest = match &resolved {
                    None => None,
                    Some((_, LinkTarget::Broken(_))) => None,
                    Some((href, LinkTarget::Internal { file, fragment, .. })) => {
                        // Links are written URL-encoded (`a%20b.png`), files are not.
                        let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
                        if file == "index.html" {
                            Some(Piece::Text(href.clone()))
                        } else if env.files.contains(file.as_ref()) && !file.ends_with(".html") {
                            assets.push(file.to_string());
                            Some(Piece::Asset {
                                path: file.to_string(),
                                fragment: fragment.clone(),
                            })
                        } else {
                            None
                        }
                    }
                };
                if let Some((href, target)) = resolved {
                    let (line, column) = position(body, range.start, body_line);
                    links.push(NoteLink {
                        line,
                        column,
                        written: dest_url.to_string(),
                        href,
                        target,
                        // Export writes Markdown; an image's file is checked as a link.
                        image: false,
                    });
                }
                // Reference links are written inline: the definitions of all notes end up
                // in one document.
                let dest = match dest {
                    Some(d) => d,
                    None if !matches!(link_type, LinkType::Inline) => {
                        Piece::Text(dest_url.replace('<', "\\<").replace('>', "\\>"))
                    }
                    None => continue,
                };
                let from = text_end(&events, i, range, body);
                edits.push((from..range.end, tail(dest, title)));
            }
            // kramdown (Jekyll) reads `$$` as maths and `{:` as its own syntax; a backslash
            // keeps them text there, and CommonMark shows the same.
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code && &body[range.clone()] == t.as_ref() => {
                for (at, len) in kramdown_syntax(t) {
                    let from = range.start + at;
                    let escaped = t[at..at + len].replace('$', "\\$").replace('{', "\\{");
                    edits.push((from..from + len, vec![Piece::Text(escaped)]));
                }
            }
            Event::FootnoteReference(label) => {
                edits.push((
                    range.clone(),
                    vec![Piece::Text(format!("[^{}-{label}]", place.id_prefix))],
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let written = format!("[^{label}]");
                if body[range.start..].starts_with(&written) {
                    edits.push((
                        range.start..range.start + written.len(),
                        vec![Piece::Text(format!("[^{}-{label}]", place.id_prefix))],
                    ));
                }
            }
            _ => {}
        }
    }

    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut pieces = Vec::new();
    let mut at = 0;
    for (r, replacement) in edits {
        if r.start < at {
            continue;
        }
        pieces.push(Piece::Text(body[at..r.start].to_string()));
        pieces.extend(replacement);
        at = r.end;
    }
    pieces.push(Piece::Text(body[at..].to_string()));
    pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    Rewritten {
        pieces,
        links,
        ids,
        assets,
    }
}

/// Where `text` holds `$$` or `{:`: (offset, length).
fn kramdown_syntax(text: &str) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = text
        .match_indices("$$")
        .chain(text.match_indices("{:"))
        .map(|(at, m)| (at, m.len()))
        .collect();
    found.sort();
    // `$$$`: the second match overlaps the first.
    found.dedup_by(|b, a| b.0 < a.0 + a.1);
    found
}

/// `](dest "title")`: the end of an inline link, after its text.
fn tail(dest: Piece, title: &str) -> Vec<Piece> {
    let mut out = vec![Piece::Text("](<".into()), dest, Piece::Text(">".into())];
    if !title.is_empty() {
        let t = title.replace('\\', "\\\\").replace('"', "\\\"");
        out.push(Piece::Text(format!(" \"{t}\"")));
    }
    out.push(Piece::Text(")".into()));
    out
}

/// Where a link's text ends: at the `]` after its last inner event (`[text](…)`).
fn text_end(
    events: &[(Event<'_>, Range<usize>)],
    i: usize,
    range: &Range<usize>,
    body: &str,
) -> usize {
    match inner_span(events, i) {
        Some(inner) => inner.end,
        None => {
            // `[](x)` or `![](x)`: the text is empty.
            let open = if body[range.start..].starts_with('!') {
                2
            } else {
                1
            };
            range.start + open
        }
    }
}

/// The span of the events inside the element that starts at `i`, if it holds any.
fn inner_span(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<Range<usize>> {
    let mut depth = 0usize;
    let mut span: Option<Range<usize>> = None;
    for (e, r) in &events[i + 1..] {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        span = Some(match span {
            None => r.clone(),
            Some(s) => s.start.min(r.start)..s.end.max(r.end),
        });
    }
    span
}

fn shift(level: HeadingLevel, place: &Placement<'_>) -> u8 {
    (level as u8 + place.shift).clamp(place.min_level, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite_md(md: &str) -> String {
        let fixed = HashSet::new();
        let notes = HashMap::from([(
            PathBuf::from("content/talks/b.md"),
            NoteTarget::Talk {
                slug: "b".into(),
                page: false,
            },
        )]);
        let files = HashSet::from(["img/a b.png"]);
        let env = Env {
            fixed: &fixed,
            notes: &notes,
            files: &files,
        };
        let place = Placement {
            id_prefix: "t",
            shift: 2,
            min_level: 4,
        };
        let done = rewrite(
            md,
            std::path::Path::new("content/talks/t.md"),
            1,
            &place,
            &env,
        );
        done.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Asset { path, .. } => format!("<<{path}>>"),
            })
            .collect()
    }

    #[test]
    fn headings_shift_and_carry_the_ids_build_gives() {
        assert_eq!(rewrite_md("# Top\n"), "#### Top {#t--top}\n");
        assert_eq!(
            rewrite_md("## A ##\n\n## A\n"),
            "#### A {#t--a}\n\n#### A {#t--a-2}\n"
        );
        assert_eq!(rewrite_md("## Mine {#own .x}\n"), "#### Mine {#own}\n");
        assert_eq!(
            rewrite_md("Two\nlines\n---\n"),
            "#### Two lines {#t--twolines}\n"
        );
        assert_eq!(
            rewrite_md("## See [b](b.md)\n"),
            "#### See [b](<#b>) {#t--see-b}\n"
        );
    }

    #[test]
    fn links_point_into_the_post_and_at_copied_files() {
        assert_eq!(
            rewrite_md("[x](b.md#Why) ![i](/img/a%20b.png \"T\") [w](https://e.org)\n"),
            "[x](<#b--why>) ![i](<<<img/a b.png>>> \"T\") [w](https://e.org)\n"
        );
        assert_eq!(
            rewrite_md("[r][d] and [d]\n\n[d]: b.md\n"),
            "[r](<#b>) and [d](<#b>)\n\n[d]: b.md\n"
        );
        assert_eq!(rewrite_md("x[^1]\n\n[^1]: n\n"), "x[^t-1]\n\n[^t-1]: n\n");
        assert_eq!(
            rewrite_md("$$ a $$ `$$ b` {: c}\n\n```\n$$\n```\n"),
            "\\$\\$ a \\$\\$ `$$ b` \\{: c}\n\n```\n$$\n```\n"
        );
    }
}
