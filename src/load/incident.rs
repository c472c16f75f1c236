//! Incident write-ups: their front matter, required sections and timeline.
//!
//! This is where the notation of the timeline meets the calendar: entries are
//! resolved into instants in the write-up's time zone, checked for order,
//! matched against the key moments, and turned into the metrics readers
//! look for first (time to detect, mitigate, resolve).

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};

use crate::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use crate::load::fields::Fields;
use crate::load::markdown::Outline;
use crate::load::timeline::{self, FORMS, Resolved, Stamp, parse_stamp, resolve, stamp_date};
use crate::load::value::Value;
use crate::model::doc::{Block, Doc};
use crate::model::{Incident, KeyMoment, KeyMomentKind, Metrics, Span, TimelineEntry};

/// Front matter keys that only incidents have.
pub const KEYS: &[&str] = crate::model::keys_of(crate::model::PieceKind::Incident);

/// A required section: its canonical heading and the headings accepted for it.
struct SectionRule {
    name: &'static str,
    synonyms: &'static [&'static str],
}

const SECTIONS: [SectionRule; 4] = [
    SectionRule {
        name: "Summary",
        synonyms: &[
            "summary",
            "overview",
            "executive summary",
            "incident summary",
            "tldr",
            "tl dr",
            "abstract",
            "what happened",
        ],
    },
    SectionRule {
        name: "Timeline",
        synonyms: &[
            "timeline",
            "timeline of events",
            "incident timeline",
            "detailed timeline",
            "chronology",
            "sequence of events",
        ],
    },
    SectionRule {
        name: "Investigation and analysis",
        synonyms: &[
            "investigation and analysis",
            "investigation",
            "analysis",
            "root cause",
            "root causes",
            "root cause analysis",
            "contributing factors",
            "what went wrong",
            "technical analysis",
            "causes",
        ],
    },
    SectionRule {
        name: "Action items",
        synonyms: &[
            "action items",
            "actions",
            "next steps",
            "remediation",
            "remediations",
            "follow up",
            "follow ups",
            "followup",
            "followups",
            "follow up actions",
            "corrective actions",
            "what we are doing",
            "action plan",
        ],
    },
];

/// The sections an incident needs, by their main names (Summary, Timeline, ...).
pub fn section_names() -> impl Iterator<Item = &'static str> {
    SECTIONS.iter().map(|r| r.name)
}

/// Whether a heading stands for the section called `name` (one of [`section_names`]), by any of its synonyms.
pub fn heading_is(heading: &str, name: &str) -> bool {
    SECTIONS
        .iter()
        .any(|r| r.name == name && r.synonyms.contains(&normalize(heading).as_str()))
}

/// Lowercases a heading and drops punctuation, so "Follow-ups:" matches "follow ups".
fn normalize(heading: &str) -> String {
    let mapped: String = heading
        .to_lowercase()
        .replace('&', " and ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A top-level block that may hold a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Item,
}

/// The body and where it is, for pointing into the file.
pub struct Body<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub offset: usize,
    pub outline: &'a Outline,
    /// The top-level paragraphs and the items of top-level lists, in order.
    pub blocks: Vec<(BlockKind, Span)>,
}

/// The top-level paragraphs and list items of a document: where entries may be.
pub fn entry_blocks(doc: &Doc) -> Vec<(BlockKind, Span)> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph {
                span, tight: false, ..
            } => out.push((BlockKind::Paragraph, span.clone())),
            Block::List { items, .. } => {
                out.extend(items.iter().map(|i| (BlockKind::Item, i.span.clone())))
            }
            _ => {}
        }
    }
    out
}

impl Body<'_> {
    /// Shifts a body-relative span to a file span.
    fn at(&self, span: &Span) -> Span {
        span.start + self.offset..span.end + self.offset
    }

    /// Where to point at problems with the body as a whole: its first line if
    /// that is a heading (short), else the closing front matter delimiter, so
    /// the excerpt never repeats a long opening paragraph.
    fn first_line(&self) -> Span {
        let lead = self.text.len() - self.text.trim_start().len();
        let end = self.text[lead..]
            .find('\n')
            .map_or(self.text.len(), |i| lead + i);
        if self.text[lead..end].starts_with('#') || self.offset < 4 {
            return self.at(&(lead..end));
        }
        // The body starts right after the `---` or `+++` line and its newline.
        self.offset - 4..self.offset - 1
    }
}

