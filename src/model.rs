//! The parsed zine project: one set of types that every stage shares.
//!
//! Loading builds these from the files on disk; checking inspects them;
//! the renderers (HTML, Typst) consume them as they are and never go back to
//! the source text. Positions (`Spanned`) are kept so that later stages can
//! still point a diagnostic at the place in the file a value came from.

use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use serde::Serialize;

use crate::diagnostic::FileId;

pub mod doc;
pub mod print;

pub use print::{Duplex, Paper, Print, Variant};

/// A byte range in one source file.
pub type Span = Range<usize>;

/// A value with the byte range of the text it was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    #[serde(skip)]
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with the span it came from.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A whole zine project: the site settings and every issue in it.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    #[serde(skip)]
    pub root: PathBuf,
    pub site: Site,
    pub issues: Vec<Issue>,
    /// One-sheet pocket zines, from `pocket/<slug>/pocket.toml`.
    pub pockets: Vec<Pocket>,
}

/// A pocket zine: at most eight small pages printed on one sheet and folded.
#[derive(Debug, Clone, Serialize)]
pub struct Pocket {
    pub slug: String,
    #[serde(skip)]
    pub file: FileId,
    pub title: String,
    pub date: Spanned<NaiveDate>,
    pub summary: Option<String>,
    pub pieces: Vec<Piece>,
}

/// Serializes pairs as `{"name": ..., "value": ...}` objects, so templates name what they read.
fn name_value_pairs<S: serde::Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    #[derive(Serialize)]
    struct Field<'a> {
        name: &'a str,
        value: &'a str,
    }
    let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
    for (name, value) in pairs {
        seq.serialize_element(&Field { name, value })?;
    }
    seq.end()
}

/// Settings of the whole zine, from `zine.toml`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Site {
    #[serde(skip)]
    pub file: FileId,
    pub title: String,
    pub base_url: String,
    pub publisher: String,
    pub email: String,
    pub description: String,
    pub language: String,
    /// The newsletter: its sign-up form and its email edition (`[newsletter]`).
    pub newsletter: Option<Newsletter>,
    /// Let raw HTML in Markdown through to the site (it is escaped otherwise).
    pub raw_html: bool,
    pub print: Print,
    /// A stylesheet of the project's, added after the built-in `style.css` (`extra_css`).
    pub extra_css: Option<String>,
    /// A Typst file of the project's, imported at the end of the theme so its
    /// `#let`s override the theme's (`extra_typst`).
    #[serde(skip)]
    pub extra_typst: Option<Spanned<String>>,
    /// The level the zine gives each hint it names in `[hints]`: `None` is off.
    #[serde(skip)]
    pub hints: Vec<(crate::diagnostic::Code, Option<crate::diagnostic::Severity>)>,
}

/// The newsletter provider's sign-up form and what its emails need, from `[newsletter]`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Newsletter {
    /// Where the sign-up form posts (the provider's form `action`).
    pub action: String,
    /// The name of the form's address field (`email`, Mailchimp's `EMAIL`).
    pub email_field: String,
    /// Hidden fields the provider's form needs, in the order written (templates see `name` and `value`).
    #[serde(serialize_with = "name_value_pairs")]
    pub hidden: Vec<(String, String)>,
    /// The text the provider replaces with each reader's unsubscribe link.
    pub unsubscribe: Option<String>,
    /// The `List-Unsubscribe` address of the .eml (mailto: or https, may hold the placeholder).
    pub list_unsubscribe: Option<String>,
    /// Where past emails can be read (the provider's archive).
    pub archive_url: Option<String>,
    /// The whole issue in the email, or the editors' note and a summary of each piece.
    pub edition: Edition,
}

/// How much of an issue its email carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Every piece in full.
    #[default]
    Full,
    /// The editors' note in full, then each piece's title, summary and link.
    Summary,
}

/// Whether an issue is published or still being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
}

