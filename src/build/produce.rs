//! Producing documents: typesetting one issue or pocket zine into its reading
//! PDF and every print variant; the print plan; loading the printing page.

use super::*;
use crate::model::{Duplex, Paper, Variant};

/// What typesetting one document gave.
pub(super) struct Produced {
    pub(super) files: Vec<(PathBuf, Vec<u8>)>,
    /// The project files Typst read (see [`world::ZineWorld::dependencies`]).
    pub(super) reads: BTreeMap<String, String>,
    pub(super) output: Option<DocOutput>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) sources: Sources,
}

/// The print files to make: papers and flip edges, the default first, and how to impose them.
#[derive(Debug)]
pub(super) struct PrintPlan {
    pub(super) papers: Vec<Paper>,
    pub(super) duplexes: Vec<Duplex>,
    pub(super) imposition: impose::Options,
}

impl PrintPlan {
    /// The plan from `[print]` in zine.toml and the command line's overrides.
    pub(super) fn new(print: &crate::model::Print, overrides: &PrintOverrides) -> PrintPlan {
        let imposition = impose::Options {
            creep: overrides.creep.unwrap_or(print.creep),
            crop_marks: overrides.crop_marks || print.crop_marks,
            ..impose::Options::default()
        };
        let mut duplexes = print.duplexes.clone();
        if let Some(first) = overrides.duplex {
            duplexes.retain(|d| *d != first);
            duplexes.insert(0, first);
        }
        PrintPlan {
            papers: print.papers.clone(),
            duplexes,
            imposition,
        }
    }

    /// The variants of a booklet (every paper and flip edge) or a mini zine (every paper, one side).
    pub(super) fn variants(&self, mini: bool) -> Vec<Variant> {
        let edges: Vec<Option<Duplex>> = if mini {
            vec![None]
        } else {
            self.duplexes.iter().copied().map(Some).collect()
        };
        self.papers
            .iter()
            .flat_map(|&paper| edges.iter().map(move |&duplex| Variant { paper, duplex }))
            .collect()
    }
}

/// Whether a document's last piece is a back cover, which stays the booklet's last page.
pub(super) fn ends_with_back_cover(pieces: &[crate::model::Piece]) -> bool {
    pieces
        .last()
        .is_some_and(|p| p.kind == crate::model::PieceKind::BackCover)
}

/// Typesets one document from its Typst `sources` and makes its reading and
/// print PDFs.
pub(super) fn produce(
    project: &crate::model::Project,
    job: &Job<'_>,
    title: &str,
    sources_files: Vec<(String, Vec<u8>)>,
    fonts: &Arc<Fonts>,
    plan: &PrintPlan,
    options: &Options,
) -> Produced {
    let mut sources = Sources::default();
    let typeset =
        match typeset::typeset_files(project, job, sources_files, fonts.clone(), &mut sources) {
            Ok(t) => t,
            Err(errors) => {
                return Produced {
                    files: Vec::new(),
                    reads: BTreeMap::new(),
                    output: None,
                    diags: errors,
                    sources,
                };
            }
        };
    let mut diags = typeset.warnings;
    let reads = typeset.dependencies;
    let pages = typeset.document.pages().len();
    let sheets = if job.doc.is_mini() {
        1
    } else {
        impose::booklet_order(pages, ends_with_back_cover(job.pieces)).len()
    };
    // The reading PDF and every print variant are exported from the same laid-out pages,
    // side by side: export is a third of a document's time, and a core would otherwise idle.
    let variants = plan.variants(job.doc.is_mini());
    let mut reading_diags = Vec::new();
    let (pdf, exported) = rayon::join(
        || {
            reading_pdf(
                &typeset.document,
                &job.doc.name(),
                job,
                title,
                &mut reading_diags,
            )
        },
        || {
            use rayon::prelude::*;
            variants
                .par_iter()
                .map(|v| print_pdf(&typeset.document, job, plan, sheets, *v))
                .collect::<Vec<_>>()
        },
    );
    diags.extend(reading_diags);
    let Some(pdf) = pdf else {
        return Produced {
            files: Vec::new(),
            reads,
            output: None,
            diags,
            sources,
        };
    };
    let mut files = Vec::new();
    if options.emit_typst {
        for (path, data) in &typeset.files {
            files.push((
                job.doc.typst_sources().join(path.trim_start_matches('/')),
                data.clone(),
            ));
        }
    }
    let starts = typeset::piece_starts(&typeset.document);
    drop(typeset.document);
    // Keep memory flat across a large archive: forget what no recent document used
    // (what pir serve still needs is used again at once and survives).
    typst::comemo::evict(4);
    let mut output = DocOutput {
        doc: job.doc.clone(),
        title: title.to_string(),
        pages,
        pdf_bytes: pdf.len(),
        sheets,
        print_bytes: 0,
        prints: Vec::new(),
        starts,
    };
    for result in exported {
        match result {
            Ok((variant, bytes)) => {
                output.print_bytes = output.print_bytes.max(bytes.len());
                files.push((job.doc.print_pdf(variant), bytes));
                output.prints.push(variant);
            }
            Err(e) => diags.push(Diagnostic::at_path(
                Code::TypstError,
                job.dir.clone(),
                format!("cannot make the print PDF of {title}: {e}"),
            )),
        }
    }
    files.push((job.doc.reading_pdf(), pdf));
    Produced {
        files,
        reads,
        output: Some(output),
        diags,
        sources,
    }
}

/// Imposes a document's laid-out pages for one print variant, its sheets
/// labelled in the margin, and exports the print PDF.
fn print_pdf(
    document: &typst_layout::PagedDocument,
    job: &Job<'_>,
    plan: &PrintPlan,
    sheets: usize,
    variant: Variant,
) -> Result<(Variant, Vec<u8>), String> {
    let mini = job.doc.is_mini();
    let sides = if mini { 1 } else { sheets * 2 };
    let lines: Vec<String> = (0..sides)
        .map(|s| crate::edition::words::sheet_line(variant, s, sides))
        .collect();
    let labels = typeset::margin_lines(&lines)?;
    let imposed = if mini {
        impose::mini(document, variant.paper, labels.first())?
    } else {
        let options = impose::Options {
            paper: variant.paper,
            duplex: variant.duplex.unwrap_or(Duplex::ShortEdge),
            back_cover: ends_with_back_cover(job.pieces),
            ..plan.imposition
        };
        impose::booklet(document, &options, &labels)
    };
    let ident = format!("{}/{}", job.doc.name(), variant.suffix());
    let bytes = typeset::pdf(&imposed, &ident, job.date, false, false)?;
    Ok((variant, bytes))
}

/// Loads the printing instructions (`templates/printing.md`, or the built-in one) as a piece.
pub(super) fn load_printing(
    project: &crate::model::Project,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::model::Piece> {
    let (text, name) = match typeset::template(&project.root, "printing.md") {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::at_path(
                Code::Io,
                "templates/printing.md",
                format!("cannot read the printing instructions: {e}"),
            ));
            return None;
        }
    };
    let file = sources.add(Path::new(&name), text.clone());
    crate::load::piece::load(file, "printing", &text, diags)
}

/// Exports a reading PDF: PDF/UA-1 when the document allows it (a template
/// override may not), tagged PDF with a warning otherwise.
pub(super) fn reading_pdf(
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
            diags.push(Diagnostic::at_path(
                Code::TypstError,
                job.dir.clone(),
                format!("cannot export the PDF of {title}: {e}"),
            ));
            None
        }
    }
}
