//! `pir build` as a library function: check, typeset, collect the files of `public/`.
//!
//! Building never starts from a project with errors: the check runs first,
//! and its errors stop the build before anything is written. Every output
//! is collected in memory and handed to `publish`, which swaps it in whole.

use std::path::PathBuf;

use crate::check::Report;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::impose;
use crate::model::Status;
use crate::render::typst::{self as typeset, world::Fonts};

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

/// One issue's share of the output.
#[derive(Debug, Clone)]
pub struct IssueOutput {
    pub slug: String,
    pub number: u32,
    pub pages: usize,
    pub pdf_bytes: usize,
    /// Sheets of paper the print PDF needs (both sides printed).
    pub sheets: usize,
    pub print_bytes: usize,
}

/// Everything a build produced: files by path relative to the output folder.
#[derive(Default)]
pub struct Built {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub issues: Vec<IssueOutput>,
}

/// Builds every (published) issue of a checked project. Errors and warnings
/// found on the way are added to the report; files are returned only when
/// there was no error.
pub fn build(report: &mut Report, options: &Options) -> Option<Built> {
    if report.has_errors() {
        return None;
    }
    let fonts = match Fonts::with_project(&report.project.root.join("fonts")) {
        Ok(f) => f,
        Err(e) => {
            report.diags.push(Diagnostic::at_path(
                Code::Io,
                "fonts",
                format!("cannot read the project's fonts: {e}"),
            ));
            return None;
        }
    };
    let mut built = Built::default();
    let project = &report.project;
    let print = &project.site.print;
    let imposition = impose::Options {
        paper: impose::Paper::Letter,
        duplex: if options.print.long_edge.unwrap_or(print.long_edge) {
            impose::Duplex::LongEdge
        } else {
            impose::Duplex::ShortEdge
        },
        creep: options.print.creep.unwrap_or(print.creep),
        crop_marks: options.print.crop_marks || print.crop_marks,
    };
    let mut papers = vec![impose::Paper::Letter];
    if options.print.a4 || print.a4 {
        papers.push(impose::Paper::A4);
    }
    let mut diags = Vec::new();
    for issue in project
        .issues
        .iter()
        .filter(|i| options.drafts || i.status == Status::Published)
    {
        let typeset = match typeset::typeset(project, issue, fonts.clone(), &mut report.sources) {
            Ok(t) => t,
            Err(errors) => {
                diags.extend(errors);
                continue;
            }
        };
        diags.extend(typeset.warnings);
        let pages = typeset.document.pages().len();
        if let Some(planned) = issue.pages.filter(|p| *p as usize != pages) {
            diags.push(
                Diagnostic::new(Code::PageCount, issue.file, 0..0, format!("issue {} typesets to {pages} pages, not the {planned} that issue.toml plans", issue.number.value))
                    .hint(format!("set `pages = {pages}`, or edit the pieces until the layout fits {planned} pages")),
            );
        }
        // PDF/UA-1 when the document allows it (a template override may not), tagged PDF always.
        let pdf = match typeset::pdf(&typeset.document, issue, true).or_else(|why| {
            diags.push(
                Diagnostic::at_path(Code::NotAccessible, format!("issues/{}", issue.slug), format!("the PDF of issue {} is tagged but not PDF/UA-1: {why}", issue.number.value))
                    .hint("give every image alt text and keep the document's title and language set in the template"),
            );
            typeset::pdf(&typeset.document, issue, false)
        }) {
            Ok(pdf) => pdf,
            Err(e) => {
                diags.push(Diagnostic::at_path(
                    Code::TypstError,
                    format!("issues/{}", issue.slug),
                    format!("cannot export the PDF: {e}"),
                ));
                continue;
            }
        };
        let dir = PathBuf::from("issues").join(&issue.slug);
        if options.emit_typst {
            for (path, data) in &typeset.files {
                built.files.push((
                    dir.join("typst").join(path.trim_start_matches('/')),
                    data.clone(),
                ));
            }
        }
        let sheets = impose::booklet_order(pages).len();
        let mut print_bytes = 0;
        for paper in papers.iter().copied() {
            let imposed = impose::booklet(
                &typeset.document,
                &impose::Options {
                    paper,
                    ..imposition
                },
            );
            match typeset::print_pdf(&imposed, issue) {
                Ok(bytes) => {
                    print_bytes = print_bytes.max(bytes.len());
                    let name = format!("issue-{}-{}.pdf", issue.number.value, paper.suffix());
                    built.files.push((dir.join(name), bytes));
                }
                Err(e) => diags.push(Diagnostic::at_path(
                    Code::TypstError,
                    format!("issues/{}", issue.slug),
                    format!("cannot export the print PDF: {e}"),
                )),
            }
        }
        built.issues.push(IssueOutput {
            slug: issue.slug.clone(),
            number: issue.number.value,
            pages,
            pdf_bytes: pdf.len(),
            sheets,
            print_bytes,
        });
        built
            .files
            .push((dir.join(format!("issue-{}.pdf", issue.number.value)), pdf));
    }
    let failed = diags
        .iter()
        .any(|d| d.severity() == diagnostic::Severity::Error);
    report.diags.extend(diags);
    diagnostic::sort(&mut report.diags, &report.sources);
    (!failed).then_some(built)
}
