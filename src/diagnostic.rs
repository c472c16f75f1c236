//! Diagnostics: what `pir check` says about a project, where, and how to fix it.
//!
//! Every problem carries a stable code (so that docs, tests and editors can
//! refer to it), a primary place in a file, and a hint. Loading and checking
//! collect them all instead of stopping at the first, like a compiler.
//! Rendering is done by codespan-reporting (source excerpts with the span
//! underlined) or as JSON lines for machines.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// An index into [`Sources`].
pub type FileId = usize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Warning,
    Error,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal, $sev:ident, $doc:literal;)*) => {
        /// Every diagnostic pir can emit. Codes are stable: never reuse one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// All codes, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, such as `E304`.
            pub fn code(self) -> &'static str { match self { $(Code::$variant => $code,)* } }

            /// A short kebab-case name, such as `timeline-order`.
            pub fn name(self) -> &'static str { match self { $(Code::$variant => $name,)* } }

            /// The severity this code always has.
            pub fn severity(self) -> Severity { match self { $(Code::$variant => Severity::$sev,)* } }

            /// One sentence on what the rule checks.
            pub fn doc(self) -> &'static str { match self { $(Code::$variant => $doc,)* } }
        }
    };
}

codes! {
    Io = "E001", "io", Error, "A file or folder of the project could not be read.";
    NotUtf8 = "E002", "not-utf8", Error, "A text file is not valid UTF-8.";
    SettingsSyntax = "E003", "settings-syntax", Error, "`zine.toml` or an `issue.toml` is not valid TOML.";
    UnknownKey = "E004", "unknown-key", Error, "A key that pir does not know (usually a typo; the hint suggests the closest known key).";
    MissingKey = "E005", "missing-key", Error, "A required key is missing.";
    WrongType = "E006", "wrong-type", Error, "A value has the wrong type (a number where text is expected, ...).";
    InvalidValue = "E007", "invalid-value", Error, "A value is of the right type but not allowed (an unknown status, an empty title, a bad language tag, ...).";
    InvalidUrl = "E008", "invalid-url", Error, "A URL is malformed or uses a scheme other than http, https or mailto.";
    InvalidDate = "E009", "invalid-date", Error, "A date is not a real calendar date in YYYY-MM-DD form.";
    InvalidTimezone = "E010", "invalid-timezone", Error, "A time zone is not an IANA name such as America/Los_Angeles.";
    InvalidEmail = "E011", "invalid-email", Error, "An e-mail address is malformed.";
    FileTooLarge = "E012", "file-too-large", Error, "A text file is larger than pir reads (2 MiB): more would take gigabytes to typeset, and a zine's piece is far smaller.";
    TooDeep = "E013", "nesting-too-deep", Error, "Lists, quotes, emphasis and links together are nested deeper than pir typesets (32 levels).";
    ControlChar = "E014", "control-character", Error, "A piece contains a control character (NUL, escape, ...) that no output can show.";
    ParagraphTooLong = "E015", "paragraph-too-long", Error, "A paragraph is longer than pir typesets in reasonable time (64 KiB); a pasted log belongs in a code block.";
    MissingIssueToml = "E101", "missing-issue-toml", Error, "A folder under `issues/` has no `issue.toml`.";
    PieceMissing = "E102", "piece-missing", Error, "`pieces` in `issue.toml` names a file that does not exist.";
    PieceUnlisted = "E103", "piece-unlisted", Error, "A Markdown file in an issue folder is not listed in `pieces`, so it would never be published.";
    DuplicateNumber = "E104", "duplicate-issue-number", Error, "Two issues have the same number.";
    DuplicateSlug = "E105", "duplicate-slug", Error, "Two issues or two pieces would get the same URL (names equal but for case, or a piece listed twice).";
    InvalidSlug = "E106", "invalid-slug", Error, "An issue folder or piece file name is not a URL-safe slug (lowercase letters, digits, hyphens).";
    NextIssueOrder = "E107", "next-issue-order", Error, "The next issue is not numbered above or dated after this one.";
    KindNotAllowed = "E108", "kind-not-allowed", Error, "A piece's kind cannot go where it is listed (an incident in a pocket zine, which has no room for a timeline).";
    ReservedName = "E109", "reserved-name", Error, "A piece is named like a page pir makes in its issue's folder (`index`), so one would overwrite the other.";
    PieceNotFinal = "E110", "piece-not-final", Error, "A published issue (or a pocket zine, which is always published) holds a piece whose `status` is \"draft\" or \"review\".";
    FrontMatterMissing = "E201", "front-matter-missing", Error, "A piece does not start with front matter (`+++` TOML or `---` YAML).";
    FrontMatterUnclosed = "E202", "front-matter-unclosed", Error, "A front matter block is opened but never closed.";
    FrontMatterSyntax = "E203", "front-matter-syntax", Error, "Front matter is not valid TOML or YAML.";
    UnknownKind = "E204", "unknown-kind", Error, "A piece's `kind` is not one of the kinds pir knows.";
    MissingSection = "E301", "missing-section", Error, "An incident lacks a required section: Summary, Timeline, Investigation/Analysis or Action items.";
    TimelineSyntax = "E302", "timeline-syntax", Error, "A timeline entry does not start with a time in brackets, such as `[14:18]`.";
    InvalidTime = "E303", "invalid-time", Error, "A time or date in a timeline does not exist (25:61, February 30, a time skipped by a daylight-saving change).";
    TimelineOrder = "E304", "timeline-order", Error, "A timeline entry is earlier than the one before it.";
    RangeReversed = "E305", "range-reversed", Error, "A time range ends before it starts.";
    KeyMomentUnmatched = "E306", "key-moment-unmatched", Error, "A key moment's time matches no timeline entry (its start, or the end of a range).";
    KeyMomentOrder = "E307", "key-moment-order", Error, "Key moments are out of order (impact start, detected, mitigated, resolved).";
    CastUnknown = "E309", "cast-unknown", Error, "A timeline entry mentions `@someone` who is not in the incident's cast.";
    TimelineEmpty = "E308", "timeline-empty", Error, "An incident's Timeline section has no entries.";
    ImageMissing = "E401", "image-missing", Error, "An image file does not exist.";
    ImageOutside = "E402", "image-outside", Error, "An image path leads outside the project (`..`, an absolute path, a symlink).";
    ImageNoAlt = "E403", "image-no-alt", Error, "An image has no alt text, so screen readers and the site cannot describe it.";
    ImageRemote = "E404", "image-remote", Error, "An image is referenced by URL; pir builds offline, so images must be files in the project.";
    RawHtml = "W501", "raw-html", Warning, "Raw HTML in Markdown is shown as text in the PDF and on the site (unless `raw_html = true` lets the site render it).";
    FootnoteUndefined = "E503", "footnote-undefined", Error, "A footnote reference (`[^label]`) has no definition, so it would print as text.";
    FootnoteUnused = "E504", "footnote-unused", Error, "A footnote definition is never referenced, so no output would show it.";
    UnclosedFence = "W505", "unclosed-fence", Warning, "A code fence (```) is never closed, so the rest of the piece becomes code.";
    LinkBroken = "E506", "link-broken", Error, "A relative link leads nowhere: not to a piece of the zine (`essay.md`, `../april-2020/essay.md`) nor to a heading (`#summary`).";
    GlyphMissing = "E507", "glyph-missing", Error, "No font of the project can draw a character, so the PDF would show an empty box.";
    AmbiguousTime = "W502", "ambiguous-time", Warning, "A local time occurs twice (a daylight-saving change); pir takes the earlier one.";
    SignupToSelf = "W503", "signup-to-self", Warning, "The newsletter's sign-up form posts to a page of the zine's own site, which cannot take sign-ups.";
    SkeletonText = "W801", "skeleton-text", Warning, "Example text that `pir new` or `pir init` wrote is still in place (a placeholder impact, title, summary, alt text, organization, drawing, paragraph or timeline entry).";
    EmptySection = "W802", "empty-section", Warning, "A required section of an incident has a heading but nothing under it (an imported draft's Action items, say).";
    NoEditors = "W803", "no-editors", Warning, "An issue names no editors (`editors = []`), so the cover credits nobody.";
    PublishedBeforeDate = "W804", "published-before-date", Warning, "An incident's `published` date is earlier than its `date`: a report cannot come out before the incident began.";
    UnknownTemplate = "W805", "unknown-template", Warning, "A file in `templates/` has a template's extension but no built-in template has its name and no template refers to it, so nothing uses it (usually a misspelling).";
    ReviewChecklist = "W806", "review-checklist", Warning, "An incident in review lacks what a review looks for: a reviewer, when it was detected, an analysis of what contributed, action items as a list.";
    NoPerspective = "H701", "no-perspective", Hint, "An incident has no cast and no first-person narrative: nobody's view of the story (see `pir prompts`, [cast] and [first-person]).";
    EntriesWithoutView = "H702", "entries-without-view", Hint, "Timeline entries say what happened but not whose view it is (see `pir prompts`, [senses]).";
    PassiveVoice = "H703", "passive-voice", Hint, "A write-up is told almost wholly in the passive voice, so nobody acts in it (see `pir prompts`, [first-person]).";
    Counterfactual = "H704", "counterfactual", Hint, "Hindsight with a person as its subject (\"the on-call engineer should have checked\", \"failed to\", \"neglected to\", \"forgot to\") judges what they did by what is known now.";
    BlameLabel = "H705", "blame-label", Hint, "A label for blame (\"human error\", \"operator error\", \"careless\", \"negligent\") stands where the action and its conditions belong.";
    Minimiser = "H706", "minimiser", Hint, "A word that makes the work sound trivial (\"simply\", \"just\", \"obviously\", \"clearly\", \"of course\").";
    SingleRootCause = "H707", "single-root-cause", Hint, "A write-up that lists several contributing factors names one of them \"the root cause\".";
    TypstError = "E601", "typst-error", Error, "Typst could not typeset an issue (usually an error in a template override); the excerpt shows the Typst source.";
    TemplateError = "E602", "template-error", Error, "An HTML or feed template (usually an override in templates/) has a syntax or rendering error.";
    OutputCollision = "E603", "output-collision", Error, "Two different output files would be written to the same path in the output folder.";
    TypstWarning = "W601", "typst-warning", Warning, "Typst warned while typesetting an issue.";
    NotAccessible = "W603", "not-pdf-ua", Warning, "An issue's PDF could not be exported as PDF/UA-1 (accessible PDF); it is written as a tagged PDF instead.";
    PageCount = "W602", "page-count", Warning, "The typeset issue has a different number of pages than `pages` in issue.toml plans.";
    PagePadding = "W604", "page-padding", Warning, "An issue's page count is not a multiple of 4, so its booklet gets blank pages (at the end, before the back cover if there is one).";
}

