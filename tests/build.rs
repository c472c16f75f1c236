//! `pir build` on Issue 2: the reading PDF, read back with poppler and qpdf
//! (installed by .ci/run), checked by structure and text, not pixels.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Runs a PDF tool and returns its stdout.
fn tool(cmd: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .arg(pdf)
        // pdfinfo shows dates in the local zone; the assertions are in UTC, whatever the machine's zone.
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| {
            panic!("{cmd} is needed for this test (apt-get install poppler-utils qpdf): {e}")
        });
    assert!(
        out.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of one page, whitespace folded, typographic apostrophes made plain.
fn page_text(pdf: &Path, page: usize) -> String {
    text_of(pdf, page, false)
}

/// The text of one page; `layout` keeps the columns of a line together (for the contents).
fn text_of(pdf: &Path, page: usize, layout: bool) -> String {
    let p = page.to_string();
    let mode = if layout { "-layout" } else { "-raw" };
    let out = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, mode])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let text = String::from_utf8(out.stdout).unwrap();
    text.replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The output folder of a build, from its reading PDF (`public/issues/<slug>/issue-<n>.pdf`).
fn public_of(reading: &Path) -> std::path::PathBuf {
    reading
        .ancestors()
        .nth(3)
        .expect("public/issues/<slug>/<file>")
        .to_path_buf()
}

/// Builds the repository's project (Issue 2) into a temp folder.
fn build_issue_2() -> (tempfile::TempDir, std::path::PathBuf) {
    let (out, public) = build_to_temp(&repo());
    let pdf = public.join("issues/march-2020/issue-2.pdf");
    (out, pdf)
}

#[test]
fn the_reading_pdf_has_twelve_half_letter_pages_with_metadata() {
    let (_dir, pdf) = build_issue_2();
    let info = tool("pdfinfo", &[], &pdf);
    assert!(info.contains("Pages:           12"), "{info}");
    assert!(info.contains("Page size:       396 x 612 pts"), "{info}");
    assert!(
        info.contains("Title:           Post-Incident Review — Issue 2"),
        "{info}"
    );
    assert!(
        info.contains("Author:          Emil Stolarsky, Jaime Woo"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:    Sun Mar  1 00:00:00 2020"),
        "dated by the issue, not the clock: {info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    let meta = tool("pdfinfo", &["-meta"], &pdf);
    assert!(
        meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "claims PDF/UA-1"
    );
}

#[test]
fn every_font_is_embedded_and_comes_from_the_repo() {
    let (_dir, pdf) = build_issue_2();
    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 5, "{fonts}");
    for row in rows {
        assert!(row.contains(" yes yes yes "), "not embedded: {row}");
        assert!(
            ["CharisSIL", "LeagueSpartan", "JetBrainsMono"]
                .iter()
                .any(|f| row.contains(f)),
            "a font pir does not ship: {row}"
        );
    }
}

#[test]
fn the_contents_page_numbers_match_where_pieces_start() {
    let (_dir, pdf) = build_issue_2();
    let cover = text_of(&pdf, 1, true);
    let pieces = [
        ("Editors' note", "EDITORS' NOTE"),
        (
            "Server Outages and Increased API Errors",
            "FEATURED POST-INCIDENT REPORT",
        ),
        (
            "Imagining Your Post-Incident Report As a Documentary",
            "FEATURE ARTICLE",
        ),
        ("Etcetera", "ETCETERA"),
        ("The 3 a.m. Page", "FEATURED ILLUSTRATION"),
    ];
    let mut last = 1;
    for (title, kicker) in pieces {
        let at = cover
            .find(title)
            .unwrap_or_else(|| panic!("{title} not in the contents: {cover}"));
        let listed: usize = cover[at + title.len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let page = page_text(&pdf, listed);
        assert!(
            page.contains(kicker) && page.contains(title.split(' ').next().unwrap()),
            "{title} is listed on page {listed}, which reads: {page}"
        );
        assert!(listed > last, "contents out of order");
        last = listed;
    }
}

#[test]
fn each_piece_has_its_text_on_its_pages_and_the_cover_has_no_footer() {
    let (_dir, pdf) = build_issue_2();
    let cover = page_text(&pdf, 1);
    assert!(
        cover.contains("POST-INCIDENT REVIEW")
            && cover.contains("ISSUE 2")
            && cover.contains("MARCH 2020"),
        "{cover}"
    );
    assert!(
        !cover.contains("POST-INCIDENT REVIEW · ISSUE 2"),
        "the cover has no running footer"
    );
    let second = page_text(&pdf, 2);
    assert!(
        second.contains("POST-INCIDENT REVIEW · ISSUE 2") && second.contains("SREcon EMEA"),
        "{second}"
    );
    let all: String = (3..=12)
        .map(|p| page_text(&pdf, p))
        .collect::<Vec<_>>()
        .join(" ");
    for fact in [
        "AT A GLANCE",
        "m1ds",
        "PDT",
        "1 h 13 min",
        "14:23",
        "ScyllaDB",
        "Content-Length",
        "Grierson",
        "Splash Mountain",
        "April 27, 2020",
        "zine@incidentlabs.io",
    ] {
        assert!(all.contains(fact), "missing {fact}");
    }
    // The timeline's links print their URL for paper readers.
    assert!(all.contains("https://status.discordapp.com/incidents/62gt9cgjwdgf"));
    let back = page_text(&pdf, 12);
    assert!(
        back.contains("UNTIL NEXT TIME") && !back.contains("· ISSUE 2"),
        "{back}"
    );
}

#[test]
fn bookmarks_name_the_pieces() {
    let (_dir, pdf) = build_issue_2();
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json", "--json-key=outlines"], &pdf)).unwrap();
    let top: Vec<(String, u64)> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_string(),
                o["destpageposfrom1"].as_u64().unwrap(),
            )
        })
        .collect();
    let titles: Vec<&str> = top.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Editors’ note",
            "Server Outages and Increased API Errors",
            "Imagining Your Post-Incident Report As a Documentary",
            "Etcetera",
            "The 3 a.m. Page"
        ]
    );
    assert_eq!(top[1].1, 3, "the Discord report starts on page 3");
}