/// One issue of the zine: a folder under `issues/`.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// The folder name, used in URLs (`march-2020`).
    pub slug: String,
    /// `issue.toml`, relative to the project root.
    #[serde(skip)]
    pub file: FileId,
    pub number: Spanned<u32>,
    pub title: String,
    pub date: Spanned<NaiveDate>,
    pub status: Status,
    pub editors: Vec<String>,
    /// The page count the editors plan for the printed booklet.
    pub pages: Option<u32>,
    pub summary: Option<String>,
    pub next_issue: Option<NextIssue>,
    /// The pieces in reading order, as listed in `issue.toml`.
    pub pieces: Vec<Piece>,
}

/// The announcement of the following issue.
#[derive(Debug, Clone, Serialize)]
pub struct NextIssue {
    pub number: Spanned<u32>,
    pub date: Spanned<NaiveDate>,
}

/// What a piece is, which decides its schema and its look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PieceKind {
    EditorsNote,
    Incident,
    Feature,
    Etcetera,
    Illustration,
    BackCover,
    Cover,
    Worksheet,
}

/// Everything pir knows about a kind of piece, in one row: the one source of
/// truth for its name, its kicker, where it may go, its extra front matter
/// and the look the templates give it. Adding a kind starts here; the test
/// `the_kind_table_matches_the_readme_and_the_templates` fails until the
/// README and the templates agree with the row.
#[derive(Debug)]
pub struct KindSpec {
    pub kind: PieceKind,
    /// The name used in front matter (`kind = "editors-note"`).
    pub name: &'static str,
    /// The kicker printed above the title of a piece of this kind.
    pub kicker: &'static str,
    /// Whether an issue may hold it (everything but pocket-only pages).
    pub in_issue: bool,
    /// Whether a pocket zine may hold it (a pocket page has no room for a timeline or a full-page drawing).
    pub in_pocket: bool,
    /// Front matter keys of this kind beyond the common ones.
    pub keys: &'static [&'static str],
    /// The templates that give this kind a look of its own (`p.kind == "<name>"`).
    pub styled_in: &'static [&'static str],
}

/// The kinds of piece, in the order the README documents them.
pub const KINDS: [KindSpec; 8] = [
    KindSpec {
        kind: PieceKind::EditorsNote,
        name: "editors-note",
        kicker: "Editors' note",
        in_issue: true,
        in_pocket: true,
        keys: &[],
        styled_in: &[],
    },
    KindSpec {
        kind: PieceKind::Incident,
        name: "incident",
        kicker: "Featured post-incident report",
        in_issue: true,
        in_pocket: false,
        keys: &[
            "organization",
            "published",
            "date",
            "timezone",
            "impact",
            "severity",
            "sources",
            "key_moments",
            "cast",
        ],
        styled_in: &[],
    },
    KindSpec {
        kind: PieceKind::Feature,
        name: "feature",
        kicker: "Feature article",
        in_issue: true,
        in_pocket: true,
        keys: &[],
        styled_in: &[],
    },
    KindSpec {
        kind: PieceKind::Etcetera,
        name: "etcetera",
        kicker: "Etcetera",
        in_issue: true,
        in_pocket: true,
        keys: &[],
        styled_in: &[],
    },
    KindSpec {
        kind: PieceKind::Illustration,
        name: "illustration",
        kicker: "Featured illustration",
        in_issue: true,
        in_pocket: false,
        keys: &["image", "alt"],
        styled_in: &["zine.typ"],
    },
    KindSpec {
        kind: PieceKind::BackCover,
        name: "back-cover",
        kicker: "Back cover",
        in_issue: true,
        in_pocket: true,
        keys: &[],
        styled_in: &["zine.typ", "pocket.typ"],
    },
    KindSpec {
        kind: PieceKind::Cover,
        name: "cover",
        kicker: "Cover",
        in_issue: true,
        in_pocket: true,
        keys: &[],
        styled_in: &["pocket.typ"],
    },
    KindSpec {
        kind: PieceKind::Worksheet,
        name: "worksheet",
        kicker: "Worksheet",
        in_issue: true,
        in_pocket: true,
        keys: &[],
        styled_in: &["pocket.typ"],
    },
];

/// The extra front matter keys of a kind, read from its row of [`KINDS`] by
/// kind, never by position (usable in constants).
pub const fn keys_of(kind: PieceKind) -> &'static [&'static str] {
    let mut i = 0;
    while i < KINDS.len() {
        if KINDS[i].kind as u8 == kind as u8 {
            return KINDS[i].keys;
        }
        i += 1;
    }
    panic!("every kind has a row in KINDS");
}