/// Reads an incident's keys from `f` and its timeline from the body.
pub fn load(f: &mut Fields<'_>, body: &Body<'_>, doc: &mut Doc) -> Option<Incident> {
    let organization = f.str(
        "organization",
        "organization = \"...\" (the company or team whose incident it was)",
    );
    let published = f.date("published", "published = 2020-03-20");
    let date = f.date("date", "date = 2020-03-20");
    let timezone = read_timezone(f, date.as_ref().map(|d| d.value));
    let impact = f.str(
        "impact",
        "impact = \"Most users could not connect for about an hour\"",
    );
    let severity = f.opt_str("severity");
    f.placeholder(
        "impact",
        impact.as_ref(),
        crate::skeleton::impact_placeholder(),
        "who was affected, how, and for how long, in one sentence",
    );
    f.placeholder(
        "organization",
        organization.as_ref(),
        crate::skeleton::DEFAULT_ORGANIZATION,
        "the name of the team or company whose incident it was",
    );
    if let (Some(p), Some(d)) = (&published, &date)
        && p.value < d.value
    {
        let d = Diagnostic::new(
            Code::PublishedBeforeDate,
            f.file(),
            p.span.clone(),
            format!("`published` ({}) is before `date` ({}), the day the incident began", p.value, d.value),
        )
        .related(f.file(), d.span.clone(), "the incident's date")
        .hint("`published` is the day the report came out; `date` is the day the incident began: check which one is wrong");
        f.diags.push(d);
    }
    let sources = read_sources(f);
    let cast = crate::load::cast::read(f);
    let key_node = f.table("key_moments");
    if key_node.is_none() && f.key_span("key_moments").is_none() {
        f.missing("key_moments", "[key_moments] with impact_start and resolved (detected and mitigated if you know them)");
    }

    let before = f.diags.len();
    check_sections(f.diags, body);
    let tz = timezone.as_ref().map(|(_, tz)| *tz);
    let day = date.as_ref().map(|d| d.value);
    let mut entries = read_timeline(f.diags, body, tz.zip(day));
    // A key moment that matches no entry, or is out of order, usually follows from a timeline error: report only the cause.
    let timeline_broken = f.diags[before..].iter().any(|d| {
        d.severity() == crate::diagnostic::Severity::Error
            && (d.code != Code::MissingSection || d.message.contains("Timeline"))
    });
    crate::load::entries::place(doc, &mut entries, body.text);
    crate::load::cast::resolve(
        f.diags,
        body.file,
        (body.text, body.offset),
        &cast,
        &mut entries,
    );
    crate::load::entries::set_text(&mut entries);
    let km_before = f.diags.len();
    let key_moments = match (key_node, tz.zip(day)) {
        (Some(node), ctx) => read_key_moments(f, node, ctx, &entries),
        _ => Vec::new(),
    };
    if timeline_broken {
        let found = f.diags.split_off(km_before);
        f.diags.extend(
            found
                .into_iter()
                .filter(|d| !matches!(d.code, Code::KeyMomentUnmatched | Code::KeyMomentOrder)),
        );
    }
    let metrics = metrics(&key_moments);

    let (timezone, tz) = timezone?;
    let date = date?.value;
    let abbreviation = abbreviation(tz, date);
    Some(Incident {
        organization: organization?.value,
        published: published?.value,
        date,
        timezone,
        timezone_abbreviation: abbreviation,
        impact: impact?.value,
        severity: severity.map(|s| s.value),
        sources,
        key_moments,
        timeline: entries,
        metrics,
        cast,
    })
}

/// The zone's abbreviation at noon on `date` (PDT), or its offset when it has none.
pub fn abbreviation(tz: Tz, date: NaiveDate) -> String {
    let noon = date.and_hms_opt(12, 0, 0).expect("noon exists");
    let offset = tz
        .offset_from_local_datetime(&noon)
        .earliest()
        .unwrap_or_else(|| tz.offset_from_utc_datetime(&noon));
    match offset.abbreviation() {
        Some(a) if !a.starts_with(['+', '-']) => a.to_string(),
        _ => format!("UTC{}", offset.fix()),
    }
}

