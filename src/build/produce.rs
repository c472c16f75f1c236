//! Producing documents: typesetting one issue or pocket zine into its reading
//! PDF and every print variant, and the printing page and the printer test sheet.

use super::*;

/// A document to produce: its job, the files Typst sees, and its key.
pub(super) struct Planned<'a> {
    pub(super) job: Job<'a>,
    pub(super) stem: String,
    pub(super) title: String,
    pub(super) planned: Option<u32>,
    pub(super) files: Vec<(String, Vec<u8>)>,
    pub(super) key: String,
}

/// What became of one document: taken from the previous output, or typeset now.
pub(super) enum Outcome {
    Reused(Entry, Files),
    Produced(Produced),
}

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
    pub(super) papers: Vec<impose::Paper>,
    pub(super) duplexes: Vec<impose::Duplex>,
    pub(super) imposition: impose::Options,
}

impl PrintPlan {
    /// The variants of a booklet (every paper and flip edge) or a mini zine (every paper, one side).
    pub(super) fn variants(&self, mini: bool) -> Vec<impose::Variant> {
        let edges: Vec<Option<impose::Duplex>> = if mini {
            vec![None]
        } else {
            self.duplexes.iter().copied().map(Some).collect()
        };
        self.papers
            .iter()
            .flat_map(|&paper| {
                edges
                    .iter()
                    .map(move |&duplex| impose::Variant { paper, duplex })
            })
            .collect()
    }
}

/// Whether a document's last piece is a back cover, which stays the booklet's last page.
pub(super) fn ends_with_back_cover(pieces: &[crate::model::Piece]) -> bool {
    pieces
        .last()
        .is_some_and(|p| p.kind == crate::model::PieceKind::BackCover)
}

