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
pub fn build(chars: &BTreeSet<char>, have: &dyn Fn(&Path) -> bool) -> Result<WebFonts, String> {
    let mut files = Vec::new();
    let mut css = String::new();
    let mut preload = String::new();
    for (family, source, weight, style) in FACES {
        let data = FONT_FILES
            .iter()
            .find(|(p, _)| p == source)
            .map(|(_, d)| *d)
            .ok_or_else(|| format!("{source} is not embedded"))?;
        let face =
            ttf_parser::Face::parse(data, 0).map_err(|e| format!("cannot read {source}: {e}"))?;
        let kept: BTreeSet<char> = chars
            .iter()
            .copied()
            .filter(|c| face.glyph_index(*c).is_some())
            .collect();
        let cff = face.tables().cff.is_some();
        // A CFF face is sent whole, so its name does not depend on the characters.
        let chars = kept.iter().filter(|_| !cff).map(|c| *c as u32);
        let name = crate::files::short_name(&[env!("CARGO_PKG_VERSION").as_bytes(), data], chars);
        let stem = source.rsplit_once('.').map_or(*source, |(s, _)| s);
        let path = format!("fonts/{stem}.{name}.woff2");
        css.push_str(&format!(
            "@font-face {{ font-family: \"{family}\"; src: url(\"{path}\") format(\"woff2\"); font-weight: {weight}; font-style: {style}; font-display: swap; unicode-range: {}; }}\n",
            unicode_range(&kept)
        ));
        if *source == BODY {
            preload = path.clone();
        }
        if have(Path::new(&path)) {
            continue;
        }
        let subset = if cff {
            data.to_vec()
        } else {
            subset(data, &kept).map_err(|e| format!("cannot subset {source}: {e}"))?
        };
        let woff2 = ttf2woff2::encode(&subset, ttf2woff2::BrotliQuality::default())
            .map_err(|e| format!("cannot compress {source} to WOFF2: {e}"))?;
        files.push((PathBuf::from(path), woff2));
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
