//! Shared test helpers: copy fixture projects into temp dirs and run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root (which is itself a zine project: Issue 2).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture project under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temp copy of a fixture project.
pub fn project(fixture_name: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), dir.path());
    dir
}

/// Writes a file inside a project, creating folders.
pub fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// The pir binary, with colour off.
pub fn pir() -> Command {
    let mut cmd = Command::cargo_bin("pir").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs pir with `args` on the project at `root`.
pub fn run(root: &Path, args: &[&str]) -> Output {
    pir().arg("--root").arg(root).args(args).output().unwrap()
}

/// Builds the project at `root` into `public/` in a new temp folder, which
/// must succeed; the folder (keep it alive) and the output's path.
pub fn build_to_temp(root: &Path) -> (TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = pir()
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    (out, public)
}

/// One diagnostic from `pir check --format json`: (code, file, line).
pub type Found = (String, String, Option<u64>);

/// Runs `pir check --format json` and returns the diagnostics and the exit code.
pub fn check_json(root: &Path) -> (Vec<Found>, i32) {
    let out = run(root, &["check", "--format", "json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let found = stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"));
            (
                v["code"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64(),
            )
        })
        .collect();
    (found, out.status.code().unwrap())
}

/// Adds a second issue, `issues/february-2021` (number 2, one editors' note),
/// to a copy of the valid fixture.
pub fn add_second_issue(root: &Path) {
    write(
        root,
        "issues/february-2021/issue.toml",
        "number = 2\ntitle = \"Second light\"\ndate = 2021-02-01\npieces = [\"note.md\"]\n",
    );
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hello again\"\n+++\n\nAnother note.\n",
    );
}

/// Overrides the theme to ask for a monospace font no project has, so that
/// typesetting warns (W601) and the build still succeeds.
pub fn ask_for_a_missing_font(root: &Path) {
    let theme = std::fs::read_to_string(repo().join("templates/theme.typ")).unwrap();
    let line = "#let mono = (\"JetBrains Mono\",)";
    assert!(theme.contains(line), "the theme changed; pick another line");
    write(
        root,
        "templates/theme.typ",
        theme.replace(line, "#let mono = (\"No Such Mono\",)"),
    );
}
