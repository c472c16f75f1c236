//! What the editor asks about a document: hover, completion, quick fixes, the outline.
//!
//! Each answers from the last check of the project (run on the text the
//! editor shows), so they see the same model `pir build` would: times
//! resolved in the write-up's zone, the cast, the key moments and metrics.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionResponse, CompletionTextEdit, DocumentSymbol, DocumentSymbolResponse, Documentation,
    Hover, HoverContents, MarkupContent, MarkupKind, SymbolKind, TextEdit, Url, WorkspaceEdit,
};

use super::text::{self, Encoding};
use crate::check::Report;
use crate::diagnostic::{Diagnostic, FileId};
use crate::edition::words::human_duration;
use crate::load::{cast, incident, piece};
use crate::model::{CastMember, Incident, KeyMomentKind, Piece, PieceKind, TimelineEntry};

/// Where a request points: the project root, its last check, and the document's file.
pub type Place<'a> = (&'a Path, &'a Report, FileId);

/// The piece loaded from `file`, in an issue or a pocket zine.
fn piece_of(report: &Report, file: FileId) -> Option<&Piece> {
    let project = &report.project;
    let issues = project.issues.iter().flat_map(|i| &i.pieces);
    issues
        .chain(project.pockets.iter().flat_map(|p| &p.pieces))
        .find(|p| p.file == file)
}

/// Markdown hover text over `span` of the file.
fn markdown(text: &str, span: Range<usize>, value: String, enc: Encoding) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(text::range(text, span, enc)),
    }
}

/// Hover: a timeline entry's absolute time, a mention's cast card, a key moment's metric.
pub fn hover(place: Place<'_>, _doc: &str, at: usize, enc: Encoding) -> Option<Hover> {
    let (_, report, file) = place;
    let text = report.sources.text(file);
    let incident = piece_of(report, file)?.incident.as_ref()?;
    let tz: Tz = incident.timezone.parse().ok()?;
    for entry in &incident.timeline {
        let span = entry.stamp_span.start.saturating_sub(1)..entry.stamp_span.end + 1;
        if span.contains(&at) {
            return Some(markdown(text, span, entry_card(incident, entry, tz), enc));
        }
    }
    for moment in &incident.key_moments {
        if moment.span.contains(&at) {
            return Some(markdown(
                text,
                moment.span.clone(),
                moment_card(incident, moment.kind, moment.at, tz),
                enc,
            ));
        }
    }
    let (start, id) = cast::mentions(text)
        .into_iter()
        .find(|(i, id)| (*i..i + 1 + id.len()).contains(&at))?;
    let member = incident.cast.iter().find(|c| c.id == id)?;
    Some(markdown(
        text,
        start..start + 1 + id.len(),
        member_card(member),
        enc,
    ))
}

/// "14:21 PDT (UTC-07:00)" for an instant in the write-up's zone.
fn local(at: DateTime<FixedOffset>, tz: Tz) -> String {
    let zoned = at.with_timezone(&tz);
    let abbr = zoned.format("%Z").to_string();
    let abbr = if abbr.starts_with(['+', '-']) {
        String::new()
    } else {
        format!(" {abbr}")
    };
    format!(
        "{}{abbr} (UTC{})",
        zoned.format("%H:%M"),
        zoned.format("%:z")
    )
}

/// How far an instant is from impact start, in words.
fn from_impact(incident: &Incident, at: DateTime<FixedOffset>) -> Option<String> {
    let start = incident
        .key_moments
        .iter()
        .find(|m| m.kind == KeyMomentKind::ImpactStart)?
        .at;
    let delta = at - start;
    Some(match delta.num_minutes() {
        0 => "at impact start".to_string(),
        m if m > 0 => format!(
            "{} after impact start ({})",
            human_duration(delta),
            start.format("%H:%M")
        ),
        _ => format!(
            "{} before impact start ({})",
            human_duration(-delta),
            start.format("%H:%M")
        ),
    })
}