#[test]
fn builds_are_byte_identical() {
    let (_a, first) = build_issue_2();
    let (_b, second) = build_issue_2();
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "two builds of the same input differ"
    );
}

#[test]
fn a_project_with_errors_does_not_touch_public() {
    let project = project("valid");
    let root = project.path();
    assert!(run(root, &["build"]).status.success());
    let pdf = root.join("public/issues/january-2021/issue-1.pdf");
    let before = std::fs::read(&pdf).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"note\"\n+++\n",
    );
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("public was not touched"));
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
}

#[test]
fn a_typst_error_in_a_template_override_points_at_its_line() {
    let project = project("valid");
    let root = project.path();
    let template = std::fs::read_to_string(repo().join("templates/zine.typ")).unwrap();
    let broken = template.replacen(
        "#import \"theme.typ\": *",
        "#import \"theme.typ\": *\n#let oops = (1 +",
        1,
    );
    write(root, "templates/zine.typ", broken);
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("E601 typst-error"), "{stderr}");
    assert!(stderr.contains("templates/zine.typ:"), "{stderr}");
    assert!(!root.join("public").exists());
}

#[test]
fn a_planned_page_count_that_does_not_match_warns() {
    let project = project("valid");
    let root = project.path();
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    write(
        root,
        "issues/january-2021/issue.toml",
        toml.replace("editors =", "pages = 8\neditors ="),
    );
    let out = run(root, &["build"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("W602 page-count") && stderr.contains("not the 8 that issue.toml plans"),
        "{stderr}"
    );
}

#[test]
fn emit_typst_writes_sources_that_name_every_piece() {
    let project = project("valid");
    let root = project.path();
    assert!(run(root, &["build", "--emit-typst"]).status.success());
    let dir = root.join("public/issues/january-2021/typst");
    let main = std::fs::read_to_string(dir.join("main.typ")).unwrap();
    assert!(
        main.contains("include \"/pieces/note.typ\"")
            && main.contains("include \"/pieces/outage.typ\"")
    );
    for f in [
        "zine.typ",
        "data.json",
        "pieces/outage.typ",
        "timelines/outage.svg",
    ] {
        assert!(dir.join(f).is_file(), "missing {f}");
    }
}

#[test]
fn the_print_pdf_imposes_issue_2_on_three_sheets_within_printable_margins() {
    let (_dir, reading) = build_issue_2();
    let pdf = reading.with_file_name("issue-2-print-letter-short-edge.pdf");
    let info = tool("pdfinfo", &[], &pdf);
    assert!(
        info.contains("Pages:           6") && info.contains("Page size:       792 x 612 pts"),
        "{info}"
    );
    // Footer page numbers (bottom of each half) follow the saddle-stitch formula; the covers have none.
    let html = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap()
        .stdout;
    let html = String::from_utf8(html).unwrap();
    let mut sides = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut left = 0;
        let mut right = 0;
        for word in page.split("<word ").skip(1) {
            let attr = |name: &str| -> f64 {
                let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                word[at..].split('"').next().unwrap().parse().unwrap()
            };
            let (x0, x1, y0, y1) = (attr("xMin"), attr("xMax"), attr("yMin"), attr("yMax"));
            assert!(
                x0 >= 18.0 && x1 <= 774.0 && y0 >= 18.0 && y1 <= 594.0,
                "text within 0.25 in of the edge: {word}"
            );
            let text = word.split('>').nth(1).unwrap().split('<').next().unwrap();
            if let Ok(n) = text.parse::<usize>()
                && y0 > 560.0
                && !word.contains("sheet")
            {
                // Left pages print the number first, right pages last ("... ISSUE 2  3").
                if x0 < 396.0 {
                    if left == 0 {
                        left = n
                    }
                } else {
                    right = n
                }
            }
        }
        sides.push((left, right));
    }
    assert_eq!(
        sides,
        [(0, 0), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)],
        "pages 12 and 1 carry no footer"
    );
}

