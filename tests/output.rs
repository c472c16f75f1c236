//! What a build writes, and where: never over a folder pir did not make,
//! each output path once, every template and image read or an error that
//! names it.

mod common;

use common::*;

/// A 1×1 PNG: binary, not UTF-8.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[test]
fn output_into_a_folder_pir_did_not_write_is_refused_unless_forced() {
    let project = project("valid");
    let root = project.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let photos = elsewhere.path().join("photos");
    write(&photos, "family.jpg", "a family photo");
    let out = run(root, &["build", "--output", photos.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("was not written by pir") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(photos.join("family.jpg")).unwrap(),
        "a family photo",
        "nothing touched"
    );
    // An empty folder is fine, and so is rebuilding into what pir wrote.
    let fresh = elsewhere.path().join("site");
    std::fs::create_dir_all(&fresh).unwrap();
    assert!(
        run(root, &["build", "--output", fresh.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        run(root, &["build", "--output", fresh.to_str().unwrap()])
            .status
            .success(),
        "its own output"
    );
    assert!(
        elsewhere.path().join(".site.pir-build.json").is_file(),
        "the record beside the output"
    );
    let out = run(
        root,
        &["build", "--output", photos.to_str().unwrap(), "--force"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!photos.join("family.jpg").exists() && photos.join("index.html").is_file());
    // The project folder itself, never.
    let out = run(
        root,
        &["build", "--output", root.to_str().unwrap(), "--force"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(root.join("zine.toml").is_file());
}

#[test]
fn an_image_used_twice_is_written_once_and_a_no_change_build_leaves_the_output_alone() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/january-2021/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        format!("{note}\n![A chart](chart.svg)\n\n![The chart again](chart.svg)\n"),
    );
    let out = run(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root.join("public/issues/january-2021/chart.svg").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let before = std::fs::metadata(root.join("public")).unwrap().ino();
        assert!(run(root, &["build"]).status.success());
        assert_eq!(
            std::fs::metadata(root.join("public")).unwrap().ino(),
            before,
            "the same folder: nothing swapped"
        );
    }
}

#[test]
fn two_different_files_for_one_path_are_an_error_naming_it() {
    let project = project("valid");
    let root = project.path();
    // An "image" named like the piece's own page.
    write(
        root,
        "issues/january-2021/note.html",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        format!("{note}\n![A drawing](note.html)\n"),
    );
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("E603 output-collision")
            && stderr.contains("issues/january-2021/note.html"),
        "{stderr}"
    );
    assert!(!root.join("public").exists(), "nothing published");
}

#[test]
fn an_unreadable_style_sheet_is_an_error_not_an_empty_file() {
    let project = project("valid");
    let root = project.path();
    write(root, "templates/style.css", b"body { color: \xff\xfe; }");
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("E002 not-utf8") && stderr.contains("templates/style.css"),
        "{stderr}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn binary_images_of_the_printing_page_are_published() {
    let project = project("valid");
    let root = project.path();
    let printing = std::fs::read_to_string(repo().join("templates/printing.md")).unwrap();
    write(
        root,
        "templates/printing.md",
        format!("{printing}\n![A photo of a folded booklet](booklet.png)\n"),
    );
    write(root, "templates/booklet.png", PNG);
    let out = run(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(root.join("public/printing/booklet.png")).unwrap(),
        PNG
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_font_is_an_error_naming_the_file() {
    let project = project("valid");
    let root = project.path();
    std::fs::create_dir_all(root.join("fonts")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.ttf"), root.join("fonts/Broken.ttf")).unwrap();
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("E001 io") && stderr.contains("fonts/Broken.ttf"),
        "{stderr}"
    );
}
