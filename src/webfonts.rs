//! Fonts for the web: the design's embedded fonts, subset to the characters
//! the site uses (plus Basic Latin and punctuation) and compressed to WOFF2.
//!
//! Subsetting keeps the `cmap` table (fontcull's release of the fontations
//! subsetter `klippa`), unlike Typst's PDF-only subsetter, so browsers can
//! use the result; hinting is dropped, as web font services do for all but
//! old Windows. That subsetter cannot rewrite CFF outlines, so the `.otf`
//! faces (League Spartan, small already) ship whole. ttf2woff2 writes WOFF2
//! in pure Rust. Each file is named by a hash of everything its bytes are
//! made from (the face, the characters kept, pir's version), as
//! `fonts/charis-sil/CharisSIL-Regular.<hash>.woff2`, so a host can cache it
//! for a year, and a build whose previous output already holds that file
//! keeps it instead of compressing it again (Brotli was a fifth of a
//! no-change build). Its `@font-face` rule carries the `unicode-range` it
//! covers. The fonts' licences ship beside them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::render::typst::world::FONT_FILES;

/// One face the stylesheet declares: family, file under `fonts/`, weight, style.
const FACES: &[(&str, &str, u16, &str)] = &[
    (
        "Charis SIL",
        "charis-sil/CharisSIL-Regular.ttf",
        400,
        "normal",
    ),
    (
        "Charis SIL",
        "charis-sil/CharisSIL-Italic.ttf",
        400,
        "italic",
    ),
    ("Charis SIL", "charis-sil/CharisSIL-Bold.ttf", 700, "normal"),
    (
        "Charis SIL",
        "charis-sil/CharisSIL-BoldItalic.ttf",
        700,
        "italic",
    ),
    (
        "League Spartan",
        "league-spartan/LeagueSpartan-Regular.otf",
        400,
        "normal",
    ),
    (
        "League Spartan",
        "league-spartan/LeagueSpartan-Bold.otf",
        700,
        "normal",
    ),
    (
        "League Spartan",
        "league-spartan/LeagueSpartan-Black.otf",
        900,
        "normal",
    ),
    (
        "JetBrains Mono",
        "jetbrains-mono/JetBrainsMono-Regular.ttf",
        400,
        "normal",
    ),
    (
        "JetBrains Mono",
        "jetbrains-mono/JetBrainsMono-Bold.ttf",
        700,
        "normal",
    ),
];

/// The body font, which every page preloads.
const BODY: &str = "charis-sil/CharisSIL-Regular.ttf";

/// The licence of each family, shipped beside its fonts.
/// The faces sent whole (their CFF outlines cannot be subset), already in
/// WOFF2 at the best quality: they are the same on every build, so none
/// pays to compress them (`the_whole_faces_ship_as_their_woff2_at_quality_11`
/// checks that each file is its face's encoding; `PIR_BLESS=1` writes them).
const WHOLE: &[(&str, &[u8])] = &[
    (
        "league-spartan/LeagueSpartan-Regular.otf",
        include_bytes!("../fonts/league-spartan/LeagueSpartan-Regular.woff2"),
    ),
    (
        "league-spartan/LeagueSpartan-Bold.otf",
        include_bytes!("../fonts/league-spartan/LeagueSpartan-Bold.woff2"),
    ),
    (
        "league-spartan/LeagueSpartan-Black.otf",
        include_bytes!("../fonts/league-spartan/LeagueSpartan-Black.woff2"),
    ),
];

const LICENCES: &[(&str, &[u8])] = &[
    (
        "charis-sil/LICENSE",
        include_bytes!("../fonts/charis-sil/LICENSE"),
    ),
    (
        "league-spartan/LICENSE",
        include_bytes!("../fonts/league-spartan/LICENSE"),
    ),
    (
        "jetbrains-mono/LICENSE",
        include_bytes!("../fonts/jetbrains-mono/LICENSE"),
    ),
];

/// The web fonts of one build: files to write, the `@font-face` rules, the body font's path.
pub struct WebFonts {
    /// Paths under the site's root and their bytes.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// `@font-face` rules with URLs relative to the site's root (where style.css is).
    pub css: String,
    /// The body font's path from the site's root, for `<link rel="preload">`.
    pub preload: String,
}

/// The characters every subset keeps whatever the pages say: Basic Latin,
/// Latin-1 punctuation and symbols, and General Punctuation.
fn always() -> impl Iterator<Item = char> {
    (0x20u32..=0x7e)
        .chain(0xa0..=0xbf)
        .chain(0x2000..=0x206f)
        .filter_map(char::from_u32)
}

