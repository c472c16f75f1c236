//! `pir status`: where each issue and piece stands, for the editor of the
//! next issue.
//!
//! One row per piece: its stage of review (`status`), who reviews it, how
//! many words it has and how long it takes to read, the pages it takes in
//! the typeset issue, and the warnings still open on it; one line per issue
//! or pocket zine with its own status, pages and warnings. The board is made
//! from a checked project and, for the pages, from laid-out documents:
//! `pir status` typesets them itself, `pir serve` takes them from its build.
//! It prints for people, as JSON for a dashboard, or as the HTML panel the
//! preview's home page shows while an issue is a draft.

use std::fmt::Write;

use serde::Serialize;

use crate::check::Report;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::edition::{DocId, IssueId};
use crate::model::{Piece, Status};

/// Words a minute for the reading time: an adult reading non-fiction silently.
pub const WORDS_PER_MINUTE: usize = 230;

/// The version of the JSON form; fields are only ever added within a version.
pub const JSON_VERSION: u32 = 1;

/// Every issue and pocket zine of a project, newest issue first.
#[derive(Debug, Serialize)]
pub struct Board {
    pub version: u32,
    pub issues: Vec<Row>,
    pub pockets: Vec<Row>,
}

/// An issue or a pocket zine and its pieces.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Its folder in the project (`issues/march-2020`).
    pub folder: String,
    pub number: Option<u32>,
    pub title: String,
    /// "published" or "draft" (a pocket zine is always published).
    pub status: &'static str,
    /// The pages it typesets to, when it was laid out.
    pub pages: Option<usize>,
    /// The pages `issue.toml` plans.
    pub planned_pages: Option<u32>,
    /// Errors and warnings of its settings file.
    pub errors: usize,
    pub warnings: Vec<Open>,
    pub pieces: Vec<PieceRow>,
}

/// One piece's row.
#[derive(Debug, Serialize)]
pub struct PieceRow {
    /// Its file, relative to the project.
    pub file: String,
    pub kind: &'static str,
    pub title: String,
    /// "draft", "review" or "final".
    pub status: &'static str,
    pub reviewers: Vec<String>,
    pub words: usize,
    pub reading_minutes: usize,
    /// The page it starts on, and how many it takes, when the document was laid out.
    pub first_page: Option<usize>,
    pub pages: Option<usize>,
    pub errors: usize,
    pub warnings: Vec<Open>,
    pub hints: usize,
}

/// A warning still open.
#[derive(Debug, Serialize)]
pub struct Open {
    pub code: &'static str,
    pub line: usize,
    pub message: String,
}

/// A laid-out document: its pages, and the page each piece starts on.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub pages: usize,
    pub starts: Vec<usize>,
}

/// The board of a checked project; `layout` gives a document's layout when it is known.
pub fn board(report: &Report, layout: &dyn Fn(&DocId) -> Option<Layout>) -> Board {
    let project = &report.project;
    let mut issues: Vec<&crate::model::Issue> = project.issues.iter().collect();
    issues.sort_by_key(|i| std::cmp::Reverse(i.number.value));
    let issues = issues
        .into_iter()
        .map(|issue| {
            let id = IssueId::of(issue);
            let status = match issue.status {
                Status::Draft => "draft",
                Status::Published => "published",
            };
            let found = layout(&id.doc());
            let mut row = row(report, issue.file, &issue.pieces, found.as_ref());
            row.folder = crate::diagnostic::display_path(&id.folder());
            row.number = Some(issue.number.value);
            row.title = issue.title.clone();
            row.status = status;
            row.planned_pages = issue.pages;
            row
        })
        .collect();
    let pockets = project
        .pockets
        .iter()
        .map(|pocket| {
            let doc = DocId::pocket(pocket);
            let found = layout(&doc);
            let mut row = row(report, pocket.file, &pocket.pieces, found.as_ref());
            row.folder = crate::diagnostic::display_path(&doc.folder());
            row.title = pocket.title.clone();
            row
        })
        .collect();
    Board {
        version: JSON_VERSION,
        issues,
        pockets,
    }
}

