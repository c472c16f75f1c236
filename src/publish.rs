//! Writing `public/` whole or not at all.
//!
//! A build's files go into a staging folder beside the output folder as
//! they are made, so a large archive is never held in memory; only when
//! every file is written is the old output moved aside and the new one
//! renamed into place. A failed build leaves the previous site as it was.
//! Nothing is ever written into the live folder: files unchanged since the
//! last build are hard-linked into the staging folder, and every file is
//! created new there, so a link can never be written through. Whether a
//! file is unchanged is told by the build record's stamps (fingerprint,
//! length, modification time), never by reading the published file.
//!
//! Since publishing replaces the whole folder, it refuses a folder that holds
//! something other than a pir output (Zola's `--force` rule): `pir build
//! --output ~/photos` must not empty the photos.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

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

/// Where the build record of an output folder lives: beside it, hidden
/// (`.public.pir-build.json` for `public/`), so it is never deployed.
pub fn record_path(out: &Path) -> PathBuf {
    out.parent()
        .unwrap_or(Path::new(""))
        .join(format!(".{}.pir-build.json", folder_name(out)))
}

/// The record's name inside the output folder in earlier versions of pir (a
/// folder holding it is a pir output).
pub const LEGACY_RECORD: &str = ".pir-build.json";

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
    let ours = record.is_file() || out.join(LEGACY_RECORD).is_file();
    if empty || ours || force {
        Ok(())
    } else {
        Err(Refusal::NotOurs)
    }
}

/// What is known of a published file without reading it: its fingerprint
/// (from when it was written), length and modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub hash: String,
    pub len: u64,
    /// Nanoseconds since the Unix epoch.
    pub modified: i128,
}

/// The modification time of a file's metadata, in nanoseconds since the epoch.
pub fn modified(meta: &std::fs::Metadata) -> i128 {
    meta.modified().map_or(0, nanos)
}

/// A time in nanoseconds since the epoch (0 before it).
pub fn nanos(t: std::time::SystemTime) -> i128 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Whether the file at `path` is still the one stamped, by its metadata alone
/// (a file written since has another modification time).
pub fn unchanged(path: &Path, stamp: &Stamp) -> bool {
    std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.is_file() && m.len() == stamp.len && modified(&m) == stamp.modified)
}

/// Two outputs that claim one path with different contents.
#[derive(Debug)]
pub struct Clash {
    pub path: PathBuf,
    /// The output that placed the path first.
    pub first: String,
}

/// Why a file could not be placed.
#[derive(Debug)]
pub enum PlaceError {
    Clash(Clash),
    Io(PublishError),
}

/// A file placed in the staging folder: who placed it, and what it holds.
struct Placed {
    origin: String,
    hash: String,
    len: u64,
    /// The live file's stamp, when it was linked from there (its inode, so its stamp, is the same).
    linked: Option<Stamp>,
}

