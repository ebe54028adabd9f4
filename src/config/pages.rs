//! `pages:` in summit.yaml: which outputs beyond the post a site writes, each on unless
//! switched off. `feed` takes a word besides `true` and `false`, so it is read as written
//! (with its position) and resolved once into [`Feed`].

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;

use crate::error::Diagnostic;
use crate::load::Source;

/// Which outputs beyond the post to write; each is on unless switched off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pages {
    /// A page per talk, `talks/<slug>/`.
    pub talks: bool,
    /// `speakers/`: every speaker with their talks.
    pub speakers: bool,
    /// `tags/` and a page per tag.
    pub tags: bool,
    /// `feed` as written; see [`Pages::feed`].
    #[serde(rename = "feed")]
    pub feed_key: Option<Spanned<FeedWord>>,
    /// `atom.xml` (needs a full `base_url`), resolved from `feed_key`.
    #[serde(skip)]
    pub feed: Feed,
    /// `sitemap.xml` and `robots.txt` (need a full `base_url`; robots.txt only at a domain
    /// root).
    pub sitemap: bool,
    /// `schedule.ics`: the talks with a start time.
    pub calendar: bool,
}

impl Default for Pages {
    fn default() -> Self {
        Pages {
            talks: true,
            speakers: true,
            tags: true,
            feed_key: None,
            feed: Feed::default(),
            sitemap: true,
            calendar: true,
        }
    }
}

/// What the Atom feed holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Feed {
    /// `true`: one entry per post (a recap), as a feed reader lists blog posts.
    #[default]
    Posts,
    /// `talks`: the post and an entry per talk.
    Talks,
    /// `false`: no feed.
    Off,
}

impl Feed {
    pub fn is_on(self) -> bool {
        self != Feed::Off
    }
}

/// A scalar as written (`true`, `false`, a word, a number), for a key whose values are
/// words as well as booleans.
#[derive(Debug, Clone)]
pub struct FeedWord(String);

impl<'de> Deserialize<'de> for FeedWord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Word;
        impl Visitor<'_> for Word {
            type Value = FeedWord;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("true, talks or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FeedWord, E> {
                Ok(FeedWord(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FeedWord, E> {
                Ok(FeedWord(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FeedWord, E> {
                Ok(FeedWord(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FeedWord, E> {
                Ok(FeedWord(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FeedWord, E> {
                Ok(FeedWord(v.to_string()))
            }
        }
        d.deserialize_any(Word)
    }
}

impl Pages {
    /// Resolves `feed` as written; a value it does not take is a problem at its position.
    pub(super) fn resolve(&mut self, source: &Source) -> Vec<Diagnostic> {
        let Some(key) = &self.feed_key else {
            return Vec::new();
        };
        self.feed = match key.value.0.as_str() {
            "true" => Feed::Posts,
            "talks" => Feed::Talks,
            "false" => Feed::Off,
            other => {
                let at = &key.referenced;
                let shown = crate::error::printable(other, false);
                return vec![
                    Diagnostic::new(&source.path, format!("`pages.feed` cannot be `{shown}`"))
                        .at(at.line() as usize, at.column() as usize)
                        .help(
                            "write `true` (an entry per post), `talks` (the post and an entry per talk) or `false` (no feed)",
                        ),
                ];
            }
        };
        Vec::new()
    }
}
