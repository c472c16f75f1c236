//! The timeline notation: `[14:18]`, `[14:23 to 14:43]`, `[2020-03-21 02:10]`.
//!
//! Incident reports write times the way people say them: a bare time on the
//! incident's day, a range, and a full date once the story crosses midnight.
//! This module turns that notation into instants in the write-up's time zone.
//! A bare time takes the date of the entry before it (the incident's date at
//! first), so a date written once carries on to the entries after it.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::diagnostic::Code;
use crate::model::Span;

/// One point in time as written: with or without a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    Time(NaiveTime),
    DateTime(NaiveDateTime),
}

/// A written time or range, with where each part sits in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampRange {
    pub start: Stamp,
    pub start_at: Span,
    pub end: Option<(Stamp, Span)>,
}

/// Why a stamp could not be read; `at` is relative to the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampError {
    pub code: Code,
    pub message: String,
    pub hint: String,
    pub at: Span,
}

/// The forms the README documents, for hints.
pub const FORMS: &str = "a time like [14:18], a range like [14:23 to 14:43], or a date and time like [2020-03-21 02:10]";

/// Parses the text between the brackets.
pub fn parse_stamp(text: &str) -> Result<StampRange, StampError> {
    let single = parse_one(text, 0);
    if let Ok(start) = single {
        return Ok(StampRange { start, start_at: trimmed_span(text, 0), end: None });
    }
    // A range: try every separator; a split counts when both sides have the shape of a time.
    for sep in [" to ", "\u{2013}", "\u{2014}", "-"] {
        for (pos, _) in text.match_indices(sep) {
            let (left, right) = (&text[..pos], &text[pos + sep.len()..]);
            let right_at = pos + sep.len();
            let (l, r) = (parse_one(left, 0), parse_one(right, right_at));
            let shaped = |res: &Result<Stamp, StampError>| !matches!(res, Err(e) if e.code == Code::TimelineSyntax);
            if shaped(&l) && shaped(&r) {
                let start = l?;
                let end = r?;
                return Ok(StampRange { start, start_at: trimmed_span(left, 0), end: Some((end, trimmed_span(right, right_at))) });
            }
        }
    }
    single.map(|_| unreachable!("a single stamp that parsed returned above"))
}

/// The span of `s` without surrounding spaces, shifted by `base`.
fn trimmed_span(s: &str, base: usize) -> Span {
    let lead = s.len() - s.trim_start().len();
    base + lead..base + lead + s.trim().len()
}

/// Parses one time or date-time; `base` is its offset in the whole stamp text.
fn parse_one(raw: &str, base: usize) -> Result<Stamp, StampError> {
    let at = trimmed_span(raw, base);
    let s = raw.trim();
    let syntax = |message: String, hint: &str| StampError { code: Code::TimelineSyntax, message, hint: hint.to_string(), at: at.clone() };
    if s.is_empty() {
        return Err(syntax("the brackets hold no time".into(), &format!("write {FORMS}")));
    }
    let lower = s.to_ascii_lowercase();
    if lower.ends_with("am") || lower.ends_with("pm") || lower.ends_with("a.m.") || lower.ends_with("p.m.") {
        return Err(syntax(format!("`{s}` uses a 12-hour clock"), "write times on the 24-hour clock, such as 14:18 for 2:18 pm"));
    }
    // A date and a time, separated by a space or a T.
    if s.len() > 10 && s.as_bytes()[4] == b'-' && matches!(s.as_bytes()[10], b' ' | b'T') {
        let (date_text, time_text) = (&s[..10], &s[11..]);
        let date = parse_date_part(date_text).map_err(|(code, message)| StampError {
            code,
            message,
            hint: "write the date as YYYY-MM-DD, then the time: [2020-03-21 02:10]".into(),
            at: at.start..at.start + 10,
        })?;
        let time = parse_time(time_text).map_err(|(code, message)| StampError {
            code,
            message,
            hint: format!("write {FORMS}"),
            at: at.start + 11..at.end,
        })?;
        return Ok(Stamp::DateTime(NaiveDateTime::new(date, time)));
    }
    parse_time(s).map(Stamp::Time).map_err(|(code, message)| StampError { code, message, hint: format!("write {FORMS}"), at })
}

/// Parses `YYYY-MM-DD`.
fn parse_date_part(s: &str) -> Result<NaiveDate, (Code, String)> {
    crate::load::fields::parse_date(s).map_err(|why| {
        let code = if s.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            Code::InvalidTime
        } else {
            Code::TimelineSyntax
        };
        (code, format!("`{s}` is not a valid date: {why}"))
    })
}

/// Parses `H:MM`, `HH:MM` or `HH:MM:SS` on the 24-hour clock.
fn parse_time(s: &str) -> Result<NaiveTime, (Code, String)> {
    let parts: Vec<&str> = s.split(':').collect();
    let well_formed = matches!(parts.len(), 2 | 3)
        && (1..=2).contains(&parts[0].len())
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err((Code::TimelineSyntax, format!("`{s}` is not a time")));
    }
    let num = |i: usize| parts.get(i).map_or(0, |p| p.parse::<u32>().unwrap_or(99));
    let (h, m, sec) = (num(0), num(1), num(2));
    if h > 23 {
        return Err((Code::InvalidTime, format!("`{s}` is not a valid time: hours run from 00 to 23")));
    }
    if m > 59 {
        return Err((Code::InvalidTime, format!("`{s}` is not a valid time: minutes run from 00 to 59")));
    }
    if sec > 59 {
        return Err((Code::InvalidTime, format!("`{s}` is not a valid time: seconds run from 00 to 59")));
    }
    Ok(NaiveTime::from_hms_opt(h, m, sec).expect("checked ranges"))
}