#[test]
fn every_variant_is_published_without_flags_and_names_itself_on_each_sheet() {
    let (_dir, reading) = build_issue_2();
    let public = public_of(&reading);
    let issue = public.join("issues/march-2020");
    for (file, size, line) in [
        (
            "issue-2-print-letter-short-edge.pdf",
            "792 x 612 pts",
            "Letter, flip on the short edge · sheet 1 of 3, front",
        ),
        (
            "issue-2-print-letter-long-edge.pdf",
            "792 x 612 pts",
            "Letter, flip on the long edge · sheet 1 of 3, front",
        ),
        (
            "issue-2-print-a4-short-edge.pdf",
            "841.89 x 595.28 pts",
            "A4, flip on the short edge · sheet 1 of 3, front",
        ),
        (
            "issue-2-print-a4-long-edge.pdf",
            "841.89 x 595.28 pts",
            "A4, flip on the long edge · sheet 1 of 3, front",
        ),
    ] {
        let info = tool("pdfinfo", &[], &issue.join(file));
        assert!(
            info.contains(size) && info.contains("Pages:           6"),
            "{file}: {info}"
        );
        assert!(
            page_text(&issue.join(file), 1).contains(line),
            "{file} names its variant: {}",
            page_text(&issue.join(file), 1)
        );
    }
    for (file, line) in [
        (
            "prompts-print-letter.pdf",
            "Letter, one side · print at 100%",
        ),
        ("prompts-print-a4.pdf", "A4, one side · print at 100%"),
    ] {
        let sheet = page_text(&public.join("pocket/prompts").join(file), 1);
        assert!(sheet.contains(line), "{file}: {sheet}");
    }
    // The long-edge file turns its backs, so their text comes out in another order.
    let short = page_text(&issue.join("issue-2-print-letter-short-edge.pdf"), 2);
    let long = page_text(&issue.join("issue-2-print-letter-long-edge.pdf"), 2);
    assert_ne!(short, long, "the long-edge backs are turned");
}

