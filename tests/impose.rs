//! Imposition read back from the PDF: which page lands in which half of
//! which side, found by the position of its text (pdftotext -bbox).

use std::process::Command;

use pir::impose::{self, Duplex, Options, Paper};
use pir::render::typst::compile_source;

/// A half-letter document whose page n shows the word `PnQ` in its middle.
fn numbered(pages: usize) -> typst_layout::PagedDocument {
    let src = format!(
        "#set page(width: 5.5in, height: 8.5in)\n#set text(font: \"League Spartan\", size: 30pt)\n#for i in range(1, {}) [#align(center + horizon)[P#(i)Q] #if i < {pages} {{ pagebreak() }}]",
        pages + 1
    );
    compile_source(&src).unwrap()
}

/// Per side of the PDF: the words `PnQ` with their centre x and y.
fn words(pdf: &[u8]) -> Vec<Vec<(usize, f64, f64)>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let html = String::from_utf8(out.stdout).unwrap();
    let mut sides = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut found = Vec::new();
        for word in page.split("<word ").skip(1) {
            let attr = |name: &str| -> f64 {
                let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                word[at..].split('"').next().unwrap().parse().unwrap()
            };
            let text = word.split('>').nth(1).unwrap().split('<').next().unwrap();
            // Upside-down words come out reversed ("Q7P"); read both ways.
            let t: String = if text.starts_with('Q') {
                text.chars().rev().collect()
            } else {
                text.to_string()
            };
            if let Some(n) = t
                .strip_prefix('P')
                .and_then(|r| r.strip_suffix('Q'))
                .and_then(|n| n.parse().ok())
            {
                found.push((
                    n,
                    (attr("xMin") + attr("xMax")) / 2.0,
                    (attr("yMin") + attr("yMax")) / 2.0,
                ));
            }
        }
        sides.push(found);
    }
    sides
}

/// The page numbers on the left and right half of each side (0 for blank).
fn halves(pdf: &[u8], width: f64) -> Vec<(usize, usize)> {
    words(pdf)
        .into_iter()
        .map(|side| {
            let at = |left: bool| {
                side.iter()
                    .find(|(_, x, _)| (*x < width / 2.0) == left)
                    .map_or(0, |w| w.0)
            };
            (at(true), at(false))
        })
        .collect()
}

/// The formula of the issue, as the test states it: sheet k front N-2k | 2k+1, back 2k+2 | N-2k-1.
fn expected(n_pages: usize) -> Vec<(usize, usize)> {
    let n = n_pages.div_ceil(4) * 4;
    let shown = |pos: usize| {
        if pos == n {
            n_pages
        } else if pos < n_pages {
            pos
        } else {
            0
        }
    };
    (0..n / 4)
        .flat_map(|k| {
            [
                (shown(n - 2 * k), shown(2 * k + 1)),
                (shown(2 * k + 2), shown(n - 2 * k - 1)),
            ]
        })
        .collect()
}

