//! The build's cache: the record kept beside the output, and the keys that decide reuse.
//!
//! Each document is keyed by a hash of everything Typst and the imposition
//! see, and the record also keeps every project file its Typst world read
//! (with a fingerprint), its output files (with fingerprints) and the
//! warnings typesetting gave. A document is reused only when all of that
//! still holds; its warnings are then said again.

use super::*;

/// A document's entry in the build record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) key: String,
    /// The files it produced, with their fingerprints.
    pub(super) files: Vec<(PathBuf, String)>,
    /// Every project file Typst read, with the fingerprint of what it read.
    pub(super) reads: BTreeMap<String, String>,
    /// What typesetting said (Typst's warnings), to say again when the document is reused.
    pub(super) diagnostics: Vec<Stored>,
    pub(super) output: Option<DocOutput>,
}

/// A diagnostic kept in the build record, with the text it quotes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Stored {
    pub(super) code: String,
    pub(super) message: String,
    pub(super) hint: Option<String>,
    pub(super) label: Option<String>,
    pub(super) path: Option<PathBuf>,
    /// The file it points into (name and text), and where.
    pub(super) source: Option<(PathBuf, String, usize, usize)>,
    /// The other places it names: file, text, where, and what is there.
    #[serde(default)]
    pub(super) related: Vec<(PathBuf, String, usize, usize, String)>,
}

impl Stored {
    /// Keeps a diagnostic whose file is in `sources`.
    pub(super) fn new(d: &Diagnostic, sources: &Sources) -> Stored {
        Stored {
            code: d.code.code().to_string(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            label: d.label.clone(),
            path: d.path.clone(),
            source: d.file.map(|f| {
                (
                    sources.path(f).to_path_buf(),
                    sources.text(f).to_string(),
                    d.span.start,
                    d.span.end,
                )
            }),
            related: d
                .related
                .iter()
                .map(|r| {
                    (
                        sources.path(r.file).to_path_buf(),
                        sources.text(r.file).to_string(),
                        r.span.start,
                        r.span.end,
                        r.message.clone(),
                    )
                })
                .collect(),
        }
    }

    /// The diagnostic again, its file added to `sources`; `None` for a code this pir does not know.
    pub(super) fn restore(&self, sources: &mut Sources) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.code() == self.code)?;
        let mut d = match &self.source {
            Some((path, text, start, end)) => Diagnostic::new(
                code,
                file_of(sources, path, text),
                *start..*end,
                self.message.clone(),
            ),
            None => Diagnostic::at_path(
                code,
                self.path.clone().unwrap_or_default(),
                self.message.clone(),
            ),
        };
        d.hint = self.hint.clone();
        d.label = self.label.clone();
        for (path, text, start, end, message) in &self.related {
            d = d.related(file_of(sources, path, text), *start..*end, message.clone());
        }
        Some(d)
    }
}

/// The file stored under `path` with this text, added if it is not there yet.
fn file_of(sources: &mut Sources, path: &Path, text: &str) -> diagnostic::FileId {
    match sources.find(path) {
        Some(f) if sources.text(f) == text => f,
        _ => sources.add(path, text.to_string()),
    }
}

/// The build record: each document's input key and the files it produced,
/// and the stamp of every file of the output (to link what is unchanged
/// without reading it).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Record {
    pub(super) pir: String,
    pub(super) documents: BTreeMap<String, Entry>,
    #[serde(default)]
    pub(super) files: BTreeMap<PathBuf, crate::publish::Stamp>,
    /// What the build saw of its inputs and said, for the no-change path
    /// (none after a build with errors).
    #[serde(default)]
    pub(super) fresh: Option<super::fresh::Fresh>,
    /// Each issue's email edition files, by issue folder name.
    #[serde(default)]
    pub(super) editions: BTreeMap<String, Vec<PathBuf>>,
}

pub(super) use crate::files::key;

/// The files of a project folder that feed every document (fonts), as one key part.
pub(super) fn fonts_key(root: &Path) -> Vec<u8> {
    let dir = root.join(crate::files::FONTS);
    let how = crate::files::Walk {
        skip_hidden: false,
        follow_links: true,
        skip: None,
    };
    // Regular files only: a FIFO would never end, a device never be the same twice.
    let mut parts: Vec<(String, Vec<u8>)> = crate::files::walk(&dir, how)
        .found
        .into_iter()
        .filter(|f| f.kind.is_file())
        .filter_map(|f| {
            let bytes = std::fs::read(&f.path).ok()?;
            Some((f.rel.to_string_lossy().into_owned(), bytes))
        })
        .collect();
    parts.sort();
    let flat: Vec<&[u8]> = parts
        .iter()
        .flat_map(|(n, b)| [n.as_bytes(), b.as_slice()])
        .collect();
    key(&flat).into_bytes()
}

/// Reads the previous build's record, if it is there and from this pir.
pub(super) fn previous_record(dir: Option<&Path>) -> Record {
    let Some(dir) = dir else {
        return Record::default();
    };
    let record: Record = std::fs::read(record_path(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    if record.pir == env!("CARGO_PKG_VERSION") {
        record
    } else {
        Record::default()
    }
}

/// A document of the previous output that can be used again: same key, every
/// file Typst read unchanged, and every output file still the one recorded,
/// as the record's stamps tell without reading it.
pub(super) fn reusable<'r>(
    previous: &'r Record,
    name: &str,
    key: &str,
    root: &Path,
    staging: &Staging,
) -> Option<&'r Entry> {
    let old = previous.documents.get(name).filter(|e| e.key == key)?;
    if old
        .reads
        .iter()
        .any(|(path, hash)| world::fingerprint_file(root, path) != *hash)
    {
        return None;
    }
    old.files
        .iter()
        .all(|(f, hash)| staging.vouches(f, hash))
        .then_some(old)
}

/// The record entry of files just produced.
pub(super) fn entry(
    key: &str,
    files: &[(PathBuf, Vec<u8>)],
    reads: BTreeMap<String, String>,
    diagnostics: Vec<Stored>,
    output: Option<DocOutput>,
) -> Entry {
    let files = files
        .iter()
        .map(|(f, b)| (f.clone(), crate::files::fingerprint(b)))
        .collect();
    Entry {
        key: key.to_string(),
        files,
        reads,
        diagnostics,
        output,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_sensitive() {
        assert_eq!(key(&[b"a", b"bc"]), key(&[b"a", b"bc"]));
        assert_ne!(
            key(&[b"a", b"bc"]),
            key(&[b"ab", b"c"]),
            "part boundaries count"
        );
        assert_eq!(key(&[]).len(), 32);
    }
}