/// Reads `timezone`, suggesting the closest IANA name for a typo.
fn read_timezone(f: &mut Fields<'_>, date: Option<NaiveDate>) -> Option<(String, Tz)> {
    let name = f.str("timezone", "timezone = \"America/Los_Angeles\"")?;
    match name.value.parse::<Tz>() {
        Ok(tz) => Some((name.value, tz)),
        Err(_) if let Some((hint, fix)) = crate::load::zones::explain(&name.value, date) => {
            let message = format!("`{}` is not a time zone pir knows", name.value);
            let mut d =
                Diagnostic::new(Code::InvalidTimezone, f.file(), name.span.clone(), message)
                    .hint(hint);
            if let Some(fix) = fix {
                d = d.suggest_value(name.span, &name.value, &fix);
            }
            f.diags.push(d);
            None
        }
        Err(_) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let best = did_you_mean(&name.value, names);
            let hint = match best {
                Some(best) => format!("did you mean `{best}`?"),
                None => {
                    "use an IANA time zone name such as America/Los_Angeles, Europe/Berlin or UTC"
                        .to_string()
                }
            };
            let message = format!("`{}` is not a time zone pir knows", name.value);
            let mut d =
                Diagnostic::new(Code::InvalidTimezone, f.file(), name.span.clone(), message)
                    .hint(hint);
            if let Some(best) = best {
                d = d.suggest_value(name.span, &name.value, best);
            }
            f.diags.push(d);
            None
        }
    }
}

/// Reads `sources`: a list of URLs (it may be empty for an unpublished incident).
fn read_sources(f: &mut Fields<'_>) -> Vec<String> {
    let list = f.opt_str_list("sources").unwrap_or_default();
    let mut out = Vec::new();
    for url in list {
        match crate::load::fields::check_url(&url.value) {
            Ok(()) => out.push(url.value),
            Err(why) => f.invalid(
                Code::InvalidUrl,
                url.span,
                format!("source `{}` is not a usable URL: {why}", url.value),
                "write a full URL such as https://status.example.com/incidents/123",
            ),
        }
    }
    out
}

/// The required section a heading stands for (`Follow-ups` is Action items), if any.
pub fn required_section(heading: &str) -> Option<&'static str> {
    let norm = normalize(heading);
    SECTIONS
        .iter()
        .find(|rule| rule.synonyms.contains(&norm.as_str()))
        .map(|rule| rule.name)
}

/// Reports each required section that no heading stands for.
fn check_sections(diags: &mut Vec<Diagnostic>, body: &Body<'_>) {
    let mut absent: Vec<&SectionRule> = Vec::new();
    for rule in &SECTIONS {
        let found = body
            .outline
            .headings
            .iter()
            .any(|h| rule.synonyms.contains(&normalize(&h.text).as_str()));
        if found {
            continue;
        }
        match misspelled(body, rule) {
            Some((at, written)) => diags.push(
                Diagnostic::new(
                    Code::MissingSection,
                    body.file,
                    at.clone(),
                    format!("this incident has no {} section", rule.name),
                )
                .label(format!(
                    "not a section pir knows; did you mean {}?",
                    rule.name
                ))
                .hint(format!("did you mean `{}`?", rule.name))
                .suggest_value(at, &written, rule.name),
            ),
            None => absent.push(rule),
        }
    }
    // Several missing sections are one problem (the write-up lacks its structure): one error names them all.
    let d = match absent.as_slice() {
        [] => return,
        [rule] => {
            let also: Vec<&str> = rule.synonyms.iter().skip(1).take(4).copied().collect();
            Diagnostic::new(
                Code::MissingSection,
                body.file,
                body.first_line(),
                format!("this incident has no {} section", rule.name),
            )
            .hint(format!(
                "add a heading `## {}` (also accepted: {}, ...)",
                rule.name,
                also.join(", ")
            ))
        }
        [rest @ .., last] => {
            let names: Vec<&str> = rest.iter().map(|r| r.name).collect();
            let headings: Vec<String> = absent.iter().map(|r| format!("`## {}`", r.name)).collect();
            Diagnostic::new(
                Code::MissingSection,
                body.file,
                body.first_line(),
                format!(
                    "this incident has no {} or {} section",
                    names.join(", "),
                    last.name
                ),
            )
            .hint(format!(
                "a write-up has these sections, in this order: add the headings {}",
                headings.join(", ")
            ))
        }
    };
    diags.push(d);
}