#[test]
fn zine_toml_switches_variants_off_and_picks_the_default() {
    let project = project("valid");
    let root = project.path();
    let toml = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(
        root,
        "zine.toml",
        format!("{toml}\n[print]\npapers = [\"a4\"]\nduplex = \"long-edge\"\n"),
    );
    let out = run(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(root.join("public/issues/january-2021"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-print-"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "issue-1-print-a4-long-edge.pdf",
            "issue-1-print-a4-short-edge.pdf"
        ]
    );
    let page = std::fs::read_to_string(root.join("public/issues/january-2021/index.html")).unwrap();
    let long = page.find("issue-1-print-a4-long-edge.pdf").unwrap();
    assert!(
        long < page.find("issue-1-print-a4-short-edge.pdf").unwrap(),
        "the default is listed first"
    );
    // The instructions list what was published, and only that.
    let printing = std::fs::read_to_string(root.join("public/printing/index.html")).unwrap();
    assert!(
        printing.contains("issue-1-print-a4-long-edge.pdf") && !printing.contains("print-letter"),
        "{printing}"
    );
    assert!(
        page_text(&root.join("public/printing.pdf"), 1)
            .contains("issue-1-print-a4-long-edge.pdf A4 flip on the long edge")
    );
}

#[test]
fn crop_marks_are_refused_where_nothing_is_scaled() {
    let project = project("valid");
    let root = project.path();
    let toml = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(
        root,
        "zine.toml",
        format!("{toml}\n[print]\npapers = [\"letter\"]\n"),
    );
    let out = run(root, &["build", "--crop-marks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("only A4 booklets are scaled"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    write(
        root,
        "zine.toml",
        format!("{toml}\n[print]\npapers = [\"letter\"]\ncrop_marks = true\n"),
    );
    let (found, code) = check_json(root);
    assert_eq!(
        found,
        vec![(
            "E007".to_string(),
            "zine.toml".to_string(),
            Some(toml.lines().count() as u64 + 4)
        )]
    );
    assert_eq!(code, 1);
}

#[test]
fn every_print_pdf_keeps_its_text_a_quarter_inch_from_every_edge() {
    let (_dir, reading) = build_issue_2();
    let public = public_of(&reading);
    let mut checked = 0;
    for dir in [
        public.join("issues/march-2020"),
        public.join("pocket/prompts"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().contains("-print-") {
                continue;
            }
            let html = String::from_utf8(
                Command::new("pdftotext")
                    .arg("-bbox")
                    .arg(&path)
                    .arg("-")
                    .output()
                    .unwrap()
                    .stdout,
            )
            .unwrap();
            for page in html.split("<page ").skip(1) {
                let num = |name: &str, text: &str| -> f64 {
                    let at = text.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    text[at..].split('"').next().unwrap().parse().unwrap()
                };
                let (w, h) = (num("width", page), num("height", page));
                for word in page.split("<word ").skip(1) {
                    let (x0, y0, x1, y1) = (
                        num("xMin", word),
                        num("yMin", word),
                        num("xMax", word),
                        num("yMax", word),
                    );
                    let edge = x0.min(y0).min(w - x1).min(h - y1);
                    assert!(
                        edge >= 18.0,
                        "{}: text {edge:.1} pt from the edge: {word}",
                        path.display()
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 6, "four booklets and two mini zines");
}

#[test]
fn the_pocket_zine_is_one_sheet_and_the_printing_page_lists_every_print_pdf() {
    let (_dir, reading) = build_issue_2();
    let public = public_of(&reading);
    let pocket = public.join("pocket/prompts/prompts-print-letter.pdf");
    let info = tool("pdfinfo", &[], &pocket);
    assert!(
        info.contains("Pages:           1") && info.contains("Page size:       792 x 612 pts"),
        "{info}"
    );
    let reading_pocket = tool("pdfinfo", &[], &public.join("pocket/prompts/prompts.pdf"));
    assert!(
        reading_pocket.contains("Pages:           8") && reading_pocket.contains("198 x 306 pts"),
        "{reading_pocket}"
    );
    let sheet = page_text(&pocket, 1);
    for words in [
        "Write It Like a Documentary",
        "Who was there?",
        "Your timeline",
        "Fold, cut, fold",
    ] {
        assert!(
            sheet.to_lowercase().contains(&words.to_lowercase()),
            "{words} missing from the pocket sheet: {sheet}"
        );
    }
    let printing = public.join("printing.pdf");
    let info = tool("pdfinfo", &[], &printing);
    assert!(
        info.contains("Pages:           1") && info.contains("Page size:       612 x 792 pts"),
        "{info}"
    );
    let text = page_text(&printing, 1);
    assert!(
        text.contains("Print at actual size") && text.contains("printer-test.pdf"),
        "{text}"
    );
    for row in [
        "issue-2-print-letter-short-edge.pdf Letter flip on the short edge 12 3",
        "issue-2-print-letter-long-edge.pdf Letter flip on the long edge 12 3",
        "issue-2-print-a4-short-edge.pdf A4 flip on the short edge 12 3",
        "issue-2-print-a4-long-edge.pdf A4 flip on the long edge 12 3",
        "prompts-print-letter.pdf Letter one side only 8 1",
        "prompts-print-a4.pdf A4 one side only 8 1",
    ] {
        assert!(
            text.contains(row),
            "the table of print files has {row}: {text}"
        );
    }
    let test_sheet = public.join("printer-test.pdf");
    assert!(
        tool("pdfinfo", &[], &test_sheet).contains("Pages:           2"),
        "a test sheet is one sheet, two sides"
    );
    let back = page_text(&test_sheet, 2);
    assert!(
        back.contains("Your printer flips on the short edge") && back.contains("-short-edge.pdf"),
        "{back}"
    );
}

#[test]
fn a_pocket_zine_of_more_than_eight_pages_is_refused() {
    let project = project("valid");
    let root = project.path();
    let mut list = Vec::new();
    for i in 0..9 {
        write(
            root,
            &format!("pocket/tiny/p{i}.md"),
            format!("+++\nkind = \"feature\"\ntitle = \"Page {i}\"\n+++\n\nHello.\n"),
        );
        list.push(format!("\"p{i}.md\""));
    }
    write(
        root,
        "pocket/tiny/pocket.toml",
        format!(
            "title = \"Tiny\"\ndate = 2021-01-01\npieces = [{}]\n",
            list.join(", ")
        ),
    );
    let (found, code) = check_json(root);
    assert_eq!(
        found,
        vec![(
            "E007".to_string(),
            "pocket/tiny/pocket.toml".to_string(),
            Some(3)
        )]
    );
    assert_eq!(code, 1);
}

#[test]
fn keep_going_publishes_the_clean_issues_and_never_a_broken_one() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/february-2021/issue.toml",
        "number = 2\ntitle = \"Second\"\ndate = 2021-02-01\npieces = [\"note.md\"]\n",
    );
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hi\"\n+++\n\nFine.\n",
    );
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"note\"\ntitle = \"Broken\"\n+++\n",
    );
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !root.join("public").exists(),
        "without --keep-going nothing is published"
    );
    let out = run(root, &["build", "--keep-going"]);
    assert_eq!(out.status.code(), Some(1), "problems were found");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E204") && stderr.contains("skipped issues/january-2021"),
        "{stderr}"
    );
    assert!(
        root.join("public/issues/february-2021/issue-2.pdf")
            .is_file()
    );
    assert!(
        !root.join("public/issues/january-2021").exists(),
        "the broken issue is not published"
    );
    assert!(
        !std::fs::read_to_string(root.join("public/index.html"))
            .unwrap()
            .contains("january-2021")
    );
    // An error outside any issue stops everything, even with --keep-going.
    let before = std::fs::read(root.join("public/index.html")).unwrap();
    write(root, "zine.toml", "title = 1\n");
    assert_eq!(run(root, &["build", "--keep-going"]).status.code(), Some(1));
    assert_eq!(
        std::fs::read(root.join("public/index.html")).unwrap(),
        before
    );
}