/// A secondary place a diagnostic refers to.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    #[serde(skip)]
    pub file: FileId,
    #[serde(skip)]
    pub span: Range<usize>,
    pub message: String,
}

/// One problem found in a project.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// The file and byte range; `None` for a problem with a folder, not a file's text.
    pub file: Option<FileId>,
    pub span: Range<usize>,
    /// A path to show when there is no file (a folder, a missing file).
    pub path: Option<PathBuf>,
    pub label: Option<String>,
    pub hint: Option<String>,
    pub related: Vec<Related>,
    /// The one edit that fixes it, when the hint has a single answer (for editors' quick fixes).
    pub suggestion: Option<Suggestion>,
    /// The severity the zine gave this hint in `zine.toml` (`[hints]`), when not its code's own.
    pub level: Option<Severity>,
}

/// A machine-applicable fix: replace `span` of the diagnostic's file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub span: Range<usize>,
    pub replacement: String,
}

impl Diagnostic {
    /// A diagnostic pointing at `span` in `file`.
    pub fn new(code: Code, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: Some(file),
            span,
            path: None,
            label: None,
            hint: None,
            related: Vec::new(),
            suggestion: None,
            level: None,
        }
    }

    /// A diagnostic about a path that has no text to point into.
    pub fn at_path(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: None,
            span: 0..0,
            path: Some(path.into()),
            label: None,
            hint: None,
            related: Vec::new(),
            suggestion: None,
            level: None,
        }
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a short label under the underlined span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary place ("first defined here").
    pub fn related(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Adds the edit that fixes it: `span` (in the same file) becomes `replacement`.
    pub fn suggest(mut self, span: Range<usize>, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
        });
        self
    }

    /// Suggests another string value for one written as `written` at `span`,
    /// inside its quotes if it has them; no suggestion when the source text
    /// is not exactly the value (escapes, trimmed spaces), to never guess.
    pub fn suggest_value(self, span: Range<usize>, written: &str, replacement: &str) -> Self {
        let len = span.end.saturating_sub(span.start);
        if len == written.len() + 2 {
            self.suggest(span.start + 1..span.end - 1, replacement)
        } else if len == written.len() {
            self.suggest(span, replacement)
        } else {
            self
        }
    }

    /// The same diagnostic with its file ids moved by `base` (see [`Sources::append`]).
    pub fn shifted(mut self, base: FileId) -> Self {
        self.file = self.file.map(|f| f + base);
        for r in &mut self.related {
            r.file += base;
        }
        self
    }

    /// The severity of this diagnostic: its code's, or the level the zine set for it.
    pub fn severity(&self) -> Severity {
        self.level.unwrap_or(self.code.severity())
    }
}

