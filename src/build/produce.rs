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
    // The reading PDF is exported once; every print variant is made from its pages.
    let mut reading_diags = Vec::new();
    let pdf = reading_pdf(
        &typeset.document,
        &job.doc.name(),
        job,
        title,
        &mut reading_diags,
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
    let pdf = Arc::new(pdf);
    let exported = print_pdfs(&typeset.document, &pdf, job, plan, sheets);
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
    files.push((job.doc.reading_pdf(), Arc::unwrap_or_clone(pdf)));
    Produced {
        files,
        reads,
        output: Some(output),
        diags,
        sources,
    }
}

/// Every print PDF of a document, made from its reading PDF `pdf` (the
/// layout measured on its laid-out pages), side by side: each variant's
/// sheets, labelled in the margin, the pages placed from the reading PDF.
fn print_pdfs(
    document: &typst_layout::PagedDocument,
    pdf: &Arc<Vec<u8>>,
    job: &Job<'_>,
    plan: &PrintPlan,
    sheets: usize,
) -> Vec<Result<(Variant, Vec<u8>), String>> {
    use rayon::prelude::*;
    let mini = job.doc.is_mini();
    let sides = if mini { 1 } else { sheets * 2 };
    let variants = plan.variants(mini);
    // Every variant's labels, typeset and exported together: one small PDF for all of them.
    let lines: Vec<String> = variants
        .iter()
        .flat_map(|v| (0..sides).map(|s| crate::edition::words::sheet_line(*v, s, sides)))
        .collect();
    let labels = typeset::margin_document(&lines).and_then(|doc| {
        typeset::pdf(
            &doc,
            &format!("{}/labels", job.doc.name()),
            job.date,
            false,
            false,
        )
    });
    let labels = match labels {
        Ok(l) => Arc::new(l),
        Err(e) => return variants.iter().map(|_| Err(e.clone())).collect(),
    };
    // The reading PDF's pages are copied once, for every variant's sheets.
    let reading = match impose::pdf::Source::new(pdf.clone()) {
        Ok(r) => r,
        Err(e) => return variants.iter().map(|_| Err(e.clone())).collect(),
    };
    let pages = match impose::pdf::Pages::copy(&reading) {
        Ok(p) => p,
        Err(e) => return variants.iter().map(|_| Err(e.clone())).collect(),
    };
    let sizes: Vec<(f64, f64)> = document
        .pages()
        .iter()
        .map(|p| (p.frame.size().x.to_pt(), p.frame.size().y.to_pt()))
        .collect();
    variants
        .par_iter()
        .enumerate()
        .map(|(k, &variant)| {
            let mut layout = layout(&sizes, job, plan, variant, sides)?;
            for side in &mut layout {
                if let Some(label) = &mut side.label {
                    label.0 += k * sides;
                }
            }
            let labels = impose::pdf::Source::new(labels.clone())?;
            let ident = format!("{}/{}", job.doc.name(), variant.suffix());
            let title = typst::model::Document::info(document)
                .title
                .as_deref()
                .unwrap_or_default();
            let meta = impose::pdf::Meta {
                title,
                ident: &ident,
                date: job.date,
            };
            let bytes = impose::pdf::sheets(&pages, &labels, &layout, &meta)?;
            Ok((variant, bytes))
        })
        .collect()
}

/// The sheet sides of one print variant of a document whose pages have these `sizes`.
fn layout(
    sizes: &[(f64, f64)],
    job: &Job<'_>,
    plan: &PrintPlan,
    variant: Variant,
    sides: usize,
) -> Result<Vec<impose::Side>, String> {
    if job.doc.is_mini() {
        return Ok(vec![impose::mini_layout(sizes, variant.paper, true)?]);
    }
    let options = impose::Options {
        paper: variant.paper,
        duplex: variant.duplex.unwrap_or(Duplex::ShortEdge),
        back_cover: ends_with_back_cover(job.pieces),
        ..plan.imposition
    };
    let size = sizes.first().copied().unwrap_or((396.0, 612.0));
    Ok(impose::booklet_layout(size, sizes.len(), &options, sides))
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
