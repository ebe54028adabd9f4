//! Labels and date formats per language.
//!
//! Built in: `da`, `de`, `en`, `es`, `fr`, `nb`, `nl` and `sv`. Every label can be overridden under `labels:` in summit.yaml;
//! `{n}`, `{date}`, `{minutes}` and `{tag}` are filled in where a label takes a value (any
//! other `{word}` is an error in summit.yaml). Month and weekday
//! names come from our own small tables (jiff has no locale data, and needs none for this).
//!
//! The date shapes follow CLDR's Gregorian `dateFormats` (`long` for a date, `full` for a
//! date with its weekday; unicode-org/cldr-json, `cldr-dates-full/main/<lang>/ca-gregorian.json`):
//! da `d. MMMM y`; de `d. MMMM y`, `EEEE, d. MMMM y`; en `d MMMM y` (en-GB's order);
//! es `d 'de' MMMM 'de' y`, `EEEE, d 'de' MMMM 'de' y`; fr `d MMMM y`, `EEEE d MMMM y`;
//! nb `d. MMMM y`, `EEEE d. MMMM y`; nl `d MMMM y`, `EEEE d MMMM y`; sv `d MMMM y`,
//! `EEEE d MMMM y`. Danish and English put the weekday before the date without CLDR's `'den'`
//! and comma (as these pages always have).
//! French writes the first of a month as an ordinal, "1er décembre" (the usage the Imprimerie
//! nationale's rules and every French newspaper follow; CLDR's pattern has no ordinal).

use serde::{Deserialize, Serialize};

use crate::config::Language;
use crate::parse::types::Date;

mod tables;

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
            pub dates: DateStyle,
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

/// How a language writes a date (the CLDR patterns are in the module comment).
pub struct DateStyle {
    /// "26." (da, de, nb) rather than "26".
    pub day_dot: bool,
    /// How the first of a month is written, where not "1" (French "1er").
    pub first: Option<&'static str>,
    /// Between day, month and year: " ", or " de " in Spanish.
    pub joiner: &'static str,
    /// After the weekday: " ", or ", " in German and Spanish.
    pub after_weekday: &'static str,
}

/// The built-in table of a language.
pub fn builtin(lang: Language) -> &'static Builtin {
    use tables::*;
    match lang {
        Language::Da => &DA,
        Language::De => &DE,
        Language::En => &EN,
        Language::Es => &ES,
        Language::Fr => &FR,
        Language::Nb => &NB,
        Language::Nl => &NL,
        Language::Sv => &SV,
    }
}

/// A language's tables plus the site's overrides.
pub struct Locale {
    pub lang: Language,
    /// `labels.and` is the built-in word (not set in summit.yaml).
    builtin_and: bool,
    pub base: &'static Builtin,
    pub labels: ResolvedLabels,
}

impl Locale {
    pub fn new(lang: Language, overrides: &Labels) -> Locale {
        let base = builtin(lang);
        Locale {
            lang,
            builtin_and: overrides.and.is_none(),
            base,
            labels: overrides.resolve(base),
        }
    }

    /// "26. august 2020", "26 August 2020", "1er décembre 2026", "1 de diciembre de 2026".
    pub fn date(&self, date: Date) -> String {
        let d = date.0;
        let style = &self.base.dates;
        let month = self.base.months[(d.month() - 1) as usize];
        let day = match style.first {
            Some(first) if d.day() == 1 => first.to_string(),
            _ if style.day_dot => format!("{}.", d.day()),
            _ => d.day().to_string(),
        };
        let joiner = style.joiner;
        format!("{day}{joiner}{month}{joiner}{}", d.year())
    }

    /// "mandag 24. august 2020", "Monday 24 August 2020", "Dienstag, 1. Dezember 2026".
    pub fn date_with_weekday(&self, date: Date) -> String {
        let weekday = self.base.weekdays[date.0.weekday().to_monday_zero_offset() as usize];
        format!(
            "{weekday}{}{}",
            self.base.dates.after_weekday,
            self.date(date)
        )
    }

    pub fn day_heading(&self, n: u32) -> String {
        self.labels.day_heading.replace("{n}", &n.to_string())
    }

    pub fn published(&self, date: Date) -> String {
        self.labels.published.replace("{date}", &self.date(date))
    }

