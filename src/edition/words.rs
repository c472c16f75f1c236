//! Every wording of a fact that more than one output shows: counts, dates,
//! months, times of day, durations, papers and flip edges.
//!
//! The PDF's data, the site, the email and pir's own messages take their
//! words from here, so that no two outputs can say the same fact two ways
//! (ARCHITECTURE.md, invariant 3).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};

use crate::model::{Duplex, Paper, Variant};

/// "1 sheet", "3 sheets": a count and its word.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The month a thing came out: "March 2020".
pub fn month(date: NaiveDate) -> String {
    date.format("%B %Y").to_string()
}

/// A day in full: "March 20, 2020".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%B %-d, %Y").to_string()
}

/// A time of day on the 24-hour clock: "14:18".
pub fn clock(at: DateTime<FixedOffset>) -> String {
    at.format("%H:%M").to_string()
}

/// A day in short, for a time that is not on the incident's date: "Mar 21".
pub fn short_day(at: DateTime<FixedOffset>) -> String {
    at.format("%b %-d").to_string()
}

/// How an issue is named in headings and links: "Issue 3: The long night", or
/// just "Issue 3" when its title says no more than its number.
pub fn issue_heading(number: u32, title: &str) -> String {
    let plain = format!("Issue {number}");
    if title.trim().is_empty() || title.trim().eq_ignore_ascii_case(&plain) {
        plain
    } else {
        format!("{plain}: {title}")
    }
}

/// Formats a duration for readers: "2 min", "1 h 13 min", "3 d 4 h".
pub fn human_duration(d: TimeDelta) -> String {
    let minutes = d.num_minutes();
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// A paper's name as readers see it ("Letter", "A4").
pub fn paper(paper: Paper) -> &'static str {
    match paper {
        Paper::Letter => "Letter",
        Paper::A4 => "A4",
    }
}

/// A flip edge as readers see it ("short edge").
pub fn edge(duplex: Duplex) -> &'static str {
    match duplex {
        Duplex::ShortEdge => "short edge",
        Duplex::LongEdge => "long edge",
    }
}

/// How a print file is printed: "flip on the short edge", or "one side only".
pub fn sides(duplex: Option<Duplex>) -> String {
    match duplex {
        Some(d) => format!("flip on the {}", edge(d)),
        None => "one side only".into(),
    }
}

/// The paper and flip edge of a print file as readers see them: "Letter, flip on the short edge".
pub fn variant(v: Variant) -> String {
    match v.duplex {
        Some(d) => format!("{}, flip on the {}", paper(v.paper), edge(d)),
        None => format!("{}, one side", paper(v.paper)),
    }
}

/// The line printed in the margin of each sheet side, naming the print file and the side.
pub fn sheet_line(v: Variant, side: usize, sides: usize) -> String {
    match v.duplex {
        Some(_) => format!(
            "{} · sheet {} of {}, {} · print at 100%",
            variant(v),
            side / 2 + 1,
            sides.div_ceil(2),
            if side.is_multiple_of(2) {
                "front"
            } else {
                "back"
            }
        ),
        None => format!("{} · print at 100%", variant(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_picks_sensible_units() {
        assert_eq!(human_duration(TimeDelta::minutes(2)), "2 min");
        assert_eq!(human_duration(TimeDelta::minutes(60)), "1 h");
        assert_eq!(human_duration(TimeDelta::minutes(73)), "1 h 13 min");
        assert_eq!(human_duration(TimeDelta::minutes(1440 + 245)), "1 d 4 h");
        assert_eq!(human_duration(TimeDelta::minutes(2880)), "2 d");
    }
}