/// The hover card of a timeline entry.
fn entry_card(incident: &Incident, entry: &TimelineEntry, tz: Tz) -> String {
    let date = entry.start.format("%A %-d %B %Y");
    let mut out = format!("**{date}, {}**", local(entry.start, tz));
    if let Some(end) = entry.end {
        out += &format!(
            " to **{}** ({})",
            local(end, tz),
            human_duration(end - entry.start)
        );
    }
    out += &format!("\n\nin {}", incident.timezone);
    if let Some(distance) = from_impact(incident, entry.start) {
        out += &format!("; {distance}");
    }
    out
}

/// The hover card of a key moment: when, and the metric it ends.
fn moment_card(
    incident: &Incident,
    kind: KeyMomentKind,
    at: DateTime<FixedOffset>,
    tz: Tz,
) -> String {
    let m = &incident.metrics;
    let metric = match kind {
        KeyMomentKind::ImpactStart => m.impact_duration().map(|d| {
            format!(
                "users were affected for {} (until resolved)",
                human_duration(d)
            )
        }),
        KeyMomentKind::Detected => m
            .time_to_detect
            .map(|d| format!("time to detect: {}", human_duration(d))),
        KeyMomentKind::Mitigated => m
            .time_to_mitigate
            .map(|d| format!("time to mitigate: {}", human_duration(d))),
        KeyMomentKind::Resolved => m
            .time_to_resolve
            .map(|d| format!("time to resolve: {}", human_duration(d))),
    };
    let mut out = format!(
        "**{}**: {}, {}",
        kind.label(),
        at.format("%Y-%m-%d"),
        local(at, tz)
    );
    if let Some(metric) = metric {
        out += &format!("\n\n{metric}");
    }
    out
}

/// The hover card of a cast member: name, role, goals, worries, and what they sensed.
fn member_card(member: &CastMember) -> String {
    let mut out = format!("**{}** (@{})", member.name, member.id);
    if let Some(role) = &member.role {
        out += &format!("\n\n*{role}*");
    }
    for (label, value) in [("Goals", &member.goals), ("Worries", &member.worries)] {
        if let Some(v) = value {
            out += &format!("\n\n**{label}:** {v}");
        }
    }
    for m in &member.moments {
        let senses: Vec<String> = [("saw", &m.saw), ("heard", &m.heard), ("felt", &m.felt)]
            .into_iter()
            .filter_map(|(verb, v)| v.as_ref().map(|v| format!("{verb}: {v}")))
            .collect();
        out += &format!("\n\n**{}:** {}", m.moment.label(), senses.join(" "));
    }
    out
}

/// Quick fixes: each diagnostic of the file around `span` that has a suggestion, as an edit.
pub fn quick_fixes(
    report: &Report,
    file: FileId,
    span: Range<usize>,
    to_lsp: impl Fn(&Diagnostic) -> lsp_types::Diagnostic,
    uri: &Url,
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let text = report.sources.text(file);
    report
        .diags
        .iter()
        .filter(|d| d.file == Some(file) && d.span.start <= span.end && span.start <= d.span.end)
        .filter_map(|d| {
            let fix = d.suggestion.as_ref()?;
            let edit = TextEdit {
                range: text::range(text, fix.span.clone(), enc),
                new_text: fix.replacement.clone(),
            };
            let title = if text[fix.span.clone()].is_empty() {
                format!("{}: add `{}`", d.code.code(), fix.replacement.trim())
            } else if fix.replacement.is_empty() {
                format!(
                    "{}: remove `{}`",
                    d.code.code(),
                    text[fix.span.clone()].trim()
                )
            } else {
                format!(
                    "{}: change `{}` to `{}`",
                    d.code.code(),
                    &text[fix.span.clone()],
                    fix.replacement
                )
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(d)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// One completion: `label` replacing `span` with `insert`.
fn item(
    text: &str,
    span: &Range<usize>,
    label: &str,
    insert: String,
    detail: Option<String>,
    enc: Encoding,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::VALUE),
        detail,
        filter_text: Some(label.to_string()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: text::range(text, span.clone(), enc),
            new_text: insert,
        })),
        ..CompletionItem::default()
    }
}

