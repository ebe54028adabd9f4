//! What the model stage keeps between runs (`serve`): the last run's talks by the very
//! parsed note each was made from, and its slugs. A one-note edit then models one talk; the
//! rest are the same shared values, found by pointer in one pass over the notes in order.

use std::sync::Arc;

use super::{RESERVED_IDS, Talk, UniqueNames, slugify};
use crate::parse::ParsedTalk;
use crate::parse::types::{ClockTime, Date};

/// What [`assemble`] keeps between runs (`serve`; a one-shot build passes none). Each entry
/// is a pure function of what it is keyed by, so it is right whichever run made it.
#[derive(Debug, Default)]
pub struct Memo {
    /// What a talk is checked against besides its note: the days' dates, the day change.
    pub(super) context: (Vec<Date>, Option<ClockTime>),
    /// The last run's talks, each with the parsed note it was made from, in path order.
    pub(super) talks: Vec<Kept>,
    /// The last run's talks in reading order, and how many days the site had: the same
    /// titles in the same order (and days) get the same slugs.
    pub(super) order: (Vec<Arc<Talk>>, usize),
    /// The last run's talks of each day as the notes came (in path order), and as sorted
    /// by start, with the day change the sort was made with: the same placements sort the
    /// same.
    pub(super) sorted: Option<Sorted>,
}

/// [`Memo::sorted`]: the day change, each day's talks before and after the sort.
pub(super) type Sorted = (Option<ClockTime>, Vec<Vec<Placed>>, Vec<Vec<Placed>>);

/// A talk made from a note, with what the model stage reads of it on every run, copied
/// here so that an unchanged note and talk are not read at all (10,000 of them are spread
/// over memory).
#[derive(Debug, Clone)]
pub(super) struct Kept {
    /// The note (none in a one-shot build, which keeps nothing).
    pub note: Option<Arc<ParsedTalk>>,
    pub talk: Arc<Talk>,
    pub day: u32,
    pub start: Option<ClockTime>,
    pub draft: bool,
    pub unwritten: bool,
    /// Whether the note has an `id`.
    pub id: bool,
}

/// What the last run made from the very note `p`, if any. `last` is the last run's talks in
/// path order; those before `p` are dropped on the way.
pub(super) fn modelled_before(
    last: &mut std::iter::Peekable<std::vec::IntoIter<Kept>>,
    p: &Arc<ParsedTalk>,
) -> Option<Kept> {
    loop {
        let q = last.peek()?.note.as_ref()?;
        if Arc::ptr_eq(q, p) {
            return last.next();
        }
        if q.path.as_path() > p.path.as_path() {
            return None;
        }
        last.next();
    }
}

/// A talk in its day: its place among the run's talks (in path order), its start.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed {
    pub slot: usize,
    pub start: Option<ClockTime>,
}

/// Every talk's slug in reading order: unique across the page. `None`: the last run's
/// (`memo`), as the titles in reading order and the number of days are the same.
pub(super) fn slugs(
    by_day: &[Vec<Placed>],
    pool: &[Kept],
    memo: Option<&Memo>,
) -> Option<Vec<String>> {
    let talks = || by_day.iter().flatten().map(|p| &pool[p.slot].talk);
    if let Some(Memo {
        order: (last, days),
        ..
    }) = memo
        && *days == by_day.len()
        && last.len() == talks().count()
        && talks()
            .zip(last)
            .all(|(t, l)| Arc::ptr_eq(t, l) || t.title == l.title)
    {
        return None;
    }
    let mut names = UniqueNames::new(
        RESERVED_IDS
            .iter()
            .map(|s| s.to_string())
            .chain((1..=by_day.len()).map(|n| format!("day-{n}"))),
    );
    Some(talks().map(|t| names.claim(slugify(&t.title))).collect())
}