/// The text of every file loaded, so diagnostics can quote it.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    paths: Vec<PathBuf>,
    /// Texts that loading reads instead of the disk (an editor's unsaved buffers),
    /// shared with the stores that load folders in parallel.
    overlay: std::sync::Arc<Overlay>,
}

/// Unsaved texts by project-relative path, which loading reads instead of the files on disk.
pub type Overlay = HashMap<PathBuf, String>;

impl Sources {
    /// An empty store whose loading reads `overlay`'s texts before the disk.
    pub fn with_overlay(overlay: Overlay) -> Self {
        Sources {
            overlay: std::sync::Arc::new(overlay),
            ..Sources::default()
        }
    }

    /// The unsaved text standing in for the file at `path`, if any.
    pub fn unsaved(&self, path: &Path) -> Option<&str> {
        self.overlay.get(path).map(String::as_str)
    }

    /// Stores a file's text under its path relative to the project root.
    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        self.paths.push(path.to_path_buf());
        self.files.add(display_path(path), text)
    }

    /// An empty store reading the same unsaved texts, to load a folder in parallel.
    pub fn sibling(&self) -> Self {
        Sources {
            overlay: self.overlay.clone(),
            ..Sources::default()
        }
    }

    /// Moves every file of a sibling store to the end of this one, in order,
    /// and returns the offset to add to the sibling's file ids.
    pub fn append(&mut self, other: Sources) -> FileId {
        let base = self.paths.len();
        for (id, path) in other.paths.iter().enumerate() {
            self.add(path, other.text(id).to_string());
        }
        base
    }

    /// Moves the files of another store that `diags` point into (they refer to
    /// `other`) into this one, re-pointing them. Files no diagnostic points
    /// into are dropped: a build of a large archive would otherwise keep
    /// every document's generated Typst sources until it ends.
    pub fn absorb(&mut self, other: Sources, diags: &mut [Diagnostic]) {
        let mut moved: HashMap<FileId, FileId> = HashMap::new();
        let mut place = |f: FileId, this: &mut Sources| {
            *moved
                .entry(f)
                .or_insert_with(|| this.add(other.path(f), other.text(f).to_string()))
        };
        for d in diags {
            d.file = d.file.map(|f| place(f, self));
            for r in &mut d.related {
                r.file = place(r.file, self);
            }
        }
    }

    /// The text of a stored file.
    pub fn text(&self, id: FileId) -> &str {
        self.files
            .get(id)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// The id of the file stored under `path`, if it was loaded.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.paths.iter().position(|p| p == path)
    }

    /// The path of a stored file, relative to the project root.
    pub fn path(&self, id: FileId) -> &Path {
        &self.paths[id]
    }

    /// The paths of every stored file, in the order they were added.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.paths.iter().map(PathBuf::as_path)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

