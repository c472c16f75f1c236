//! `pir build` as a library function: check, typeset, impose, collect the files of `public/`.
//!
//! Building never starts from a project with errors: the check runs first,
//! and its errors stop the build before anything is written. Every output
//! is collected in memory and handed to `publish`, which swaps it in whole.

use std::path::PathBuf;

use crate::check::Report;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::impose;
use crate::model::{Issue, Status};
use crate::render::typst::data::PrintedDoc;
use crate::render::typst::{self as typeset, Job, world::Fonts};

/// What the user asked of the build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include issues whose status is draft.
    pub drafts: bool,
    /// Write the generated Typst sources beside each PDF.
    pub emit_typst: bool,
    /// Print settings that override `[print]` in zine.toml.
    pub print: PrintOverrides,
}

/// Command-line overrides of `[print]`.
#[derive(Debug, Clone, Default)]
pub struct PrintOverrides {
    pub a4: bool,
    pub long_edge: Option<bool>,
    pub creep: Option<f64>,
    pub crop_marks: bool,
}

/// One document's share of the output.
#[derive(Debug, Clone)]
pub struct DocOutput {
    /// `issues/march-2020` or `pocket/prompts`.
    pub dir: PathBuf,
    pub title: String,
    pub pages: usize,
    pub pdf_bytes: usize,
    /// Sheets of paper the print PDF needs.
    pub sheets: usize,
    /// The letter print PDF's file name.
    pub print_file: String,
    pub print_bytes: usize,
}

/// Everything a build produced: files by path relative to the output folder.
#[derive(Default)]
pub struct Built {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub docs: Vec<DocOutput>,
}

/// The issues a build publishes.
pub fn published<'a>(issues: &'a [Issue], options: &Options) -> impl Iterator<Item = &'a Issue> {
    let drafts = options.drafts;
    issues.iter().filter(move |i| drafts || i.status == Status::Published)
}

/// Builds every published issue and every pocket zine of a checked project.
/// Errors and warnings found on the way are added to the report; files are
/// returned only when there was no error.
pub fn build(report: &mut Report, options: &Options) -> Option<Built> {
    if report.has_errors() {
        return None;
    }
    let fonts = match Fonts::with_project(&report.project.root.join("fonts")) {
        Ok(f) => f,
        Err(e) => {
            report.diags.push(Diagnostic::at_path(Code::Io, "fonts", format!("cannot read the project's fonts: {e}")));
            return None;
        }
    };
    let project = &report.project;
    let print = &project.site.print;
    let imposition = impose::Options {
        paper: impose::Paper::Letter,
        duplex: if options.print.long_edge.unwrap_or(print.long_edge) { impose::Duplex::LongEdge } else { impose::Duplex::ShortEdge },
        creep: options.print.creep.unwrap_or(print.creep),
        crop_marks: options.print.crop_marks || print.crop_marks,
    };
    let mut papers = vec![impose::Paper::Letter];
    if options.print.a4 || print.a4 {
        papers.push(impose::Paper::A4);
    }
    let mut built = Built::default();
    let mut diags = Vec::new();
    let mut jobs: Vec<(Job, String, String, Option<u32>)> = Vec::new();
    for issue in published(&project.issues, options) {
        let title = format!("Issue {}: {}", issue.number.value, issue.title);
        jobs.push((Job::issue(project, issue), format!("issue-{}", issue.number.value), title, issue.pages.map(|p| p.max(1))));
    }
    for pocket in &project.pockets {
        jobs.push((Job::pocket(project, pocket), pocket.slug.clone(), pocket.title.clone(), None));
    }
    for (job, stem, title, planned) in &jobs {
        let mini = job.template == "pocket.typ";
        let typeset = match typeset::typeset(project, job, fonts.clone(), &mut report.sources) {
            Ok(t) => t,
            Err(errors) => {
                diags.extend(errors);
                continue;
            }
        };
        diags.extend(typeset.warnings);
        let pages = typeset.document.pages().len();
        if let Some(planned) = planned.filter(|p| *p as usize != pages) {
            let issue = published(&project.issues, options).find(|i| i.slug == job.slug).expect("the job's issue");
            diags.push(
                Diagnostic::new(
                    Code::PageCount,
                    issue.file,
                    0..0,
                    format!("issue {} typesets to {pages} pages, not the {planned} that issue.toml plans", issue.number.value),
                )
                .hint(format!("set `pages = {pages}`, or edit the pieces until the layout fits {planned} pages")),
            );
        }
        let ident = job.dir.to_string_lossy().replace('\\', "/");
        let Some(pdf) = reading_pdf(&typeset.document, &ident, job, title, &mut diags) else {
            continue;
        };
        if options.emit_typst {
            for (path, data) in &typeset.files {
                built.files.push((job.dir.join("typst").join(path.trim_start_matches('/')), data.clone()));
            }
        }
        let mut print_bytes = 0;
        let sheets = if mini { 1 } else { impose::booklet_order(pages).len() };
        for paper in papers.iter().copied() {
            let imposed = if mini {
                impose::mini(&typeset.document, paper)
            } else {
                Ok(impose::booklet(&typeset.document, &impose::Options { paper, ..imposition }))
            };
            let exported = imposed.and_then(|doc| typeset::pdf(&doc, &format!("{ident}/{}", paper.suffix()), job.date, false, false));
            match exported {
                Ok(bytes) => {
                    print_bytes = print_bytes.max(bytes.len());
                    built.files.push((job.dir.join(format!("{stem}-{}.pdf", paper.suffix())), bytes));
                }
                Err(e) => {
                    diags.push(Diagnostic::at_path(Code::TypstError, job.dir.clone(), format!("cannot make the print PDF of {title}: {e}")))
                }
            }
        }
        let print_file = format!("{stem}-print.pdf");
        built.docs.push(DocOutput {
            dir: job.dir.clone(),
            title: title.clone(),
            pages,
            pdf_bytes: pdf.len(),
            sheets,
            print_bytes,
            print_file,
        });
        built.files.push((job.dir.join(format!("{stem}.pdf")), pdf));
    }
    let printing = printing_page(report, &fonts, &mut built, &mut diags);
    if !diags.iter().any(|d| d.severity() == diagnostic::Severity::Error) {
        let input = crate::site::Input {
            project: &report.project,
            issues: published(&report.project.issues, options).collect(),
            files: &built.files,
            docs: &built.docs,
            printing: printing.as_ref(),
        };
        match crate::site::render(&input, &mut report.sources) {
            Ok(files) => built.files.extend(files),
            Err(errors) => diags.extend(errors),
        }
    }
    let failed = diags.iter().any(|d| d.severity() == diagnostic::Severity::Error);
    report.diags.extend(diags);
    diagnostic::sort(&mut report.diags, &report.sources);
    (!failed).then_some(built)
}