/// A new output folder being written beside the live one: each file goes to
/// disk as soon as it is made (a large archive is never held in memory), a
/// file unchanged since the last build is hard-linked instead of written, and
/// [`Staging::commit`] swaps the folder in whole. Dropped uncommitted, it
/// removes itself: a failed build leaves no trace.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// The live output's files as its record knows them.
    previous: BTreeMap<PathBuf, Stamp>,
    placed: Mutex<BTreeMap<PathBuf, Placed>>,
    /// The folders made in the staging folder so far (each is made once).
    made: Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Opens a staging folder for `out`, beside it; `previous` stamps the
    /// live output's files (from its build record), which may be linked.
    pub fn new(out: &Path, previous: BTreeMap<PathBuf, Stamp>) -> Result<Staging, PublishError> {
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let parent = parent_of(out);
        at(parent, "create the folder", std::fs::create_dir_all(parent))?;
        let name = folder_name(out);
        sweep(parent, &name);
        let n = BUILDS.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!(".{name}.pir-staging-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        at(&dir, "create the folder", std::fs::create_dir_all(&dir))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            previous,
            placed: Mutex::new(BTreeMap::new()),
            made: Mutex::new(std::collections::HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file (or links the live one, when the record says it is the
    /// same and its metadata says it was not touched since). A path placed
    /// twice with the same bytes is one file; with different bytes, a clash.
    pub fn put(&self, origin: &str, rel: &Path, bytes: &[u8]) -> Result<(), PlaceError> {
        let hash = crate::files::fingerprint(bytes);
        if !self.claim(origin, rel, &hash, bytes.len() as u64)? {
            return Ok(());
        }
        let path = self.dir.join(rel);
        let live = self.out.join(rel);
        if self.vouches(rel, &hash) && std::fs::hard_link(&live, &path).is_ok() {
            self.linked(rel);
        } else {
            use std::io::Write;
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(bytes));
            at(&path, "write", written).map_err(PlaceError::Io)?;
        }
        Ok(())
    }

    /// Links a file of the live output that the record vouches for, without
    /// reading it; false if it was touched since (then it must be made again).
    pub fn keep(&self, origin: &str, rel: &Path) -> Result<bool, PlaceError> {
        let live = self.out.join(rel);
        let Some(stamp) = self.previous.get(rel).filter(|s| unchanged(&live, s)) else {
            return Ok(false);
        };
        if !self.claim(origin, rel, &stamp.hash, stamp.len)? {
            return Ok(true);
        }
        let path = self.dir.join(rel);
        if let Err(e) = std::fs::hard_link(&live, &path) {
            // Not placed after all: whoever makes the file again must be able to write it.
            self.placed
                .lock()
                .expect("no panics while placing")
                .remove(rel);
            return Err(PlaceError::Io(
                at(&path, "link", Err::<(), _>(e)).unwrap_err(),
            ));
        }
        self.linked(rel);
        Ok(true)
    }

    /// Notes that `rel` was linked from the live output, whose stamp it keeps.
    fn linked(&self, rel: &Path) {
        let mut placed = self.placed.lock().expect("no panics while placing");
        if let Some(p) = placed.get_mut(rel) {
            p.linked = self.previous.get(rel).cloned();
        }
    }

    /// Whether the live output still holds `rel` as its record stamped it.
    pub fn intact(&self, rel: &Path) -> bool {
        self.previous
            .get(rel)
            .is_some_and(|s| unchanged(&self.out.join(rel), s))
    }

    /// Whether the live output's record vouches for `rel` as holding `hash`, untouched since.
    pub fn vouches(&self, rel: &Path, hash: &str) -> bool {
        self.previous
            .get(rel)
            .is_some_and(|s| s.hash == hash && unchanged(&self.out.join(rel), s))
    }

    /// Records `rel` as placed by `origin`; false if it already was, with the
    /// same contents; a clash if with others. Creates its folder.
    fn claim(&self, origin: &str, rel: &Path, hash: &str, len: u64) -> Result<bool, PlaceError> {
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            let why = io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path leads outside the output folder",
            );
            return Err(PlaceError::Io(
                at(rel, "write", Err::<(), _>(why)).unwrap_err(),
            ));
        }
        {
            let mut placed = self.placed.lock().expect("no panics while placing");
            if let Some(p) = placed.get(rel) {
                return if p.hash == hash {
                    Ok(false)
                } else {
                    Err(PlaceError::Clash(Clash {
                        path: rel.to_path_buf(),
                        first: p.origin.clone(),
                    }))
                };
            }
            placed.insert(
                rel.to_path_buf(),
                Placed {
                    origin: origin.to_string(),
                    hash: hash.to_string(),
                    len,
                    linked: None,
                },
            );
        }
        if let Some(p) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            // Made under the lock: another thread placing a file beside this one waits for it.
            let mut made = self.made.lock().expect("no panics while placing");
            if !made.contains(p) {
                let dir = self.dir.join(p);
                at(&dir, "create the folder", std::fs::create_dir_all(&dir))
                    .map_err(PlaceError::Io)?;
                made.insert(p.to_path_buf());
            }
        }
        Ok(true)
    }

    /// A nameless file beside the staging folder (on the output's disk, not in
    /// memory as a tmpfs `/tmp` would be), for files that wait to be finished;
    /// it is gone once closed.
    pub fn scratch(&self) -> Result<std::fs::File, PublishError> {
        let parent = parent_of(&self.dir);
        at(
            parent,
            "create a scratch file in",
            tempfile::tempfile_in(parent),
        )
    }

    /// Whether this folder is staged for the output folder `out`.
    pub fn is_for(&self, out: &Path) -> bool {
        self.out == out
    }

    /// How many files are placed.
    pub fn len(&self) -> usize {
        self.placed.lock().expect("no panics while placing").len()
    }

    /// Whether no file is placed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The size of a placed file.
    pub fn size(&self, rel: &Path) -> Option<u64> {
        let placed = self.placed.lock().expect("no panics while placing");
        placed.get(rel).map(|p| p.len)
    }

    /// The sizes of every placed file, by path.
    pub fn sizes(&self) -> BTreeMap<PathBuf, u64> {
        let placed = self.placed.lock().expect("no panics while placing");
        placed.iter().map(|(p, f)| (p.clone(), f.len)).collect()
    }

    /// Swaps the staged folder in for the live one (unless the live one already
    /// holds exactly these files), and returns the stamps of what is now published.
    pub fn commit(mut self) -> Result<BTreeMap<PathBuf, Stamp>, PublishError> {
        let placed = std::mem::take(&mut *self.placed.lock().expect("no panics while placing"));
        let mut stamps = BTreeMap::new();
        let mut all_linked = true;
        for (rel, p) in placed {
            // A linked file is the live one: its stamp is the record's. A written one is read.
            let stamp = match p.linked {
                Some(stamp) => stamp,
                None => {
                    all_linked = false;
                    let path = self.dir.join(&rel);
                    let meta = at(&path, "read the metadata of", std::fs::metadata(&path))?;
                    Stamp {
                        hash: p.hash,
                        len: p.len,
                        modified: modified(&meta),
                    }
                }
            };
            stamps.insert(rel, stamp);
        }
        self.committed = true;
        let same = all_linked
            && stamps.len() == self.previous.len()
            && stamps.iter().all(|(rel, s)| {
                self.previous
                    .get(rel)
                    .is_some_and(|old| old.hash == s.hash && unchanged(&self.out.join(rel), old))
            })
            && count_files(&self.out) == Some(stamps.len());
        if same {
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(std::mem::take(&mut self.previous));
        }
        swap_in(&self.dir, &self.out)?;
        Ok(stamps)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The folder an output folder sits in.
fn parent_of(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// An output folder's own name (`public`).
fn folder_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// A walk of an output folder: every entry as it is, links not followed.
const AS_IS: crate::files::Walk<'static> = crate::files::Walk {
    skip_hidden: false,
    follow_links: false,
    skip: None,
};

/// How many files a folder holds, counting its subfolders' (None if unreadable or missing).
pub fn count_files(dir: &Path) -> Option<usize> {
    std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    let walked = crate::files::walk(dir, AS_IS);
    walked.errors.is_empty().then_some(walked.found.len())
}

/// The stamps of a folder's files, read from the files themselves (for a
/// folder without a build record).
pub fn stamps_of(dir: &Path) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for found in crate::files::walk(dir, AS_IS).found {
        let Ok(meta) = std::fs::symlink_metadata(&found.path) else {
            continue;
        };
        if let (true, Ok(bytes)) = (meta.is_file(), std::fs::read(&found.path)) {
            let stamp = Stamp {
                hash: crate::files::fingerprint(&bytes),
                len: meta.len(),
                modified: modified(&meta),
            };
            out.insert(found.rel, stamp);
        }
    }
    out
}

