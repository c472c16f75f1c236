//! Importing a Statuspage incident as a draft write-up.
//!
//! Status pages record an incident as it unfolds: a title, an impact, the
//! affected components and a series of updates, each with its time and
//! offset. That is the skeleton of a timeline. The importer turns it into a
//! draft in pir's format, with times converted to the write-up's zone and
//! the key moments taken from the updates' statuses, and leaves comments
//! where only a writer can fill in the story. Errors name the JSON field.
//! [`markdown`] reads the other source writers have: a Markdown postmortem;
//! [`slack`] an incident channel of a Slack export.

pub mod markdown;
pub mod slack;

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde::Deserialize;

/// The root of a Statuspage JSON document: one incident, or a list of them.
#[derive(Debug, Deserialize)]
struct Root {
    #[serde(default)]
    page: Option<Page>,
    #[serde(default)]
    incident: Option<Incident>,
    #[serde(default)]
    incidents: Option<Vec<Incident>>,
}

/// The status page the incident belongs to.
#[derive(Debug, Deserialize)]
struct Page {
    name: String,
    #[serde(default)]
    url: Option<String>,
    /// The page's own zone, used when the writer does not choose one.
    #[serde(default)]
    time_zone: Option<String>,
}

/// An incident as the Statuspage API returns it (fields pir does not use are ignored).
#[derive(Debug, Deserialize)]
struct Incident {
    id: String,
    name: String,
    status: Status,
    impact: Impact,
    /// Not used (the updates carry the times), but required: it tells a Statuspage incident from other JSON.
    #[allow(dead_code)]
    created_at: DateTime<FixedOffset>,
    /// When the impact began, which the page may set earlier than its first update.
    #[serde(default)]
    started_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    shortlink: Option<String>,
    incident_updates: Vec<Update>,
    #[serde(default)]
    components: Vec<Component>,
    #[serde(default)]
    postmortem_body: Option<String>,
}

/// An incident's status, as Statuspage names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl Status {
    /// The word a reader sees in the timeline.
    fn label(self) -> &'static str {
        match self {
            Status::Investigating => "Investigating",
            Status::Identified => "Identified",
            Status::Monitoring => "Monitoring",
            Status::Resolved => "Resolved",
            Status::Postmortem => "Postmortem",
            Status::Scheduled => "Scheduled",
            Status::InProgress => "In progress",
            Status::Verifying => "Verifying",
            Status::Completed => "Completed",
        }
    }
}

/// An incident's impact, as Statuspage names it.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Impact {
    None,
    Minor,
    Major,
    Critical,
    Maintenance,
}

/// One update posted during the incident.
#[derive(Debug, Deserialize)]
struct Update {
    status: Status,
    body: String,
    created_at: DateTime<FixedOffset>,
    #[serde(default)]
    display_at: Option<DateTime<FixedOffset>>,
}

/// An affected component.
#[derive(Debug, Deserialize)]
struct Component {
    name: String,
}

/// What the importer needs besides the JSON.
pub struct Request<'a> {
    pub json: &'a str,
    /// Which incident of a list (`--id`).
    pub id: Option<&'a str>,
    /// The write-up's zone; default: the page's `time_zone`, else UTC.
    pub timezone: Option<Tz>,
    /// Overrides the page's name.
    pub organization: Option<&'a str>,
    /// Import an incident that is not resolved yet (`--allow-unresolved`).
    pub allow_unresolved: bool,
}

/// A draft ready to write: its file stem and text.
pub struct Draft {
    pub slug: String,
    pub text: String,
}