fn print(doc: &typst_layout::PagedDocument, options: &Options) -> Vec<u8> {
    let imposed = impose::booklet(doc, options, &[]);
    typst_pdf::pdf(
        &imposed,
        &typst_pdf::PdfOptions {
            tagged: false,
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn booklets_of_4_8_12_and_13_pages_follow_the_formula() {
    for n in [4, 8, 12, 13] {
        let pdf = print(
            &numbered(n),
            &Options {
                back_cover: true,
                ..Options::default()
            },
        );
        let got = halves(&pdf, 792.0);
        assert_eq!(got.len(), n.div_ceil(4) * 2, "{n} pages: sides = N/2");
        assert_eq!(got, expected(n), "{n} pages");
    }
}

#[test]
fn sheets_are_landscape_letter_and_pages_fill_their_halves() {
    let pdf = print(&numbered(8), &Options::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.pdf"), &pdf).unwrap();
    let info = String::from_utf8(
        Command::new("pdfinfo")
            .arg(dir.path().join("p.pdf"))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(info.contains("Page size:       792 x 612 pts"), "{info}");
    assert!(info.contains("Pages:           4"), "{info}");
    // Page 1 sits in the middle of the right half: x = 396 + 198.
    let first = words(&pdf)[0].iter().find(|w| w.0 == 1).copied().unwrap();
    assert!(
        (first.1 - 594.0).abs() < 3.0 && (first.2 - 306.0).abs() < 20.0,
        "{first:?}"
    );
}

#[test]
fn long_edge_turns_the_backs() {
    let options = Options {
        duplex: Duplex::LongEdge,
        ..Options::default()
    };
    let got = halves(&print(&numbered(4), &options), 792.0);
    // The front is as before; the back (2 | 3) is turned, so 3 reads on the left.
    assert_eq!(got, [(4, 1), (3, 2)]);
}

#[test]
fn a4_scales_pages_without_distortion_and_centres_them() {
    let options = Options {
        paper: Paper::A4,
        ..Options::default()
    };
    let pdf = print(&numbered(4), &options);
    let side = &words(&pdf)[0];
    let p1 = side.iter().find(|w| w.0 == 1).unwrap();
    // The right half of A4 landscape is centred at 841.89 * 3/4.
    assert!(
        (p1.1 - 631.4).abs() < 3.0 && (p1.2 - 297.6).abs() < 20.0,
        "{p1:?}"
    );
    assert_eq!(halves(&pdf, 841.89), expected(4));
}

#[test]
fn creep_moves_inner_sheets_toward_the_spine() {
    let plain = words(&print(&numbered(8), &Options::default()));
    let crept = words(&print(
        &numbered(8),
        &Options {
            creep: 2.0,
            ..Options::default()
        },
    ));
    let x = |sides: &Vec<Vec<(usize, f64, f64)>>, page: usize| {
        sides.iter().flatten().find(|w| w.0 == page).unwrap().1
    };
    // Sheet 0 (pages 8 and 1) stays put; sheet 1 (6 and 3) moves 2pt toward the spine.
    assert!((x(&crept, 1) - x(&plain, 1)).abs() < 0.01);
    assert!(
        (x(&plain, 3) - x(&crept, 3) - 2.0).abs() < 0.01,
        "right page moves left"
    );
    assert!(
        (x(&crept, 6) - x(&plain, 6) - 2.0).abs() < 0.01,
        "left page moves right"
    );
}

#[test]
fn the_mini_zine_reads_5432_over_6781_with_the_top_row_turned() {
    let imposed = impose::mini(&numbered(8), Paper::Letter, None).unwrap();
    let pdf = typst_pdf::pdf(
        &imposed,
        &typst_pdf::PdfOptions {
            tagged: false,
            ..Default::default()
        },
    )
    .unwrap();
    let side = &words(&pdf)[0];
    let mut top: Vec<_> = side.iter().filter(|w| w.2 < 306.0).collect();
    let mut bottom: Vec<_> = side.iter().filter(|w| w.2 >= 306.0).collect();
    top.sort_by(|a, b| a.1.total_cmp(&b.1));
    bottom.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert_eq!(top.iter().map(|w| w.0).collect::<Vec<_>>(), [5, 4, 3, 2]);
    assert_eq!(bottom.iter().map(|w| w.0).collect::<Vec<_>>(), [6, 7, 8, 1]);
}

#[test]
fn a_mini_zine_of_more_than_eight_pages_is_refused() {
    let err = impose::mini(&numbered(9), Paper::Letter, None).unwrap_err();
    assert!(
        err.contains("holds 8 pages") && err.contains("has 9"),
        "{err}"
    );
}

#[test]
fn with_crop_marks_a4_pages_meet_at_the_spine_so_the_trim_falls_where_printers_print() {
    let options = Options {
        paper: Paper::A4,
        crop_marks: true,
        ..Options::default()
    };
    let side = &words(&print(&numbered(4), &options))[0];
    let p1 = side.iter().find(|w| w.0 == 1).unwrap();
    // Page 1 (385.2 pt wide once scaled) starts at the spine: its centre is at 420.9 + 192.6.
    assert!((p1.1 - 613.5).abs() < 3.0, "{p1:?}");
    // The fore-edge trim is 35.7 pt in from each side: printable, unlike 17.9 pt when centred.
    let (sw, w) = (841.89, 396.0 * (595.28f64 / 612.0));
    assert!(sw / 2.0 - w > 18.0);
}

#[test]
fn a_booklet_without_a_back_cover_puts_its_blanks_at_the_end() {
    // 5 pages: sheet 0 carries 8|1 and 2|7, sheet 1 6|3 and 4|5; 6, 7 and 8 are blank.
    let got = halves(&print(&numbered(5), &Options::default()), 792.0);
    assert_eq!(got, [(0, 1), (2, 0), (0, 3), (4, 5)]);
}

#[test]
fn each_side_carries_its_variant_line_inside_the_printable_area() {
    let variant = impose::Variant {
        paper: Paper::A4,
        duplex: Some(Duplex::LongEdge),
    };
    let lines: Vec<String> = (0..4)
        .map(|s| pir::edition::words::sheet_line(variant, s, 4))
        .collect();
    let labels = pir::render::typst::margin_lines(&lines).unwrap();
    let options = Options {
        paper: Paper::A4,
        duplex: Duplex::LongEdge,
        ..Options::default()
    };
    let imposed = impose::booklet(&numbered(8), &options, &labels);
    let pdf = typst_pdf::pdf(
        &imposed,
        &typst_pdf::PdfOptions {
            tagged: false,
            ..Default::default()
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.pdf"), &pdf).unwrap();
    let text = |page: usize| {
        let p = page.to_string();
        let out = Command::new("pdftotext")
            .args(["-f", &p, "-l", &p, "-raw"])
            .arg(dir.path().join("p.pdf"))
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        text(1).contains("A4, flip on the long edge · sheet 1 of 2, front · print at 100%"),
        "{}",
        text(1)
    );
    assert!(text(3).contains("sheet 2 of 2, front"), "{}", text(3));
}