    /// "A, B and C" (no comma before the conjunction, in any of the languages).
    pub fn names<'a>(&self, names: impl Iterator<Item = &'a str>) -> String {
        let names: Vec<&str> = names.collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} {} {last}", rest.join(", "), self.and_before(last)),
        }
    }

    /// The conjunction before `next`: Spanish "y" becomes "e" before an /i/ sound ("Ana e
    /// Irene", "e Hilario"; not before "hie…", "Hierro", where it is a consonant). Only the
    /// built-in "y": a label set in summit.yaml is used as written.
    fn and_before(&self, next: &str) -> &str {
        let and = self.labels.and.as_str();
        if self.lang != Language::Es || !self.builtin_and {
            return and;
        }
        let lower = next.to_lowercase();
        let mut sounds = lower.strip_prefix('h').unwrap_or(&lower).chars();
        let i = matches!(sounds.next(), Some('i' | 'í'));
        let diphthong = matches!(
            sounds.next(),
            Some('a' | 'e' | 'o' | 'u' | 'á' | 'é' | 'ó' | 'ú')
        );
        if i && !diphthong { "e" } else { and }
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

    /// One row per language: date, date with weekday (Tuesday 1 December 2026, so French
    /// shows its "1er"), another date (the 24th), day heading, one/two/three names, rating,
    /// reading time.
    #[test]
    fn every_language_by_its_own_conventions() {
        type Row = (Language, [&'static str; 9]);
        let table: [Row; 8] = [
            (
                Language::Da,
                [
                    "1. december 2026",
                    "tirsdag 1. december 2026",
                    "24. august 2020",
                    "Opsummering af dag 2",
                    "Ada",
                    "Ada og Bo",
                    "Ada, Bo og Cy",
                    "4 ud af 5 stjerner",
                    "3 min læsning",
                ],
            ),
            (
                Language::De,
                [
                    "1. Dezember 2026",
                    "Dienstag, 1. Dezember 2026",
                    "24. August 2020",
                    "Rückblick auf Tag 2",
                    "Ada",
                    "Ada und Bo",
                    "Ada, Bo und Cy",
                    "4 von 5 Sternen",
                    "3 Min. Lesezeit",
                ],
            ),
            (
                Language::En,
                [
                    "1 December 2026",
                    "Tuesday 1 December 2026",
                    "24 August 2020",
                    "Day 2 recap",
                    "Ada",
                    "Ada and Bo",
                    "Ada, Bo and Cy",
                    "4 out of 5 stars",
                    "3 min read",
                ],
            ),
            (
                Language::Es,
                [
                    "1 de diciembre de 2026",
                    "martes, 1 de diciembre de 2026",
                    "24 de agosto de 2020",
                    "Resumen del día 2",
                    "Ada",
                    "Ada y Bo",
                    "Ada, Bo y Cy",
                    "4 de 5 estrellas",
                    "3 min de lectura",
                ],
            ),
            (
                Language::Fr,
                [
                    "1er décembre 2026",
                    "mardi 1er décembre 2026",
                    "24 août 2020",
                    "Compte rendu du jour 2",
                    "Ada",
                    "Ada et Bo",
                    "Ada, Bo et Cy",
                    "4 étoiles sur 5",
                    "3 min de lecture",
                ],
            ),
            (
                Language::Nb,
                [
                    "1. desember 2026",
                    "tirsdag 1. desember 2026",
                    "24. august 2020",
                    "Oppsummering av dag 2",
                    "Ada",
                    "Ada og Bo",
                    "Ada, Bo og Cy",
                    "4 av 5 stjerner",
                    "3 min lesing",
                ],
            ),
            (
                Language::Nl,
                [
                    "1 december 2026",
                    "dinsdag 1 december 2026",
                    "24 augustus 2020",
                    "Samenvatting van dag 2",
                    "Ada",
                    "Ada en Bo",
                    "Ada, Bo en Cy",
                    "4 van de 5 sterren",
                    "3 min lezen",
                ],
            ),
            (
                Language::Sv,
                [
                    "1 december 2026",
                    "tisdag 1 december 2026",
                    "24 augusti 2020",
                    "Sammanfattning av dag 2",
                    "Ada",
                    "Ada och Bo",
                    "Ada, Bo och Cy",
                    "4 av 5 stjärnor",
                    "3 min läsning",
                ],
            ),
        ];
        for (lang, want) in table {
            let l = Locale::new(lang, &Labels::default());
            let names = |n: usize| l.names(["Ada", "Bo", "Cy"].into_iter().take(n));
            let got = [
                l.date(date("2026-12-01")),
                l.date_with_weekday(date("2026-12-01")),
                l.date(date("2020-08-24")),
                l.day_heading(2),
                names(1),
                names(2),
                names(3),
                l.rating(4),
                l.reading_time(3),
            ];
            assert_eq!(got, want, "{}", lang.code());
        }
    }

    #[test]
    fn french_writes_only_the_first_as_an_ordinal() {
        let fr = Locale::new(Language::Fr, &Labels::default());
        assert_eq!(fr.date(date("2026-12-02")), "2 décembre 2026");
        assert_eq!(fr.date(date("2026-11-11")), "11 novembre 2026");
        assert_eq!(
            fr.published(date("2026-01-01")),
            "Publié le 1er janvier 2026"
        );
    }

    #[test]
    fn spanish_and_becomes_e_before_an_i_sound() {
        let es = Locale::new(Language::Es, &Labels::default());
        let names = |n: &[&str]| es.names(n.iter().copied());
        assert_eq!(names(&["Ana", "Irene"]), "Ana e Irene");
        assert_eq!(names(&["Ana", "Bo", "Hilario"]), "Ana, Bo e Hilario");
        assert_eq!(names(&["Ana", "Íñigo"]), "Ana e Íñigo");
        // A diphthong: the sound is a consonant, "y" stays.
        assert_eq!(names(&["Ana", "Hierro"]), "Ana y Hierro");
        assert_eq!(names(&["Ana", "Iowa"]), "Ana y Iowa");
        // Only Spanish, only the built-in word.
        let en = Locale::new(Language::En, &Labels::default());
        assert_eq!(en.names(["Ana", "Irene"].into_iter()), "Ana and Irene");
        let own = Labels {
            and: Some("y".into()),
            ..Labels::default()
        };
        let es_own = Locale::new(Language::Es, &own);
        assert_eq!(es_own.names(["Ana", "Irene"].into_iter()), "Ana y Irene");
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
