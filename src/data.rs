//! The published incident data: a documented, versioned JSON format for
//! others to build on, described by JSON Schema files published beside it.
//!
//! `issues/<slug>/<piece>.json` holds one incident (`format` "pir-incident",
//! `version` 1); `incidents.json` lists every incident with its headline
//! metrics (`format` "pir-incidents"). Text comes as plain text and as HTML;
//! durations carry their unit in their names (`_minutes`). The schemas are
//! `schemas/incident-v1.schema.json` and `schemas/incidents-v1.schema.json`
//! in the repository and on the site, each with its `$id` where the site
//! publishes it (under `base_url`). A new field is added within a version; a
//! field is removed or changes meaning only with a new version.

use serde_json::{Value, json};

use crate::edition::incident as view;
use crate::edition::words::human_duration;
use crate::edition::{IssueId, Page, ids};
use crate::model::{Incident, Issue, KeyMomentKind, Piece, Site};
use crate::render::html::{self, HtmlCtx, PageIds};

/// The version of both formats.
pub const VERSION: u32 = 1;

/// The schemas, by their path in the repository and on the site.
const SCHEMAS: &[(&str, &str)] = &[
    (
        INCIDENT_SCHEMA,
        include_str!("../schemas/incident-v1.schema.json"),
    ),
    (
        INDEX_SCHEMA,
        include_str!("../schemas/incidents-v1.schema.json"),
    ),
];

/// Where the schema of one incident's data is published.
const INCIDENT_SCHEMA: &str = "schemas/incident-v1.schema.json";

/// Where the schema of the index of incidents is published.
const INDEX_SCHEMA: &str = "schemas/incidents-v1.schema.json";

/// The `$id` the schemas carry in the repository: the reference zine's address.
const REPOSITORY_BASE: &str = "https://zine.incidentlabs.io";

/// The schemas as a site publishes them, each `$id` the address it is published at.
pub fn schemas(site: &Site) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    SCHEMAS
        .iter()
        .map(|(path, text)| {
            let id = format!("\"$id\": \"{REPOSITORY_BASE}/{path}\"");
            let published = format!("\"$id\": \"{}\"", ids::url(&site.base_url, path));
            let text = text.replacen(&id, &published, 1);
            (std::path::PathBuf::from(path), text.into_bytes())
        })
        .collect()
}

/// The headline metrics of an incident, in minutes.
fn metrics(incident: &Incident) -> Value {
    let m = &incident.metrics;
    json!({
        "time_to_detect_minutes": m.time_to_detect.map(|d| d.num_minutes()),
        "time_to_mitigate_minutes": m.time_to_mitigate.map(|d| d.num_minutes()),
        "time_to_resolve_minutes": m.time_to_resolve.map(|d| d.num_minutes()),
        "impact_duration_minutes": m.impact_duration().map(|d| d.num_minutes()),
    })
}

/// One incident's data.
pub fn incident(site: &Site, issue: &Issue, piece: &Piece, incident: &Incident) -> Vec<u8> {
    let base = &site.base_url;
    let ids = PageIds::default().piece(piece, "");
    let id = IssueId::of(issue);
    let resolve = |i: Option<&str>, p: &str, a: Option<&str>| {
        let page = Page::piece(i.unwrap_or(&issue.slug), p).url(base);
        Some(format!(
            "{page}{}",
            a.map(|a| format!("#{a}")).unwrap_or_default()
        ))
    };
    let image_prefix = id.url(base);
    let ctx = HtmlCtx {
        image_prefix: &image_prefix,
        heading_shift: 0,
        raw_html: site.raw_html,
        ids: &ids,
        resolve: &resolve,
        figure: None,
        base: None,
        image: None,
    };
    let timeline: Vec<Value> = incident
        .timeline
        .iter()
        .map(|e| {
            let keys: Vec<&str> = incident
                .key_moments
                .iter()
                .filter(|k| k.at == e.start || Some(k.at) == e.end)
                .map(|k| k.kind.key())
                .collect();
            json!({
                "start": e.start.to_rfc3339(),
                "end": e.end.map(|t| t.to_rfc3339()),
                "text": e.text,
                "html": html::inlines(piece, &e.content, &ctx),
                "key_moments": keys,
                "mentions": e.mentions,
            })
        })
        .collect();
    let value = json!({
        "$schema": ids::url(base, INCIDENT_SCHEMA),
        "format": "pir-incident",
        "version": VERSION,
        "title": piece.title,
        "subtitle": piece.subtitle,
        "summary": piece.summary,
        "url": id.piece_page(&piece.slug).url(base),
        "issue": { "number": issue.number.value, "title": issue.title, "url": id.page().url(base) },
        "credit": piece.credit,
        "organization": incident.organization,
        "published": incident.published.to_string(),
        "date": incident.date.to_string(),
        "timezone": incident.timezone,
        "timezone_abbreviation": incident.timezone_abbreviation,
        "impact": incident.impact,
        "severity": incident.severity,
        "sources": incident.sources,
        "key_moments": incident.key_moments.iter().map(|k| json!({ "kind": k.kind.key(), "label": k.kind.label(), "at": k.at.to_rfc3339() })).collect::<Vec<_>>(),
        "metrics": metrics(incident),
        "impact_duration": incident.metrics.impact_duration().map(human_duration),
        "timeline": timeline,
        "cast": incident.cast.iter().map(|c| json!({
            "id": c.id,
            "name": c.name,
            "role": c.role,
            "goals": c.goals,
            "worries": c.worries,
            "moments": c.moments.iter().map(|m| json!({ "moment": m.moment.key(), "saw": m.saw, "heard": m.heard, "felt": m.felt })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "glance": view::glance(incident).into_iter().map(|(label, value)| json!({ "label": label, "value": value })).collect::<Vec<_>>(),
        "questions": piece.questions,
    });
    serde_json::to_vec_pretty(&value).expect("incident serializes")
}

/// The index of every published incident, with each one's headline facts and metrics.
pub fn index(site: &Site, issues: &[&Issue]) -> Vec<u8> {
    let base = &site.base_url;
    let list: Vec<Value> = issues
        .iter()
        .flat_map(|issue| issue.pieces.iter().filter_map(move |p| p.incident.as_ref().map(|i| (issue, p, i))))
        .map(|(issue, p, i)| {
            json!({
                "title": p.title,
                "summary": p.summary,
                "organization": i.organization,
                "date": i.date.to_string(),
                "published": i.published.to_string(),
                "timezone": i.timezone,
                "impact": i.impact,
                "severity": i.severity,
                "metrics": metrics(i),
                "impact_start": i.key_moments.iter().find(|k| k.kind == KeyMomentKind::ImpactStart).map(|k| k.at.to_rfc3339()),
                "issue": issue.number.value,
                "url": IssueId::of(issue).piece_page(&p.slug).url(base),
                "json": ids::url(base, IssueId::of(issue).piece_json(&p.slug)),
                "relative_json": crate::diagnostic::display_path(&IssueId::of(issue).piece_json(&p.slug)),
                "questions": p.questions,
            })
        })
        .collect();
    let value = json!({
        "$schema": ids::url(base, INDEX_SCHEMA),
        "format": "pir-incidents",
        "version": VERSION,
        "incidents": list,
    });
    serde_json::to_vec_pretty(&value).expect("index serializes")
}
