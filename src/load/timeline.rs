//! The timeline notation: `[14:18]`, `[14:23 to 14:43]`, `[2020-03-21 02:10]`.
//!
//! Incident reports write times the way people say them: a bare time on the
//! incident's day, a range, and a full date once the story crosses midnight.
//! This module turns that notation into instants in the write-up's time zone.
//! A bare time takes the date of the entry before it (the incident's date at
//! first), so a date written once carries on to the entries after it.
//!
//! A stamp may carry its own zone, as public reports often do: `[05:58 UTC]`,
//! `[14:18 PDT]`, `[09:10 UTC+2]`, `[2024-01-17T05:58:00Z]`,
//! `[2024-01-17T05:58:00-07:00]`. Its times are then read at that offset and
//! converted into the write-up's zone; a range takes one zone for both ends.

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
    /// The zone the stamp was written in, if it names one.
    pub zone: Option<Zone>,
}

/// A zone named in a stamp: its offset and the text (`UTC`, `PDT`, `Z`, `-07:00`).
pub type Zone = (FixedOffset, String);

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
    let (text, zone) = split_zone(text)?;
    let single = parse_one(text, 0);
    if let Ok(start) = single {
        return Ok(StampRange {
            start,
            start_at: trimmed_span(text, 0),
            end: None,
            zone,
        });
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
                let end = Some((end, trimmed_span(right, right_at)));
                return Ok(StampRange {
                    start,
                    start_at: trimmed_span(left, 0),
                    end,
                    zone,
                });
            }
        }
    }
    single.map(|_| unreachable!("a single stamp that parsed returned above"))
}

/// Splits a zone off the end of a stamp: a `Z` or an offset right after an
/// ISO date-time, or a word after the last time (`UTC`, `PDT`, `UTC+2`, `+05:30`).
fn split_zone(text: &str) -> Result<(&str, Option<Zone>), StampError> {
    let t = text.trim_end();
    let after_digit = |head: &str| head.ends_with(|c: char| c.is_ascii_digit());
    if let Some(head) = t.strip_suffix(['Z', 'z']).filter(|h| after_digit(h)) {
        return Ok((
            head,
            Some((FixedOffset::east_opt(0).expect("zero"), "Z".into())),
        ));
    }
    let trimmed = t.trim_start();
    if trimmed.len() > 16 && trimmed.as_bytes()[10] == b'T' {
        let lead = t.len() - trimmed.len();
        if let Some(i) = trimmed[11..].rfind(['+', '-']).map(|i| lead + 11 + i)
            && let Some(offset) = crate::load::zones::parse_offset(&t[i..])
        {
            return Ok((&t[..i], Some((offset, t[i..].to_string()))));
        }
    }
    let Some((head, word)) = t.rsplit_once(' ') else {
        return Ok((text, None));
    };
    let lower = word.to_ascii_lowercase();
    let clock = ["am", "pm", "a.m.", "p.m."].contains(&lower.as_str());
    if !after_digit(head.trim_end())
        || clock
        || !word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '+' || c == '\u{2212}')
    {
        return Ok((text, None));
    }
    if let Some(offset) = crate::load::zones::offset_of(word) {
        return Ok((head, Some((offset, word.to_string()))));
    }
    let hint = match crate::load::zones::explain(word, None) {
        Some((why, _)) => format!("{why}; in a timeline, write an offset (`[14:18 UTC-6]`), UTC, or the time in the write-up's zone"),
        None => "write the time in the write-up's zone, or name an offset such as `[05:58 UTC]` or `[14:18 UTC-7]`".into(),
    };
    Err(StampError {
        code: Code::TimelineSyntax,
        message: format!("`{word}` is not a zone pir can read in a timeline"),
        hint,
        at: head.len() + 1..t.len(),
    })
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
    let syntax = |message: String, hint: &str| StampError {
        code: Code::TimelineSyntax,
        message,
        hint: hint.to_string(),
        at: at.clone(),
    };
    if s.is_empty() {
        return Err(syntax(
            "the brackets hold no time".into(),
            &format!("write {FORMS}"),
        ));
    }
    let lower = s.to_ascii_lowercase();
    if lower.ends_with("am")
        || lower.ends_with("pm")
        || lower.ends_with("a.m.")
        || lower.ends_with("p.m.")
    {
        return Err(syntax(
            format!("`{s}` uses a 12-hour clock"),
            "write times on the 24-hour clock, such as 14:18 for 2:18 pm",
        ));
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
    parse_time(s)
        .map(Stamp::Time)
        .map_err(|(code, message)| StampError {
            code,
            message,
            hint: format!("write {FORMS}"),
            at,
        })
}

