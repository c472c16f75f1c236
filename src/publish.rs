//! Writing `public/` whole or not at all.
//!
//! A build's files go into a staging folder beside the output folder; only
//! when every file is written is the old output moved aside and the new one
//! renamed into place. A failed build leaves the previous site as it was.

use std::io;
use std::path::{Path, PathBuf};

/// Replaces `out` with a folder holding exactly `files`.
pub fn publish(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    if identical(out, files) {
        return Ok(());
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    sweep(parent, &name);
    let staging = parent.join(format!(".{name}.pir-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(e) = write_all(&staging, files, out) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if !out.exists() {
        return std::fs::rename(&staging, out).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&staging);
        });
    }
    // One atomic step: at every instant `out` is either the old site or the new one.
    match exchange(&staging, out) {
        Ok(()) => std::fs::remove_dir_all(&staging),
        Err(_) => {
            // A file system without an atomic exchange: two renames, the old one kept until the end.
            let old = parent.join(format!(".{name}.pir-old-{}", std::process::id()));
            std::fs::rename(out, &old)?;
            if let Err(e) = std::fs::rename(&staging, out) {
                let _ = std::fs::rename(&old, out);
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
            std::fs::remove_dir_all(&old)
        }
    }
}

/// Swaps two paths atomically (Linux's renameat2 with RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (a, b) = (CString::new(a.as_os_str().as_bytes())?, CString::new(b.as_os_str().as_bytes())?);
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

/// Elsewhere there is no atomic exchange; the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange"))
}

/// Removes the staging folders of builds that were killed (their process is gone).
fn sweep(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = file.strip_prefix(&format!(".{name}.pir-staging-")).or_else(|| file.strip_prefix(&format!(".{name}.pir-old-")));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { continue };
        let alive = pid == std::process::id() || (cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists());
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
            n += if kind.is_dir() { count(&entry.path())? } else { 1 };
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
/// files unchanged since `previous` are linked, not written.
fn write_all(dir: &Path, files: &[(PathBuf, Vec<u8>)], previous: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (rel, data) in files {
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {}", rel.display()),
            ));
        }
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        let old = previous.join(rel);
        let same = std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == data.len() as u64)
            && std::fs::read(&old).is_ok_and(|b| b == *data);
        if !(same && std::fs::hard_link(&old, &path).is_ok()) {
            std::fs::write(&path, data)?;
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
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, &[("same.txt".into(), b"same".to_vec()), ("new.txt".into(), b"old".to_vec())]).unwrap();
        let before = std::fs::metadata(out.join("same.txt")).unwrap();
        publish(&out, &[("same.txt".into(), b"same".to_vec()), ("new.txt".into(), b"new".to_vec())]).unwrap();
        assert_eq!(std::fs::read(out.join("new.txt")).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(std::fs::metadata(out.join("same.txt")).unwrap().ino(), before.ino(), "linked, not rewritten");
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
        assert!(!out.join("stale.txt").exists(), "a stray file means the output is not identical");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let before = std::fs::metadata(&out).unwrap().ino();
            publish(&out, &files).unwrap();
            assert_eq!(std::fs::metadata(&out).unwrap().ino(), before, "the same folder, untouched");
        }
    }

    #[test]
    fn a_failed_write_keeps_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, &[("keep.txt".into(), b"old".to_vec())]).unwrap();
        let err = publish(&out, &[("ok.txt".into(), vec![]), ("../escape.txt".into(), vec![])]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(std::fs::read(out.join("keep.txt")).unwrap(), b"old");
        assert!(!tmp.path().join("escape.txt").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left behind");
    }
}
