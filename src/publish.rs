//! Writing `public/` whole or not at all.
//!
//! A build's files go into a staging folder beside the output folder; only
//! when every file is written is the old output moved aside and the new one
//! renamed into place. A failed build leaves the previous site as it was.
//! Nothing is ever written into the live folder: files unchanged since the
//! last build are hard-linked into the staging folder, and every file is
//! created new there, so a link can never be written through.
//!
//! Since publishing replaces the whole folder, it refuses a folder that holds
//! something other than a pir output (Zola's `--force` rule): `pir build
//! --output ~/photos` must not empty the photos.

use std::io;
use std::path::{Path, PathBuf};

/// A publishing step that failed, with the file or folder it failed on.
#[derive(Debug)]
pub struct PublishError {
    pub path: PathBuf,
    /// What pir was doing, as "write", "create the folder", ...
    pub action: &'static str,
    pub source: io::Error,
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Attaches the path and the step to an IO result.
fn at<T>(path: &Path, action: &'static str, result: io::Result<T>) -> Result<T, PublishError> {
    result.map_err(|source| PublishError {
        path: path.to_path_buf(),
        action,
        source,
    })
}

/// Why an output folder may not be replaced.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It holds files, and no build record says pir wrote them.
    NotOurs,
    /// It is the project folder or holds it: replacing it would delete the sources.
    HoldsTheProject,
    /// It is a file, not a folder.
    NotAFolder,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::NotOurs => "it is not empty and was not written by pir, and a build replaces the whole folder; choose an empty or new folder, or pass --force to replace it",
            Refusal::HoldsTheProject => "it holds the project itself, and a build replaces the whole folder; choose a folder such as public/",
            Refusal::NotAFolder => "it is a file, not a folder; choose a folder such as public/",
        })
    }
}

/// Whether `out` may be replaced by a build of the project at `root`:
/// missing, empty or a previous pir output (its record beside it, or inside
/// it from older versions); anything else only with `force`. A folder that
/// holds the project is refused even then.
pub fn may_replace(out: &Path, root: &Path, record: &Path, force: bool) -> Result<(), Refusal> {
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(Refusal::NotAFolder);
    }
    if let (Ok(out), Ok(root)) = (out.canonicalize(), root.canonicalize())
        && root.starts_with(&out)
    {
        return Err(Refusal::HoldsTheProject);
    }
    let empty = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
    let ours = record.is_file() || out.join(crate::build::LEGACY_RECORD).is_file();
    if empty || ours || force {
        Ok(())
    } else {
        Err(Refusal::NotOurs)
    }
}

