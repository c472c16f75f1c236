//! `pir templates`: list and eject the built-in templates; `extra_css` for
//! small changes; a misnamed override is a warning, not silence.

mod common;

use common::*;

/// A project's zine.toml with one more line.
fn add_setting(root: &std::path::Path, line: &str) {
    let text = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    // Top-level keys go before the first table.
    let at = text.find("\n[").map_or(text.len(), |i| i + 1);
    std::fs::write(
        root.join("zine.toml"),
        format!("{}{line}\n{}", &text[..at], &text[at..]),
    )
    .unwrap();
}

#[test]
fn list_then_eject_a_template_to_edit() {
    let project = project("valid");
    let root = project.path();
    let out = run(root, &["templates"]);
    assert!(out.status.success());
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(
        listing
            .lines()
            .any(|l| l.starts_with("style.css") && l.ends_with("built-in")),
        "{listing}"
    );
    assert!(listing.contains("zine.typ") && listing.contains("piece.html"));

    let out = run(root, &["templates", "eject", "style.css"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built_in = std::fs::read_to_string(repo().join("templates/style.css")).unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join("templates/style.css")).unwrap(),
        built_in,
        "a whole copy to start from"
    );
    let listing = String::from_utf8(run(root, &["templates", "list"]).stdout).unwrap();
    assert!(
        listing.contains("overridden by templates/style.css"),
        "{listing}"
    );

    // Never an overwrite without --force; a misspelled name is a usage error with the right one.
    std::fs::write(root.join("templates/style.css"), "/* mine */").unwrap();
    let out = run(root, &["templates", "eject", "style.css"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(root.join("templates/style.css")).unwrap(),
        "/* mine */"
    );
    assert!(
        run(root, &["templates", "eject", "style.css", "--force"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(root.join("templates/style.css")).unwrap(),
        built_in
    );
    let out = run(root, &["templates", "eject", "styles.css"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `style.css`?"));

    assert!(
        !run(root, &["templates", "eject", "--all"]).status.success(),
        "all includes style.css, which exists"
    );
    assert!(
        run(root, &["templates", "eject", "--all", "--force"])
            .status
            .success()
    );
    assert_eq!(
        check_json(root),
        (vec![], 0),
        "every ejected file is a template pir uses"
    );
}

#[test]
fn extra_css_adds_rules_after_the_built_in_stylesheet() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "templates/extra.css",
        ".timeline .when { color: #8a2be2; }\n",
    );
    add_setting(root, "extra_css = \"templates/extra.css\"");
    assert_eq!(check_json(root), (vec![], 0));
    let out = run(root, &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let css = std::fs::read_to_string(root.join("public/style.css")).unwrap();
    let built_in = std::fs::read_to_string(repo().join("templates/style.css")).unwrap();
    assert!(css.contains(&built_in), "the built-in rules stay");
    assert!(
        css.ends_with(".timeline .when { color: #8a2be2; }\n"),
        "{}",
        &css[css.len() - 200..]
    );

    std::fs::remove_file(root.join("templates/extra.css")).unwrap();
    let (found, code) = check_json(root);
    assert_eq!(
        (found, code),
        (
            vec![("E001".to_string(), "templates/extra.css".to_string(), None)],
            1
        )
    );
}

#[test]
fn a_misnamed_override_is_a_warning_naming_the_template() {
    let project = project("valid");
    let root = project.path();
    write(root, "templates/styles.css", "body { color: red }\n");
    // A partial that an override includes is used, and an image is not a template.
    write(
        root,
        "templates/piece.html",
        "{% extends \"base.html\" %}{% include \"byline.html\" %}",
    );
    write(root, "templates/byline.html", "<p>by us</p>");
    write(root, "templates/logo.png", "not really a png");
    let (found, code) = check_json(root);
    assert_eq!(
        (found, code),
        (
            vec![("W805".to_string(), "templates/styles.css".to_string(), None)],
            0
        )
    );
    let err = String::from_utf8(run(root, &["check"]).stderr).unwrap();
    assert!(err.contains("did you mean `style.css`?"), "{err}");
}

#[test]
fn the_readme_lists_every_html_template_variable_as_the_code_declares_it() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let expected = pir::reference::readme_section();
    assert!(
        readme.contains(&expected),
        "README.md's template variables differ from src/site/contexts.rs; the section should read:\n\n{expected}"
    );
    // Every page and data template has a documented context (base.html and macros.html are
    // partials the pages include), and no context names a template that does not exist.
    let documented: Vec<&str> = pir::reference::all()
        .into_iter()
        .flat_map(|(templates, _)| templates.iter().copied())
        .collect();
    let templates: Vec<&str> = pir::templates::BUILT_IN
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| {
            (n.ends_with(".html") || n.ends_with(".xml"))
                && !matches!(*n, "base.html" | "macros.html")
        })
        .collect();
    let mut a = documented.clone();
    let mut b = templates.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// The reading PDF's content streams, uncompressed (qpdf --qdf), as text.
fn pdf_streams(pdf: &std::path::Path) -> String {
    let out = tempfile::NamedTempFile::new().unwrap();
    let status = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(out.path())
        .status()
        .expect("qpdf is installed (.ci/run)");
    assert!(status.success());
    String::from_utf8_lossy(&std::fs::read(out.path()).unwrap()).into_owned()
}

#[test]
fn extra_typst_overrides_the_theme_in_the_pdf() {
    let project = project("valid");
    let root = project.path();
    let pdf = root.join("public/issues/january-2021/issue-1.pdf");
    // Pure red fills and strokes, as Typst writes them.
    let red = |s: &str| s.contains(" 1 0 0 scn") || s.contains(" 1 0 0 SCN");
    assert!(
        run(root, &["build", "--quiet", "--drafts"])
            .status
            .success()
    );
    assert!(!red(&pdf_streams(&pdf)), "the built-in theme has no red");

    write(
        root,
        "templates/extra.typ",
        "#let accent = rgb(\"#ff0000\")\n",
    );
    add_setting(root, "extra_typst = \"templates/extra.typ\"");
    assert_eq!(check_json(root), (vec![], 0), "extra.typ is used, not W805");
    let out = run(root, &["build", "--quiet", "--drafts"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        red(&pdf_streams(&pdf)),
        "the accent of extra.typ reaches the PDF"
    );

    // A file that is not there: an error at the value in zine.toml, with the fix.
    std::fs::remove_file(root.join("templates/extra.typ")).unwrap();
    let (found, code) = check_json(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [("E001".to_string(), "zine.toml".to_string(), Some(7))]
    );
    let human = String::from_utf8_lossy(&run(root, &["check"]).stderr).into_owned();
    assert!(
        human.contains("zine.toml:7:15")
            && human.contains("`extra_typst` names templates/extra.typ, which is not a file")
            && human.contains("extra_typst = \"templates/extra.typ\""),
        "{human}"
    );
}