/// The row of a folder of pieces (its folder, number and title are filled in by the caller).
fn row(report: &Report, file: FileId, pieces: &[Piece], layout: Option<&Layout>) -> Row {
    let (errors, warnings) = open(report, file);
    // A layout that does not mark every piece (a template override without the marks) says nothing of pieces.
    let layout = layout.filter(|l| l.starts.len() == pieces.len());
    let pieces = pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let (errors, warnings) = open(report, piece.file);
            let words = words(piece);
            let first_page = layout.map(|l| l.starts[i]);
            let pages = layout.map(|l| {
                let next = l.starts.get(i + 1).copied().unwrap_or(l.pages + 1);
                next.saturating_sub(l.starts[i])
            });
            PieceRow {
                file: crate::diagnostic::display_path(&piece.path),
                kind: piece.kind.name(),
                title: piece.title.clone(),
                status: piece.status.name(),
                reviewers: piece.reviewers.clone(),
                words,
                reading_minutes: words.div_ceil(WORDS_PER_MINUTE),
                first_page,
                pages,
                errors,
                warnings,
                hints: of(report, piece.file, Severity::Hint).count(),
            }
        })
        .collect();
    Row {
        folder: String::new(),
        number: None,
        title: String::new(),
        status: "published",
        pages: layout.map(|l| l.pages),
        planned_pages: None,
        errors,
        warnings,
        pieces,
    }
}

/// The diagnostics of one file with one severity.
fn of(report: &Report, file: FileId, severity: Severity) -> impl Iterator<Item = &Diagnostic> {
    report
        .diags
        .iter()
        .filter(move |d| d.file == Some(file) && d.severity() == severity)
}

/// How many errors a file has, and its warnings.
fn open(report: &Report, file: FileId) -> (usize, Vec<Open>) {
    let warnings = of(report, file, Severity::Warning)
        .map(|d| Open {
            code: d.code.code(),
            line: report.sources.line_col(file, d.span.start).0,
            message: d.message.clone(),
        })
        .collect();
    (of(report, file, Severity::Error).count(), warnings)
}