#[test]
fn a_missing_font_in_a_theme_override_is_a_warning_with_its_line() {
    let project = project("valid");
    let root = project.path();
    ask_for_a_missing_font(root);
    let out = run(root, &["build"]);
    assert!(
        out.status.success(),
        "a missing font falls back, it does not fail the build"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("W601 typst-warning") && stderr.to_lowercase().contains("no such mono"),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates/theme.typ:") || stderr.contains("templates/zine.typ:"),
        "{stderr}"
    );
}

/// The tagged structure of a PDF as poppler reads it (`pdfinfo -struct-text`).
fn structure(pdf: &Path) -> String {
    let out = Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) is needed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn tags_give_real_headings_header_cells_and_keep_decoration_out() {
    let (_dir, reading) = build_issue_2();
    let public = public_of(&reading);
    let issue = structure(&reading);
    assert!(
        issue.contains("\"EDITORS’ NOTE\"") && !issue.contains("EDITORS' NOTE"),
        "labels get typographic quotes in the PDF too"
    );
    let first_heading = issue
        .lines()
        .find(|l| l.trim_start().starts_with('H'))
        .unwrap();
    assert_eq!(
        first_heading.trim(),
        "H1 \"Post-Incident Review\" (block)",
        "the cover's title is the first heading"
    );
    assert!(
        !issue.contains("\"02\"") && !issue.contains("\"0\""),
        "the big issue number is an artifact, not read aloud"
    );
    let printing = structure(&public.join("printing.pdf"));
    assert!(
        printing.contains("THead") && printing.matches(" TH ").count() >= 6,
        "the table of print files has header cells: {printing}"
    );
    let pocket = public.join("pocket/prompts/prompts.pdf");
    let headings = structure(&pocket)
        .lines()
        .filter(|l| l.trim_start().starts_with("H1 "))
        .count();
    assert_eq!(headings, 8, "every pocket page's title is a heading");
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json", "--json-key=outlines"], &pocket)).unwrap();
    assert_eq!(
        json["outlines"].as_array().unwrap().len(),
        8,
        "the pocket zine has a bookmark per page"
    );
    let json: serde_json::Value = serde_json::from_str(&tool(
        "qpdf",
        &["--json", "--json-key=outlines"],
        &public.join("printing.pdf"),
    ))
    .unwrap();
    assert_eq!(
        json["outlines"][0]["title"], "Print and fold your zine",
        "printing.pdf's outline is filled"
    );
}