/// The characters of the site's pages, counted one page at a time (so that none has to be
/// kept): every character but ASCII controls, plus [`always`].
pub struct Chars {
    /// A bitmap for the Basic Multilingual Plane: a tree insert per character was slow on a large archive.
    bmp: Vec<u64>,
    /// The characters beyond it.
    astral: BTreeSet<char>,
}

impl Default for Chars {
    fn default() -> Chars {
        Chars {
            bmp: vec![0u64; 0x10000 / 64],
            astral: BTreeSet::new(),
        }
    }
}

impl Chars {
    /// Counts the characters of one text.
    pub fn add(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            let n = c as usize;
            if n < 0x10000 {
                self.bmp[n / 64] |= 1 << (n % 64);
            } else {
                self.astral.insert(c);
            }
        }
    }

    /// Every character seen, plus [`always`].
    pub fn set(self) -> BTreeSet<char> {
        let mut set: BTreeSet<char> = always().chain(self.astral).collect();
        for (word, bits) in self.bmp.iter().enumerate().filter(|(_, b)| **b != 0) {
            set.extend(
                (0..64)
                    .filter(|i| bits & (1 << i) != 0)
                    .filter_map(|i| char::from_u32((word * 64 + i) as u32)),
            );
        }
        set
    }
}

/// Subsets and compresses every face to `chars`; a file that `kept` says
/// the output already holds (`have`, by its name, which its inputs decide) is not
/// made again, and is left out of [`WebFonts::files`].
pub fn build(
    chars: &BTreeSet<char>,
    have: &(dyn Fn(&Path) -> bool + Sync),
) -> Result<WebFonts, String> {
    build_with(chars, have, QUALITY)
}

/// The Brotli quality of the subset web fonts (0 to 11). Measured with
/// `cargo bench --bench webfonts` on Issue 2 (BENCHMARKS.md): quality 8
/// makes the faces in 0.09x the time of quality 11 (WOFF2's default) for
/// 1.020x the bytes of every face together (the faces sent whole are
/// shipped at 11, see [`WHOLE`]); each face is small once subset, so 9 to
/// 11 buy the last 2% for 6 to 11 times the time, which every cold build
/// (a CI deploy) pays in full.
pub const QUALITY: u8 = 8;

/// As [`build`], compressing at Brotli `quality`; the faces are made side by side.
pub fn build_with(
    chars: &BTreeSet<char>,
    have: &(dyn Fn(&Path) -> bool + Sync),
    quality: u8,
) -> Result<WebFonts, String> {
    use rayon::prelude::*;
    let faces: Vec<Face> = FACES
        .par_iter()
        .map(|spec| face(spec, chars, have, quality))
        .collect::<Result<_, String>>()?;
    let mut files = Vec::new();
    let mut css = String::new();
    let mut preload = String::new();
    for (face, (_, source, _, _)) in faces.into_iter().zip(FACES) {
        css.push_str(&face.rule);
        if *source == BODY {
            preload = face.path.clone();
        }
        if let Some(woff2) = face.woff2 {
            files.push((PathBuf::from(face.path), woff2));
        }
    }
    files.extend(
        LICENCES
            .iter()
            .map(|(p, d)| (PathBuf::from("fonts").join(p), d.to_vec())),
    );
    Ok(WebFonts {
        files,
        css,
        preload,
    })
}

/// One face as the site gets it: its file's path, its `@font-face` rule, and
/// its bytes unless the output already holds the file.
struct Face {
    path: String,
    rule: String,
    woff2: Option<Vec<u8>>,
}

/// Subsets and compresses one face of [`FACES`] for `chars`.
fn face(
    (family, source, weight, style): &(&str, &str, u16, &str),
    chars: &BTreeSet<char>,
    have: &(dyn Fn(&Path) -> bool + Sync),
    quality: u8,
) -> Result<Face, String> {
    let data = FONT_FILES
        .iter()
        .find(|(p, _)| p == source)
        .map(|(_, d)| *d)
        .ok_or_else(|| format!("{source} is not embedded"))?;
    let parsed =
        ttf_parser::Face::parse(data, 0).map_err(|e| format!("cannot read {source}: {e}"))?;
    let kept: BTreeSet<char> = chars
        .iter()
        .copied()
        .filter(|c| parsed.glyph_index(*c).is_some())
        .collect();
    let whole = WHOLE.iter().find(|(p, _)| p == source).map(|(_, w)| *w);
    // A face sent whole is named by its WOFF2 alone; a subset by its face, characters and quality.
    let name = match whole {
        Some(woff2) => crate::files::short_name(&[woff2], []),
        None => crate::files::short_name(
            &[env!("CARGO_PKG_VERSION").as_bytes(), data],
            std::iter::once(u32::from(quality)).chain(kept.iter().map(|c| *c as u32)),
        ),
    };
    let stem = source.rsplit_once('.').map_or(*source, |(s, _)| s);
    let path = format!("fonts/{stem}.{name}.woff2");
    let rule = format!(
        "@font-face {{ font-family: \"{family}\"; src: url(\"{path}\") format(\"woff2\"); font-weight: {weight}; font-style: {style}; font-display: swap; unicode-range: {}; }}\n",
        unicode_range(&kept)
    );
    if have(Path::new(&path)) {
        return Ok(Face {
            path,
            rule,
            woff2: None,
        });
    }
    let woff2 = match whole {
        Some(woff2) => woff2.to_vec(),
        None => {
            let subset = subset(data, &kept).map_err(|e| format!("cannot subset {source}: {e}"))?;
            ttf2woff2::encode(&subset, ttf2woff2::BrotliQuality::from(quality))
                .map_err(|e| format!("cannot compress {source} to WOFF2: {e}"))?
        }
    };
    Ok(Face {
        path,
        rule,
        woff2: Some(woff2),
    })
}