/// Parses `YYYY-MM-DD`.
fn parse_date_part(s: &str) -> Result<NaiveDate, (Code, String)> {
    crate::load::fields::parse_date(s).map_err(|why| {
        let code = if s
            .split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
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
        return Err((
            Code::InvalidTime,
            format!("`{s}` is not a valid time: hours run from 00 to 23"),
        ));
    }
    if m > 59 {
        return Err((
            Code::InvalidTime,
            format!("`{s}` is not a valid time: minutes run from 00 to 59"),
        ));
    }
    if sec > 59 {
        return Err((
            Code::InvalidTime,
            format!("`{s}` is not a valid time: seconds run from 00 to 59"),
        ));
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
    fn a_stamp_may_name_its_zone() {
        let zone = |text: &str| {
            parse_stamp(text)
                .unwrap()
                .zone
                .map(|(o, w)| (o.local_minus_utc() / 60, w))
        };
        assert_eq!(zone("05:58 UTC"), Some((0, "UTC".into())));
        assert_eq!(zone("14:18 PDT"), Some((-7 * 60, "PDT".into())));
        assert_eq!(zone("2024-01-17T05:58:00Z"), Some((0, "Z".into())));
        assert_eq!(
            zone("2024-01-17T05:58:00-07:00"),
            Some((-7 * 60, "-07:00".into()))
        );
        assert_eq!(
            zone("09:10 to 09:40 UTC+5:30"),
            Some((330, "UTC+5:30".into()))
        );
        assert_eq!(zone("14:23-14:43"), None);
        assert_eq!(zone("14:18"), None);
        assert_eq!(ends("2024-01-17T05:58:00Z").0, dt("2024-01-17 05:58"));
        assert_eq!(err("9:05 pm").message, "`9:05 pm` uses a 12-hour clock");
        assert_eq!(err("14:18 IST").at, 6..9);
        assert!(err("14:18 IST").hint.contains("Asia/Kolkata"));
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(ends("14:18"), (t(14, 18), None));
        assert_eq!(ends("9:05"), (t(9, 5), None));
        assert_eq!(ends(" 14:18 "), (t(14, 18), None));
        assert_eq!(
            ends("14:18:30").0,
            Stamp::Time(NaiveTime::from_hms_opt(14, 18, 30).unwrap())
        );
        assert_eq!(ends("14:23 to 14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23 - 14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23-14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23 \u{2013} 14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("14:23\u{2014}14:43"), (t(14, 23), Some(t(14, 43))));
        assert_eq!(ends("2020-03-21 02:10"), (dt("2020-03-21 02:10"), None));
        assert_eq!(ends("2020-03-21T02:10"), (dt("2020-03-21 02:10"), None));
        assert_eq!(
            ends("23:50 to 2020-03-21 00:10"),
            (t(23, 50), Some(dt("2020-03-21 00:10")))
        );
        assert_eq!(
            ends("2020-03-20 23:50 - 2020-03-21 00:10"),
            (dt("2020-03-20 23:50"), Some(dt("2020-03-21 00:10")))
        );
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
        assert!(
            e.message.contains("hours run from 00 to 23"),
            "{}",
            e.message
        );
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
            "14:18 XYZ",
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
        let Resolved::Exact(at) = resolve(t(14, 18), date, tz) else {
            panic!()
        };
        assert_eq!(at.to_rfc3339(), "2020-03-20T14:18:00-07:00");
        assert_eq!(local_hm(&at), "14:18");
    }

    #[test]
    fn daylight_saving_gaps_and_overlaps() {
        let tz: Tz = "America/Los_Angeles".parse().unwrap();
        // 2020-03-08 02:30 did not happen in Los Angeles; 2020-11-01 01:30 happened twice.
        assert_eq!(
            resolve(dt("2020-03-08 02:30"), NaiveDate::MIN, tz),
            Resolved::Skipped
        );
        let Resolved::Ambiguous(at) = resolve(dt("2020-11-01 01:30"), NaiveDate::MIN, tz) else {
            panic!()
        };
        assert_eq!(at.to_rfc3339(), "2020-11-01T01:30:00-07:00");
    }
}