/// A heading that looks like a typo of one of `rule`'s names (`## Timline`):
/// the file span of its text and the text, when no other rule claims it.
fn misspelled(body: &Body<'_>, rule: &SectionRule) -> Option<(Span, String)> {
    body.outline.headings.iter().find_map(|h| {
        let norm = normalize(&h.text);
        if SECTIONS.iter().any(|r| r.synonyms.contains(&norm.as_str())) {
            return None;
        }
        did_you_mean(&norm, rule.synonyms.iter().copied())?;
        let line = body.text.get(h.span.clone())?;
        let at = line.find(h.text.as_str())? + h.span.start;
        Some((body.at(&(at..at + h.text.len())), h.text.clone()))
    })
}

/// The body range of the Timeline section, if there is one.
fn timeline_section(body: &Body<'_>) -> Option<Span> {
    let headings = &body.outline.headings;
    let i = headings
        .iter()
        .position(|h| SECTIONS[1].synonyms.contains(&normalize(&h.text).as_str()))?;
    let level = headings[i].level;
    let end = headings[i + 1..]
        .iter()
        .find(|h| h.level <= level)
        .map_or(body.text.len(), |h| h.span.start);
    Some(headings[i].span.end..end)
}

/// A timeline entry split from its block: the text inside the brackets, its
/// offset in the body, and the rest of the entry.
type RawEntry<'a> = (&'a str, usize, String);
/// A block that should be an entry but is not: where, what, and the hint.
type EntryError = (Span, String, String);

/// A rewritten entry for a hint: its first few words, then an ellipsis.
fn shorten(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{} ...", words[..8].join(" "))
    }
}

/// Finds the bracketed stamp at the start of a block: (text inside, its body offset, rest of the entry).
fn split_entry<'a>(
    body: &'a str,
    kind: &BlockKind,
    span: &Span,
) -> Result<Option<RawEntry<'a>>, EntryError> {
    let block = &body[span.clone()];
    let mut start = 0;
    if *kind == BlockKind::Item {
        let marker_end = block
            .find(|c: char| c.is_whitespace())
            .unwrap_or(block.len());
        start = marker_end + (block[marker_end..].len() - block[marker_end..].trim_start().len());
    }
    let rest = &block[start..];
    let first_line = rest.lines().next().unwrap_or("");
    if !rest.starts_with('[') {
        let rewritten = rewrite_entry(first_line);
        if *kind == BlockKind::Paragraph && rewritten.is_none() {
            return Ok(None); // prose between entries, such as "All times are PDT."
        }
        let first_word = first_line.split_whitespace().next().unwrap_or("").len();
        let at = span.start + start..span.start + start + first_word;
        let hint = match rewritten {
            Some(line) => format!("put the time in brackets: `{}`", shorten(&line)),
            None => format!("start the entry with {FORMS}"),
        };
        return Err((
            at,
            "this timeline entry does not start with a time in brackets".into(),
            hint,
        ));
    }
    if *kind == BlockKind::Paragraph
        && !rest[1..].starts_with(|c: char| c.is_ascii_digit() || c == ' ' || c == ']')
    {
        return Ok(None); // a paragraph that opens with a link
    }
    let Some(close) = first_line.find(']') else {
        let at = span.start + start..span.start + start + first_line.len();
        return Err((
            at,
            "the time's bracket is never closed".into(),
            "close it on the same line: `[14:18] what happened`".into(),
        ));
    };
    let stamp = &rest[1..close];
    let text: Vec<&str> = rest[close + 1..].lines().map(str::trim).collect();
    Ok(Some((
        stamp,
        span.start + start + 1,
        text.join("\n").trim().to_string(),
    )))
}