/// Parses the JSON and writes the draft, or says which field is wrong.
pub fn draft(req: &Request<'_>) -> Result<Draft, String> {
    let de = &mut serde_json::Deserializer::from_str(req.json);
    let root: Root = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || inner.is_syntax() || inner.is_eof() {
            format!("the JSON cannot be read: {inner}")
        } else {
            format!("`{path}`: {inner}")
        }
    })?;
    let incident = match (root.incident, root.incidents, req.id) {
        (Some(one), _, None) => one,
        (Some(one), _, Some(id)) if one.id == id => one,
        (Some(one), _, Some(id)) => {
            return Err(format!("the file holds incident {}, not {id}", one.id));
        }
        (None, Some(list), Some(id)) => list
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| format!("no incident with `id` {id} in `incidents`"))?,
        (None, Some(list), None) => {
            let ids: Vec<String> = list
                .iter()
                .map(|i| format!("{} ({})", i.id, i.name))
                .collect();
            return Err(format!(
                "the file lists {} incidents; choose one with --id: {}",
                ids.len(),
                ids.join(", ")
            ));
        }
        // A bare incident object, as the API's single-incident endpoints return it.
        (None, None, _) => {
            let de = &mut serde_json::Deserializer::from_str(req.json);
            let one: Incident = serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                format!("the JSON is neither an incident nor holds `incident` or `incidents` (`{path}`: {})", e.into_inner())
            })?;
            match req.id {
                Some(id) if one.id != id => {
                    return Err(format!("the file holds incident {}, not {id}", one.id));
                }
                _ => one,
            }
        }
    };
    let organization = match (req.organization, &root.page) {
        (Some(o), _) => o.to_string(),
        (None, Some(page)) => page.name.clone(),
        (None, None) => {
            return Err(
                "the JSON has no `page.name`; say whose incident it is with --organization".into(),
            );
        }
    };
    let source = incident.shortlink.clone().or_else(|| {
        root.page
            .as_ref()
            .and_then(|p| p.url.as_ref())
            .map(|u| format!("{}/incidents/{}", u.trim_end_matches('/'), incident.id))
    });
    let page_zone = match root.page.as_ref().and_then(|p| p.time_zone.as_deref()) {
        Some(z) if req.timezone.is_none() => Some(z.parse::<Tz>().map_err(|_| {
            format!("the page's `time_zone` `{z}` is not an IANA zone pir knows; choose the write-up's zone with --timezone")
        })?),
        _ => None,
    };
    render(
        &incident,
        &organization,
        source.as_deref(),
        req.timezone.or(page_zone).unwrap_or(Tz::UTC),
        req.allow_unresolved,
    )
}

/// Says how bad an impact was in plain words.
fn impact_words(impact: Impact) -> &'static str {
    match impact {
        Impact::None => "Affected without visible harm",
        Impact::Minor => "Partly degraded",
        Impact::Major => "Seriously disrupted",
        Impact::Critical => "Down or unusable",
        Impact::Maintenance => "Under scheduled maintenance",
    }
}

/// A duration as a reader says it: "1 hour 35 minutes".
fn duration_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (h, m) {
        (0, m) => unit(m, "minute"),
        (h, 0) => unit(h, "hour"),
        (h, m) => format!("{} {}", unit(h, "hour"), unit(m, "minute")),
    }
}

/// Which of the write-up's sections a postmortem heading belongs to, if any.
fn section_of(heading: &str) -> Option<&'static str> {
    // Status page postmortems often say what they will change in words check does not list.
    let lower = heading.to_lowercase().replace(['\u{2019}', '\''], " ");
    let changing = [
        "what we re changing",
        "what we are changing",
        "what we will change",
        "what we re doing",
        "what we will do",
        "preventing",
        "prevention",
        "next steps",
        "follow-up",
    ];
    if changing.iter().any(|c| lower.contains(c)) {
        return Some("Action items");
    }
    [
        "Summary",
        "Investigation and analysis",
        "Action items",
        "Timeline",
    ]
    .into_iter()
    .find(|name| crate::load::incident::heading_is(heading, name))
}

/// The postmortem split into the write-up's sections: (section, Markdown), in order.
/// A heading that names a section gives its text to that section; any other
/// keeps its place under Investigation and analysis, at the level below a
/// section's (`###`), its own subheadings kept below it.
pub(crate) fn postmortem_sections(body: &str) -> Vec<(&'static str, String)> {
    let top = body.lines().filter_map(heading_level).min().unwrap_or(2);
    let mut out: Vec<(&'static str, String)> = vec![("Investigation and analysis", String::new())];
    for line in body.trim().lines() {
        match heading_level(line) {
            Some(level) => {
                let text = line.trim_start_matches('#').trim();
                // Summary and Action items take the text; any other section (analysis, or a
                // timeline in prose rather than pir's entries) keeps its heading under Investigation.
                if level == top
                    && let Some(section) =
                        section_of(text).filter(|s| *s == "Summary" || *s == "Action items")
                {
                    out.push((section, String::new()));
                    continue;
                }
                let level = (level + 3 - top).min(6);
                if level == 3 && out.last().expect("never empty").0 != "Investigation and analysis"
                {
                    out.push(("Investigation and analysis", String::new()));
                }
                let _ = writeln!(
                    out.last_mut().expect("never empty").1,
                    "{} {text}",
                    "#".repeat(level)
                );
            }
            None => {
                let _ = writeln!(out.last_mut().expect("never empty").1, "{line}");
            }
        }
    }
    out.retain(|(_, text)| !text.trim().is_empty());
    out
}

/// The level of an ATX heading line (`## x` is 2), if it is one.
fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes)
}

