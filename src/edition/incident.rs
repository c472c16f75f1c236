//! What readers see of an incident, worded once for every output.
//!
//! The "at a glance" rows, the cast rows and the times of each timeline
//! entry (a day when it is not the incident's, ranges over midnight,
//! durations) are worded here, format-neutrally; the Typst data and the
//! HTML templates both take them from here, so the PDF and the site can
//! never disagree about a fact.

use serde::Serialize;

use super::words::{self, human_duration};
use crate::model::{Incident, KeyMomentKind, TimelineEntry};

/// The rows of the "at a glance" box: label and value, in words readers see.
pub fn glance(i: &Incident) -> Vec<(String, String)> {
    let mut glance = vec![
        ("Organization".to_string(), i.organization.clone()),
        ("Date".to_string(), words::long_date(i.date)),
        (
            "Time zone".to_string(),
            format!(
                "{} ({})",
                i.timezone.replace('_', " "),
                i.timezone_abbreviation
            ),
        ),
        ("Impact".to_string(), i.impact.clone()),
    ];
    if let Some(sev) = &i.severity {
        glance.push(("Severity".into(), sev.clone()));
    }
    let m = &i.metrics;
    let at = |k: KeyMomentKind| {
        i.key_moments
            .iter()
            .find(|km| km.kind == k)
            .map(|km| words::clock(km.at))
    };
    if let (Some(d), Some(start), Some(end)) = (
        m.impact_duration(),
        at(KeyMomentKind::ImpactStart),
        at(KeyMomentKind::Resolved),
    ) {
        glance.push((
            "Duration".into(),
            format!("{} ({start} to {end})", human_duration(d)),
        ));
    }
    for (label, value) in [
        ("Time to detect", m.time_to_detect),
        ("Time to mitigate", m.time_to_mitigate),
        ("Time to resolve", m.time_to_resolve),
    ] {
        if let Some(v) = value {
            glance.push((label.into(), human_duration(v)));
        }
    }
    glance
}

/// A cast member, as the "Cast" box shows them.
#[derive(Serialize)]
pub struct CastData {
    pub name: String,
    pub role: Option<String>,
    /// Label and text rows: goals, worries, and what they saw, heard and felt at each moment.
    pub rows: Vec<(String, String)>,
}

/// The rows of each cast member's entry in the "Cast" box.
pub fn cast_data(incident: &Incident) -> Vec<CastData> {
    incident
        .cast
        .iter()
        .map(|c| {
            let mut rows = Vec::new();
            if let Some(g) = &c.goals {
                rows.push(("Goals".to_string(), g.clone()));
            }
            if let Some(w) = &c.worries {
                rows.push(("Worries".to_string(), w.clone()));
            }
            for m in &c.moments {
                for (sense, text) in [("saw", &m.saw), ("heard", &m.heard), ("felt", &m.felt)] {
                    if let Some(t) = text {
                        rows.push((format!("{}: {sense}", m.moment.label()), t.clone()));
                    }
                }
            }
            CastData {
                name: c.name.clone(),
                role: c.role.clone(),
                rows,
            }
        })
        .collect()
}

/// One timeline entry's times, as printed and shown.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct EntryTimes {
    /// "Mar 21" when the entry is not on the incident's date.
    pub day: Option<String>,
    pub start: String,
    /// The end of a range; with its day ("Jan 10 00:30") when it ends on another day.
    pub end: Option<String>,
    /// The stamp as written ("05:58 UTC"), when its zone differs from the write-up's.
    pub written: Option<String>,
}

/// The times of one entry, in the incident's zone.
pub fn entry_times(incident: &Incident, e: &TimelineEntry) -> EntryTimes {
    EntryTimes {
        day: (e.start.date_naive() != incident.date).then(|| words::short_day(e.start)),
        start: words::clock(e.start),
        end: e.end.map(|t| {
            if t.date_naive() != e.start.date_naive() {
                format!("{} {}", words::short_day(t), words::clock(t))
            } else {
                words::clock(t)
            }
        }),
        written: e.written.clone(),
    }
}

/// The key moments that fall on an entry (its start, or the end of its range), as labels.
pub fn key_moments_at(incident: &Incident, e: &TimelineEntry) -> Vec<&'static str> {
    incident
        .key_moments
        .iter()
        .filter(|k| k.at == e.start || Some(k.at) == e.end)
        .map(|k| k.kind.label())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_range_over_midnight_names_the_day_it_ends() {
        let start = chrono::DateTime::parse_from_rfc3339("2020-01-09T23:55:00-08:00").unwrap();
        let end = chrono::DateTime::parse_from_rfc3339("2020-01-10T00:30:00-08:00").unwrap();
        let entry = TimelineEntry::new(start, Some(end), 0..0);
        let incident = Incident {
            organization: "X".into(),
            published: start.date_naive(),
            date: start.date_naive(),
            timezone: "America/Los_Angeles".into(),
            timezone_abbreviation: "PST".into(),
            impact: "x".into(),
            severity: None,
            sources: Vec::new(),
            key_moments: Vec::new(),
            timeline: Vec::new(),
            metrics: Default::default(),
            cast: Vec::new(),
        };
        let times = entry_times(&incident, &entry);
        assert_eq!(
            times,
            EntryTimes {
                day: None,
                start: "23:55".into(),
                end: Some("Jan 10 00:30".into()),
                written: None
            }
        );
    }
}