impl PieceKind {
    /// Every kind, in the order the README documents them.
    pub const ALL: [PieceKind; 8] = [
        PieceKind::EditorsNote,
        PieceKind::Incident,
        PieceKind::Feature,
        PieceKind::Etcetera,
        PieceKind::Illustration,
        PieceKind::BackCover,
        PieceKind::Cover,
        PieceKind::Worksheet,
    ];

    /// This kind's row of [`KINDS`].
    pub fn spec(self) -> &'static KindSpec {
        KINDS
            .iter()
            .find(|k| k.kind == self)
            .expect("every kind has a row")
    }

    /// The name used in front matter (`kind = "editors-note"`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The kicker printed above the title of a piece of this kind.
    pub fn kicker(self) -> &'static str {
        self.spec().kicker
    }

    /// Parses a front matter `kind` value.
    pub fn from_name(name: &str) -> Option<PieceKind> {
        KINDS.iter().find(|k| k.name == name).map(|k| k.kind)
    }
}

/// One Markdown file of an issue.
#[derive(Debug, Clone, Serialize)]
pub struct Piece {
    /// The file stem (`discord`), used for anchors and URLs.
    pub slug: String,
    #[serde(skip)]
    pub file: FileId,
    /// The file's path, relative to the project (for diagnostics found after loading).
    #[serde(skip)]
    pub path: PathBuf,
    pub kind: PieceKind,
    pub title: String,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub credit: Option<String>,
    pub summary: Option<String>,
    /// When the piece was last corrected after it was published (`corrected` in the front matter).
    pub corrected: Option<NaiveDate>,
    /// How far along its review it is (`status`; final when not written).
    pub status: PieceStatus,
    /// Where `status` is written, when it is.
    #[serde(skip)]
    pub status_span: Option<Span>,
    /// Who reviews it (`reviewers`).
    pub reviewers: Vec<String>,
    /// Questions for readers to discuss (`questions`), printed at its end with lines to write on.
    pub questions: Vec<String>,
    /// The Markdown body after the front matter.
    #[serde(skip)]
    pub body: String,
    /// Where the body starts in the file.
    #[serde(skip)]
    pub body_offset: usize,
    /// The body as a document tree, parsed once; what every renderer walks.
    #[serde(skip)]
    pub doc: doc::Doc,
    /// The drawing of an illustration piece.
    pub image: Option<ImageRef>,
    pub images: Vec<ImageRef>,
    pub links: Vec<Spanned<String>>,
    pub headings: Vec<Heading>,
    pub incident: Option<Incident>,
}

/// How far a piece is along its review: written, being reviewed, or ready to publish.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PieceStatus {
    Draft,
    Review,
    /// Ready: what a piece without `status` is, so zines written before reviews keep building.
    #[default]
    Final,
}

impl PieceStatus {
    /// Every status, in the order a piece goes through them.
    pub const ALL: [PieceStatus; 3] = [PieceStatus::Draft, PieceStatus::Review, PieceStatus::Final];

    /// The front matter value (`review`).
    pub fn name(self) -> &'static str {
        match self {
            PieceStatus::Draft => "draft",
            PieceStatus::Review => "review",
            PieceStatus::Final => "final",
        }
    }

    /// The mark a preview shows on a piece that is not final ("In review"), if any.
    pub fn mark(self) -> Option<&'static str> {
        match self {
            PieceStatus::Draft => Some("Draft"),
            PieceStatus::Review => Some("In review"),
            PieceStatus::Final => None,
        }
    }
}

impl Piece {
    /// Every word of the piece's body as plain text, in reading order: its
    /// blocks, each timeline entry's words where the entry is (its content
    /// and further blocks), then its footnotes. What an output that carries
    /// the text must hold; [`doc::plain_blocks`] alone skips the timeline and
    /// the footnotes.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let timeline = self.incident.as_ref().map_or(&[][..], |i| &i.timeline[..]);
        for block in &self.doc.blocks {
            match block {
                doc::Block::Timeline { entries } => {
                    for entry in timeline.get(entries.clone()).into_iter().flatten() {
                        doc::push_plain(&entry.content, &mut out);
                        out.push('\n');
                        doc::plain_blocks(&entry.more, &mut out);
                    }
                }
                other => doc::plain_blocks(std::slice::from_ref(other), &mut out),
            }
        }
        for note in &self.doc.footnotes {
            doc::plain_blocks(&note.blocks, &mut out);
        }
        out
    }
}