/// Typesets the printing and folding instructions (`printing.pdf`) with the
/// sheet counts of everything the build printed.
fn printing_page(
    report: &mut Report,
    fonts: &std::sync::Arc<Fonts>,
    built: &mut Built,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::model::Piece> {
    let project = &report.project;
    let (text, name) = match typeset::template(&project.root, "printing.md") {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::at_path(Code::Io, "templates/printing.md", format!("cannot read the printing instructions: {e}")));
            return None;
        }
    };
    let file = report.sources.add(std::path::Path::new(&name), text.clone());
    let piece = crate::load::piece::load(file, "printing", &text, diags)?;
    let documents: Vec<PrintedDoc> = built
        .docs
        .iter()
        .map(|d| PrintedDoc { title: d.title.clone(), file: d.print_file.clone(), pages: d.pages, sheets: d.sheets })
        .collect();
    let job = Job::printing(project, &piece, &documents);
    match typeset::typeset(project, &job, fonts.clone(), &mut report.sources) {
        Ok(t) => {
            diags.extend(t.warnings);
            if let Some(pdf) = reading_pdf(&t.document, "printing", &job, "the printing instructions", diags) {
                built.files.push((PathBuf::from("printing.pdf"), pdf));
            }
        }
        Err(errors) => diags.extend(errors),
    }
    Some(piece)
}

/// Exports a reading PDF: PDF/UA-1 when the document allows it (a template
/// override may not), tagged PDF with a warning otherwise.
fn reading_pdf(
    document: &typst_layout::PagedDocument,
    ident: &str,
    job: &Job<'_>,
    title: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<u8>> {
    let pdf = typeset::pdf(document, ident, job.date, true, true).or_else(|why| {
        diags.push(
            Diagnostic::at_path(Code::NotAccessible, job.dir.clone(), format!("the PDF of {title} is tagged but not PDF/UA-1: {why}"))
                .hint("give every image alt text, start with a level-1 heading, and keep the document's title and language set in the template"),
        );
        typeset::pdf(document, ident, job.date, false, true)
    });
    match pdf {
        Ok(pdf) => Some(pdf),
        Err(e) => {
            diags.push(Diagnostic::at_path(Code::TypstError, job.dir.clone(), format!("cannot export the PDF of {title}: {e}")));
            None
        }
    }
}
