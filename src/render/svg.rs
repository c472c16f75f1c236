//! The visual timeline of an incident, drawn once as SVG for the PDF and the site.
//!
//! One row per timeline entry on a shared time axis: a dot for a moment, a
//! bar for a range, the impact window shaded, and the key moments as dashed
//! lines with labels. Long quiet gaps (a fix deployed hours later) are cut
//! out of the axis and marked, so the busy hour stays readable.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset, TimeDelta, Timelike};

use crate::edition::words::{self, human_duration};
use crate::model::{Incident, KeyMomentKind, TimelineEntry};

/// Width of the drawing in SVG units (points, in the PDF: the zine's text width).
pub const WIDTH: f64 = 324.0;
pub(crate) const GUTTER: f64 = 40.0;
pub(crate) const RIGHT: f64 = 10.0;
const ROW: f64 = 12.0;
/// Space above the first row: the key moments' label rows.
const LABEL_ROW: f64 = 11.0;
/// The smallest type in the drawing: the zine prints nothing under 7 pt.
const SMALL: f64 = 7.5;
const AXIS: f64 = 28.0;
const BREAK_GAP: f64 = 18.0;
const SANS: &str = "League Spartan, sans-serif";
const MONO: &str = "JetBrains Mono, monospace";

/// A stretch of the axis without a long gap.
pub struct Segment {
    pub(crate) start: DateTime<FixedOffset>,
    pub(crate) end: DateTime<FixedOffset>,
    pub(crate) x0: f64,
    pub(crate) x1: f64,
}

/// Splits sorted instants where a gap is long compared with the whole story.
pub(crate) fn segments(
    times: &[DateTime<FixedOffset>],
) -> Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let total = (*times.last().unwrap() - times[0]).num_minutes().max(1);
    let threshold = (total * 2 / 5).max(90);
    let mut out = vec![(times[0], times[0])];
    for pair in times.windows(2) {
        if (pair[1] - pair[0]).num_minutes() > threshold {
            out.push((pair[1], pair[1]));
        } else {
            out.last_mut().unwrap().1 = pair[1];
        }
    }
    out
}

/// Lays the segments out across the plot width, in proportion to their length.
pub(crate) fn layout(parts: Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)>) -> Vec<Segment> {
    let min_len = 12.0;
    let lens: Vec<f64> = parts
        .iter()
        .map(|(a, b)| ((*b - *a).num_seconds() as f64 / 60.0).max(min_len))
        .collect();
    let total: f64 = lens.iter().sum();
    let usable = WIDTH - GUTTER - RIGHT - BREAK_GAP * (parts.len() - 1) as f64;
    let mut x = GUTTER;
    parts
        .into_iter()
        .zip(lens)
        .map(|((start, end), len)| {
            let w = usable * len / total;
            let seg = Segment {
                start,
                end,
                x0: x,
                x1: x + w,
            };
            x += w + BREAK_GAP;
            seg
        })
        .collect()
}

/// The x of an instant; times inside a cut gap sit at the edge of the nearest segment.
pub(crate) fn x_of(segs: &[Segment], t: DateTime<FixedOffset>) -> f64 {
    for s in segs {
        if t <= s.end || std::ptr::eq(s, segs.last().unwrap()) {
            let span = (s.end - s.start).num_seconds().max(1) as f64;
            let pad = 4.0;
            let frac = ((t - s.start).num_seconds() as f64 / span).clamp(0.0, 1.0);
            if s.end == s.start {
                return (s.x0 + s.x1) / 2.0;
            }
            return s.x0 + pad + frac * (s.x1 - s.x0 - 2.0 * pad);
        }
    }
    GUTTER
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The one-sentence text alternative of the drawing.
pub fn description(incident: &Incident) -> String {
    let entries = &incident.timeline;
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return format!("{} incident: no timeline entries.", incident.organization);
    };
    let last_t = last.end.unwrap_or(last.start);
    let mut s = format!(
        "Timeline of the {} incident on {}, in {}: {} entries from {} to {}.",
        incident.organization,
        words::long_date(first.start.date_naive()),
        incident.timezone_abbreviation,
        entries.len(),
        words::clock(first.start),
        words::clock(last_t)
    );
    for k in &incident.key_moments {
        let _ = write!(s, " {} at {}.", k.kind.label(), words::clock(k.at));
    }
    if let Some(d) = incident.metrics.impact_duration() {
        let _ = write!(s, " Impact lasted {}.", human_duration(d));
    }
    s
}