/// The words a reader reads in a piece: its body, its timeline and its notes.
pub fn words(piece: &Piece) -> usize {
    piece
        .plain_text()
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The layout of every issue and pocket zine that has no errors, typeset here.
pub fn typeset_all(report: &Report) -> Vec<(DocId, Layout)> {
    use crate::render::typst::{Job, piece_starts, typeset, world::Fonts};
    let project = &report.project;
    let Ok(fonts) = Fonts::with_project(&project.root.join("fonts")) else {
        return Vec::new();
    };
    let clean = |file: FileId, pieces: &[Piece]| {
        !report.diags.iter().any(|d| {
            d.severity() == Severity::Error
                && (d.file == Some(file) || pieces.iter().any(|p| d.file == Some(p.file)))
        })
    };
    let jobs: Vec<Job<'_>> = project
        .issues
        .iter()
        .filter(|i| clean(i.file, &i.pieces))
        .map(|i| Job::issue(project, i))
        .chain(
            project
                .pockets
                .iter()
                .filter(|p| clean(p.file, &p.pieces))
                .map(|p| Job::pocket(project, p)),
        )
        .collect();
    jobs.iter()
        .filter_map(|job| {
            let mut scratch = crate::diagnostic::Sources::default();
            let laid = typeset(project, job, fonts.clone(), &mut scratch).ok()?;
            let layout = Layout {
                pages: laid.document.pages().len(),
                starts: piece_starts(&laid.document),
            };
            Some((job.doc.clone(), layout))
        })
        .collect()
}

/// The board for people: one block per issue and pocket zine.
pub fn human(board: &Board) -> String {
    let mut out = String::new();
    for row in board.issues.iter().chain(&board.pockets) {
        let name = match row.number {
            Some(n) => format!("Issue {n}, {}", row.title),
            None => format!("Pocket zine, {}", row.title),
        };
        let pages = match (row.pages, row.planned_pages) {
            (Some(p), Some(plan)) if p as u32 != plan => format!("{p} pages ({plan} planned)"),
            (Some(p), _) => format!("{p} pages"),
            (None, _) => "pages unknown until its errors are fixed".to_string(),
        };
        let open = match problems(row.errors, row.warnings.len()) {
            none if none == "none" => "no open warnings".to_string(),
            some => some,
        };
        let _ = writeln!(
            out,
            "{name} ({}): {}, {pages}, {open}",
            row.folder, row.status
        );
        let _ = writeln!(
            out,
            "  {:<22} {:<13} {:<7} {:<22} {:>6} {:>8} {:>6}  open",
            "piece", "kind", "status", "reviewers", "words", "reading", "pages"
        );
        for p in &row.pieces {
            let file = p.file.rsplit('/').next().unwrap_or(&p.file);
            let reviewers = if p.reviewers.is_empty() {
                "-".to_string()
            } else {
                p.reviewers.join(", ")
            };
            let pages = match (p.first_page, p.pages) {
                (Some(first), Some(n)) if n > 1 => format!("{first}-{}", first + n - 1),
                (Some(first), Some(_)) => first.to_string(),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "  {file:<22} {:<13} {:<7} {reviewers:<22} {:>6} {:>4} min {pages:>6}  {}",
                p.kind,
                p.status,
                p.words,
                p.reading_minutes,
                problems(p.errors, p.warnings.len())
            );
            for w in &p.warnings {
                let _ = writeln!(out, "      {} line {}: {}", w.code, w.line, w.message);
            }
        }
        out.push('\n');
    }
    out
}

/// "1 error, 2 warnings", or "none".
fn problems(errors: usize, warnings: usize) -> String {
    use crate::edition::words::plural;
    match (errors, warnings) {
        (0, 0) => "none".to_string(),
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// The board of the draft issues as an HTML panel, for the preview's home page; `None` without drafts.
pub fn draft_panel(board: &Board) -> Option<String> {
    let drafts: Vec<&Row> = board
        .issues
        .iter()
        .filter(|r| r.status == "draft")
        .collect();
    if drafts.is_empty() {
        return None;
    }
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut out = String::from(
        "<section id=\"pir-status\" aria-label=\"Where the draft issues stand\" style=\"max-width:52rem;margin:1.5rem auto;padding:1rem;border:2px dashed #b00020;font:14px/1.4 system-ui,sans-serif;background:#fff;color:#111;overflow-x:auto\">\n<p style=\"margin:0 0 .5rem;font-weight:700\">Preview only: where the draft issues stand (<code>pir status</code>)</p>\n",
    );
    for row in drafts {
        let pages = row
            .pages
            .map_or("pages unknown".to_string(), |p| format!("{p} pages"));
        let _ = write!(
            out,
            "<table style=\"border-collapse:collapse;width:100%;margin:.5rem 0\"><caption style=\"text-align:left;font-weight:700\">Issue {}: {} ({})</caption>\n<tr><th scope=\"col\">Piece</th><th scope=\"col\">Status</th><th scope=\"col\">Reviewers</th><th scope=\"col\">Words</th><th scope=\"col\">Reading</th><th scope=\"col\">Pages</th><th scope=\"col\">Open warnings</th></tr>\n",
            row.number.unwrap_or_default(),
            esc(&row.title),
            pages
        );
        for p in &row.pieces {
            let pages = match (p.first_page, p.pages) {
                (Some(first), Some(n)) if n > 1 => format!("pp.&nbsp;{first}–{}", first + n - 1),
                (Some(first), Some(_)) => format!("p.&nbsp;{first}"),
                _ => "–".to_string(),
            };
            let open: Vec<String> = p
                .warnings
                .iter()
                .map(|w| format!("{} line {}: {}", w.code, w.line, esc(&w.message)))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} min</td><td>{pages}</td><td>{}</td></tr>",
                esc(&p.title),
                p.status,
                if p.reviewers.is_empty() {
                    "–".to_string()
                } else {
                    esc(&p.reviewers.join(", "))
                },
                p.words,
                p.reading_minutes,
                if open.is_empty() {
                    "none".to_string()
                } else {
                    open.join("<br>")
                }
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
    Some(out)
}
