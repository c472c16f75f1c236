//! The model that renderers consume, read from Issue 2: the facts must come through exactly.

mod common;

use pir::edition::words::human_duration;
use pir::model::{KeyMomentKind, PieceKind, Status};

#[test]
fn issue_2_loads_into_the_model() {
    let report = pir::check::check(&common::repo());
    assert!(
        report
            .diags
            .iter()
            .all(|d| d.severity() == pir::diagnostic::Severity::Hint),
        "only hints"
    );
    let site = &report.project.site;
    assert_eq!(
        (site.title.as_str(), site.base_url.as_str()),
        ("Post-Incident Review", "https://zine.incidentlabs.io")
    );
    let issue = &report.project.issues[0];
    assert_eq!(
        (issue.slug.as_str(), issue.number.value, issue.status),
        ("march-2020", 2, Status::Published)
    );
    assert_eq!(issue.editors, ["Emil Stolarsky", "Jaime Woo"]);
    let next = issue.next_issue.as_ref().unwrap();
    assert_eq!(
        (next.number.value, next.date.value.to_string()),
        (3, "2020-04-27".to_string())
    );
    let kinds: Vec<PieceKind> = issue.pieces.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PieceKind::EditorsNote,
            PieceKind::Incident,
            PieceKind::Feature,
            PieceKind::Etcetera,
            PieceKind::Illustration,
            PieceKind::BackCover
        ]
    );
}

#[test]
fn the_discord_timeline_has_every_fact() {
    let report = pir::check::check(&common::repo());
    let discord = report.project.issues[0]
        .pieces
        .iter()
        .find(|p| p.slug == "discord")
        .unwrap();
    let incident = discord.incident.as_ref().unwrap();
    assert_eq!(
        (
            incident.organization.as_str(),
            incident.timezone.as_str(),
            incident.timezone_abbreviation.as_str()
        ),
        ("Discord", "America/Los_Angeles", "PDT")
    );
    let stamps: Vec<String> = incident
        .timeline
        .iter()
        .map(|e| match e.end {
            Some(end) => format!("{} to {}", e.start.format("%H:%M"), end.format("%H:%M")),
            None => e.start.format("%H:%M").to_string(),
        })
        .collect();
    assert_eq!(
        stamps,
        [
            "14:18",
            "14:19",
            "14:21",
            "14:23 to 14:43",
            "14:24",
            "14:31",
            "14:55",
            "15:07 to 15:26",
            "15:32",
            "23:00"
        ]
    );
    assert!(
        incident
            .timeline
            .iter()
            .all(|e| e.start.to_rfc3339().ends_with("-07:00"))
    );
    assert!(incident.timeline[0].text.contains("api-prd-main-m1ds"));
    // Mentions of the cast are nodes of the entry, spelled out in its plain text.
    assert_eq!(incident.timeline[1].mentions, ["elixir"]);
    assert!(
        incident.timeline[1]
            .text
            .starts_with("Most of Discord’s Elixir services"),
        "{}",
        incident.timeline[1].text
    );
    assert!(
        matches!(&incident.timeline[1].content[1], pir::model::doc::Inline::Mention { id, .. } if id == "elixir")
    );
    assert_eq!(incident.cast.len(), 2);
    let kinds: Vec<KeyMomentKind> = incident.key_moments.iter().map(|k| k.kind).collect();
    assert_eq!(kinds, KeyMomentKind::ALL);
    let m = &incident.metrics;
    assert_eq!(
        m.time_to_detect.map(human_duration).as_deref(),
        Some("2 min")
    );
    assert_eq!(
        m.time_to_mitigate.map(human_duration).as_deref(),
        Some("1 h 7 min")
    );
    assert_eq!(
        m.impact_duration().map(human_duration).as_deref(),
        Some("1 h 13 min")
    );
}

#[test]
fn the_model_serializes_with_iso_dates() {
    let report = pir::check::check(&common::repo());
    let json = serde_json::to_value(&report.project).unwrap();
    let incident = &json["issues"][0]["pieces"][1]["incident"];
    assert_eq!(
        incident["timeline"][0]["start"],
        "2020-03-16T14:18:00-07:00"
    );
    assert_eq!(incident["metrics"]["time_to_resolve"], 73);
}

#[test]
fn smart_quotes_curl_words_and_leave_markup_and_addresses_alone() {
    use pir::model::smart_quotes;
    assert_eq!(smart_quotes("Editors' note"), "Editors’ note");
    assert_eq!(
        smart_quotes("Discord's \"API\" ('the gateway')"),
        "Discord’s “API” (‘the gateway’)"
    );
    assert_eq!(
        smart_quotes("<a href=\"x\" title='y'>it's</a>"),
        "<a href=\"x\" title='y'>it’s</a>"
    );
    assert_eq!(
        smart_quotes("https://example.com/it's"),
        "https://example.com/it's"
    );
    let view = pir::model::smart_quote_view(
        &serde_json::json!({"title": "Editors' note", "href": "a'b.html"}),
    );
    assert_eq!(
        view,
        serde_json::json!({"title": "Editors’ note", "href": "a'b.html"})
    );
}

#[test]
fn the_kind_table_matches_the_readme_and_the_templates() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    for spec in pir::model::KINDS.iter() {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", spec.name)));
        let row = row.unwrap_or_else(|| panic!("README's table of kinds lacks `{}`", spec.name));
        assert_eq!(
            row.contains("not in pocket zines"),
            !spec.in_pocket,
            "README and the table disagree on pockets: {row}"
        );
        for template in ["zine.typ", "pocket.typ"] {
            let text =
                std::fs::read_to_string(common::repo().join("templates").join(template)).unwrap();
            let styled = text.contains(&format!("p.kind == \"{}\"", spec.name));
            assert_eq!(
                styled,
                spec.styled_in.contains(&template),
                "{template} and the table disagree on `{}`",
                spec.name
            );
        }
    }
}

#[test]
fn a_piece_s_plain_text_holds_its_timeline_and_its_footnotes() {
    let dir = common::project("valid");
    let path = dir.path().join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "## Timeline",
            "A claim.[^n]\n\n[^n]: Footnoteword here.\n\n## Timeline",
            1,
        ),
    )
    .unwrap();
    let report = pir::check::check(dir.path());
    let piece = report.project.issues[0]
        .pieces
        .iter()
        .find(|p| p.incident.is_some())
        .expect("the fixture's incident");
    let words = piece.plain_text();
    for entry in &piece.incident.as_ref().unwrap().timeline {
        assert!(words.contains(&entry.text), "the timeline's words: {words}");
    }
    assert!(
        words.contains("Footnoteword"),
        "the footnotes' words: {words}"
    );
    let mut blocks_only = String::new();
    pir::model::doc::plain_blocks(&piece.doc.blocks, &mut blocks_only);
    assert!(
        !blocks_only.contains("Footnoteword"),
        "plain_blocks alone skips footnotes"
    );
}
