//! Front-matter value types with their own, readable, deserialization errors.
//!
//! Serde's derived errors say "invalid type: string, expected u32"; a writer needs "expected a
//! day number or a date (YYYY-MM-DD), found \"three\"". Each type here has a small visitor that
//! says what it accepts in the user's terms.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer};
use serde::{Deserialize, Serialize};

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        // jiff accepts more than YYYY-MM-DD; keep the front matter to one spelling.
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        s.parse::<jiff::civil::Date>().ok().map(Date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s).ok_or_else(|| {
                    E::custom(format!("expected a date written YYYY-MM-DD, found \"{s}\""))
                })
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "expected a date written YYYY-MM-DD, found {n}"
                )))
            }
        }
        d.deserialize_str(V)
    }
}

/// A time of day written `HH:MM` (24-hour clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
}

impl ClockTime {
    pub fn parse(s: &str) -> Option<ClockTime> {
        let (h, m) = s.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let hour: u8 = h.parse().ok()?;
        let minute: u8 = m.parse().ok()?;
        (hour < 24 && minute < 60).then_some(ClockTime { hour, minute })
    }

    pub fn minutes(self) -> u32 {
        u32::from(self.hour) * 60 + u32::from(self.minute)
    }

    pub fn from_minutes(m: u32) -> ClockTime {
        let m = m % (24 * 60);
        ClockTime {
            hour: (m / 60) as u8,
            minute: (m % 60) as u8,
        }
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ClockTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time written \"HH:MM\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ClockTime, E> {
                ClockTime::parse(s).ok_or_else(|| {
                    E::custom(format!(
                        "expected a 24-hour time written \"HH:MM\", found \"{s}\""
                    ))
                })
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<ClockTime, E> {
                Err(E::custom(format!(
                    "expected a 24-hour time written \"HH:MM\", found {n}"
                )))
            }
        }
        d.deserialize_str(V)
    }
}

/// Which day a talk belongs to: a 1-based index into summit.yaml's days, or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRef {
    Number(u32),
    Date(Date),
}

const DAY_EXPECTED: &str = "expected a day number (1, 2, …) or a date (YYYY-MM-DD)";

impl<'de> Deserialize<'de> for DayRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DayRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a day number or a date")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<DayRef, E> {
                match u32::try_from(n) {
                    Ok(n) if n >= 1 => Ok(DayRef::Number(n)),
                    _ => Err(E::custom(format!("{DAY_EXPECTED}, found {n}"))),
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<DayRef, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("{DAY_EXPECTED}, found {n}"))),
                }
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<DayRef, E> {
                Err(E::custom(format!("{DAY_EXPECTED}, found {n}")))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<DayRef, E> {
                Err(E::custom(format!("{DAY_EXPECTED}, found {b}")))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<DayRef, E> {
                if let Ok(n) = s.trim().parse::<u64>() {
                    return self.visit_u64(n);
                }
                Date::parse(s)
                    .map(DayRef::Date)
                    .ok_or_else(|| E::custom(format!("{DAY_EXPECTED}, found \"{s}\"")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A speaker: a plain name, or a mapping with name, affiliation and url.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Speaker {
    pub name: String,
    pub affiliation: Option<String>,
    pub url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerMap {
    name: String,
    affiliation: Option<String>,
    url: Option<String>,
}

impl<'de> Deserialize<'de> for Speaker {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Speaker;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a speaker's name, or {name, affiliation, url}")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Speaker, E> {
                let name = s.trim();
                if name.is_empty() {
                    return Err(E::custom("a speaker's name is empty"));
                }
                Ok(Speaker {
                    name: name.to_string(),
                    affiliation: None,
                    url: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Speaker, A::Error> {
                let m = SpeakerMap::deserialize(MapAccessDeserializer::new(map))?;
                let speaker = self.visit_str::<A::Error>(&m.name)?;
                Ok(Speaker {
                    affiliation: m.affiliation,
                    url: m.url,
                    ..speaker
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A list that may also be written as a single value (`tags: kafka`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list or a single value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(OneOrMany(out))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::new(s)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A link with a title.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}