/// A TrueType font cut down to `chars`, with its `cmap`, layout features and no hinting.
fn subset(data: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    use fontcull_klippa::{DEFAULT_LAYOUT_FEATURES, Plan, SubsetFlags, subset_font};
    use fontcull_read_fonts::collections::IntSet;
    use fontcull_skrifa::{FontRef, GlyphId, Tag};
    use fontcull_write_fonts::types::NameId;
    let font = FontRef::new(data).map_err(|e| e.to_string())?;
    let unicodes: IntSet<u32> = chars.iter().map(|c| *c as u32).collect();
    let features: IntSet<Tag> = DEFAULT_LAYOUT_FEATURES.iter().copied().collect();
    let plan = Plan::new(
        &IntSet::<GlyphId>::empty(),
        &unicodes,
        &font,
        SubsetFlags::SUBSET_FLAGS_NO_HINTING,
        &IntSet::<Tag>::empty(),
        &IntSet::<Tag>::all(),
        &features,
        &IntSet::<NameId>::empty(),
        &IntSet::<u16>::empty(),
    );
    subset_font(&font, &plan).map_err(|e| format!("{e:?}"))
}

/// A CSS `unicode-range` value for a set of characters, consecutive ones as ranges: "U+20-7E, U+A0".
fn unicode_range(chars: &BTreeSet<char>) -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in chars.iter().map(|c| *c as u32) {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    let parts: Vec<String> = ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                format!("U+{a:X}")
            } else {
                format!("U+{a:X}-{b:X}")
            }
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_faces_ship_as_their_woff2_at_quality_11() {
        for (source, shipped) in WHOLE {
            let data = FONT_FILES.iter().find(|(p, _)| p == source).unwrap().1;
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            assert!(
                face.tables().cff.is_some(),
                "{source} could be subset instead"
            );
            let woff2 = ttf2woff2::encode(data, ttf2woff2::BrotliQuality::from(11)).unwrap();
            if std::env::var_os("PIR_BLESS").is_some() {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fonts")
                    .join(source)
                    .with_extension("woff2");
                std::fs::write(path, &woff2).unwrap();
            } else {
                assert!(
                    woff2 == *shipped,
                    "{source}: run with PIR_BLESS=1 to write its WOFF2 again"
                );
            }
        }
        for (source, _) in FONT_FILES {
            let face =
                ttf_parser::Face::parse(FONT_FILES.iter().find(|(p, _)| p == source).unwrap().1, 0)
                    .unwrap();
            let shipped_whole = WHOLE.iter().any(|(p, _)| p == source);
            let used = FACES.iter().any(|f| f.1 == *source);
            assert!(
                !used || shipped_whole == face.tables().cff.is_some(),
                "{source}"
            );
        }
    }

    #[test]
    fn ranges_join_consecutive_characters() {
        let set: BTreeSet<char> = ['a', 'b', 'c', 'e', '→'].into_iter().collect();
        assert_eq!(unicode_range(&set), "U+61-63, U+65, U+2192");
    }

    #[test]
    fn characters_gather_page_by_page_without_controls() {
        let mut chars = Chars::default();
        chars.add("Ωμέγα\n");
        chars.add("🦀 and Ω");
        let set = chars.set();
        for c in ['Ω', 'μ', 'έ', 'γ', 'α', '🦀', 'a', '’'] {
            assert!(set.contains(&c), "{c} is kept");
        }
        assert!(!set.contains(&'\n'));
        assert!(!set.contains(&'Ж'));
    }
}
