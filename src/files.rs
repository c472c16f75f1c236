//! The project's files as every cache, stamp and reader sees them: which
//! folders are inputs, where a relative path may lead, one folder walk, and
//! one content digest.
//!
//! Every cache pir keeps (the build record's document keys, the stamps of
//! output files, the keys recorded in the email's PNGs, the names of web
//! fonts) hashes through [`Digest`], and every recursive listing of a folder
//! goes through [`walk`], so that the rules (what a hidden file is, whether
//! a link is followed, how deep a walk may go) are written once.

use std::hash::Hasher;
use std::path::{Component, Path, PathBuf};

/// The settings file at the project's root.
pub const SETTINGS: &str = "zine.toml";

/// The folder of the issues.
pub const ISSUES: &str = "issues";

/// The folder of the pocket zines.
pub const POCKETS: &str = "pocket";

/// The folder of the project's template overrides.
pub const TEMPLATES: &str = "templates";

/// The folder of the project's fonts.
pub const FONTS: &str = "fonts";

/// The project's folders whose every file (hidden ones aside) is an input to a build.
pub const INPUT_DIRS: [&str; 4] = [ISSUES, POCKETS, TEMPLATES, FONTS];

/// Every input a build reads whole: the settings and the input folders. Any
/// other file is an input only when a build read it (an `extra_css`, say).
pub const INPUTS: [&str; 5] = [SETTINGS, ISSUES, POCKETS, TEMPLATES, FONTS];