/// Draws the timeline as a standalone SVG document.
pub fn timeline(incident: &Incident) -> String {
    timeline_with_id(incident, "tl")
}

/// Draws the timeline with element ids that start with `id` (unique on a web page).
pub fn timeline_with_id(incident: &Incident, id: &str) -> String {
    let entries = &incident.timeline;
    let mut svg = String::new();
    let head = format!(
        r#"<title id="{id}-title">Timeline: {}</title><desc id="{id}-desc">{}</desc>"#,
        xml(&incident.organization),
        xml(&description(incident))
    );
    let times = instants(incident);
    if times.is_empty() {
        let height = 12.0 + LABEL_ROW + AXIS;
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" class="pir-timeline">{head}</svg>"#
        );
        svg.push('\n');
        return svg;
    }
    let segs = layout(segments(&times));
    let labels = key_labels(incident, &segs);
    let rows = labels.iter().map(|l| l.row + 1).max().unwrap_or(1);
    let top = 12.0 + LABEL_ROW * rows as f64;
    let height = top + ROW * entries.len().max(1) as f64 + AXIS;
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" class="pir-timeline">"#
    );
    svg.push_str(&head);
    let plot = Plot {
        segs,
        top,
        plot_top: top - 4.0,
        plot_bottom: top + ROW * entries.len() as f64,
    };
    plot.impact(&mut svg, incident);
    plot.key_lines(&mut svg, &labels);
    plot.rows(&mut svg, entries);
    plot.axis(&mut svg);
    svg.push_str("</svg>\n");
    svg
}

/// The plot of a timeline drawing: its segments of time and where its rows start and end.
struct Plot {
    segs: Vec<Segment>,
    /// The top of the first entry's row.
    top: f64,
    plot_top: f64,
    plot_bottom: f64,
}

impl Plot {
    /// The impact window, shaded per segment it overlaps.
    fn impact(&self, svg: &mut String, incident: &Incident) {
        let at = |k: KeyMomentKind| {
            incident
                .key_moments
                .iter()
                .find(|m| m.kind == k)
                .map(|m| m.at)
        };
        let (Some(a), Some(b)) = (at(KeyMomentKind::ImpactStart), at(KeyMomentKind::Resolved))
        else {
            return;
        };
        for s in &self.segs {
            if b < s.start || a > s.end {
                continue;
            }
            let (x0, x1) = (
                x_of(&self.segs, a.max(s.start)),
                x_of(&self.segs, b.min(s.end)),
            );
            let _ = write!(
                svg,
                r##"<rect class="impact" x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#e4e4e4"/>"##,
                self.plot_top,
                (x1 - x0).max(1.0),
                self.plot_bottom - self.plot_top
            );
        }
    }

    /// Key moments: dashed lines with labels on rows placed so that no label touches another or a line.
    fn key_lines(&self, svg: &mut String, labels: &[KeyLabel]) {
        for l in labels {
            let y = label_baseline(l.row);
            let (anchor, tx) = if l.end_anchored {
                ("end", l.x1)
            } else {
                ("start", l.x0)
            };
            let _ = write!(
                svg,
                r##"<line class="key" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#000" stroke-width="0.6" stroke-dasharray="2 1.5"/>"##,
                l.line,
                y + 2.0,
                l.line,
                self.plot_bottom
            );
            let _ = write!(
                svg,
                r##"<text class="key-label" x="{tx:.1}" y="{y:.1}" font-family="{SANS}" font-size="{SMALL}" text-anchor="{anchor}" fill="#000">{} <tspan font-family="{MONO}" font-size="{SMALL}">{}</tspan></text>"##,
                l.name, l.time
            );
        }
    }

