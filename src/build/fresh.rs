//! The no-change path: a build whose inputs are all as the last build saw them.
//!
//! Before anything is read, the build stamps every input by its metadata
//! alone (length and modification time): every file of the project folder
//! but hidden ones and the output folder, and the pir program itself. A
//! build without errors keeps those stamps in its record, with what it said
//! (its warnings) and a summary. The next build compares: when the same
//! program, with the same options, finds the same files with the same
//! stamps, and the output folder still holds exactly the files the record
//! stamped, nothing can come out different, so nothing is checked, rendered
//! or written; the warnings are said again, as cargo does for a crate it
//! does not compile again.
//!
//! A file changed in the same instant as it was stamped could keep its
//! stamp (git's "racy clean" problem), so a stamp taken less than
//! [`RACY_NS`] after the file's modification time is not trusted: the next
//! build takes the full path.

use super::*;
use crate::publish::Stamp;

/// How close to its stamping a file's modification time must be for the stamp to be
/// doubted: two seconds covers the coarsest clocks of common file systems (FAT).
const RACY_NS: i128 = 2_000_000_000;

/// A file's length and modification time (nanoseconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Seen {
    len: u64,
    modified: i128,
}

/// What a build saw of its inputs, taken before it read them.
pub struct Inputs {
    /// The program, its version, the project folder and the options.
    key: String,
    /// When the stamps were taken.
    taken: i128,
    files: BTreeMap<PathBuf, Seen>,
}

/// The record's memory of the last build without errors.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Fresh {
    key: String,
    taken: i128,
    inputs: BTreeMap<PathBuf, Seen>,
    said: Vec<Stored>,
    pages: usize,
    documents: usize,
    drafts: usize,
}

/// What a build that found nothing changed reports: the last build's summary and its warnings.
pub struct UpToDate {
    pub files: usize,
    pub pages: usize,
    pub documents: usize,
    /// Draft issues left out.
    pub drafts: usize,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
}

/// Nanoseconds since the epoch of a time.
fn nanos(t: std::time::SystemTime) -> i128 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Stamps every input of the project at `root` built into `out` with these options.
pub fn inputs(root: &Path, out: &Path, options: &Options) -> Inputs {
    let taken = nanos(std::time::SystemTime::now());
    let program = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {}", m.len(), m.modified().map_or(0, nanos)))
        .unwrap_or_default();
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let key = format!(
        "pir {} ({program}) | {} | drafts {} emit {} {:?}",
        env!("CARGO_PKG_VERSION"),
        canonical(root).display(),
        options.drafts,
        options.emit_typst,
        options.print,
    );
    let mut files = BTreeMap::new();
    walk(root, root, &canonical(out), 0, &mut files);
    Inputs { key, taken, files }
}

/// Stamps the files under `dir`, skipping hidden entries and the output folder.
fn walk(dir: &Path, root: &Path, out: &Path, depth: usize, files: &mut BTreeMap<PathBuf, Seen>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        // Follows links, as loading does; the depth bounds a link that loops.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if meta.is_dir() {
            if depth < 32 && path.canonicalize().map_or(true, |c| c != out) {
                walk(&path, root, out, depth + 1, files);
            }
        } else {
            let modified = meta.modified().map_or(0, nanos);
            files.insert(
                rel,
                Seen {
                    len: meta.len(),
                    modified,
                },
            );
        }
    }
}

/// The last build's report, when nothing it depends on changed: same
/// program and options, the same input files with the same stamps (none
/// too close to its stamping), and the output folder holding exactly the
/// files it published, unchanged.
pub fn up_to_date(out: &Path, now: &Inputs) -> Option<UpToDate> {
    let record = previous_record(Some(out));
    let fresh = record.fresh.as_ref()?;
    if fresh.key != now.key || fresh.inputs != now.files {
        return None;
    }
    if fresh
        .inputs
        .values()
        .any(|s| s.modified > fresh.taken - RACY_NS)
    {
        return None;
    }
    let intact =
        |(path, stamp): (&PathBuf, &Stamp)| crate::publish::unchanged(&out.join(path), stamp);
    if !record.files.iter().all(intact)
        || crate::publish::count_files(out) != Some(record.files.len())
    {
        return None;
    }
    let mut sources = Sources::default();
    let diags = fresh
        .said
        .iter()
        .map(|d| d.restore(&mut sources))
        .collect::<Option<Vec<_>>>()?;
    Some(UpToDate {
        files: record.files.len(),
        pages: fresh.pages,
        documents: fresh.documents,
        drafts: fresh.drafts,
        sources,
        diags,
    })
}

impl Built {
    /// Keeps, for the next build's no-change path, the inputs this build
    /// saw and what it said (nothing after a build with errors, which must
    /// be built again).
    pub fn remember(&mut self, inputs: Inputs, report: &Report, drafts: usize) {
        self.record.fresh = (!report.has_errors()).then(|| Fresh {
            key: inputs.key,
            taken: inputs.taken,
            inputs: inputs.files,
            said: report
                .diags
                .iter()
                .filter(|d| d.severity() != diagnostic::Severity::Hint)
                .map(|d| Stored::new(d, &report.sources))
                .collect(),
            pages: self.docs.iter().map(|d| d.pages).sum(),
            documents: self.typeset.len() + self.reused.len(),
            drafts,
        });
    }
}