/// Parses every entry of the Timeline section; resolves them when the zone and date are known.
fn read_timeline(
    diags: &mut Vec<Diagnostic>,
    body: &Body<'_>,
    ctx: Option<(Tz, NaiveDate)>,
) -> Vec<TimelineEntry> {
    let Some(section) = timeline_section(body) else {
        return Vec::new();
    };
    let mut entries: Vec<TimelineEntry> = Vec::new();
    let mut seen_any = false;
    let mut current_date = ctx.map(|c| c.1);
    for (kind, span) in body
        .blocks
        .iter()
        .filter(|(_, s)| s.start >= section.start && s.end <= section.end)
    {
        let (stamp_text, stamp_at, text) = match split_entry(body.text, kind, span) {
            Ok(Some(parts)) => parts,
            Ok(None) => continue,
            Err((at, message, hint)) => {
                seen_any = true;
                diags.push(
                    Diagnostic::new(Code::TimelineSyntax, body.file, body.at(&at), message)
                        .hint(hint),
                );
                continue;
            }
        };
        seen_any = true;
        let stamp_span = body.at(&(stamp_at..stamp_at + stamp_text.len()));
        let range = match parse_stamp(stamp_text) {
            Ok(r) => r,
            Err(e) => {
                let at = body.at(&(stamp_at + e.at.start..stamp_at + e.at.end));
                diags.push(Diagnostic::new(e.code, body.file, at, e.message).hint(e.hint));
                continue;
            }
        };
        let Some((tz, _)) = ctx else { continue };
        let date = stamp_date(range.start)
            .or(current_date)
            .expect("set with ctx");
        let part_at = |s: &Span| body.at(&(stamp_at + s.start..stamp_at + s.end));
        // A stamp with its own zone is read at that offset, then shown in the write-up's zone.
        // A bare time in another zone lands on the day that keeps the story going: the first
        // instant not before the previous entry, else the one on the write-up's current date.
        let previous = entries.last().map(|e: &TimelineEntry| e.start);
        let zoned = |stamp: Stamp, date: NaiveDate| {
            let (offset, _) = range.zone.as_ref()?;
            let at = |local: chrono::NaiveDateTime| {
                offset
                    .from_local_datetime(&local)
                    .single()
                    .map(|at| at.with_timezone(&tz).fixed_offset())
            };
            let t = match stamp {
                Stamp::DateTime(dt) => return at(dt),
                Stamp::Time(t) => t,
            };
            let days = [date.pred_opt(), Some(date), date.succ_opt()];
            let candidates: Vec<_> = days
                .into_iter()
                .flatten()
                .filter_map(|d| at(d.and_time(t)))
                .collect();
            match previous {
                Some(prev) => candidates.iter().copied().find(|c| *c >= prev),
                None => candidates.iter().copied().find(|c| c.date_naive() == date),
            }
            .or_else(|| at(date.and_time(t)))
        };
        let Some(start) = zoned(range.start, date).or_else(|| {
            instant(
                diags,
                body.file,
                part_at(&range.start_at),
                range.start,
                date,
                tz,
            )
        }) else {
            continue;
        };
        let written = range
            .zone
            .as_ref()
            .filter(|(o, _)| *o != *start.offset())
            .map(|_| stamp_text.trim().to_string());
        current_date = Some(start.naive_local().date());
        let end = match range.end {
            Some((stamp, at)) => {
                let end_date = stamp_date(stamp).unwrap_or_else(|| {
                    zoned(range.start, date).map_or(start.naive_local().date(), |_| date)
                });
                let Some(end) = zoned(stamp, end_date)
                    .or_else(|| instant(diags, body.file, part_at(&at), stamp, end_date, tz))
                else {
                    continue;
                };
                if end < start {
                    diags.push(
                        Diagnostic::new(
                            Code::RangeReversed,
                            body.file,
                            stamp_span.clone(),
                            format!("this range ends at {} before it starts at {}", timeline::local_hm(&end), timeline::local_hm(&start)),
                        )
                        .hint("if it ends the next day, give the end its date: [23:50 to 2020-03-21 00:10]"),
                    );
                    continue;
                }
                if stamp_date(stamp).is_some() {
                    current_date = Some(end.naive_local().date());
                }
                Some(end)
            }
            None => None,
        };
        if let Some(prev) = entries.last().filter(|p| start < p.start) {
            let hint = if matches!(range.start, Stamp::Time(_)) {
                "keep entries in time order; if this happened the next day, write the date: [2020-03-21 02:10]"
            } else {
                "keep entries in time order"
            };
            let next_day = after_midnight(prev, range.start, tz);
            let mut d = Diagnostic::new(
                Code::TimelineOrder,
                body.file,
                stamp_span.clone(),
                format!(
                    "this entry ({}) is earlier than the one before it ({})",
                    timeline::local_hm(&start),
                    timeline::local_hm(&prev.start)
                ),
            )
            .label("out of order")
            .related(body.file, prev.stamp_span.clone(), "the entry before it")
            .hint(hint);
            if let Some(day) = next_day {
                let written = &stamp_text[range.start_at.clone()];
                d = d
                    .hint(format!(
                        "if this happened after midnight, write its date: [{day} {written}]"
                    ))
                    .suggest(part_at(&range.start_at), format!("{day} {written}"));
            }
            diags.push(d);
        }
        let (content, more, source) = (Vec::new(), Vec::new(), span.clone());
        entries.push(TimelineEntry {
            start,
            end,
            text,
            content,
            more,
            mentions: Vec::new(),
            stamp_span,
            source,
            written,
        });
    }
    if !seen_any {
        let heading = body
            .outline
            .headings
            .iter()
            .find(|h| h.span.end == section.start)
            .map(|h| body.at(&h.span))
            .unwrap_or_else(|| body.first_line());
        let hint = match table_row(&body.text[section.clone()]) {
            Some(row) => format!("pir reads a timeline from a list, not a table: write each row as an item, such as `{row}`"),
            None => "list what happened, one item per moment: `- [14:18] A node fails to announce itself`".to_string(),
        };
        diags.push(
            Diagnostic::new(
                Code::TimelineEmpty,
                body.file,
                heading,
                "the Timeline section has no entries",
            )
            .hint(hint),
        );
    }
    entries
}

