//! Times in iCalendar files: date-time values, durations, UTC offsets, and the simple reading
//! of a `VTIMEZONE` that [`super::ics`] uses when a `TZID` is not an IANA name.

use jiff::civil::{Date as CivilDate, DateTime, Weekday};
use jiff::tz::TimeZone;

/// A `STANDARD` or `DAYLIGHT` part of a `VTIMEZONE`.
#[derive(Debug, Default)]
pub struct Observance {
    pub start: Option<DateTime>,
    pub offset: Option<i32>,
    pub rrule: Option<String>,
}

/// The IANA zone a `TZID` names, if it names one (also at the end of a path).
pub fn iana(tzid: &str) -> Option<String> {
    let tzid = tzid.trim().trim_matches('"');
    std::iter::once(0)
        .chain(tzid.match_indices('/').map(|(i, _)| i + 1))
        .map(|i| &tzid[i..])
        .find(|name| (name.contains('/') || *name == "UTC") && TimeZone::get(name).is_ok())
        .map(String::from)
}

/// The UTC offset (seconds) a `VTIMEZONE` gives local time `dt`: the observance whose latest
/// onset (this year or last, by its yearly rule) is at or before `dt`.
pub fn offset_at(rules: &[Observance], dt: DateTime) -> Option<i32> {
    let mut best: Option<(DateTime, i32)> = None;
    for rule in rules {
        let (Some(start), Some(offset)) = (rule.start, rule.offset) else {
            continue;
        };
        let onsets: Vec<DateTime> = match rule.rrule.as_deref().and_then(yearly) {
            Some((month, nth, weekday)) => [dt.year() - 1, dt.year()]
                .into_iter()
                .filter(|y| *y >= start.year())
                .filter_map(|y| {
                    let first = CivilDate::new(y, month, 1).ok()?;
                    let day = first.nth_weekday_of_month(nth, weekday).ok()?;
                    Some(day.to_datetime(start.time()))
                })
                .collect(),
            None => vec![start],
        };
        for onset in onsets.into_iter().filter(|o| *o <= dt) {
            if best.is_none_or(|(b, _)| onset > b) {
                best = Some((onset, offset));
            }
        }
    }
    best.map(|(_, o)| o)
        .or_else(|| rules.iter().find_map(|r| r.offset))
}

/// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` → (3, -1, Sunday).
fn yearly(rrule: &str) -> Option<(i8, i8, Weekday)> {
    let part = |key: &str| {
        rrule
            .split(';')
            .find_map(|p| p.trim().strip_prefix(key)?.strip_prefix('='))
    };
    if !part("FREQ")?.eq_ignore_ascii_case("YEARLY") {
        return None;
    }
    let month: i8 = part("BYMONTH")?.parse().ok()?;
    let byday = part("BYDAY")?;
    let (nth, day) = byday.split_at(byday.len().checked_sub(2)?);
    let nth: i8 = if nth.is_empty() {
        1
    } else {
        nth.trim_start_matches('+').parse().ok()?
    };
    let weekday = match day.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    };
    Some((month, nth, weekday))
}

/// `20241227T103000`, with or without `Z`, `-` and `:` → a civil date-time.
pub fn civil(raw: &str) -> Option<DateTime> {
    let s: String = raw
        .trim()
        .trim_end_matches(['Z', 'z'])
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    let (date, time) = s.split_once(['T', 't'])?;
    let num = |s: &str| s.parse::<i16>().ok();
    if date.len() != 8
        || time.len() < 4
        || !date.chars().chain(time.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let second = time.get(4..6).and_then(num).unwrap_or(0);
    DateTime::new(
        num(&date[..4])?,
        num(&date[4..6])? as i8,
        num(&date[6..8])? as i8,
        num(&time[..2])? as i8,
        num(&time[2..4])? as i8,
        second.min(59) as i8,
        0,
    )
    .ok()
}

/// `+0100`, `-0530`, `+013000` → seconds east of UTC.
pub fn offset_seconds(raw: &str) -> Option<i32> {
    let raw = raw.trim();
    let (sign, digits) = match raw.split_at_checked(1)? {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    let num = |r: std::ops::Range<usize>| digits.get(r)?.parse::<i32>().ok();
    let seconds = num(0..2)? * 3600 + num(2..4)? * 60 + num(4..6).unwrap_or(0);
    Some(sign * seconds)
}

/// `PT45M`, `PT1H30M`, `P1DT2H`, `P1W` → minutes; negative durations are none.
pub fn duration_minutes(raw: &str) -> Option<i64> {
    let raw = raw.trim().trim_start_matches('+');
    let rest = raw.strip_prefix(['P', 'p'])?;
    let (mut minutes, mut number, mut any) = (0i64, String::new(), false);
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' => {}
            d if d.is_ascii_digit() => number.push(d),
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                minutes += match unit {
                    'W' => n * 7 * 24 * 60,
                    'D' => n * 24 * 60,
                    'H' => n * 60,
                    'M' => n,
                    'S' => n / 60,
                    _ => return None,
                };
            }
        }
    }
    (any && number.is_empty()).then_some(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_offsets() {
        assert_eq!(duration_minutes("PT45M"), Some(45));
        assert_eq!(duration_minutes("PT1H30M"), Some(90));
        assert_eq!(duration_minutes("P1DT1H"), Some(25 * 60));
        assert_eq!(duration_minutes("-PT5M"), None);
        assert_eq!(offset_seconds("+0100"), Some(3600));
        assert_eq!(offset_seconds("-0530"), Some(-19800));
    }

    #[test]
    fn a_vtimezone_of_its_own_gives_summer_and_winter_offsets() {
        let rules = vec![
            Observance {
                start: civil("19701025T030000"),
                offset: Some(3600),
                rrule: Some("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU".into()),
            },
            Observance {
                start: civil("19700329T020000"),
                offset: Some(7200),
                rrule: Some("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU".into()),
            },
        ];
        assert_eq!(
            offset_at(&rules, civil("20240614T100000").expect("dt")),
            Some(7200)
        );
        assert_eq!(
            offset_at(&rules, civil("20241227T100000").expect("dt")),
            Some(3600)
        );
        assert_eq!(
            offset_at(&rules, civil("20240115T100000").expect("dt")),
            Some(3600)
        );
        assert_eq!(
            iana("/mozilla.org/20050126_1/Europe/Berlin").as_deref(),
            Some("Europe/Berlin")
        );
        assert_eq!(iana("W. Europe Standard Time"), None);
    }
}
