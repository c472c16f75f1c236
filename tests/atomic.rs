//! A build killed at any moment leaves the previous public/ exactly as it
//! was, or the new one whole: never half a site.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;

/// Every file of a folder and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                out.insert(
                    path.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_site_or_the_new_one_whole() {
    let project = project("valid");
    let root = project.path();
    let public = root.join("public");
    assert!(run(root, &["build", "--quiet"]).status.success());
    let old = snapshot(&public);

    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        note.replace("A short note", "A changed note"),
    );
    // The new site, built elsewhere: output is deterministic, so this is what a whole build gives.
    let elsewhere = tempfile::tempdir().unwrap();
    assert!(
        pir()
            .arg("--root")
            .arg(root)
            .args(["build", "--quiet", "--output"])
            .arg(elsewhere.path().join("public"))
            .output()
            .unwrap()
            .status
            .success()
    );
    let new = snapshot(&elsewhere.path().join("public"));
    assert_ne!(old, new);

    let started = Instant::now();
    assert!(
        pir()
            .arg("--root")
            .arg(root)
            .args(["build", "--quiet", "--force", "--output"])
            .arg(elsewhere.path().join("timing"))
            .output()
            .unwrap()
            .status
            .success()
    );
    let full = started.elapsed();

    // Kill points spread over the whole build, from a fixed pseudo-random sequence.
    let mut seed: u64 = 0x5eed;
    let (mut saw_old, mut saw_new) = (0, 0);
    for _ in 0..24 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((seed >> 33) % (full.as_micros() as u64 * 3 / 2 + 1));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pir"))
            .arg("--root")
            .arg(root)
            .args(["build", "--quiet", "--force"])
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&public);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
            // Put the old site back for the next round.
            std::fs::remove_dir_all(&public).unwrap();
            for (path, bytes) in &old {
                write(&public, path.to_str().unwrap(), bytes);
            }
        } else {
            panic!(
                "after a kill {delay:?} into the build, public/ is neither the old site nor the new one"
            );
        }
    }
    assert!(saw_old > 0, "some kills land before the swap");
    assert!(
        saw_new > 0,
        "some kills land after the swap (kill points run to 1.5 times a whole build)"
    );
    // A later build cleans up what killed ones left, and leaves no staging folder beside public/.
    assert!(run(root, &["build", "--quiet"]).status.success());
    assert_eq!(snapshot(&public), new);
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The build record beside public/ is meant to stay.
        .filter(|n| n.contains(".pir-") && n != ".public.pir-build.json")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