#[test]
fn padding_goes_before_the_back_cover_and_build_says_where() {
    let project = project("valid");
    let root = project.path();
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    write(
        root,
        "issues/january-2021/issue.toml",
        toml.replace("\"outage.md\"]", "\"outage.md\", \"back.md\"]"),
    );
    write(
        root,
        "issues/january-2021/back.md",
        "+++\nkind = \"back-cover\"\ntitle = \"Until next time\"\n+++\n\nSee you next month.\n",
    );
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("W604 page-padding")
            && stderr.contains("typesets to 5 pages")
            && stderr.contains("3 blank pages after page 4, before the back cover"),
        "{stderr}"
    );
    // Sheet one's front: the back cover (page 5 of the source) beside the cover; its back: page 2 beside a blank.
    let pdf = root.join("public/issues/january-2021/issue-1-print-letter-short-edge.pdf");
    assert!(
        page_text(&pdf, 1).contains("UNTIL NEXT TIME"),
        "{}",
        page_text(&pdf, 1)
    );
    for side in 2..=4 {
        assert!(
            !page_text(&pdf, side).contains("UNTIL NEXT TIME"),
            "the back cover is only on the outside"
        );
    }
}

#[test]
fn an_h3_has_more_space_above_than_below() {
    let (_dir, pdf) = build_issue_2();
    let html = String::from_utf8(
        Command::new("pdftotext")
            .args(["-f", "5", "-l", "5", "-bbox"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let words: Vec<(String, f64, f64)> = html
        .split("<word ")
        .skip(1)
        .map(|w| {
            let attr = |name: &str| -> f64 {
                let at = w.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                w[at..].split('"').next().unwrap().parse().unwrap()
            };
            (
                w.split('>')
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_string(),
                attr("yMin"),
                attr("yMax"),
            )
        })
        .collect();
    let heading = ["How", "a", "Discord", "service", "says", "hello"];
    let at = words
        .windows(heading.len())
        .position(|w| w.iter().map(|x| x.0.as_str()).eq(heading))
        .expect("the H3 on page 5");
    let (top, bottom) = (words[at].1, words[at].2);
    let above = top - words[at - 1].2;
    let below = words[at + heading.len()].1 - bottom;
    assert!(
        above >= 8.0 && above > below + 2.0,
        "space above the heading {above:.1} pt, below {below:.1} pt"
    );
}

#[test]
fn overriding_the_small_theme_file_changes_the_body_font_of_every_document() {
    let project = project("valid");
    let theme = std::fs::read_to_string(repo().join("templates/theme.typ")).unwrap();
    let line = "#let serif = (\"Charis SIL\",)";
    assert!(theme.contains(line), "the theme changed; pick another line");
    write(
        project.path(),
        "templates/theme.typ",
        theme.replace(line, "#let serif = (\"DejaVu Sans\",)"),
    );
    let out = run(project.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for pdf in ["issues/january-2021/issue-1.pdf", "printing.pdf"] {
        let fonts = tool("pdffonts", &[], &project.path().join("public").join(pdf));
        assert!(fonts.contains("DejaVuSans"), "{pdf}: {fonts}");
        assert!(
            !fonts.contains("CharisSIL"),
            "{pdf} still sets text in Charis: {fonts}"
        );
    }
}
