//! The Typst `World` pir compiles in: everything served from memory.
//!
//! The template, the generated markup, the data and the timeline
//! drawings live in a map of virtual files; images come from the project
//! folder, and only from inside it; fonts are the ones embedded in the
//! binary plus the project's own `fonts/`. Nothing is read from the
//! network or from the fonts installed on the machine, and "today" is the
//! issue's date, so the same input always gives the same PDF.
//!
//! Every project file the world reads is recorded with a hash of what it
//! read (or that it was missing), as typst-cli's watcher keys on
//! `world.dependencies()`: a template override may read any file, and
//! only this record says which, so incremental builds can be exact.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

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
        FONTS
            .get_or_init(|| {
                Arc::new(Fonts::from_data(
                    embedded_files().map(|(_, d)| Bytes::new(*d)).collect(),
                ))
            })
            .clone()
    }

    /// The embedded fonts plus every font file in `dir` that is not one of them.
    pub fn with_project(dir: &Path) -> std::io::Result<Arc<Fonts>> {
        let extra: Vec<Bytes> = project_font_files(dir)?
            .into_iter()
            .map(Bytes::new)
            .collect();
        if extra.is_empty() {
            return Ok(Fonts::embedded());
        }
        let all = embedded_files()
            .map(|(_, d)| Bytes::new(*d))
            .chain(extra)
            .collect();
        Ok(Arc::new(Fonts::from_data(all)))
    }

    /// Parses every face of every font file.
    fn from_data(data: Vec<Bytes>) -> Fonts {
        let fonts: Vec<Font> = data.into_iter().flat_map(Font::iter).collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }

    /// The width in points of `text` set in the regular face of `family` at `size` points.
    pub fn text_width(&self, family: &str, size: f64, text: &str) -> f64 {
        let font = self
            .fonts
            .iter()
            .filter(|f| f.info().family == family)
            .min_by_key(|f| f.info().variant.weight.to_number().abs_diff(400));
        let Some(font) = font else {
            return text.chars().count() as f64 * size * 0.6;
        };
        let Ok(face) = ttf_parser::Face::parse(font.data(), font.index()) else {
            return text.chars().count() as f64 * size * 0.6;
        };
        let upem = face.units_per_em() as f64;
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(upem * 0.6, f64::from)
                    / upem
                    * size
            })
            .sum()
    }

    /// The family names available, for error messages.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self.fonts.iter().map(|f| f.info().family.clone()).collect();
        names.dedup();
        names
    }
}

/// An IO error that names the file it happened on.
fn named(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// The font files in a project's `fonts/` that are not embedded already, in path order.
fn project_font_files(dir: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let mut extra = Vec::new();
    if !dir.is_dir() {
        return Ok(extra);
    }
    let how = crate::files::Walk {
        skip_hidden: false,
        follow_links: false,
        skip: None,
    };
    let walked = crate::files::walk(dir, how);
    if let Some(e) = walked.errors.into_iter().next() {
        return Err(e);
    }
    let paths: Vec<PathBuf> = walked
        .found
        .into_iter()
        .map(|f| f.path)
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            })
        })
        .collect();
    for path in paths {
        let data = std::fs::read(&path).map_err(|e| named(&path, e))?;
        if !embedded_files().any(|(_, d)| *d == data.as_slice()) {
            extra.push(data);
        }
    }
    Ok(extra)
}

/// Which characters the fonts of a project can draw, read from their
/// character maps alone: what `pir check` asks, without the cost of
/// preparing the fonts for layout.
pub struct Coverage {
    project: Vec<Vec<u8>>,
}

impl Coverage {
    /// The embedded fonts and the project's own (`dir` is its `fonts/`).
    pub fn with_project(dir: &Path) -> std::io::Result<Coverage> {
        Ok(Coverage {
            project: project_font_files(dir)?,
        })
    }

    /// Of `chars`, those that no face of any font can draw.
    pub fn missing(&self, chars: &[char]) -> Vec<char> {
        let mut left: Vec<char> = chars.to_vec();
        let files = embedded_files()
            .map(|(_, d)| *d)
            .chain(self.project.iter().map(Vec::as_slice));
        for data in files {
            if left.is_empty() {
                break;
            }
            for index in 0..ttf_parser::fonts_in_collection(data).unwrap_or(1) {
                if let Ok(face) = ttf_parser::Face::parse(data, index) {
                    left.retain(|&c| face.glyph_index(c).is_none());
                }
            }
        }
        left
    }
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
    /// The project files read so far: path under the root, and the hash of what was read.
    read: Mutex<BTreeMap<String, String>>,
}

/// What a dependency's hash is when the file could not be read (missing, a folder, denied).
pub const UNREADABLE: &str = "-";

/// The fingerprint of a project file as the world would read it now ([`UNREADABLE`] if it cannot be).
pub fn fingerprint_file(root: &Path, rel: &str) -> String {
    match read_inside(root, rel) {
        Ok(bytes) => crate::files::fingerprint(&bytes),
        Err(_) => UNREADABLE.to_string(),
    }
}

/// Reads a file under `root`, refusing anything that leads outside it.
fn read_inside(root: &Path, rel: &str) -> FileResult<Vec<u8>> {
    let path = crate::files::inside(Path::new(""), rel).ok_or(FileError::AccessDenied)?;
    let full = root.join(path);
    let (canon, root) = (
        full.canonicalize()
            .map_err(|_| FileError::NotFound(full.clone()))?,
        root.canonicalize().map_err(|_| FileError::AccessDenied)?,
    );
    if !canon.starts_with(&root) {
        return Err(FileError::AccessDenied);
    }
    if canon.is_dir() {
        return Err(FileError::IsDirectory);
    }
    std::fs::read(&canon).map_err(|e| FileError::from_io(e, &canon))
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
            read: Mutex::new(BTreeMap::new()),
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

    /// Reads a project file for a virtual path, refusing anything outside the
    /// project, and records what it read.
    fn disk(&self, id: FileId) -> FileResult<Vec<u8>> {
        let rel = id.vpath().get_without_slash().to_string();
        let result = read_inside(&self.root, &rel);
        let hash = result
            .as_ref()
            .map(|b| crate::files::fingerprint(b))
            .unwrap_or_else(|_| UNREADABLE.to_string());
        self.read
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel, hash);
        result
    }

    /// Every project file this world has read (path under the root, fingerprint), in path order.
    pub fn dependencies(&self) -> BTreeMap<String, String> {
        self.read.lock().unwrap_or_else(|p| p.into_inner()).clone()
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
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}