    /// One row per entry: its time, and a dot for a moment or a bar for a range.
    fn rows(&self, svg: &mut String, entries: &[TimelineEntry]) {
        for (i, e) in entries.iter().enumerate() {
            let y = self.top + ROW * i as f64 + ROW / 2.0;
            let _ = write!(
                svg,
                r##"<line x1="{GUTTER}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#bbb" stroke-width="0.3"/>"##,
                WIDTH - RIGHT
            );
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-family="{MONO}" font-size="{SMALL}" text-anchor="end" fill="#000">{}</text>"##,
                GUTTER - 4.0,
                y + 2.2,
                words::clock(e.start)
            );
            let x0 = x_of(&self.segs, e.start);
            match e.end {
                Some(end) => {
                    let x1 = x_of(&self.segs, end);
                    let _ = write!(
                        svg,
                        r##"<rect class="range" x="{x0:.1}" y="{:.1}" width="{:.1}" height="5" rx="2.5" fill="#000"/>"##,
                        y - 2.5,
                        (x1 - x0).max(5.0)
                    );
                }
                None => {
                    let _ = write!(
                        svg,
                        r##"<circle class="moment" cx="{x0:.1}" cy="{y:.1}" r="2.6" fill="#000"/>"##
                    );
                }
            }
        }
    }

    /// The axis: a line per segment, ticks on round times, and a mark for each cut gap.
    fn axis(&self, svg: &mut String) {
        let axis_y = self.plot_bottom + 6.0;
        for (i, s) in self.segs.iter().enumerate() {
            let _ = write!(
                svg,
                r##"<line x1="{:.1}" y1="{axis_y:.1}" x2="{:.1}" y2="{axis_y:.1}" stroke="#000" stroke-width="0.8"/>"##,
                s.x0, s.x1
            );
            for t in ticks(s) {
                let x = x_of(&self.segs, t);
                let _ = write!(
                    svg,
                    r##"<line x1="{x:.1}" y1="{axis_y:.1}" x2="{x:.1}" y2="{:.1}" stroke="#000" stroke-width="0.6"/>"##,
                    axis_y + 3.0
                );
                let _ = write!(
                    svg,
                    r##"<text x="{x:.1}" y="{:.1}" font-family="{MONO}" font-size="{SMALL}" text-anchor="middle" fill="#000">{}</text>"##,
                    axis_y + 10.5,
                    words::clock(t)
                );
            }
            if let Some(next) = self.segs.get(i + 1) {
                let mid = (s.x1 + next.x0) / 2.0;
                let _ = write!(
                    svg,
                    r##"<path d="M{:.1} {:.1} l4 -6 M{:.1} {:.1} l4 -6" stroke="#000" stroke-width="0.8" fill="none"/>"##,
                    mid - 4.0,
                    axis_y + 3.0,
                    mid,
                    axis_y + 3.0
                );
                let _ = write!(
                    svg,
                    r##"<text x="{mid:.1}" y="{:.1}" font-family="{SANS}" font-size="{SMALL}" text-anchor="middle" fill="#000">+{}</text>"##,
                    axis_y + 19.5,
                    human_duration(next.start - s.end)
                );
            }
        }
    }
}

/// A key moment's label, placed: its text, its box and the x of its dashed line.
#[derive(Debug, Clone)]
pub struct KeyLabel {
    pub name: &'static str,
    pub time: String,
    /// The x of the dashed line, which runs from under the label down to the plot.
    pub line: f64,
    /// The label row, 0 at the top.
    pub row: usize,
    pub x0: f64,
    pub x1: f64,
    /// The text ends at the line (else it starts there).
    pub end_anchored: bool,
}

/// Every instant an incident's chart marks (entries' starts and range ends,
/// key moments), in order, each once.
pub fn instants(incident: &Incident) -> Vec<DateTime<FixedOffset>> {
    let mut times: Vec<DateTime<FixedOffset>> = incident
        .timeline
        .iter()
        .flat_map(|e| std::iter::once(e.start).chain(e.end))
        .chain(incident.key_moments.iter().map(|k| k.at))
        .collect();
    times.sort();
    times.dedup();
    times
}

