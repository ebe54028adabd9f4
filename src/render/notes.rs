//! The notes as Markdown documents: which documents the post shows, where each sits in the
//! heading outline (its placement), and where each note is shown, for links between notes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::markdown::{NoteTarget, Placement};
use crate::model::{Site, Talk};

/// A Markdown document of the post.
pub(crate) struct Doc<'a> {
    pub(crate) path: &'a Path,
    pub(crate) rel: &'a Path,
    pub(crate) body: &'a str,
    /// The body as shared: `Some` for a talk's note, and only for one.
    pub(crate) shared: Option<&'a std::sync::Arc<str>>,
    /// The talk, for a talk's note.
    pub(crate) talk: Option<&'a std::sync::Arc<Talk>>,
    pub(crate) body_line: usize,
    pub(crate) place: Placement<'a>,
}

/// Every Markdown document shown on the post: intro, outro, day leads and talks, in order.
pub(crate) fn documents(site: &Site) -> Vec<Doc<'_>> {
    let talks: usize = site.days.iter().map(|d| d.talks.len()).sum();
    let mut docs = Vec::with_capacity(2 + site.days.len() + talks);
    for (page, prefix) in [(&site.intro, "intro"), (&site.outro, "outro")] {
        if let Some(p) = page {
            docs.push(Doc {
                path: &p.path,
                rel: &p.rel,
                body: &p.body,
                shared: None,
                talk: None,
                body_line: p.body_line,
                place: section_place(prefix, 1, 2),
            });
        }
    }
    for day in &site.days {
        if let Some(p) = &day.lead {
            docs.push(Doc {
                path: &p.path,
                rel: &p.rel,
                body: &p.body,
                shared: None,
                talk: None,
                body_line: p.body_line,
                place: section_place(&day.id, 2, 3),
            });
        }
        for t in &day.talks {
            docs.push(Doc {
                path: &t.path,
                rel: &t.rel,
                body: &t.body,
                shared: Some(&t.body),
                talk: Some(t),
                body_line: t.body_line,
                place: talk_place(t),
            });
        }
    }
    docs
}

/// Where each note of the site is shown, for links between notes.
pub(crate) fn note_targets(site: &Site) -> HashMap<PathBuf, NoteTarget> {
    let mut notes: HashMap<PathBuf, NoteTarget> = site
        .drafts
        .iter()
        .map(|rel| (rel.clone(), NoteTarget::Draft))
        .chain(
            site.hidden
                .iter()
                .map(|rel| (rel.clone(), NoteTarget::Hidden)),
        )
        .collect();
    for (page, anchor) in [(&site.intro, "intro"), (&site.outro, "outro")] {
        if let Some(p) = page {
            notes.insert(
                p.rel.clone(),
                NoteTarget::Section {
                    anchor: anchor.into(),
                },
            );
        }
    }
    for day in &site.days {
        if let Some(p) = &day.lead {
            notes.insert(
                p.rel.clone(),
                NoteTarget::Section {
                    anchor: day.id.clone(),
                },
            );
        }
        for t in &day.talks {
            notes.insert(
                t.rel.clone(),
                NoteTarget::Talk {
                    slug: t.slug.clone(),
                    page: site.config.pages.talks,
                },
            );
        }
    }
    notes
}

/// Writes out what [`Site::fixed_ids`] and [`note_targets`] are made from, in order, each
/// piece with its length, but the talks' paths and slugs (10,000 of them, compared by
/// identity instead: [`super::memo::Memo::see`]): when the bytes are those of the last build
/// and the talks' are too, so are both sets, and the Markdown cache need not make them to
/// find that out.
pub(crate) fn link_signature(site: &Site, out: &mut Vec<u8>) {
    let mut put = |piece: &[u8]| {
        out.extend_from_slice(&(piece.len() as u64).to_le_bytes());
        out.extend_from_slice(piece);
    };
    fn path(p: &Path) -> &[u8] {
        p.as_os_str().as_encoded_bytes()
    }
    put(&[u8::from(site.config.pages.talks)]);
    for list in [&site.drafts, &site.hidden] {
        put(&list.len().to_le_bytes());
        for rel in list {
            put(path(rel));
        }
    }
    for page in [&site.intro, &site.outro] {
        put(page.as_ref().map_or(&[], |p| path(&p.rel)));
    }
    put(&site.days.len().to_le_bytes());
    for day in &site.days {
        put(day.id.as_bytes());
        put(day.lead.as_ref().map_or(&[], |p| path(&p.rel)));
        put(&day.talks.len().to_le_bytes());
    }
}

fn section_place(prefix: &str, shift: u8, min_level: u8) -> Placement<'_> {
    Placement {
        id_prefix: prefix,
        shift,
        min_level,
    }
}

/// On the post a talk is an `<h3>`: its headings start at `<h4>`.
pub(crate) fn talk_place(t: &Talk) -> Placement<'_> {
    section_place(&t.slug, 2, 4)
}

/// On its own page the talk is the `<h1>`: its headings start at `<h2>` (`slug`: the
/// talk's).
pub(crate) fn talk_page_place(slug: &str) -> Placement<'_> {
    section_place(slug, 0, 2)
}