/// Resolves `path` (as written in a piece, relative to `dir`) to a path
/// relative to the project root, or `None` if it is absolute, names a
/// scheme or drive (`C:`, `https:`), or climbs out of the project.
pub fn inside(dir: &Path, path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    if path.has_root() || path.is_absolute() || path.to_string_lossy().contains(':') {
        return None;
    }
    let mut out: Vec<Component> = Vec::new();
    for c in dir.components().chain(path.components()) {
        match c {
            Component::Normal(_) => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

/// A 128-bit SipHash-1-3 (a fixed, documented algorithm, unlike std's
/// `DefaultHasher`, so digests survive a new Rust) written to as a stream.
pub struct Digest(siphasher::sip128::SipHasher13);

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

impl Digest {
    /// An empty digest.
    pub fn new() -> Digest {
        Digest(siphasher::sip128::SipHasher13::new())
    }

    /// Adds bytes as they are.
    pub fn bytes(mut self, bytes: &[u8]) -> Digest {
        self.0.write(bytes);
        self
    }

    /// Adds one part of a list, its length first, so that `["ab", "c"]` and `["a", "bc"]` differ.
    pub fn part(mut self, bytes: &[u8]) -> Digest {
        self.0.write_usize(bytes.len());
        self.0.write(bytes);
        self
    }

    /// Adds a number.
    pub fn u32(mut self, n: u32) -> Digest {
        self.0.write_u32(n);
        self
    }

    /// Adds a flag.
    pub fn flag(mut self, on: bool) -> Digest {
        self.0.write_u8(on as u8);
        self
    }

    /// The digest as 32 hex digits.
    pub fn hex(self) -> String {
        format!(
            "{:032x}",
            siphasher::sip128::Hasher128::finish128(&self.0).as_u128()
        )
    }
}

/// The fingerprint of some bytes: their [`Digest`] as hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    Digest::new().bytes(bytes).hex()
}

/// The key of a list of parts, each length-prefixed.
pub fn key(parts: &[&[u8]]) -> String {
    parts.iter().fold(Digest::new(), |d, p| d.part(p)).hex()
}

/// A short name for a file named by its content (a web font): 10 hex digits
/// of a 64-bit SipHash-1-3 of the bytes and numbers given. Not a cache key:
/// the file it names is checked by name only, as a browser caches it.
pub fn short_name(parts: &[&[u8]], numbers: impl IntoIterator<Item = u32>) -> String {
    let mut h = siphasher::sip::SipHasher13::new();
    for p in parts {
        h.write(p);
    }
    for n in numbers {
        h.write_u32(n);
    }
    format!("{:010x}", h.finish() >> 24)
}

/// How a [`walk`] treats what it meets.
#[derive(Debug, Clone, Copy)]
pub struct Walk<'a> {
    /// Leave out names starting with a dot (and what is under them).
    pub skip_hidden: bool,
    /// Follow symbolic links: into linked folders, and report a linked file
    /// by its target's kind. Otherwise a link is reported as a link.
    pub follow_links: bool,
    /// A folder never entered (the output folder, as a canonical path).
    pub skip: Option<&'a Path>,
}

/// How deep a walk goes: it bounds a link that loops.
const MAX_DEPTH: usize = 32;

/// One entry a walk found: a file, or a link it did not follow.
#[derive(Debug, Clone)]
pub struct Found {
    /// The path as joined from the walked folder.
    pub path: PathBuf,
    /// The path relative to the walked folder.
    pub rel: PathBuf,
    /// What it is (following links if the walk does).
    pub kind: std::fs::FileType,
}

/// What a walk found and what it could not read.
#[derive(Debug, Default)]
pub struct Walked {
    /// Every entry that is not a folder, in sorted order of `rel`.
    pub found: Vec<Found>,
    /// The folders or entries that could not be read, with why.
    pub errors: Vec<std::io::Error>,
}

/// Lists every entry below `dir` that is not a folder, sorted by path; an
/// unreadable folder or entry is noted in `errors` and the walk goes on. A
/// missing `dir` gives an empty listing and no error.
pub fn walk(dir: &Path, how: Walk<'_>) -> Walked {
    let mut walked = Walked::default();
    if std::fs::symlink_metadata(dir).is_err() {
        return walked;
    }
    walk_into(dir, Path::new(""), how, 0, &mut walked);
    walked.found.sort_by(|a, b| a.rel.cmp(&b.rel));
    walked
}

/// Walks one folder of a [`walk`].
fn walk_into(dir: &Path, rel: &Path, how: Walk<'_>, depth: usize, out: &mut Walked) {
    if depth > MAX_DEPTH
        || how
            .skip
            .is_some_and(|s| dir.canonicalize().is_ok_and(|c| c == s))
    {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.errors.push(named(dir, e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.errors.push(named(dir, e));
                continue;
            }
        };
        let name = entry.file_name();
        if how.skip_hidden && name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = if how.follow_links {
            std::fs::metadata(&path).map(|m| m.file_type())
        } else {
            entry.file_type()
        };
        let kind = match kind {
            Ok(k) => k,
            Err(e) => {
                out.errors.push(named(&path, e));
                continue;
            }
        };
        let rel = rel.join(&name);
        if kind.is_dir() {
            walk_into(&path, &rel, how, depth + 1, out);
        } else {
            out.found.push(Found { path, rel, kind });
        }
    }
}

/// An I/O error that names its path.
fn named(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_keeps_paths_in_the_project() {
        let dir = Path::new("issues/march-2020");
        assert_eq!(
            inside(dir, "art/page.svg"),
            Some(PathBuf::from("issues/march-2020/art/page.svg"))
        );
        assert_eq!(
            inside(dir, "../shared/logo.svg"),
            Some(PathBuf::from("issues/shared/logo.svg"))
        );
        assert_eq!(
            inside(dir, "../../logo.svg"),
            Some(PathBuf::from("logo.svg"))
        );
        assert_eq!(inside(dir, "../../../etc/passwd"), None);
        assert_eq!(inside(dir, "/etc/passwd"), None);
        assert_eq!(inside(dir, "C:/x.png"), None);
    }

    #[test]
    fn a_digest_frames_its_parts() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(
            fingerprint(b"abc"),
            Digest::new().bytes(b"a").bytes(b"bc").hex()
        );
        assert_eq!(fingerprint(b"").len(), 32);
    }

    #[test]
    fn a_walk_lists_files_sorted_and_skips_what_it_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/c")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        for f in ["b/c/z.md", "a.md", ".hidden", ".git/x", "b/y.md"] {
            std::fs::write(d.join(f), f).unwrap();
        }
        let how = Walk {
            skip_hidden: true,
            follow_links: true,
            skip: None,
        };
        let rels: Vec<PathBuf> = walk(d, how).found.into_iter().map(|f| f.rel).collect();
        assert_eq!(rels, ["a.md", "b/c/z.md", "b/y.md"].map(PathBuf::from));
        let skip = d.join("b").canonicalize().unwrap();
        let how = Walk {
            skip: Some(&skip),
            skip_hidden: false,
            ..how
        };
        let rels: Vec<PathBuf> = walk(d, how).found.into_iter().map(|f| f.rel).collect();
        assert_eq!(rels, [".git/x", ".hidden", "a.md"].map(PathBuf::from));
        assert!(walk(&d.join("missing"), how).found.is_empty());
    }
}