/// Replaces `out` with a folder holding exactly `files` (each path once).
pub fn publish(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), PublishError> {
    if identical(out, files) {
        return Ok(());
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    at(parent, "create the folder", std::fs::create_dir_all(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    sweep(parent, &name);
    let staging = parent.join(format!(".{name}.pir-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(e) = write_all(&staging, files, out) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if !out.exists() {
        return at(
            out,
            "move the new output into place at",
            std::fs::rename(&staging, out),
        )
        .inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&staging);
        });
    }
    // One atomic step: at every instant `out` is either the old site or the new one.
    match exchange(&staging, out) {
        Ok(()) => at(
            &staging,
            "remove the previous output, now at",
            std::fs::remove_dir_all(&staging),
        ),
        Err(_) => {
            // A file system without an atomic exchange: two renames, the old one kept until the end.
            let old = parent.join(format!(".{name}.pir-old-{}", std::process::id()));
            at(
                out,
                "move aside the previous output",
                std::fs::rename(out, &old),
            )?;
            if let Err(e) = std::fs::rename(&staging, out) {
                let _ = std::fs::rename(&old, out);
                let _ = std::fs::remove_dir_all(&staging);
                return at(out, "move the new output into place at", Err(e));
            }
            at(
                &old,
                "remove the previous output, now at",
                std::fs::remove_dir_all(&old),
            )
        }
    }
}

/// Swaps two paths atomically (Linux's renameat2 with RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (a, b) = (
        CString::new(a.as_os_str().as_bytes())?,
        CString::new(b.as_os_str().as_bytes())?,
    );
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Elsewhere there is no atomic exchange; the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Removes the staging folders of builds that were killed (their process is gone).
fn sweep(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = file
            .strip_prefix(&format!(".{name}.pir-staging-"))
            .or_else(|| file.strip_prefix(&format!(".{name}.pir-old-")));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let alive = pid == std::process::id()
            || (cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether `out` already holds exactly `files`, byte for byte (a rebuild that changed nothing).
fn identical(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> bool {
    fn count(dir: &Path) -> Option<usize> {
        let mut n = 0;
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            let kind = entry.file_type().ok()?;
            n += if kind.is_dir() {
                count(&entry.path())?
            } else {
                1
            };
        }
        Some(n)
    }
    count(out) == Some(files.len())
        && files.iter().all(|(rel, data)| {
            let path = out.join(rel);
            std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == data.len() as u64)
                && std::fs::read(&path).is_ok_and(|b| b == *data)
        })
}

/// Writes every file under `dir`, refusing paths that would leave it;
/// files unchanged since `previous` are linked, not written. Each file is
/// created new, so a path given twice is an error, never a write through a link.
fn write_all(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    previous: &Path,
) -> Result<(), PublishError> {
    use std::io::Write;
    at(dir, "create the folder", std::fs::create_dir_all(dir))?;
    for (rel, data) in files {
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            let why = io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path leads outside the output folder",
            );
            return at(rel, "write", Err(why));
        }
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            at(p, "create the folder", std::fs::create_dir_all(p))?;
        }
        let old = previous.join(rel);
        let same = std::fs::metadata(&old)
            .is_ok_and(|m| m.is_file() && m.len() == data.len() as u64)
            && std::fs::read(&old).is_ok_and(|b| b == *data);
        if !(same && std::fs::hard_link(&old, &path).is_ok()) {
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(data));
            at(&path, "write", written)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_old_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, &[("a/one.txt".into(), b"1".to_vec())]).unwrap();
        publish(&out, &[("two.txt".into(), b"2".to_vec())]).unwrap();
        assert!(!out.join("a/one.txt").exists(), "stale files are gone");
        assert_eq!(std::fs::read(out.join("two.txt")).unwrap(), b"2");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(
            &out,
            &[
                ("same.txt".into(), b"same".to_vec()),
                ("new.txt".into(), b"old".to_vec()),
            ],
        )
        .unwrap();
        let before = std::fs::metadata(out.join("same.txt")).unwrap();
        publish(
            &out,
            &[
                ("same.txt".into(), b"same".to_vec()),
                ("new.txt".into(), b"new".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(std::fs::read(out.join("new.txt")).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(
                std::fs::metadata(out.join("same.txt")).unwrap().ino(),
                before.ino(),
                "linked, not rewritten"
            );
        }
        let _ = before;
    }

    #[test]
    fn an_identical_output_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let files = vec![(PathBuf::from("a/b.txt"), b"b".to_vec())];
        publish(&out, &files).unwrap();
        std::fs::write(out.join("stale.txt"), "x").unwrap();
        publish(&out, &files).unwrap();
        assert!(
            !out.join("stale.txt").exists(),
            "a stray file means the output is not identical"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let before = std::fs::metadata(&out).unwrap().ino();
            publish(&out, &files).unwrap();
            assert_eq!(
                std::fs::metadata(&out).unwrap().ino(),
                before,
                "the same folder, untouched"
            );
        }
    }

    #[test]
    fn a_failed_write_keeps_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, &[("keep.txt".into(), b"old".to_vec())]).unwrap();
        let err = publish(
            &out,
            &[("ok.txt".into(), vec![]), ("../escape.txt".into(), vec![])],
        )
        .unwrap_err();
        assert_eq!(err.source.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            err.to_string(),
            "cannot write ../escape.txt: the path leads outside the output folder"
        );
        assert_eq!(std::fs::read(out.join("keep.txt")).unwrap(), b"old");
        assert!(!tmp.path().join("escape.txt").exists());
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging folder left behind"
        );
    }

    #[test]
    fn a_path_given_twice_never_writes_into_the_live_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, &[("a.txt".into(), b"same".to_vec())]).unwrap();
        // The first copy is linked to the live file; the second must not write through the link.
        let err = publish(
            &out,
            &[
                ("a.txt".into(), b"same".to_vec()),
                ("a.txt".into(), b"other".to_vec()),
            ],
        )
        .unwrap_err();
        assert_eq!(err.source.kind(), io::ErrorKind::AlreadyExists, "{err}");
        assert!(err.to_string().contains("a.txt"), "{err}");
        assert_eq!(
            std::fs::read(out.join("a.txt")).unwrap(),
            b"same",
            "the live file is untouched"
        );
    }

    #[test]
    fn only_empty_folders_and_pir_outputs_are_replaced_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("zine"), tmp.path().join("photos"));
        std::fs::create_dir_all(&root).unwrap();
        let record = tmp.path().join(".photos.pir-build.json");
        assert_eq!(may_replace(&out, &root, &record, false), Ok(()), "missing");
        std::fs::create_dir_all(&out).unwrap();
        assert_eq!(may_replace(&out, &root, &record, false), Ok(()), "empty");
        std::fs::write(out.join("family.jpg"), "x").unwrap();
        assert_eq!(
            may_replace(&out, &root, &record, false),
            Err(Refusal::NotOurs)
        );
        assert_eq!(may_replace(&out, &root, &record, true), Ok(()), "--force");
        std::fs::write(&record, "{}").unwrap();
        assert_eq!(
            may_replace(&out, &root, &record, false),
            Ok(()),
            "a pir output"
        );
        assert_eq!(
            may_replace(tmp.path(), &root, &record, true),
            Err(Refusal::HoldsTheProject)
        );
        assert_eq!(
            may_replace(&out.join("family.jpg"), &root, &record, true),
            Err(Refusal::NotAFolder)
        );
    }
}