/// Typesets one document and makes its reading and print PDFs.
pub(super) fn produce(
    project: &crate::model::Project,
    p: &Planned<'_>,
    fonts: &Arc<Fonts>,
    plan: &PrintPlan,
    options: &Options,
) -> Produced {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let job = &p.job;
    let title = &p.title;
    let mini = job.template == "pocket.typ";
    let typeset =
        match typeset::typeset_files(project, job, p.files.clone(), fonts.clone(), &mut sources) {
            Ok(t) => t,
            Err(errors) => {
                return Produced {
                    files,
                    reads: BTreeMap::new(),
                    output: None,
                    diags: errors,
                    sources,
                };
            }
        };
    diags.extend(typeset.warnings);
    let reads = typeset.dependencies;
    let pages = typeset.document.pages().len();
    let ident = display_path(&job.dir);
    let Some(pdf) = reading_pdf(&typeset.document, &ident, job, title, &mut diags) else {
        return Produced {
            files,
            reads,
            output: None,
            diags,
            sources,
        };
    };
    if options.emit_typst {
        for (path, data) in &typeset.files {
            files.push((
                job.dir.join("typst").join(path.trim_start_matches('/')),
                data.clone(),
            ));
        }
    }
    let back_cover = ends_with_back_cover(job.pieces);
    let mut print_bytes = 0;
    let sheets = if mini {
        1
    } else {
        impose::booklet_order(pages, back_cover).len()
    };
    let mut prints = Vec::new();
    for variant in plan.variants(mini) {
        let sides = if mini { 1 } else { sheets * 2 };
        let lines: Vec<String> = (0..sides).map(|s| variant.sheet_line(s, sides)).collect();
        let imposed = typeset::margin_lines(&lines).and_then(|labels| {
            if mini {
                impose::mini(&typeset.document, variant.paper, labels.first())
            } else {
                let duplex = variant.duplex.unwrap_or(impose::Duplex::ShortEdge);
                Ok(impose::booklet(
                    &typeset.document,
                    &impose::Options {
                        paper: variant.paper,
                        duplex,
                        back_cover,
                        ..plan.imposition
                    },
                    &labels,
                ))
            }
        });
        let exported = imposed.and_then(|doc| {
            typeset::pdf(
                &doc,
                &format!("{ident}/{}", variant.suffix()),
                job.date,
                false,
                false,
            )
        });
        match exported {
            Ok(bytes) => {
                print_bytes = print_bytes.max(bytes.len());
                let file = format!("{}-{}.pdf", p.stem, variant.suffix());
                prints.push(PrintFile {
                    file: file.clone(),
                    paper: variant.paper.name().into(),
                    duplex: variant.duplex.map(|d| d.name().into()),
                });
                files.push((job.dir.join(file), bytes));
            }
            Err(e) => diags.push(Diagnostic::at_path(
                Code::TypstError,
                job.dir.clone(),
                format!("cannot make the print PDF of {title}: {e}"),
            )),
        }
    }
    drop(typeset.document);
    // Keep memory flat across a large archive: forget what no recent document used
    // (what pir serve still needs is used again at once and survives).
    typst::comemo::evict(4);
    let print_file = prints.first().map(|f| f.file.clone()).unwrap_or_default();
    let output = DocOutput {
        dir: job.dir.clone(),
        title: title.clone(),
        pages,
        pdf_bytes: pdf.len(),
        sheets,
        print_bytes,
        print_file,
        prints,
    };
    files.push((job.dir.join(format!("{}.pdf", p.stem)), pdf));
    Produced {
        files,
        reads,
        output: Some(output),
        diags,
        sources,
    }
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

/// Typesets the printing and folding instructions (`printing.pdf`) with the
/// sheet counts of everything the build printed, unless nothing it shows changed.
pub(super) fn printing_page(
    report: &mut Report,
    fonts: &Arc<Fonts>,
    (built, groups): (&mut Built, &mut Vec<(String, Files)>),
    diags: &mut Vec<Diagnostic>,
    (common, fonts_part): (&str, &[u8]),
    (previous, record): (&Record, &mut Record),
    options: &Options,
) -> Option<crate::model::Piece> {
    let piece = load_printing(&report.project, &mut report.sources, diags)?;
    let project = &report.project;
    let documents: Vec<PrintedDoc> = built
        .docs
        .iter()
        .flat_map(|d| {
            d.prints.iter().map(|f| PrintedDoc {
                title: d.title.clone(),
                file: f.file.clone(),
                paper: f.paper.clone(),
                duplex: f.duplex.as_ref().map_or_else(
                    || "one side only".to_string(),
                    |e| format!("flip on the {e}"),
                ),
                pages: d.pages,
                sheets: d.sheets,
            })
        })
        .collect();
    // The instructions list every print file; the test sheet names only the flip edges.
    let none: &[PrintedDoc] = &[];
    let jobs = [
        (
            Job::printing(
                project,
                std::slice::from_ref(&piece),
                &documents,
                "printing.typ",
            ),
            "printing",
            "the printing instructions",
        ),
        (
            Job::printing(project, &[], none, "printer-test.typ"),
            "printer-test",
            "the printer test sheet",
        ),
    ];
    for (job, name, what) in jobs {
        let files = match typeset::sources(project, &job) {
            Ok(f) => f,
            Err(e) => {
                diags.push(Diagnostic::at_path(
                    Code::Io,
                    "templates",
                    format!("cannot read the files of {what}: {e}"),
                ));
                continue;
            }
        };
        let mut parts: Vec<&[u8]> = vec![common.as_bytes(), fonts_part];
        for (path, data) in &files {
            parts.push(path.as_bytes());
            parts.push(data);
        }
        let key = key(&parts);
        let name = name.to_string();
        let (entry, files) = match reusable(
            previous,
            &name,
            &key,
            &project.root,
            options.previous.as_deref(),
        ) {
            Some((entry, files)) => {
                built.reused.push(name.clone());
                diags.extend(
                    entry
                        .diagnostics
                        .iter()
                        .filter_map(|d| d.restore(&mut report.sources)),
                );
                (entry, files)
            }
            None => {
                let t = match typeset::typeset_files(
                    project,
                    &job,
                    files,
                    fonts.clone(),
                    &mut report.sources,
                ) {
                    Ok(t) => t,
                    Err(errors) => {
                        diags.extend(errors);
                        continue;
                    }
                };
                let mut said = t.warnings;
                let pdf = reading_pdf(&t.document, &name, &job, what, &mut said);
                let stored = said
                    .iter()
                    .map(|d| Stored::new(d, &report.sources))
                    .collect();
                diags.extend(said);
                let Some(pdf) = pdf else { continue };
                let files = vec![(PathBuf::from(format!("{name}.pdf")), pdf)];
                built.typeset.push(name.clone());
                (entry(&key, &files, t.dependencies, stored, None), files)
            }
        };
        record.documents.insert(name.clone(), entry);
        groups.push((name, files));
    }
    Some(piece)
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