/// The key moments' labels as [`timeline`] places them.
pub fn placed_labels(incident: &Incident) -> Vec<KeyLabel> {
    let times = instants(incident);
    if times.is_empty() {
        return Vec::new();
    }
    key_labels(incident, &layout(segments(&times)))
}

/// The baseline of a label row.
fn label_baseline(row: usize) -> f64 {
    10.0 + LABEL_ROW * row as f64
}

/// Places the key moments' labels, in order, each on the highest row where
/// it fits inside the drawing without touching a label already placed or a
/// dashed line that runs through that row, and where its own line, running
/// down from it, crosses no label below.
pub fn key_labels(incident: &Incident, segs: &[Segment]) -> Vec<KeyLabel> {
    // Left to right suits labels that start at their line; when moments crowd
    // the right end, right to left (labels ending at their line) fits them.
    let forward: Vec<usize> = (0..incident.key_moments.len()).collect();
    let backward: Vec<usize> = forward.iter().rev().copied().collect();
    let (first, clean) = place_labels(incident, segs, &forward);
    if clean {
        return first;
    }
    match place_labels(incident, segs, &backward) {
        (second, true) => second,
        _ => first,
    }
}

/// Places the labels in the given order; returns them in key-moment order,
/// and whether every one found a free place.
fn place_labels(incident: &Incident, segs: &[Segment], order: &[usize]) -> (Vec<KeyLabel>, bool) {
    let fonts = crate::render::typst::world::Fonts::embedded();
    let gap = 2.0;
    let mut placed: Vec<(usize, KeyLabel)> = Vec::new();
    let mut clean = true;
    for &i in order {
        let k = &incident.key_moments[i];
        let x = x_of(segs, k.at);
        let name = k.kind.label();
        let time = words::clock(k.at);
        let width = fonts.text_width("League Spartan", SMALL, &format!("{name} "))
            + fonts.text_width("JetBrains Mono", SMALL, &time);
        let fits = |l: &KeyLabel| {
            l.x0 >= 0.0
                && l.x1 <= WIDTH
                && placed.iter().all(|(_, p)| {
                    let apart = p.row != l.row || l.x1 + gap <= p.x0 || p.x1 + gap <= l.x0;
                    // A line runs through every row below its label's.
                    let clear_of_theirs =
                        p.row >= l.row || p.line < l.x0 - gap || p.line > l.x1 + gap;
                    let clear_of_mine =
                        p.row <= l.row || l.line < p.x0 - gap || l.line > p.x1 + gap;
                    apart && clear_of_theirs && clear_of_mine
                })
        };
        let found = (0..=incident.key_moments.len())
            .flat_map(|row| {
                // Prefer the side with more room.
                let sides = if x > WIDTH * 0.6 {
                    [true, false]
                } else {
                    [false, true]
                };
                sides.map(|end_anchored| {
                    let (x0, x1) = if end_anchored {
                        (x - 2.0 - width, x - 2.0)
                    } else {
                        (x + 2.0, x + 2.0 + width)
                    };
                    KeyLabel {
                        name,
                        time: time.clone(),
                        line: x,
                        row,
                        x0,
                        x1,
                        end_anchored,
                    }
                })
            })
            .find(|l| fits(l));
        let label = found.unwrap_or_else(|| {
            clean = false;
            KeyLabel {
                name,
                time: time.clone(),
                line: x,
                row: placed.len(),
                x0: x + 2.0,
                x1: x + 2.0 + width,
                end_anchored: false,
            }
        });
        placed.push((i, label));
    }
    placed.sort_by_key(|(i, _)| *i);
    (placed.into_iter().map(|(_, l)| l).collect(), clean)
}

