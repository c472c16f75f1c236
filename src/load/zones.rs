//! What a writer means by a zone that is not an IANA name: an abbreviation
//! (`CST`, `PDT`) or an offset (`UTC-6`, `+05:30`).
//!
//! A hint must never suggest a value that silently changes the meaning of
//! every time in the timeline: `UTC-6` is not `UTC`, and `CST` is not
//! `CST6CDT`. Abbreviations map to the IANA zones of the places that use
//! them; offsets map to the zones at that offset on the incident's date,
//! and to the one name that means exactly the offset (`Etc/GMT+6`).

use chrono::{FixedOffset, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

/// Abbreviations writers use, their offset in hours, and the zones that use them (most common first).
const ABBREVIATIONS: &[(&str, &str, &[&str])] = &[
    (
        "PST",
        "UTC−8",
        &["America/Los_Angeles", "America/Vancouver"],
    ),
    (
        "PDT",
        "UTC−7",
        &["America/Los_Angeles", "America/Vancouver"],
    ),
    (
        "PT",
        "UTC−8/−7",
        &["America/Los_Angeles", "America/Vancouver"],
    ),
    ("MDT", "UTC−6", &["America/Denver", "America/Edmonton"]),
    ("MT", "UTC−7/−6", &["America/Denver", "America/Edmonton"]),
    (
        "CST",
        "UTC−6",
        &["America/Chicago", "America/Mexico_City", "America/Winnipeg"],
    ),
    ("CDT", "UTC−5", &["America/Chicago", "America/Winnipeg"]),
    ("CT", "UTC−6/−5", &["America/Chicago", "America/Winnipeg"]),
    ("EDT", "UTC−4", &["America/New_York", "America/Toronto"]),
    ("ET", "UTC−5/−4", &["America/New_York", "America/Toronto"]),
    ("AKST", "UTC−9", &["America/Anchorage"]),
    ("AKDT", "UTC−8", &["America/Anchorage"]),
    ("BST", "UTC+1", &["Europe/London"]),
    (
        "IST",
        "UTC+5:30 in India, UTC+1 in Ireland, UTC+2 in Israel",
        &["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"],
    ),
    (
        "CEST",
        "UTC+2",
        &["Europe/Berlin", "Europe/Paris", "Europe/Amsterdam"],
    ),
    ("WEST", "UTC+1", &["Europe/Lisbon"]),
    ("EEST", "UTC+3", &["Europe/Helsinki", "Europe/Athens"]),
    ("MSK", "UTC+3", &["Europe/Moscow"]),
    ("JST", "UTC+9", &["Asia/Tokyo"]),
    ("KST", "UTC+9", &["Asia/Seoul"]),
    ("SGT", "UTC+8", &["Asia/Singapore"]),
    (
        "AEST",
        "UTC+10",
        &[
            "Australia/Sydney",
            "Australia/Melbourne",
            "Australia/Brisbane",
        ],
    ),
    (
        "AEDT",
        "UTC+11",
        &["Australia/Sydney", "Australia/Melbourne"],
    ),
    ("NZST", "UTC+12", &["Pacific/Auckland"]),
    ("NZDT", "UTC+13", &["Pacific/Auckland"]),
    ("BRT", "UTC−3", &["America/Sao_Paulo"]),
];

/// Zones offered for an offset, when their offset on the date matches.
const PLACES: &[&str] = &[
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Helsinki",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// What a zone that is not an IANA name most likely means: a hint, and a
/// replacement that keeps every time's meaning (if there is exactly one).
pub fn explain(written: &str, date: Option<NaiveDate>) -> Option<(String, Option<String>)> {
    let key = written.trim().to_ascii_uppercase();
    if let Some((abbr, offset, zones)) = ABBREVIATIONS.iter().find(|(a, _, _)| *a == key) {
        let list = zones
            .iter()
            .map(|z| format!("`{z}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = format!(
            "`{abbr}` is an abbreviation ({offset}), not a zone; write the IANA zone of the place, which knows its daylight saving: {list}"
        );
        let fix = (zones.len() == 1 || !abbr.starts_with('I')).then(|| zones[0].to_string());
        return Some((hint, fix));
    }
    let offset = parse_offset(&key)?;
    let shown = show(offset);
    let day = date.unwrap_or_else(|| NaiveDate::from_ymd_opt(2024, 1, 15).expect("a real date"));
    let noon = day.and_hms_opt(12, 0, 0).expect("noon exists");
    let places: Vec<&str> = PLACES
        .iter()
        .filter(|name| {
            let tz: Tz = name.parse().expect("a known zone");
            tz.offset_from_utc_datetime(&noon).fix() == offset
        })
        .copied()
        .collect();
    let exact = etc_name(offset);
    let mut hint = format!("`{written}` is an offset ({shown}), not a zone");
    if !places.is_empty() {
        let list = places
            .iter()
            .map(|z| format!("`{z}`"))
            .collect::<Vec<_>>()
            .join(", ");
        hint.push_str(&format!("; places at {shown} on {day}: {list} (write the place's zone, which knows its daylight saving)"));
    }
    if let Some(exact) = &exact {
        hint.push_str(&format!(
            "; `{exact}` means exactly {shown} all year (its sign is inverted, as POSIX has it)"
        ));
    }
    Some((hint, exact))
}

/// Parses `UTC-6`, `GMT+5:30`, `+02:00`, `-0600` (already uppercased) into an offset.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let rest = text
        .strip_prefix("UTC")
        .or_else(|| text.strip_prefix("GMT"))
        .unwrap_or(text)
        .replace('\u{2212}', "-");
    let (sign, digits) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' => (-1, &rest[1..]),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None if digits.is_empty() => return None,
        None => (digits, "0"),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Abbreviations with one meaning, and their offsets in minutes, for zones written in a timeline.
const OFFSETS: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("PST", -480),
    ("PDT", -420),
    ("MST", -420),
    ("MDT", -360),
    ("CST", -360),
    ("CDT", -300),
    ("EST", -300),
    ("EDT", -240),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("BRT", -180),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("CEST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("SGT", 480),
    ("JST", 540),
    ("KST", 540),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
];

/// The offset a zone written in a timeline stands for: `UTC`, `PDT`, `UTC+2`, `+05:30`.
pub fn offset_of(word: &str) -> Option<FixedOffset> {
    let upper = word.to_ascii_uppercase();
    if let Some((_, minutes)) = OFFSETS.iter().find(|(a, _)| *a == upper) {
        return FixedOffset::east_opt(minutes * 60);
    }
    parse_offset(&upper)
}

/// `UTC−6`, `UTC+5:30`.
fn show(offset: FixedOffset) -> String {
    let s = offset.local_minus_utc();
    let sign = if s < 0 { '−' } else { '+' };
    let (h, m) = (s.abs() / 3600, s.abs() % 3600 / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

/// The `Etc/GMT±N` name of a whole-hour offset (`Etc/GMT+6` is UTC−6).
fn etc_name(offset: FixedOffset) -> Option<String> {
    let s = offset.local_minus_utc();
    if s == 0 {
        return Some("UTC".into());
    }
    (s % 3600 == 0).then(|| format!("Etc/GMT{}{}", if s < 0 { '+' } else { '-' }, s.abs() / 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_is_never_mapped_to_utc() {
        let jan = NaiveDate::from_ymd_opt(2024, 1, 17);
        let (hint, fix) = explain("UTC-6", jan).unwrap();
        assert_eq!(fix.as_deref(), Some("Etc/GMT+6"));
        assert!(
            hint.contains("UTC−6") && hint.contains("`America/Chicago`"),
            "{hint}"
        );
        let (hint, fix) = explain("+05:30", jan).unwrap();
        assert_eq!(fix, None);
        assert!(hint.contains("Asia/Kolkata"), "{hint}");
        assert_eq!(
            "Etc/GMT+6"
                .parse::<Tz>()
                .unwrap()
                .offset_from_utc_datetime(&jan.unwrap().and_hms_opt(0, 0, 0).unwrap())
                .fix()
                .local_minus_utc(),
            -6 * 3600
        );
    }

    #[test]
    fn abbreviations_name_the_places_that_use_them() {
        let (hint, fix) = explain("CST", None).unwrap();
        assert_eq!(fix.as_deref(), Some("America/Chicago"));
        assert!(hint.contains("UTC−6"), "{hint}");
        assert_eq!(
            explain("IST", None).unwrap().1,
            None,
            "ambiguous: no single fix"
        );
        assert_eq!(explain("Mars/Olympus", None), None);
        assert_eq!(
            parse_offset("+\u{2013}t"),
            None,
            "found by tests/fuzz.rs: no slicing inside a character"
        );
    }
}
