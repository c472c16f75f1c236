//! `pir build` as a library function: check, typeset, collect the files of `public/`.
//!
//! Building never starts from a project with errors: the check runs first,
//! and its errors stop the build before anything is written. Every output
//! is collected in memory and handed to `publish`, which swaps it in whole.

use std::path::PathBuf;

use crate::check::Report;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::model::Status;
use crate::render::typst::{self as typeset, world::Fonts};

/// What the user asked of the build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include issues whose status is draft.
    pub drafts: bool,
    /// Write the generated Typst sources beside each PDF.
    pub emit_typst: bool,
}

/// One issue's share of the output.
#[derive(Debug, Clone)]
pub struct IssueOutput {
    pub slug: String,
    pub number: u32,
    pub pages: usize,
    pub pdf_bytes: usize,
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
        built.issues.push(IssueOutput {
            slug: issue.slug.clone(),
            number: issue.number.value,
            pages,
            pdf_bytes: pdf.len(),
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
