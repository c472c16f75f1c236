//! The no-change path: a build whose inputs are all as the last build saw them.
//!
//! Before anything is read, the build stamps every input by its metadata
//! alone (length and modification time): `zine.toml` and every file of the
//! project's folders (`issues/`, `pocket/`, `templates/`, `fonts/`; hidden
//! files are never read), the files the last build read elsewhere (an
//! `extra_css`, a file a template override read), and the pir program
//! itself. Other folders of the project (a `target/` or `node_modules/`
//! beside it) are not walked. A build without errors keeps those stamps in
//! its record, with what it said (its warnings) and a summary. The next build compares: when the same
//! program, with the same options, finds the same files with the same
//! stamps, and the output folder still holds exactly the files the record
//! stamped, nothing can come out different, so nothing is checked, rendered
//! or written; the warnings are said again, as cargo does for a crate it
//! does not compile again.
//!
//! A file changed in the same instant as it was stamped could keep its
//! stamp (git's "racy clean" problem), so a stamp taken less than
//! [`RACY_NS`] after the file's modification time is not trusted: the next
//! build takes the full path. The same rule makes it sound to stamp the
//! files read outside the project's folders after the build: one changed
//! while the build ran has a modification time after the build started.

use super::*;
use crate::publish::{Stamp, modified, nanos};

/// How close to its stamping a file's modification time must be for the stamp to be
/// doubted: two seconds covers the coarsest clocks of common file systems (FAT).
const RACY_NS: i128 = 2_000_000_000;

/// A file's length and modification time (nanoseconds since the epoch); both
/// -1 for a file that was not there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Seen {
    len: i128,
    modified: i128,
}

/// What a build saw of its inputs, taken before it read them.
pub struct Inputs {
    /// The program, its version, the project folder and the options.
    key: String,
    /// When the stamps were taken.
    taken: i128,
    files: BTreeMap<PathBuf, Seen>,
    root: PathBuf,
    /// The last build's record beside the output.
    previous: Record,
}

/// The record's memory of the last build without errors.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Fresh {
    key: String,
    taken: i128,
    inputs: BTreeMap<PathBuf, Seen>,
    /// The files outside [`crate::files::INPUTS`] that the build read.
    extra: Vec<PathBuf>,
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

/// Stamps every input of the project at `root` built into `out` with these options.
pub fn inputs(root: &Path, out: &Path, options: &Options) -> Inputs {
    let taken = nanos(std::time::SystemTime::now());
    let program = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {}", m.len(), modified(&m)))
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
    let out = canonical(out);
    let mut files = BTreeMap::new();
    for name in crate::files::INPUTS {
        walk(&root.join(name), root, &out, &mut files);
    }
    let previous = previous_record(Some(&out));
    for path in previous.fresh.iter().flat_map(|f| &f.extra) {
        files.insert(path.clone(), seen(&root.join(path)));
    }
    Inputs {
        key,
        taken,
        files,
        root: root.to_path_buf(),
        previous,
    }
}

/// The stamp of the file at `path`, following links as loading does.
fn seen(path: &Path) -> Seen {
    match std::fs::metadata(path) {
        Ok(meta) => Seen {
            len: meta.len().into(),
            modified: modified(&meta),
        },
        Err(_) => Seen {
            len: -1,
            modified: -1,
        },
    }
}

impl Inputs {
    /// The issues (folder names) whose inputs are all as the last clean build
    /// stamped them (none racy), when every input outside `issues/` is too
    /// (the program, the options, `zine.toml`, templates, fonts, files read
    /// elsewhere); empty otherwise. What only such an issue feeds (its email
    /// edition) comes out the same.
    pub fn same_issues(&self) -> BTreeSet<String> {
        let Some(fresh) = &self.previous.fresh else {
            return BTreeSet::new();
        };
        let issue_of = |p: &Path| match crate::edition::ids::Folder::of_path(p) {
            Some(crate::edition::ids::Folder::Issue(slug)) => Some(slug),
            _ => None,
        };
        let trusted = |s: &Seen| s.modified <= fresh.taken - RACY_NS;
        let outside = |m: &BTreeMap<PathBuf, Seen>| {
            m.iter()
                .filter(|(p, _)| issue_of(p).is_none())
                .map(|(p, s)| (p.clone(), s.clone()))
                .collect::<Vec<_>>()
        };
        let globals = outside(&fresh.inputs);
        if fresh.key != self.key
            || globals != outside(&self.files)
            || !globals.iter().all(|(_, s)| trusted(s))
        {
            return BTreeSet::new();
        }
        // Per issue: its files then and now, equal and trusted.
        let mut then: BTreeMap<String, Vec<(&PathBuf, &Seen)>> = BTreeMap::new();
        for (p, s) in &fresh.inputs {
            if let Some(slug) = issue_of(p) {
                then.entry(slug).or_default().push((p, s));
            }
        }
        let mut now: BTreeMap<String, Vec<(&PathBuf, &Seen)>> = BTreeMap::new();
        for (p, s) in &self.files {
            if let Some(slug) = issue_of(p) {
                now.entry(slug).or_default().push((p, s));
            }
        }
        then.into_iter()
            .filter(|(slug, files)| {
                now.get(slug) == Some(files) && files.iter().all(|(_, s)| trusted(s))
            })
            .map(|(slug, _)| slug)
            .collect()
    }
}

/// Stamps the file at `path`, or the files under it, skipping hidden entries and the output folder.
fn walk(path: &Path, root: &Path, out: &Path, files: &mut BTreeMap<PathBuf, Seen>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    if !meta.is_dir() {
        files.insert(rel, seen(path));
        return;
    }
    let how = crate::files::Walk {
        skip_hidden: true,
        follow_links: true,
        skip: Some(out),
    };
    for found in crate::files::walk(path, how).found {
        files.insert(rel.join(&found.rel), seen(&found.path));
    }
}

/// The last build's report, when nothing it depends on changed: same
/// program and options, the same input files with the same stamps (none
/// too close to its stamping), and the output folder holding exactly the
/// files it published, unchanged.
pub fn up_to_date(out: &Path, now: &Inputs) -> Option<UpToDate> {
    let record = &now.previous;
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
    /// be built again). The files it read outside the project's folders are
    /// stamped now; one changed while it ran is not trusted (see the top).
    pub fn remember(&mut self, inputs: Inputs, report: &Report, drafts: usize) {
        if report.has_errors() {
            self.record.fresh = None;
            return;
        }
        let walked = |p: &Path| crate::files::INPUTS.iter().any(|w| p.starts_with(w));
        let extra: BTreeSet<PathBuf> = report
            .sources
            .paths()
            .map(Path::to_path_buf)
            .chain(
                self.record
                    .documents
                    .values()
                    .flat_map(|e| e.reads.keys())
                    .filter_map(|r| crate::files::inside(Path::new(""), r)),
            )
            .chain(report.project.site.extra_css.iter().map(PathBuf::from))
            .filter(|p| !walked(p))
            .collect();
        let mut files = inputs.files;
        for path in &extra {
            files
                .entry(path.clone())
                .or_insert_with(|| seen(&inputs.root.join(path)));
        }
        self.record.fresh = Some(Fresh {
            key: inputs.key,
            taken: inputs.taken,
            inputs: files,
            extra: extra.into_iter().collect(),
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
