//! Type for print, measured on what Typst laid out: no glyph under 7 pt in
//! any PDF pir makes (reading, print on letter and the scaled A4, the
//! printing page, the test sheet), and timeline labels that touch neither
//! each other nor the key moments' lines.

mod common;

use std::path::Path;

use pir::diagnostic::Sources;
use pir::impose::{self, Duplex, Paper, Variant};
use pir::render::typst::{self as typeset, Job, world::Fonts};
use typst::layout::{Frame, FrameItem, Transform};
use typst_layout::PagedDocument;

/// The smallest glyph size in a frame tree, in points as printed (group transforms applied), and its text.
fn smallest(frame: &Frame, scale: f64, out: &mut (f64, String)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => {
                let Transform { sx, ky, kx, sy, .. } = g.transform;
                let s = (sx.get() * sy.get() - kx.get() * ky.get()).abs().sqrt();
                smallest(&g.frame, scale * s, out);
            }
            FrameItem::Text(t) if !t.text.trim().is_empty() => {
                let size = t.size.to_pt() * scale;
                if size < out.0 {
                    *out = (size, t.text.to_string());
                }
            }
            _ => {}
        }
    }
}

/// The smallest glyph of a document, with its page and text.
fn smallest_in(doc: &PagedDocument) -> (f64, String) {
    let mut out = (f64::MAX, String::new());
    for page in doc.pages() {
        smallest(&page.frame, 1.0, &mut out);
    }
    out
}

/// Every document of Issue 2's project as pir typesets and imposes it, by name.
fn documents() -> Vec<(String, PagedDocument)> {
    let report = pir::check::check(&common::repo());
    let project = &report.project;
    let fonts = Fonts::embedded();
    let mut sources = Sources::default();
    let mut out = Vec::new();
    let mut jobs: Vec<(Job, bool)> = project
        .issues
        .iter()
        .map(|i| (Job::issue(project, i), false))
        .collect();
    jobs.extend(
        project
            .pockets
            .iter()
            .map(|p| (Job::pocket(project, p), true)),
    );
    for (job, mini) in jobs {
        let doc = typeset::typeset(project, &job, fonts.clone(), &mut sources)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .document;
        for paper in [Paper::Letter, Paper::A4] {
            let duplex = if mini { None } else { Some(Duplex::ShortEdge) };
            let variant = Variant { paper, duplex };
            let sides = if mini {
                1
            } else {
                impose::booklet_order(doc.pages().len(), true).len() * 2
            };
            let lines: Vec<String> = (0..sides)
                .map(|s| pir::edition::words::sheet_line(variant, s, sides))
                .collect();
            let labels = typeset::margin_lines(&lines).unwrap();
            let imposed = if mini {
                impose::mini(&doc, paper, labels.first()).unwrap()
            } else {
                impose::booklet(
                    &doc,
                    &impose::Options {
                        paper,
                        back_cover: true,
                        ..Default::default()
                    },
                    &labels,
                )
            };
            out.push((format!("{} {}", job.doc.slug(), variant.suffix()), imposed));
        }
        out.push((job.doc.slug().to_string(), doc));
    }
    let (text, name) = typeset::template(&project.root, "printing.md").unwrap();
    let file = sources.add(Path::new(&name), text.clone());
    let piece = pir::load::piece::load(file, "printing", &text, &mut Vec::new()).unwrap();
    let pieces = [piece];
    for doc in [
        pir::edition::DocId::Printing,
        pir::edition::DocId::PrinterTest,
    ] {
        let pieces: &[pir::model::Piece] = if doc == pir::edition::DocId::Printing {
            &pieces
        } else {
            &[]
        };
        let job = Job::printing(project, doc, pieces, &[]);
        let template = job.template();
        let doc = typeset::typeset(project, &job, fonts.clone(), &mut sources)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .document;
        out.push((template.to_string(), doc));
    }
    out
}

#[test]
fn no_glyph_is_under_7_pt_in_any_pdf() {
    let docs = documents();
    assert_eq!(
        docs.len(),
        3 + 3 + 2,
        "issue 2 and the pocket zine (reading, letter, A4), the printing page, the test sheet"
    );
    for (name, doc) in &docs {
        let (size, text) = smallest_in(doc);
        assert!(size >= 7.0, "{name}: {text:?} is set at {size:.2} pt");
    }
}

#[test]
fn the_measure_sees_small_type() {
    // The same measure on a page known to hold 6.5 pt type, and scaled by half.
    let doc = typeset::compile_source("#set text(size: 6.5pt)\nsmall").unwrap();
    assert!((smallest_in(&doc).0 - 6.5).abs() < 1e-6);
    let imposed = impose::mini(
        &typeset::compile_source(
            "#set page(width: 396pt, height: 612pt)\n#set text(size: 10pt)\nbig",
        )
        .unwrap(),
        Paper::Letter,
        None,
    )
    .unwrap();
    assert!(
        (smallest_in(&imposed).0 - 5.0).abs() < 0.01,
        "a mini cell halves a half-letter page"
    );
}

/// Whether two label boxes on the same row overlap (with a hair of space).
fn overlaps(a: &pir::render::svg::KeyLabel, b: &pir::render::svg::KeyLabel) -> bool {
    a.row == b.row && a.x0 < b.x1 + 1.0 && b.x0 < a.x1 + 1.0
}

/// Whether a key moment's dashed line (running down from under its label) crosses another label.
fn strikes(line_of: &pir::render::svg::KeyLabel, label: &pir::render::svg::KeyLabel) -> bool {
    line_of.row < label.row && line_of.line > label.x0 - 1.0 && line_of.line < label.x1 + 1.0
}

#[test]
fn timeline_labels_touch_neither_each_other_nor_the_lines() {
    let report = pir::check::check(&common::repo());
    let discord = report.project.issues[0]
        .pieces
        .iter()
        .find_map(|p| p.incident.as_ref())
        .unwrap();
    let mut incidents = vec![discord.clone()];
    // The same incident with the key moments crowded into a few minutes at the end.
    let mut crowded = discord.clone();
    let last = crowded.timeline.last().unwrap().start;
    for (i, k) in crowded.key_moments.iter_mut().enumerate() {
        k.at = last - chrono::TimeDelta::minutes(3 - i as i64);
    }
    incidents.push(crowded);
    for incident in &incidents {
        let labels = pir::render::svg::placed_labels(incident);
        assert_eq!(labels.len(), incident.key_moments.len());
        for (i, a) in labels.iter().enumerate() {
            assert!(
                a.x0 >= 0.0 && a.x1 <= pir::render::svg::WIDTH,
                "{a:?} leaves the drawing"
            );
            for b in labels.iter().skip(i + 1) {
                assert!(!overlaps(a, b), "{a:?} overlaps {b:?}");
            }
            for b in &labels {
                assert!(!strikes(a, b), "the line of {a:?} strikes through {b:?}");
            }
        }
        // The drawing shows the labels where they were placed.
        let svg = pir::render::svg::timeline(incident);
        assert_eq!(svg.matches("class=\"key-label\"").count(), labels.len());
    }
    // Issue 2: "Mitigated 15:26" no longer strikes through "Resolved 15:32".
    let labels = pir::render::svg::placed_labels(discord);
    let (mitigated, resolved) = (&labels[2], &labels[3]);
    assert!(!strikes(mitigated, resolved) && !strikes(resolved, mitigated));
}