/// Round times to label inside a segment: every 5, 10, 15, 30 or 60 minutes, about five of them.
fn ticks(s: &Segment) -> Vec<DateTime<FixedOffset>> {
    let minutes = (s.end - s.start).num_minutes();
    if minutes == 0 {
        return vec![s.start];
    }
    let px_per_min = (s.x1 - s.x0) / minutes as f64;
    let step = [5, 10, 15, 30, 60, 120, 240]
        .into_iter()
        .find(|st| *st as f64 * px_per_min >= 34.0)
        .unwrap_or(360);
    let start_min = s.start.hour() as i64 * 60 + s.start.minute() as i64;
    let first = (start_min + step - 1) / step * step - start_min;
    let base = s.start - TimeDelta::seconds(s.start.second() as i64);
    (0..)
        .map(|i| base + TimeDelta::minutes(first + i * step))
        .take_while(|t| *t <= s.end)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyMoment, Metrics, TimelineEntry};

    /// An instant on 2020-03-16 in PDT.
    fn at(hm: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2020-03-16T{hm}:00-07:00")).unwrap()
    }

    /// An incident with entries at `times` (`start` or `start-end`) and impact from the first to the last.
    fn incident(times: &[&str]) -> Incident {
        let timeline: Vec<TimelineEntry> = times
            .iter()
            .map(|t| {
                let (start, end) = match t.split_once('-') {
                    Some((a, b)) => (at(a), Some(at(b))),
                    None => (at(t), None),
                };
                TimelineEntry {
                    text: format!("entry {t} & <more>"),
                    ..TimelineEntry::new(start, end, 0..0)
                }
            })
            .collect();
        let first = timeline.first().unwrap().start;
        let last = timeline.last().map(|e| e.end.unwrap_or(e.start)).unwrap();
        Incident {
            organization: "Example & Co".into(),
            published: first.date_naive(),
            date: first.date_naive(),
            timezone: "America/Los_Angeles".into(),
            timezone_abbreviation: "PDT".into(),
            impact: "x".into(),
            severity: None,
            sources: Vec::new(),
            key_moments: vec![
                KeyMoment {
                    kind: KeyMomentKind::ImpactStart,
                    at: first,
                    span: 0..0,
                },
                KeyMoment {
                    kind: KeyMomentKind::Resolved,
                    at: last,
                    span: 0..0,
                },
            ],
            timeline,
            metrics: Metrics {
                time_to_resolve: Some(last - first),
                ..Metrics::default()
            },
            cast: Vec::new(),
        }
    }

    /// The SVG parsed as XML: a broken drawing fails here, not in a reader's browser.
    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
    }

    #[test]
    fn the_drawing_is_well_formed_with_a_title_a_description_and_one_row_per_entry() {
        let i = incident(&["14:18", "14:19", "14:23-14:43", "15:32"]);
        let svg = timeline_with_id(&i, "timeline-x");
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some("timeline-x-title timeline-x-desc"),
            "{svg}"
        );
        assert!(
            doc.descendants()
                .any(|n| n.attribute("id") == Some("timeline-x-title"))
        );
        let bars = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "rect" && n.attribute("class") == Some("range"))
            .count();
        let dots = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "circle")
            .count();
        assert_eq!(
            (bars, dots),
            (1, 3),
            "a bar for the range, a dot for each moment"
        );
    }

    #[test]
    fn text_from_the_writer_is_escaped() {
        let svg = timeline(&incident(&["14:18", "15:32"]));
        parse(&svg);
        assert!(svg.contains("Example &amp; Co"), "{svg}");
    }

    #[test]
    fn a_long_quiet_gap_is_cut_out_of_the_axis() {
        let busy = segments(&[at("14:00"), at("14:10"), at("14:20")]);
        assert_eq!(busy.len(), 1);
        let gap = segments(&[at("14:00"), at("14:10"), at("14:20"), at("23:00")]);
        assert_eq!(gap.len(), 2, "nine quiet hours are cut");
        let segs = layout(gap);
        assert!(
            segs[0].x1 + BREAK_GAP <= segs[1].x0 + 0.001,
            "the segments leave room for the break mark"
        );
        assert!(
            x_of(&segs, at("14:10")) < x_of(&segs, at("23:00")),
            "time still runs left to right"
        );
        assert!(
            segs.last().unwrap().x1 <= WIDTH - RIGHT + 0.001,
            "the plot stays inside the drawing"
        );
    }

    #[test]
    fn the_description_names_the_span_and_the_impact() {
        let d = description(&incident(&["14:18", "15:32"]));
        assert!(d.contains("2 entries from 14:18 to 15:32"), "{d}");
        assert!(d.contains("Impact lasted 1 h 14 min"), "{d}");
    }
}