/// The first row of a Markdown table with a time column, rewritten as a timeline item (`- [14:18] what happened`).
fn table_row(section: &str) -> Option<String> {
    section
        .lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .find_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let at = cells
                .iter()
                .position(|c| rewrite_entry(c).is_some_and(|r| r.ends_with("] ")))?;
            let stamp = rewrite_entry(cells[at])?;
            let what: Vec<&str> = cells
                .iter()
                .enumerate()
                .filter(|(i, c)| *i != at && !c.is_empty())
                .map(|(_, c)| *c)
                .collect();
            Some(format!("- {stamp}{}", what.join(" — ")))
        })
}

/// A line that starts with an unbracketed time (`**14:18** text`, `14:18 UTC — text`,
/// `- 14:18: text`), rewritten with the time in brackets: `[14:18 UTC] text`.
pub fn rewrite_entry(line: &str) -> Option<String> {
    let rest = line.trim_start().trim_start_matches(['*', '_']);
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let time = rest[..end].trim_end_matches(':');
    if !(time.contains(':')
        && time.starts_with(|c: char| c.is_ascii_digit())
        && timeline::parse_stamp(time).is_ok())
    {
        return None;
    }
    let mut rest = rest[time.len()..].trim_start_matches(['*', '_', ':']);
    let mut stamp = time.to_string();
    if let Some(word) = rest.split_whitespace().next()
        && crate::load::zones::offset_of(word.trim_end_matches([':', ',', '*'])).is_some()
        && !word.starts_with(|c: char| c.is_ascii_digit())
    {
        let word = word.trim_end_matches([':', ',', '*']);
        stamp = format!("{stamp} {word}");
        rest = rest.trim_start()[word.len()..].trim_start_matches(['*', '_', ':', ',']);
    }
    let text = rest
        .trim_start()
        .trim_start_matches(['\u{2014}', '\u{2013}', '-', ':', '|'])
        .trim_start();
    Some(format!("[{stamp}] {text}"))
}

/// The date to give a bare time that is earlier than the entry before it,
/// when reading it as the next day puts it less than 12 hours after that
/// entry (`[23:50]` then `[00:10]`); `None` when it is more likely a typo.
fn after_midnight(prev: &TimelineEntry, stamp: Stamp, tz: Tz) -> Option<NaiveDate> {
    let Stamp::Time(_) = stamp else { return None };
    let day = prev.start.naive_local().date().succ_opt()?;
    let (Resolved::Exact(at) | Resolved::Ambiguous(at)) = resolve(stamp, day, tz) else {
        return None;
    };
    (at > prev.start && at - prev.start < chrono::TimeDelta::hours(12)).then_some(day)
}