/// A heading in a piece's body.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    #[serde(skip)]
    pub span: Span,
}

/// An image a piece refers to, by path relative to the piece's file.
#[derive(Debug, Clone, Serialize)]
pub struct ImageRef {
    pub path: String,
    pub alt: String,
    #[serde(skip)]
    pub span: Span,
}

/// The structured part of an incident write-up.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub organization: String,
    pub published: NaiveDate,
    pub date: NaiveDate,
    /// The IANA name, as written (`America/Los_Angeles`).
    pub timezone: String,
    /// The zone's abbreviation on the incident's date (`PDT`).
    pub timezone_abbreviation: String,
    pub impact: String,
    pub severity: Option<String>,
    pub sources: Vec<String>,
    pub key_moments: Vec<KeyMoment>,
    pub timeline: Vec<TimelineEntry>,
    pub metrics: Metrics,
    /// The people and roles of the story, for documentary-style write-ups.
    pub cast: Vec<CastMember>,
}

/// Someone (or some system) in an incident's story.
#[derive(Debug, Clone, Serialize)]
pub struct CastMember {
    /// How the timeline refers to them: `@oncall`.
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub goals: Option<String>,
    pub worries: Option<String>,
    /// What they saw, heard and felt at key moments.
    pub moments: Vec<CastMoment>,
}

/// A cast member's senses at one key moment.
#[derive(Debug, Clone, Serialize)]
pub struct CastMoment {
    pub moment: KeyMomentKind,
    pub saw: Option<String>,
    pub heard: Option<String>,
    pub felt: Option<String>,
}

/// The moments of an incident that its metrics are measured between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMomentKind {
    ImpactStart,
    Detected,
    Mitigated,
    Resolved,
}

impl KeyMomentKind {
    /// Every key moment, in the order they must happen.
    pub const ALL: [KeyMomentKind; 4] = [
        KeyMomentKind::ImpactStart,
        KeyMomentKind::Detected,
        KeyMomentKind::Mitigated,
        KeyMomentKind::Resolved,
    ];

    /// The front matter key (`impact_start`).
    pub fn key(self) -> &'static str {
        match self {
            KeyMomentKind::ImpactStart => "impact_start",
            KeyMomentKind::Detected => "detected",
            KeyMomentKind::Mitigated => "mitigated",
            KeyMomentKind::Resolved => "resolved",
        }
    }

    /// A label for readers ("Impact start").
    pub fn label(self) -> &'static str {
        match self {
            KeyMomentKind::ImpactStart => "Impact start",
            KeyMomentKind::Detected => "Detected",
            KeyMomentKind::Mitigated => "Mitigated",
            KeyMomentKind::Resolved => "Resolved",
        }
    }
}

/// A key moment of an incident, resolved to an instant.
#[derive(Debug, Clone, Serialize)]
pub struct KeyMoment {
    pub kind: KeyMomentKind,
    pub at: DateTime<FixedOffset>,
    #[serde(skip)]
    pub span: Span,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
    /// What happened, as plain text (mentions of the cast spelled out).
    pub text: String,
    /// What happened, as inline content (after the bracketed time).
    #[serde(skip)]
    pub content: Vec<doc::Inline>,
    /// Further blocks of a list item entry (a second paragraph, a nested list).
    #[serde(skip)]
    pub more: Vec<doc::Block>,
    /// The paragraph or list item the entry was written as (body-relative).
    #[serde(skip)]
    pub source: Span,
    /// The cast members the entry mentions (`@oncall`), by id.
    pub mentions: Vec<String>,
    /// The bracketed time, in the file.
    #[serde(skip)]
    pub stamp_span: Span,
    /// The stamp as written (`05:58 UTC`), when it names a zone whose offset differs from the write-up's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
}

