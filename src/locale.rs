//! Labels and date formats per language.
//!
//! Built in: `da` and `en`. Every label can be overridden under `labels:` in summit.yaml;
//! `{n}`, `{date}`, `{minutes}` and `{tag}` are filled in where a label takes a value (any
//! other `{word}` is an error in summit.yaml). Month and weekday
//! names come from our own small tables (jiff has no locale data, and needs none for this).

use serde::{Deserialize, Serialize};

use crate::config::Language;
use crate::parse::types::Date;

/// The value a label may take, as `{name}`: none for most.
pub fn placeholder(label: &str) -> Option<&'static str> {
    match label {
        "day_heading" => Some("n"),
        "published" => Some("date"),
        "reading_time" => Some("minutes"),
        "tag_heading" => Some("tag"),
        "talk_count" => Some("n"),
        "rating" => Some("n"),
        _ => None,
    }
}

/// `{word}`s in `text` that `label` does not fill in (they would be shown as written).
pub fn unknown_placeholders<'a>(label: &str, text: &'a str) -> Vec<&'a str> {
    let known = placeholder(label);
    text.match_indices('{')
        .filter_map(|(i, _)| {
            let rest = &text[i + 1..];
            let word = &rest[..rest.find('}')?];
            let is_word = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '_');
            (is_word && Some(word) != known).then_some(word)
        })
        .collect()
}