/// Resolves a stamp, reporting skipped and doubled local times.
fn instant(
    diags: &mut Vec<Diagnostic>,
    file: FileId,
    at: Span,
    stamp: Stamp,
    date: NaiveDate,
    tz: Tz,
) -> Option<DateTime<FixedOffset>> {
    match resolve(stamp, date, tz) {
        Resolved::Exact(dt) => Some(dt),
        Resolved::Ambiguous(dt) => {
            diags.push(
                Diagnostic::new(
                    Code::AmbiguousTime,
                    file,
                    at,
                    format!(
                        "{} happens twice on {} in {} (clocks go back)",
                        dt.format("%H:%M"),
                        dt.format("%Y-%m-%d"),
                        tz.name()
                    ),
                )
                .hint("pir takes the earlier one; to mean the later, write the incident in UTC"),
            );
            Some(dt)
        }
        Resolved::Skipped => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidTime,
                    file,
                    at,
                    format!("this time does not exist on {date} in {}: clocks skip it for daylight saving", tz.name()),
                )
                .hint("check the time, or write the timeline in UTC"),
            );
            None
        }
    }
}

/// Reads `[key_moments]` and matches each to a timeline entry.
fn read_key_moments(
    f: &mut Fields<'_>,
    node: &crate::load::value::Node,
    ctx: Option<(Tz, NaiveDate)>,
    entries: &[TimelineEntry],
) -> Vec<KeyMoment> {
    let file = f.file();
    let anchor = f.key_span("key_moments").unwrap_or(node.span.clone());
    let mut km = Fields::new(file, node, "[key_moments]", f.diags).anchor(anchor);
    let mut out: Vec<KeyMoment> = Vec::new();
    for kind in KeyMomentKind::ALL {
        let key = kind.key();
        let Some(value) = km.take(key) else {
            // Most public reports never say when the team noticed: `detected` is optional, and its metric is left out.
            if !matches!(kind, KeyMomentKind::Mitigated | KeyMomentKind::Detected) {
                km.missing(
                    key,
                    &format!("{key} = \"14:21\" (the time of a timeline entry)"),
                );
            }
            continue;
        };
        let text = match &value.value {
            Value::Str(s) | Value::Datetime(s) => s.clone(),
            _ => {
                km.wrong_type(key, value, "a time such as \"14:21\"");
                continue;
            }
        };
        let stamp = match parse_stamp(&text) {
            Ok(r) if r.end.is_none() => r.start,
            Ok(_) => {
                km.invalid(
                    Code::TimelineSyntax,
                    value.span.clone(),
                    format!("`{key}` is a range; a key moment is one time"),
                    "write the single time it happened, such as \"14:21\"",
                );
                continue;
            }
            Err(e) => {
                km.invalid(
                    e.code,
                    value.span.clone(),
                    format!("`{key}`: {}", e.message),
                    e.hint,
                );
                continue;
            }
        };
        let Some((tz, _)) = ctx else { continue };
        let at = match match_entry(stamp, tz, entries) {
            Ok(at) => at,
            Err((code, message, hint)) => {
                km.invalid(code, value.span.clone(), format!("`{key}` {message}"), hint);
                continue;
            }
        };
        if let Some(prev) = out.last().filter(|p| at < p.at) {
            let d = Diagnostic::new(
                Code::KeyMomentOrder,
                file,
                value.span.clone(),
                format!(
                    "`{key}` ({}) is before `{}` ({})",
                    at.format("%H:%M"),
                    prev.kind.key(),
                    prev.at.format("%H:%M")
                ),
            )
            .related(
                file,
                prev.span.clone(),
                format!("{} is here", prev.kind.key()),
            )
            .hint("key moments happen in this order: impact_start, detected, mitigated, resolved");
            km.diags.push(d);
            continue;
        }
        out.push(KeyMoment {
            kind,
            at,
            span: value.span.clone(),
        });
    }
    km.finish(&KeyMomentKind::ALL.map(KeyMomentKind::key), &[]);
    out
}