/// Completion: `@` cast ids, front matter keys and values, required section headings, `pieces` file names.
/// `last` is the piece as it last loaded, for the cast and the timeline while the text is half typed.
pub fn complete(
    place: Option<Place<'_>>,
    last: Option<&Piece>,
    doc: &str,
    at: usize,
    enc: Encoding,
) -> Option<CompletionResponse> {
    let (root, report, file) = place?;
    let piece = piece_of(report, file).or(last);
    let rel = report.sources.path(file);
    let at = at.min(doc.len());
    let line_start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &doc[line_start..at];
    let items = match rel.extension().and_then(|e| e.to_str()) {
        Some("md") => match piece::split(doc) {
            Ok(fm) if at >= fm.span.start && at <= fm.span.end => {
                front_matter(doc, fm.span.start, line_start, at, fm.yaml, piece, enc)
            }
            Ok(_) => body(doc, line, at, piece, enc),
            Err(_) => Vec::new(),
        },
        Some("toml") => pieces(root, rel, doc, at, enc),
        _ => Vec::new(),
    };
    (!items.is_empty()).then_some(CompletionResponse::Array(items))
}

/// Where the word being typed starts: back over letters, digits, `_`, `-`, `/` and `.`.
fn word_start(doc: &str, at: usize) -> usize {
    doc[..at]
        .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.' | '+')))
        .map_or(0, |i| i + 1)
}

/// In a piece's body: cast ids after `@`, section headings after `#`.
fn body(
    doc: &str,
    line: &str,
    at: usize,
    piece: Option<&Piece>,
    enc: Encoding,
) -> Vec<CompletionItem> {
    let start = word_start(doc, at);
    if start > 0 && doc.as_bytes()[start - 1] == b'@' {
        let cast = piece
            .and_then(|p| p.incident.as_ref())
            .map(|i| i.cast.as_slice())
            .unwrap_or_default();
        return cast
            .iter()
            .map(|c| {
                let mut it = item(
                    doc,
                    &(start..at),
                    &c.id,
                    c.id.clone(),
                    Some(c.name.clone()),
                    enc,
                );
                it.kind = Some(CompletionItemKind::REFERENCE);
                it.documentation = c.role.clone().map(Documentation::String);
                it
            })
            .collect();
    }
    let hashes = line.len() - line.trim_start_matches('#').len();
    if hashes > 0
        && line
            .trim_start_matches('#')
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ')
    {
        let is_incident = piece.is_some_and(|p| p.kind == PieceKind::Incident)
            || doc.contains("kind = \"incident\"");
        if !is_incident {
            return Vec::new();
        }
        let have: Vec<&str> = piece
            .map(|p| p.headings.iter().map(|h| h.text.as_str()).collect())
            .unwrap_or_default();
        let rest = &line[hashes..];
        let spaces = rest.len() - rest.trim_start().len();
        let from = at - line.len() + hashes + spaces;
        return incident::section_names()
            .filter(|name| !have.iter().any(|h| incident::heading_is(h, name)))
            .map(|name| {
                let insert = if spaces == 0 {
                    format!(" {name}")
                } else {
                    name.to_string()
                };
                let mut it = item(
                    doc,
                    &(from..at),
                    name,
                    insert,
                    Some("a section every incident needs".into()),
                    enc,
                );
                it.kind = Some(CompletionItemKind::MODULE);
                it
            })
            .collect();
    }
    Vec::new()
}

/// The table the line at `line_start` is in: the last `[header]` above it (TOML) or the last unindented `key:` (YAML).
fn table_at(doc: &str, fm_start: usize, line_start: usize, yaml: bool) -> String {
    let above = &doc[fm_start..line_start];
    let mut table = String::new();
    for l in above.lines() {
        if yaml {
            if !l.starts_with([' ', '\t', '-']) && !l.trim().is_empty() {
                table = match l.trim_end().strip_suffix(':') {
                    Some(key) => key.trim().to_string(),
                    None => String::new(),
                };
            }
        } else if let Some(h) = l.trim().strip_prefix('[') {
            table = h
                .trim_matches(|c| c == '[' || c == ']' || c == ' ')
                .to_string();
        }
    }
    table
}