impl TimelineEntry {
    /// An entry at `start` (to `end`) with no text yet, written as the block at `source`.
    pub fn new(
        start: DateTime<FixedOffset>,
        end: Option<DateTime<FixedOffset>>,
        source: Span,
    ) -> TimelineEntry {
        TimelineEntry {
            start,
            end,
            text: String::new(),
            content: Vec::new(),
            more: Vec::new(),
            mentions: Vec::new(),
            stamp_span: 0..0,
            source,
            written: None,
        }
    }
}

/// Durations computed from the key moments, all measured from impact start.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metrics {
    #[serde(serialize_with = "ser_minutes")]
    pub time_to_detect: Option<TimeDelta>,
    #[serde(serialize_with = "ser_minutes")]
    pub time_to_mitigate: Option<TimeDelta>,
    #[serde(serialize_with = "ser_minutes")]
    pub time_to_resolve: Option<TimeDelta>,
}

impl Metrics {
    /// How long users were affected: impact start to resolved.
    pub fn impact_duration(&self) -> Option<TimeDelta> {
        self.time_to_resolve
    }
}

/// Serializes a duration as whole minutes, the unit incident metrics use.
fn ser_minutes<S: serde::Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&d.num_minutes()),
        None => s.serialize_none(),
    }
}

/// Typographic quotes for text readers see: `Discord's "API"` becomes
/// `Discord’s “API”`. Markup is left alone: nothing inside `<...>` (HTML
/// tags and their attributes) or `&...;` changes, and text that is a link or
/// a path (no spaces, with a slash or a dot-extension) stays as written.
pub fn smart_quotes(text: &str) -> String {
    if !text.contains(['\'', '"']) || looks_like_address(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_tag = false;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        // Decided only for a quote: testing every character made this a tenth of a site build.
        let opening = || {
            prev.is_none_or(|p| {
                p.is_whitespace()
                    || matches!(
                        p,
                        '(' | '[' | '{' | '—' | '–' | '-' | '/' | '\u{201C}' | '\u{2018}'
                    )
            })
        };
        let put = match c {
            '<' => {
                in_tag = true;
                c
            }
            '>' => {
                in_tag = false;
                c
            }
            '\'' if !in_tag => {
                if opening() {
                    '\u{2018}'
                } else {
                    '\u{2019}'
                }
            }
            '"' if !in_tag => {
                if opening() {
                    '\u{201C}'
                } else {
                    '\u{201D}'
                }
            }
            c => c,
        };
        out.push(put);
        prev = Some(put);
    }
    out
}

/// Whether a string is a link or a path rather than words.
fn looks_like_address(text: &str) -> bool {
    !text.contains(char::is_whitespace)
        && (text.contains("://")
            || text.starts_with(['/', '#', '.'])
            || text.starts_with("mailto:")
            || text.contains('/'))
}

/// Keys whose values are addresses, names of files or codes, never words for
/// readers; and HTML already rendered (`body`, `html`), whose text has its
/// quotes from the model and whose raw HTML (a writer's `<script>`) must stay as written.
const NOT_PROSE: &[&str] = &[
    "href",
    "url",
    "src",
    "slug",
    "path",
    "svg",
    "file",
    "json_href",
    "base_url",
    "email",
    "newsletter_url",
    "language",
    "kind",
    "id",
    "loc",
    "root",
    "body",
    "html",
    "json_ld",
];

/// Applies [`smart_quotes`] to every string of a serialized view, except the
/// values of address-like keys: the one place where front matter, settings
/// and generated labels get their typographic quotes, for the PDF's data and
/// the site's templates alike.
pub fn smart_quote_view<T: Serialize>(view: &T) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => *s = smart_quotes(s),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if !NOT_PROSE.contains(&key.as_str()) {
                        walk(v);
                    }
                }
            }
            _ => {}
        }
    }
    let mut value = serde_json::to_value(view).expect("views serialize");
    walk(&mut value);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_table_has_one_row_per_kind_in_order() {
        assert_eq!(KINDS.map(|k| k.kind), PieceKind::ALL);
        for kind in PieceKind::ALL {
            assert_eq!(keys_of(kind), kind.spec().keys);
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in PieceKind::ALL {
            assert_eq!(PieceKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(PieceKind::from_name("essay"), None);
    }
}