/// Where a stamp lands in a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Exact(DateTime<FixedOffset>),
    /// The local time happens twice; this is the earlier.
    Ambiguous(DateTime<FixedOffset>),
    /// The local time is skipped by a daylight-saving change.
    Skipped,
}

/// Turns a stamp into an instant; a bare time uses `date`.
pub fn resolve(stamp: Stamp, date: NaiveDate, tz: Tz) -> Resolved {
    let local = match stamp {
        Stamp::Time(t) => NaiveDateTime::new(date, t),
        Stamp::DateTime(dt) => dt,
    };
    match tz.from_local_datetime(&local) {
        LocalResult::Single(dt) => Resolved::Exact(dt.fixed_offset()),
        LocalResult::Ambiguous(a, b) => Resolved::Ambiguous(a.min(b).fixed_offset()),
        LocalResult::None => Resolved::Skipped,
    }
}

/// The date a stamp carries, if it carries one.
pub fn stamp_date(stamp: Stamp) -> Option<NaiveDate> {
    match stamp {
        Stamp::DateTime(dt) => Some(dt.date()),
        Stamp::Time(_) => None,
    }
}

/// Formats an instant the way the timeline shows it, in its own offset.
pub fn local_hm(dt: &DateTime<FixedOffset>) -> String {
    dt.format("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> Stamp {
        Stamp::Time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
    }

    fn dt(s: &str) -> Stamp {
        Stamp::DateTime(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
    }

    fn ends(text: &str) -> (Stamp, Option<Stamp>) {
        let r = parse_stamp(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        (r.start, r.end.map(|e| e.0))
    }

    fn err(text: &str) -> StampError {
        parse_stamp(text).expect_err(text)
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(ends("14:18"), (t(14, 18), None));
        assert_eq!(ends("9:05"), (t(9, 5), None));
        assert_eq!(ends(" 14:18 "), (t(14, 18), None));
        assert_eq!(ends("14:18:30").0, Stamp::Time(NaiveTime::from_hms_opt(14, 18, 30).unwrap()));
        assert_eq!(ends("14:23 to 14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23 - 14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23-14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23 \u{2013} 14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23\u{2014}14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("2020-03-21 02:10"), (dt("2020-03-21 02:10"), None));
        assert_eq!(ends("2020-03-21T02:10"), (dt("2020-03-21 02:10"), None));
        assert_eq!(ends("23:50 to 2020-03-21 00:10"), (t(23, 50), Some(dt("2020-03-21 00:10"))));
        assert_eq!(ends("2020-03-20 23:50 - 2020-03-21 00:10"), (dt("2020-03-20 23:50"), Some(dt("2020-03-21 00:10"))));
    }

    #[test]
    fn spans_point_at_each_end() {
        let r = parse_stamp("14:23 to 14:43").unwrap();
        assert_eq!(r.start_at, 0..5);
        assert_eq!(r.end.unwrap().1, 9..14);
    }

    #[test]
    fn rejects_impossible_times() {
        let e = err("25:61");
        assert_eq!(e.code, Code::InvalidTime);
        assert!(e.message.contains("hours run from 00 to 23"), "{}", e.message);
        assert_eq!(err("14:60").code, Code::InvalidTime);
        assert_eq!(err("14:59:60").code, Code::InvalidTime);
        let e = err("14:00 to 24:00");
        assert_eq!((e.code, e.at.clone()), (Code::InvalidTime, 9..14));
        let e = err("2020-02-30 10:00");
        assert_eq!(e.code, Code::InvalidTime);
        assert!(e.message.contains("no day 30"));
        assert_eq!(err("2020-13-01 10:00").code, Code::InvalidTime);
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for text in [
            "",
            "  ",
            "1418",
            "14.18",
            "14:5",
            "noon",
            "14:18 PDT",
            "T+5",
            "14:18 to",
            "to 14:18",
            "114:18",
            "2020-3-21 02:10",
            "14:18 to 14:43 to 15:00",
        ] {
            assert_eq!(err(text).code, Code::TimelineSyntax, "{text:?}");
        }
        let e = err("2:18pm");
        assert!(e.hint.contains("24-hour"));
    }

    #[test]
    fn resolves_in_the_zone_with_its_offset() {
        let tz: Tz = "America/Los_Angeles".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2020, 3, 20).unwrap();
        let Resolved::Exact(at) = resolve(t(14, 18), date, tz) else { panic!() };
        assert_eq!(at.to_rfc3339(), "2020-03-20T14:18:00-07:00");
        assert_eq!(local_hm(&at), "14:18");
    }

    #[test]
    fn daylight_saving_gaps_and_overlaps() {
        let tz: Tz = "America/Los_Angeles".parse().unwrap();
        // 2020-03-08 02:30 did not happen in Los Angeles; 2020-11-01 01:30 happened twice.
        assert_eq!(resolve(dt("2020-03-08 02:30"), NaiveDate::MIN, tz), Resolved::Skipped);
        let Resolved::Ambiguous(at) = resolve(dt("2020-11-01 01:30"), NaiveDate::MIN, tz) else { panic!() };
        assert_eq!(at.to_rfc3339(), "2020-11-01T01:30:00-07:00");
    }
}