/// In front matter: keys for the table the cursor is in, or values for the key on this line.
#[allow(clippy::too_many_arguments)]
fn front_matter(
    doc: &str,
    fm_start: usize,
    line_start: usize,
    at: usize,
    yaml: bool,
    piece: Option<&Piece>,
    enc: Encoding,
) -> Vec<CompletionItem> {
    let line = &doc[line_start..at];
    let table = table_at(doc, fm_start, line_start, yaml);
    let sep = if yaml { ':' } else { '=' };
    let trimmed = line.trim_start();
    if trimmed.starts_with('[') {
        // A table header: `[cast.moments.` takes a key moment's name.
        let start = word_start(doc, at).max(line_start + line.rfind('.').map_or(0, |i| i + 1));
        if trimmed.trim_start_matches('[').starts_with("cast.moments.") {
            return KeyMomentKind::ALL
                .iter()
                .map(|k| item(doc, &(start..at), k.key(), k.key().to_string(), None, enc))
                .collect();
        }
        return Vec::new();
    }
    let Some((key, _)) = trimmed.split_once(sep) else {
        let start = word_start(doc, at);
        let keys: Vec<&str> = match table.as_str() {
            "" => piece::COMMON
                .iter()
                .chain(incident::KEYS)
                .chain(piece::ILLUSTRATION)
                .copied()
                .collect(),
            "key_moments" => KeyMomentKind::ALL.iter().map(|k| k.key()).collect(),
            "cast" => cast::MEMBER_KEYS.to_vec(),
            t if t.starts_with("cast.moments.") => cast::SENSE_KEYS.to_vec(),
            _ => Vec::new(),
        };
        return keys
            .into_iter()
            .map(|k| {
                let mut it = item(doc, &(start..at), k, k.to_string(), None, enc);
                it.kind = Some(CompletionItemKind::FIELD);
                it
            })
            .collect();
    };
    let key = key.trim().trim_start_matches("- ");
    let quoted = line
        .rfind(['"', '\''])
        .is_some_and(|q| q > line.find(sep).unwrap_or(0));
    let start = word_start(doc, at);
    let wrap = |v: &str| {
        if quoted {
            v.to_string()
        } else {
            format!("\"{v}\"")
        }
    };
    let entries = piece
        .and_then(|p| p.incident.as_ref())
        .map(|i| i.timeline.as_slice())
        .unwrap_or_default();
    let values: Vec<(String, Option<String>)> = match (table.as_str(), key) {
        ("", "kind") => PieceKind::ALL
            .iter()
            .map(|k| (k.name().to_string(), Some(k.kicker().to_string())))
            .collect(),
        ("", "timezone") => chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| (tz.name().to_string(), None))
            .collect(),
        ("", "severity") => ["SEV1", "SEV2", "SEV3", "SEV4"]
            .iter()
            .map(|s| (s.to_string(), Some("or your own words".into())))
            .collect(),
        ("key_moments", _) => entries
            .iter()
            .flat_map(|e| {
                std::iter::once(e.start)
                    .chain(e.end)
                    .map(move |t| (t.format("%H:%M").to_string(), Some(first_words(&e.text))))
            })
            .collect(),
        _ => Vec::new(),
    };
    values
        .into_iter()
        .map(|(v, detail)| item(doc, &(start..at), &v, wrap(&v), detail, enc))
        .collect()
}