/// Writes the draft's Markdown.
fn render(
    incident: &Incident,
    organization: &str,
    source: Option<&str>,
    tz: Tz,
    allow_unresolved: bool,
) -> Result<Draft, String> {
    let at = |u: &Update| u.display_at.unwrap_or(u.created_at).with_timezone(&tz);
    // The "postmortem published" update is news about the report, not a moment of the incident.
    let postmortem_at = incident
        .incident_updates
        .iter()
        .filter(|u| u.status == Status::Postmortem)
        .map(at)
        .max();
    let mut updates: Vec<(DateTime<Tz>, &Update)> = incident
        .incident_updates
        .iter()
        .filter(|u| u.status != Status::Postmortem)
        .map(|u| (at(u), u))
        .collect();
    if updates.is_empty() {
        return Err("`incident_updates` is empty: there is no timeline to import".into());
    }
    updates.sort_by_key(|(t, _)| *t);
    let first = updates[0].0;
    let last = updates[updates.len() - 1].0;
    let started = incident
        .started_at
        .map(|t| t.with_timezone(&tz))
        .filter(|t| *t < first);
    let impact_start = started.unwrap_or(first);
    let resolved = updates
        .iter()
        .rev()
        .find(|(_, u)| matches!(u.status, Status::Resolved | Status::Completed))
        .map(|(t, _)| *t);
    let open = resolved.is_none();
    if open && !allow_unresolved {
        return Err(format!(
            "incident {} is still \"{}\" (no resolved update yet); import it once it is resolved, \
             or pass --allow-unresolved to start the draft now",
            incident.id,
            incident.status.label().to_lowercase()
        ));
    }
    let resolved = resolved.unwrap_or(last);
    let mitigated = updates
        .iter()
        .find(|(_, u)| u.status == Status::Monitoring)
        .map(|(t, _)| *t);
    let date = impact_start.date_naive();
    // The write-up is published when the report was (the postmortem), else when the incident ended.
    let published = postmortem_at.unwrap_or(resolved).date_naive().max(date);
    // A bare time means the incident's date; after midnight, entries carry their date.
    let stamp = |t: &DateTime<Tz>| {
        if t.date_naive() == date {
            t.format("%H:%M").to_string()
        } else {
            t.format("%Y-%m-%d %H:%M").to_string()
        }
    };
    let q = crate::scaffold::toml_str;
    let components: Vec<&str> = incident
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let what = match components.as_slice() {
        [] => organization.to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let minutes = (resolved - impact_start).num_minutes();
    let impact_text = if open {
        format!(
            "{}: {what}, still open when imported.",
            impact_words(incident.impact)
        )
    } else {
        format!(
            "{} for {}: {what}.",
            impact_words(incident.impact),
            duration_words(minutes)
        )
    };
    let sections = match &incident.postmortem_body {
        Some(pm) if !pm.trim().is_empty() => postmortem_sections(pm),
        _ => Vec::new(),
    };
    let section = |name: &str| -> String {
        sections
            .iter()
            .filter(|(s, _)| *s == name)
            .map(|(_, text)| text.trim().to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    };

    let mut out = String::new();
    let _ = writeln!(out, "+++");
    let _ = writeln!(out, "kind = \"incident\"");
    let _ = writeln!(out, "title = {}", q(&incident.name));
    let _ = writeln!(out, "organization = {}", q(organization));
    let _ = writeln!(out, "published = {published}");
    let _ = writeln!(out, "date = {date}");
    let _ = writeln!(out, "timezone = {}", q(tz.name()));
    let _ = writeln!(out, "impact = {}", q(&impact_text));
    let _ = writeln!(out, "sources = [{}]", source.map(q).unwrap_or_default());
    let _ = writeln!(out, "\n[key_moments]");
    let _ = writeln!(out, "impact_start = {}", q(&stamp(&impact_start)));
    let _ = writeln!(out, "detected = {}", q(&stamp(&first)));
    if let Some(m) = mitigated {
        let _ = writeln!(out, "mitigated = {}", q(&stamp(&m)));
    }
    if open {
        let _ = writeln!(
            out,
            "# Still open when imported: this is the last update. Set it to when the incident was resolved."
        );
    }
    let _ = writeln!(out, "resolved = {}", q(&stamp(&resolved)));
    let _ = writeln!(out, "+++\n");
    let _ = writeln!(
        out,
        "<!--\nImported from Statuspage (incident {}). The timeline below is what the status page said, when it said it.",
        incident.id
    );
    let _ = writeln!(
        out,
        "Detection is set to the first update: move it to when someone really noticed."
    );
    let _ = writeln!(
        out,
        "Then tell the story: who was there, what they saw, heard and felt (run `pir prompts`).\n-->\n"
    );
    let _ = writeln!(out, "## Summary\n");
    let summary = section("Summary");
    if summary.is_empty() {
        let _ = writeln!(
            out,
            "{} had an incident on {}. {}",
            escape(organization),
            date.format("%B %-d, %Y"),
            escape(&impact_text)
        );
    } else {
        let _ = writeln!(out, "{summary}");
    }
    let _ = writeln!(out, "\n## Timeline\n");
    let _ = writeln!(
        out,
        "All times are {} ({}).\n",
        crate::load::incident::abbreviation(tz, date),
        tz.name()
    );
    if let Some(s) = started {
        let _ = writeln!(
            out,
            "- [{}] The impact begins (the start time the status page gives).",
            stamp(&s)
        );
    }
    for (t, u) in &updates {
        let body = escape(&u.body.split_whitespace().collect::<Vec<_>>().join(" "));
        let _ = writeln!(out, "- [{}] **{}**: {body}", stamp(t), u.status.label());
    }
    let _ = writeln!(out, "\n## Investigation and analysis\n");
    let analysis = section("Investigation and analysis");
    if analysis.is_empty() {
        let _ = writeln!(
            out,
            "<!-- What made this possible, and why each decision made sense at the time. -->"
        );
    } else {
        let _ = writeln!(out, "{analysis}");
    }
    let _ = writeln!(out, "\n## Action items\n");
    let actions = section("Action items");
    if actions.is_empty() {
        let _ = writeln!(
            out,
            "<!-- What will change, and why it would have helped. -->"
        );
    } else {
        let _ = writeln!(out, "{actions}");
    }
    Ok(Draft {
        slug: crate::load::slugify(&incident.name)
            .chars()
            .take(48)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string(),
        text: out,
    })
}

/// Escapes Markdown's special characters in plain text from a status page.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(json: &str) -> Request<'_> {
        Request {
            json,
            id: None,
            timezone: Some(Tz::UTC),
            organization: Some("Org"),
            allow_unresolved: false,
        }
    }

    #[test]
    fn errors_name_the_field() {
        let bad = r#"{"incident": {"id": "x", "name": "N", "status": "exploded", "impact": "major", "created_at": "2020-03-20T21:24:11Z", "incident_updates": []}}"#;
        let err = draft(&req(bad)).err().unwrap();
        assert!(
            err.starts_with("`incident.status`") && err.contains("exploded"),
            "{err}"
        );
        let missing = r#"{"incident": {"id": "x", "status": "resolved", "impact": "major", "created_at": "2020-03-20T21:24:11Z", "incident_updates": []}}"#;
        let err = draft(&req(missing)).err().unwrap();
        assert!(err.contains("`incident`") && err.contains("name"), "{err}");
        assert!(
            draft(&req("{not json"))
                .err()
                .unwrap()
                .starts_with("the JSON cannot be read")
        );
    }

    #[test]
    fn markdown_in_bodies_is_text() {
        assert_eq!(
            escape("a *b* <i>c</i> @d"),
            "a \\*b\\* \\<i\\>c\\</i\\> \\@d"
        );
    }
}