/// Shows paths with forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The largest char boundary at or before `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Orders diagnostics by file, then position, then code, so output is stable.
pub fn sort(diags: &mut [Diagnostic], sources: &Sources) {
    let key = |d: &Diagnostic| {
        let path = match (d.file, &d.path) {
            (Some(f), _) => display_path(sources.path(f)),
            (None, Some(p)) => display_path(p),
            (None, None) => String::new(),
        };
        (path, d.span.start, d.code)
    };
    diags.sort_by_key(key);
}

/// Writes diagnostics for people: excerpts, underlines, hints.
pub fn emit_human(
    out: &mut dyn term::termcolor::WriteColor,
    sources: &Sources,
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diags {
        let rendered = to_codespan(d, sources);
        term::emit_to_write_style(out, &config, &sources.files, &rendered)
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Builds the codespan-reporting form of a diagnostic.
fn to_codespan(d: &Diagnostic, sources: &Sources) -> cs::Diagnostic<FileId> {
    let severity = match d.severity() {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Hint => cs::Severity::Help,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    match d.file {
        Some(file) => {
            let span = clamp(sources.text(file), d.span.clone());
            labels.push(
                cs::Label::primary(file, span).with_message(d.label.clone().unwrap_or_default()),
            );
        }
        None => {
            if let Some(path) = &d.path {
                notes.push(format!("in {}", display_path(path)));
            }
        }
    }
    for r in &d.related {
        let span = clamp(sources.text(r.file), r.span.clone());
        labels.push(cs::Label::secondary(r.file, span).with_message(r.message.clone()));
    }
    if let Some(h) = &d.hint {
        notes.push(format!("hint: {h}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(format!("{} {}", d.code.code(), d.code.name()))
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Keeps a span inside the text and on char boundaries, whatever a stage computed.
pub fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    start..end
}

/// The version of the JSON form; `schemas/diagnostic-v1.schema.json` describes it.
/// A field is only ever added within a version; a change to one that exists makes a new version.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The JSON form of a diagnostic: one object per line.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    version: u32,
    severity: Severity,
    code: &'static str,
    name: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    message: &'a str,
    /// The words under the underline, when there are any.
    label: Option<&'a str>,
    hint: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    suggestion: Option<JsonSuggestion<'a>>,
}

/// The machine-applicable fix in the JSON form: replace from (line, column) to (end_line, end_column).
#[derive(Serialize)]
struct JsonSuggestion<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

/// A secondary place in the JSON form.
#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

/// Writes diagnostics as JSON lines, for editors and CI.
pub fn emit_json(
    out: &mut dyn Write,
    sources: &Sources,
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    for d in diags {
        let (file, start, end) = match d.file {
            Some(f) => {
                let span = clamp(sources.text(f), d.span.clone());
                (
                    display_path(sources.path(f)),
                    Some(sources.line_col(f, span.start)),
                    Some(sources.line_col(f, span.end)),
                )
            }
            None => (
                d.path.as_deref().map(display_path).unwrap_or_default(),
                None,
                None,
            ),
        };
        let related = d
            .related
            .iter()
            .map(|r| {
                let span = clamp(sources.text(r.file), r.span.clone());
                let ((line, column), (end_line, end_column)) = (
                    sources.line_col(r.file, span.start),
                    sources.line_col(r.file, span.end),
                );
                JsonRelated {
                    file: display_path(sources.path(r.file)),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &r.message,
                }
            })
            .collect();
        let suggestion = match (d.file, &d.suggestion) {
            (Some(f), Some(s)) => {
                let span = clamp(sources.text(f), s.span.clone());
                let ((line, column), (end_line, end_column)) = (
                    sources.line_col(f, span.start),
                    sources.line_col(f, span.end),
                );
                Some(JsonSuggestion {
                    line,
                    column,
                    end_line,
                    end_column,
                    replacement: &s.replacement,
                })
            }
            _ => None,
        };
        let json = JsonDiagnostic {
            version: JSON_SCHEMA_VERSION,
            severity: d.severity(),
            code: d.code.code(),
            name: d.code.name(),
            file,
            line: start.map(|s| s.0),
            column: start.map(|s| s.1),
            end_line: end.map(|e| e.0),
            end_column: end.map(|e| e.1),
            message: &d.message,
            label: d.label.as_deref(),
            hint: d.hint.as_deref(),
            related,
            suggestion,
        };
        serde_json::to_writer(&mut *out, &json)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Finds the candidate closest to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase().replace('-', "_");
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word, &c.to_lowercase().replace('-', "_")),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorbing_moves_only_the_files_diagnostics_point_into() {
        let mut mine = Sources::default();
        mine.add(Path::new("zine.toml"), "title = 1".into());
        let mut other = Sources::default();
        other.add(Path::new("/main.typ"), "unused".into());
        let markup = other.add(Path::new("/markup.typ"), "#piece()".into());
        let mut diags = vec![Diagnostic::new(Code::TypstError, markup, 1..6, "x")];
        mine.absorb(other, &mut diags);
        let f = diags[0].file.expect("a file");
        assert_eq!(mine.path(f), Path::new("/markup.typ"));
        assert_eq!(mine.text(f), "#piece()");
        assert_eq!(
            mine.find(Path::new("/main.typ")),
            None,
            "nothing points into it"
        );
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.code()), "duplicate code {}", code.code());
            let prefix = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
                Severity::Hint => 'H',
            };
            assert!(
                code.code().starts_with(prefix),
                "{} has the wrong prefix",
                code.code()
            );
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let mut s = Sources::default();
        let id = s.add(Path::new("a.md"), "ab\nçé x\n".into());
        assert_eq!(s.line_col(id, 0), (1, 1));
        assert_eq!(s.line_col(id, 3), (2, 1));
        // 'x' is after two two-byte characters and a space.
        assert_eq!(s.line_col(id, 8), (2, 4));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["base_url", "title", "newsletter_url"];
        assert_eq!(did_you_mean("baseurl", keys), Some("base_url"));
        assert_eq!(did_you_mean("base-url", keys), Some("base_url"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