/// The first words of an entry, for a completion's detail or an outline's name.
fn first_words(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

/// In `issue.toml` or `pocket.toml`, inside `pieces = [...]`: the folder's Markdown files not yet listed.
fn pieces(root: &Path, rel: &Path, doc: &str, at: usize, enc: Encoding) -> Vec<CompletionItem> {
    let before = &doc[..at];
    let Some(key) = before.rfind("pieces") else {
        return Vec::new();
    };
    let at_line_start = key == 0 || doc[..key].ends_with('\n');
    if !at_line_start || !before[key..].contains('[') || before[key..].contains(']') {
        return Vec::new();
    }
    let quoted = before[key..].matches('"').count() % 2 == 1;
    let start = word_start(doc, at);
    let dir = root
        .join(rel)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.') && !doc.contains(&format!("\"{n}\"")))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let insert = if quoted {
                n.clone()
            } else {
                format!("\"{n}\"")
            };
            let mut it = item(
                doc,
                &(start..at),
                &n,
                insert,
                Some("a piece in this folder, not yet listed".into()),
                enc,
            );
            it.kind = Some(CompletionItemKind::FILE);
            it
        })
        .collect()
}

/// The outline of a piece: its headings, nested, with the timeline's entries under their heading.
#[allow(deprecated)] // DocumentSymbol::deprecated must be named in the struct literal
pub fn symbols(place: Place<'_>, _doc: &str, enc: Encoding) -> Option<DocumentSymbolResponse> {
    let (_, report, file) = place;
    let piece = piece_of(report, file)?;
    let text = report.sources.text(file);
    let symbol =
        |name: String, detail: Option<String>, kind, span: Range<usize>, pick: Range<usize>| {
            DocumentSymbol {
                name,
                detail,
                kind,
                tags: None,
                deprecated: None,
                range: text::range(text, span, enc),
                selection_range: text::range(text, pick, enc),
                children: None,
            }
        };
    // Each heading's section runs to the next heading of the same or a higher level.
    let hs = &piece.headings;
    let sections: Vec<Range<usize>> = hs
        .iter()
        .enumerate()
        .map(|(i, h)| {
            h.span.start
                ..hs[i + 1..]
                    .iter()
                    .find(|n| n.level <= h.level)
                    .map_or(text.len(), |n| n.span.start)
        })
        .collect();
    let mut nodes: Vec<(u8, DocumentSymbol)> = hs
        .iter()
        .zip(&sections)
        .map(|(h, s)| {
            (
                h.level,
                symbol(
                    h.text.clone(),
                    None,
                    SymbolKind::NAMESPACE,
                    s.clone(),
                    h.span.clone(),
                ),
            )
        })
        .collect();
    if let Some(incident) = &piece.incident {
        let tz: Option<Tz> = incident.timezone.parse().ok();
        for entry in &incident.timeline {
            let line_end = text[entry.stamp_span.end..]
                .find('\n')
                .map_or(text.len(), |i| entry.stamp_span.end + i);
            let name = format!(
                "[{}] {}",
                &text[entry.stamp_span.clone()],
                first_words(&entry.text)
            );
            let detail = tz.map(|tz| {
                format!(
                    "{}, {}",
                    entry.start.format("%Y-%m-%d"),
                    local(entry.start, tz)
                )
            });
            let span = entry.stamp_span.start.saturating_sub(1)..line_end;
            let owner = sections
                .iter()
                .rposition(|s| s.contains(&entry.stamp_span.start));
            let node = symbol(
                name,
                detail,
                SymbolKind::EVENT,
                span,
                entry.stamp_span.clone(),
            );
            match owner {
                Some(i) => nodes[i].1.children.get_or_insert_with(Vec::new).push(node),
                None => nodes.push((u8::MAX, node)),
            }
        }
    }
    Some(DocumentSymbolResponse::Nested(nest(nodes)))
}

/// Nests headings by level: each goes under the nearest heading above it with a lower level.
fn nest(nodes: Vec<(u8, DocumentSymbol)>) -> Vec<DocumentSymbol> {
    let mut stack: Vec<(u8, DocumentSymbol)> = Vec::new();
    let mut top = Vec::new();
    let close = |stack: &mut Vec<(u8, DocumentSymbol)>, top: &mut Vec<DocumentSymbol>| {
        let (_, done) = stack.pop().expect("not empty");
        match stack.last_mut() {
            Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
            None => top.push(done),
        }
    };
    for (level, node) in nodes {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            close(&mut stack, &mut top);
        }
        stack.push((level, node));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top);
    }
    top
}
