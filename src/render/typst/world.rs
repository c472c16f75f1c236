//! The Typst `World` pir compiles in: everything served from memory.
//!
//! The template, the generated markup, the data and the timeline
//! drawings live in a map of virtual files; images come from the project
//! folder, and only from inside it; fonts are the ones embedded in the
//! binary plus the project's own `fonts/`. Nothing is read from the
//! network or from the fonts installed on the machine, and "today" is the
//! issue's date, so the same input always gives the same PDF.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Declares the embedded fonts by their path under `fonts/`.
macro_rules! fonts {
    ($($path:literal),* $(,)?) => { &[$(($path, include_bytes!(concat!("../../../fonts/", $path)))),*] };
}

/// The fonts of the design, compiled into the binary, by path under `fonts/`.
pub const FONT_FILES: &[(&str, &[u8])] = fonts![
    "charis-sil/CharisSIL-Regular.ttf",
    "charis-sil/CharisSIL-Italic.ttf",
    "charis-sil/CharisSIL-Bold.ttf",
    "charis-sil/CharisSIL-BoldItalic.ttf",
    "league-spartan/LeagueSpartan-Regular.otf",
    "league-spartan/LeagueSpartan-Bold.otf",
    "league-spartan/LeagueSpartan-Black.otf",
    "jetbrains-mono/JetBrainsMono-Regular.ttf",
    "jetbrains-mono/JetBrainsMono-Italic.ttf",
    "jetbrains-mono/JetBrainsMono-Bold.ttf",
];

/// Fonts the design never names but Typst falls back to for characters the
/// others lack: Greek, Cyrillic, arrows and the symbols reports use (✔ ✘ ⚠ ▶).
/// Print only; the site leaves fallback to the reader's browser.
pub const FALLBACK_FILES: &[(&str, &[u8])] = fonts!["dejavu/DejaVuSans.ttf"];

/// Every embedded font file: the design's, then the fallback.
fn embedded_files() -> impl Iterator<Item = &'static (&'static str, &'static [u8])> {
    FONT_FILES.iter().chain(FALLBACK_FILES)
}

/// A set of fonts and the book Typst looks them up in.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    /// The embedded fonts, parsed once per process.
    pub fn embedded() -> Arc<Fonts> {
        static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
        FONTS.get_or_init(|| Arc::new(Fonts::from_data(embedded_files().map(|(_, d)| Bytes::new(*d)).collect()))).clone()
    }

    /// The embedded fonts plus every font file in `dir` that is not one of them.
    pub fn with_project(dir: &Path) -> std::io::Result<Arc<Fonts>> {
        let mut extra = Vec::new();
        if dir.is_dir() {
            let mut paths: Vec<PathBuf> = walk(dir)?
                .into_iter()
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
                })
                .collect();
            paths.sort();
            for path in paths {
                let data = std::fs::read(&path)?;
                if !embedded_files().any(|(_, d)| *d == data.as_slice()) {
                    extra.push(Bytes::new(data));
                }
            }
        }
        if extra.is_empty() {
            return Ok(Fonts::embedded());
        }
        let all = embedded_files().map(|(_, d)| Bytes::new(*d)).chain(extra).collect();
        Ok(Arc::new(Fonts::from_data(all)))
    }

    /// Parses every face of every font file.
    fn from_data(data: Vec<Bytes>) -> Fonts {
        let fonts: Vec<Font> = data.into_iter().flat_map(Font::iter).collect();
        Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
    }

    /// Whether any of the fonts can draw `c`.
    pub fn covers(&self, c: char) -> bool {
        self.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
    }

    /// The family names available, for error messages.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self.fonts.iter().map(|f| f.info().family.clone()).collect();
        names.dedup();
        names
    }
}

/// All files below `dir`.
fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

/// Typst's standard library, built once per process and shared by every document.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().with_inputs(Dict::new()).build()))
}

/// The id of a virtual path in the project root (`/main.typ`).
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("pir's own virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// A compilation world for one document.
pub struct ZineWorld {
    library: &'static LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    root: PathBuf,
    today: NaiveDate,
}

impl ZineWorld {
    /// A world whose main file is `main`, reading other files from `root`.
    pub fn new(root: &Path, fonts: Arc<Fonts>, main: &str, today: NaiveDate) -> Self {
        ZineWorld {
            library: library(),
            fonts,
            main: file_id(main),
            sources: HashMap::new(),
            files: HashMap::new(),
            root: root.to_path_buf(),
            today,
        }
    }

    /// Adds a Typst source at a virtual path.
    pub fn add_source(&mut self, path: &str, text: String) {
        let id = file_id(path);
        self.sources.insert(id, Source::new(id, text));
    }

    /// Adds a data file at a virtual path.
    pub fn add_file(&mut self, path: &str, data: Vec<u8>) {
        self.files.insert(file_id(path), Bytes::new(data));
    }

    /// The text of a source, for diagnostics.
    pub fn source_text(&self, id: FileId) -> Option<String> {
        self.source(id).ok().map(|s| s.text().to_string())
    }

    /// Reads a project file for a virtual path, refusing anything outside the project.
    fn disk(&self, id: FileId) -> FileResult<Vec<u8>> {
        let rel = id.vpath().get_without_slash().to_string();
        let path = crate::check::inside(Path::new(""), &rel).ok_or(FileError::AccessDenied)?;
        let full = self.root.join(path);
        let (canon, root) = (
            full.canonicalize().map_err(|_| FileError::NotFound(full.clone()))?,
            self.root.canonicalize().map_err(|_| FileError::AccessDenied)?,
        );
        if !canon.starts_with(&root) {
            return Err(FileError::AccessDenied);
        }
        if canon.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&canon).map_err(|e| FileError::from_io(e, &canon))
    }
}

impl World for ZineWorld {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(s) = self.sources.get(&id) {
            return Ok(s.clone());
        }
        let bytes = self.disk(id)?;
        let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.text().to_string()));
        }
        self.disk(id).map(Bytes::new)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.year(), self.today.month() as u8, self.today.day() as u8)
    }
}
