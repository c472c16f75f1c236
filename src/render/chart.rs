//! The incident's timeline chart for the web, in HTML and CSS.
//!
//! The PDF draws the chart as SVG at a fixed size ([`crate::render::svg`]);
//! on a screen that drawing shrinks with the phone and its type stays put
//! when a reader asks for larger text. Here each timeline entry is a row
//! of real text (its time and the first words of what happened, the key
//! moments named) beside a track where a dot marks a moment and a bar a
//! range, placed in percent of the same axis the PDF uses (long quiet gaps
//! cut out). The stylesheet sizes everything in em, puts the names above
//! the tracks on narrow screens, and keeps the impact window shaded.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use crate::edition::incident as view;
use crate::edition::words::{self, human_duration};
use crate::model::{Incident, KeyMomentKind, TimelineEntry};
use crate::render::html::escape;
use crate::render::svg::{self, GUTTER, RIGHT, Segment, WIDTH};

/// The longest row name, in characters, before it is cut at a word with an ellipsis.
const NAME_CHARS: usize = 60;

/// The chart of an incident as an HTML `<figure>`, with ids that start with `id`.
pub fn timeline(incident: &Incident, id: &str) -> String {
    let mut out = String::new();
    let times = svg::instants(incident);
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\n<figcaption id=\"{id}-title\">The incident at a glance: each row is a timeline entry; a dot is a moment, a bar a stretch of time, the shaded band the impact.</figcaption>\n"
    );
    if times.is_empty() {
        let _ = write!(out, "<p id=\"{id}-desc\" class=\"chart-axis\">");
        escape(&svg::description(incident), &mut out);
        out.push_str("</p>\n</figure>");
        return out;
    }
    let segs = svg::layout(svg::segments(&times));
    let pct = |t: DateTime<FixedOffset>| percent(svg::x_of(&segs, t));
    let at = |k: KeyMomentKind| {
        incident
            .key_moments
            .iter()
            .find(|m| m.kind == k)
            .map(|m| m.at)
    };
    // What every track shares: the impact band, the cut gaps and the key moments' lines.
    let mut backdrop = String::new();
    if let (Some(a), Some(b)) = (at(KeyMomentKind::ImpactStart), at(KeyMomentKind::Resolved)) {
        let (x0, x1) = (pct(a), pct(b));
        let _ = write!(
            backdrop,
            "<span class=\"chart-impact\" style=\"left: {x0:.1}%; width: {:.1}%\"></span>",
            (x1 - x0).max(0.5)
        );
    }
    for pair in segs.windows(2) {
        let (x0, x1) = (percent(pair[0].x1), percent(pair[1].x0));
        let _ = write!(
            backdrop,
            "<span class=\"chart-cut\" style=\"left: {x0:.1}%; width: {:.1}%\"></span>",
            x1 - x0
        );
    }
    for k in &incident.key_moments {
        let _ = write!(
            backdrop,
            "<span class=\"chart-key\" style=\"left: {:.1}%\"></span>",
            pct(k.at)
        );
    }
    out.push_str("<ol class=\"chart-rows\">\n");
    for entry in &incident.timeline {
        row(incident, entry, &backdrop, &pct, &mut out);
    }
    out.push_str("</ol>\n");
    let _ = write!(out, "<p class=\"chart-axis\" id=\"{id}-desc\">");
    escape(&axis(incident, &segs), &mut out);
    out.push_str("</p>\n</figure>");
    out
}

/// One entry's row: its name (time, key moments, first words) and its track.
fn row(
    incident: &Incident,
    entry: &TimelineEntry,
    backdrop: &str,
    pct: &dyn Fn(DateTime<FixedOffset>) -> f64,
    out: &mut String,
) {
    let times = view::entry_times(incident, entry);
    let key = view::key_moments_at(incident, entry);
    out.push_str(if key.is_empty() {
        "<li class=\"chart-row\">"
    } else {
        "<li class=\"chart-row chart-row-key\">"
    });
    let _ = write!(
        out,
        "<span class=\"chart-name\"><time datetime=\"{}\">",
        entry.start.to_rfc3339()
    );
    if let Some(day) = &times.day {
        escape(day, out);
        out.push(' ');
    }
    escape(&times.start, out);
    if let Some(end) = &times.end {
        out.push('–');
        escape(end, out);
    }
    out.push_str("</time> ");
    if !key.is_empty() {
        out.push_str("<strong>");
        escape(&key.join(", "), out);
        out.push_str(":</strong> ");
    }
    escape(&name(&entry.text), out);
    out.push_str("</span><span class=\"chart-track\" aria-hidden=\"true\">");
    out.push_str(backdrop);
    let x0 = pct(entry.start);
    match entry.end {
        Some(end) => {
            let _ = write!(
                out,
                "<span class=\"chart-bar\" style=\"left: {x0:.1}%; width: {:.1}%\"></span>",
                (pct(end) - x0).max(1.0)
            );
        }
        None => {
            let _ = write!(
                out,
                "<span class=\"chart-dot\" style=\"left: {x0:.1}%\"></span>"
            );
        }
    }
    out.push_str("</span></li>\n");
}

/// An x of the SVG drawing as a percentage of its plot's width.
fn percent(x: f64) -> f64 {
    ((x - GUTTER) / (WIDTH - GUTTER - RIGHT) * 100.0).clamp(0.0, 100.0)
}

/// A row's name: the first words of what happened, cut at a clause or a word, with an ellipsis.
pub fn name(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= NAME_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(NAME_CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    // End at a clause when one ends in the second half, rather than mid-clause.
    if let Some(clause) = cut.rfind([',', ';', ':']).filter(|i| *i >= NAME_CHARS / 2) {
        cut.truncate(clause);
    }
    let cut = cut.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ')');
    format!("{cut}…")
}

/// The axis in words: the stretches it shows, the gaps it cuts, the impact window.
fn axis(incident: &Incident, segs: &[Segment]) -> String {
    let hm = words::clock;
    let mut parts = Vec::new();
    for (i, s) in segs.iter().enumerate() {
        if i > 0 {
            parts.push(format!("{} cut", human_duration(s.start - segs[i - 1].end)));
        }
        parts.push(if s.start == s.end {
            hm(s.start)
        } else {
            format!("{} to {}", hm(s.start), hm(s.end))
        });
    }
    let mut text = format!(
        "Times in {}; the axis runs {}.",
        incident.timezone_abbreviation,
        parts.join(", then ")
    );
    if let Some(d) = incident.metrics.impact_duration() {
        let _ = write!(text, " Impact lasted {}.", human_duration(d));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_entry_is_named_by_its_first_words() {
        assert_eq!(name("Alarms go off."), "Alarms go off.");
        let long = "The API cluster adds nodes to keep up with growing load, a routine event that happens many times a day.";
        let short = name(long);
        assert_eq!(
            short,
            "The API cluster adds nodes to keep up with growing load…"
        );
        assert!(short.chars().count() <= NAME_CHARS + 1);
    }
}