/// Finds the timeline instant a key moment names: a bare time matches the one
/// entry (start or range end) at that time of day, a date-time matches exactly.
fn match_entry(
    stamp: Stamp,
    tz: Tz,
    entries: &[TimelineEntry],
) -> Result<DateTime<FixedOffset>, (Code, String, String)> {
    let instants = entries
        .iter()
        .flat_map(|e| std::iter::once(e.start).chain(e.end));
    let unmatched = "a key moment must be the time of a timeline entry (its start, or the end of a range); add the entry or fix the time";
    match stamp {
        Stamp::DateTime(local) => {
            let (Resolved::Exact(at) | Resolved::Ambiguous(at)) = resolve(stamp, local.date(), tz)
            else {
                return Err((
                    Code::InvalidTime,
                    format!("does not exist in {}", tz.name()),
                    "check the time".into(),
                ));
            };
            if instants.clone().any(|i| i == at) {
                Ok(at)
            } else {
                Err((
                    Code::KeyMomentUnmatched,
                    format!(
                        "({}) matches no timeline entry",
                        local.format("%Y-%m-%d %H:%M")
                    ),
                    unmatched.into(),
                ))
            }
        }
        Stamp::Time(t) => {
            let mut found: Vec<DateTime<FixedOffset>> =
                instants.filter(|i| i.time() == t).collect();
            found.dedup();
            match found.as_slice() {
                [at] => Ok(*at),
                [] => Err((
                    Code::KeyMomentUnmatched,
                    format!("({}) matches no timeline entry", t.format("%H:%M")),
                    unmatched.into(),
                )),
                [first, ..] => Err((
                    Code::KeyMomentUnmatched,
                    format!(
                        "({}) matches more than one timeline entry",
                        t.format("%H:%M")
                    ),
                    format!(
                        "write it with its date, such as \"{}\"",
                        first.format("%Y-%m-%d %H:%M")
                    ),
                )),
            }
        }
    }
}

/// Measures the durations from impact start to each later key moment.
fn metrics(moments: &[KeyMoment]) -> Metrics {
    let at = |k: KeyMomentKind| moments.iter().find(|m| m.kind == k).map(|m| m.at);
    let Some(start) = at(KeyMomentKind::ImpactStart) else {
        return Metrics::default();
    };
    let since = |k| at(k).map(|t| t - start);
    Metrics {
        time_to_detect: since(KeyMomentKind::Detected),
        time_to_mitigate: since(KeyMomentKind::Mitigated),
        time_to_resolve: since(KeyMomentKind::Resolved),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbracketed_times_are_rewritten_from_the_writer_s_own_line() {
        assert_eq!(
            rewrite_entry("**14:18** The node fails.").as_deref(),
            Some("[14:18] The node fails.")
        );
        assert_eq!(
            rewrite_entry("14:18 UTC — The node fails.").as_deref(),
            Some("[14:18 UTC] The node fails.")
        );
        assert_eq!(
            rewrite_entry("14:18 UTC: The node fails.").as_deref(),
            Some("[14:18 UTC] The node fails.")
        );
        assert_eq!(
            rewrite_entry("**14:18 PDT**: it fails").as_deref(),
            Some("[14:18 PDT] it fails")
        );
        assert_eq!(
            rewrite_entry("14:18: The node fails.").as_deref(),
            Some("[14:18] The node fails.")
        );
        assert_eq!(rewrite_entry("All times are PDT."), None);
        assert_eq!(rewrite_entry("**Note:** we were slow"), None);
        assert_eq!(
            table_row("| Time | Event |\n| --- | --- |\n| 05:58 UTC | Errors rise |\n").as_deref(),
            Some("- [05:58 UTC] Errors rise")
        );
    }

    #[test]
    fn headings_match_their_synonyms() {
        assert_eq!(
            normalize("Investigation & Analysis"),
            "investigation and analysis"
        );
        assert_eq!(normalize("Follow-ups:"), "follow ups");
        assert_eq!(normalize("TL;DR"), "tl dr");
    }

    #[test]
    fn abbreviations_follow_daylight_saving() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            abbreviation(la, NaiveDate::from_ymd_opt(2020, 3, 20).unwrap()),
            "PDT"
        );
        assert_eq!(
            abbreviation(la, NaiveDate::from_ymd_opt(2020, 1, 20).unwrap()),
            "PST"
        );
        assert_eq!(
            abbreviation(Tz::UTC, NaiveDate::from_ymd_opt(2020, 1, 20).unwrap()),
            "UTC"
        );
    }
}