macro_rules! labels {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        /// Label overrides from summit.yaml (every one optional).
        #[derive(Debug, Clone, Default, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct Labels { $($(#[$doc])* pub $field: Option<String>,)* }

        /// The labels of a page, after overrides.
        #[derive(Debug, Clone, Serialize)]
        pub struct ResolvedLabels { $(pub $field: String,)* }

        /// A built-in language's labels.
        pub struct Builtin {
            pub months: [&'static str; 12],
            pub weekdays: [&'static str; 7],
            /// `true`: "26. august 2020"; `false`: "26 August 2020".
            pub day_dot: bool,
            $(pub $field: &'static str,)*
        }

        impl Labels {
            pub fn resolve(&self, base: &Builtin) -> ResolvedLabels {
                ResolvedLabels { $($field: self.$field.clone().unwrap_or_else(|| base.$field.to_string()),)* }
            }

            /// Takes `from`'s label wherever this sets none (a recap from its blog).
            pub fn inherit(&mut self, from: &Labels) {
                $(if self.$field.is_none() { self.$field = from.$field.clone(); })*
            }

            /// The labels summit.yaml sets, by name.
            pub fn overrides(&self) -> Vec<(&'static str, &str)> {
                let mut set = Vec::new();
                $(if let Some(v) = &self.$field { set.push((stringify!($field), v.as_str())); })*
                set
            }
        }
    };
}

labels! {
    /// "Opsummering af dag {n}"
    day_heading,
    /// "Publiceret {date}"
    published,
    /// "{minutes} min læsning"
    reading_time,
    recommended,
    recording,
    slides,
    links,
    tags,
    contents,
    skip_to_content,
    speakers,
    room,
    track,
    and,
    virtual_event,
    generated_by,
    back_to_post,
    previous,
    next,
    /// "Emne: {tag}"
    tag_heading,
    not_found,
    not_found_text,
    feed,
    calendar,
    home,
    /// "{n} talks", on a blog's index
    talk_count,
    /// The box of recommended talks at the top of the post
    top_picks,
    /// "{n} out of 5 stars"
    rating,
    /// Talks of a day with no notes written
    also_on_programme,
}

const DA: Builtin = Builtin {
    months: [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    weekdays: [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
    ],
    day_dot: true,
    day_heading: "Opsummering af dag {n}",
    published: "Publiceret {date}",
    reading_time: "{minutes} min læsning",
    recommended: "Anbefalet",
    recording: "Optagelse",
    slides: "Slides",
    links: "Links",
    tags: "Emner",
    contents: "Indhold",
    skip_to_content: "Spring til indholdet",
    speakers: "Talere",
    room: "Rum",
    track: "Spor",
    and: "og",
    virtual_event: "Virtuel konference",
    generated_by: "Lavet med summit-gen",
    back_to_post: "Tilbage til indlægget",
    previous: "Forrige",
    next: "Næste",
    tag_heading: "Emne: {tag}",
    not_found: "Siden findes ikke",
    not_found_text: "Den side, du leder efter, findes ikke her.",
    feed: "Feed",
    calendar: "Kalender",
    home: "Forside",
    talk_count: "{n} foredrag",
    top_picks: "Mine anbefalinger",
    rating: "{n} ud af 5 stjerner",
    also_on_programme: "Også på programmet",
};

const EN: Builtin = Builtin {
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    day_dot: false,
    day_heading: "Day {n} recap",
    published: "Published {date}",
    reading_time: "{minutes} min read",
    recommended: "Recommended",
    recording: "Recording",
    slides: "Slides",
    links: "Links",
    tags: "Tags",
    contents: "Contents",
    skip_to_content: "Skip to content",
    speakers: "Speakers",
    room: "Room",
    track: "Track",
    and: "and",
    virtual_event: "Virtual event",
    generated_by: "Made with summit-gen",
    back_to_post: "Back to the post",
    previous: "Previous",
    next: "Next",
    tag_heading: "Tag: {tag}",
    not_found: "Page not found",
    not_found_text: "The page you are looking for is not here.",
    feed: "Feed",
    calendar: "Calendar",
    home: "Home",
    talk_count: "{n} talks",
    top_picks: "Top picks",
    rating: "{n} out of 5 stars",
    also_on_programme: "Also on the programme",
};

/// The built-in table of a language.
pub fn builtin(lang: Language) -> &'static Builtin {
    match lang {
        Language::Da => &DA,
        Language::En => &EN,
    }
}

/// A language's tables plus the site's overrides.
pub struct Locale {
    pub base: &'static Builtin,
    pub labels: ResolvedLabels,
}

impl Locale {
    pub fn new(lang: Language, overrides: &Labels) -> Locale {
        let base = builtin(lang);
        Locale {
            base,
            labels: overrides.resolve(base),
        }
    }

    /// "26. august 2020" / "26 August 2020".
    pub fn date(&self, date: Date) -> String {
        let d = date.0;
        let month = self.base.months[(d.month() - 1) as usize];
        if self.base.day_dot {
            format!("{}. {} {}", d.day(), month, d.year())
        } else {
            format!("{} {} {}", d.day(), month, d.year())
        }
    }

    /// "mandag 24. august 2020" / "Monday 24 August 2020".
    pub fn date_with_weekday(&self, date: Date) -> String {
        let weekday = self.base.weekdays[date.0.weekday().to_monday_zero_offset() as usize];
        format!("{weekday} {}", self.date(date))
    }

    pub fn day_heading(&self, n: u32) -> String {
        self.labels.day_heading.replace("{n}", &n.to_string())
    }

    pub fn published(&self, date: Date) -> String {
        self.labels.published.replace("{date}", &self.date(date))
    }

    /// "A, B and C".
    pub fn names<'a>(&self, names: impl Iterator<Item = &'a str>) -> String {
        let names: Vec<&str> = names.collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} {} {last}", rest.join(", "), self.labels.and),
        }
    }

    /// "4 out of 5 stars".
    pub fn rating(&self, n: u8) -> String {
        self.labels.rating.replace("{n}", &n.to_string())
    }

    pub fn reading_time(&self, minutes: usize) -> String {
        self.labels
            .reading_time
            .replace("{minutes}", &minutes.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn danish_and_english_dates() {
        let da = Locale::new(Language::Da, &Labels::default());
        let en = Locale::new(Language::En, &Labels::default());
        assert_eq!(
            da.published(date("2020-08-26")),
            "Publiceret 26. august 2020"
        );
        assert_eq!(en.published(date("2020-08-26")), "Published 26 August 2020");
        assert_eq!(
            da.date_with_weekday(date("2020-08-24")),
            "mandag 24. august 2020"
        );
        assert_eq!(
            en.date_with_weekday(date("2020-08-25")),
            "Tuesday 25 August 2020"
        );
        assert_eq!(da.day_heading(1), "Opsummering af dag 1");
        assert_eq!(en.reading_time(10), "10 min read");
    }

    #[test]
    fn overrides_win() {
        let labels = Labels {
            day_heading: Some("Dag {n}".into()),
            ..Labels::default()
        };
        assert_eq!(Locale::new(Language::Da, &labels).day_heading(2), "Dag 2");
    }
}