/// Replaces `out` with a folder holding exactly `files` (each path once),
/// comparing with what `out` holds now by reading it (no build record).
pub fn publish(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), PublishError> {
    let staging = Staging::new(out, stamps_of(out))?;
    for (rel, data) in files {
        match staging.put("publish", rel, data) {
            Ok(()) => {}
            Err(PlaceError::Io(e)) => return Err(e),
            Err(PlaceError::Clash(c)) => {
                let why = io::Error::new(io::ErrorKind::AlreadyExists, "given twice");
                return at(&c.path, "write", Err(why));
            }
        }
    }
    staging.commit().map(|_| ())
}

/// Moves `staging` into place at `out`, atomically where the system allows.
fn swap_in(staging: &Path, out: &Path) -> Result<(), PublishError> {
    let parent = parent_of(out);
    let name = folder_name(out);
    if !out.exists() {
        return at(
            out,
            "move the new output into place at",
            std::fs::rename(staging, out),
        )
        .inspect_err(|_| {
            let _ = std::fs::remove_dir_all(staging);
        });
    }
    // One atomic step: at every instant `out` is either the old site or the new one.
    match exchange(staging, out) {
        Ok(()) => at(
            staging,
            "remove the previous output, now at",
            std::fs::remove_dir_all(staging),
        ),
        Err(_) => {
            // A file system without an atomic exchange: two renames, the old one kept until the end.
            let old = parent.join(format!(".{name}.pir-old-{}", std::process::id()));
            at(
                out,
                "move aside the previous output",
                std::fs::rename(out, &old),
            )?;
            if let Err(e) = std::fs::rename(staging, out) {
                let _ = std::fs::rename(&old, out);
                let _ = std::fs::remove_dir_all(staging);
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
        let pid = pid.map(|p| p.split('-').next().unwrap_or(p));
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
