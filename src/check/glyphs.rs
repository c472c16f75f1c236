//! Characters no font can draw.
//!
//! The site leaves missing glyphs to the reader's browser, but a PDF cannot:
//! a character that none of the project's fonts covers (the embedded ones,
//! the fallback, and any in the project's `fonts/`) would print as an empty
//! box. This finds each run of such characters in the files that reach the
//! PDFs, where the writer typed them, so `pir check` says so before a
//! reader sees a blank.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, FileId, Sources};
use crate::model::Project;
use crate::render::typst::world::Coverage;

/// Reports undrawable characters in every piece, issue and pocket file, and zine.toml.
pub fn check(project: &Project, sources: &Sources, fonts: &Coverage, diags: &mut Vec<Diagnostic>) {
    let mut files: Vec<FileId> = vec![project.site.file];
    for issue in &project.issues {
        files.push(issue.file);
        files.extend(issue.pieces.iter().map(|p| p.file));
    }
    for pocket in &project.pockets {
        files.push(pocket.file);
        files.extend(pocket.pieces.iter().map(|p| p.file));
    }
    files.sort_unstable();
    files.dedup();
    // Ask the fonts once, for each character that is not plain ASCII.
    let mut wanted: Vec<char> = files
        .iter()
        .flat_map(|&f| sources.text(f).chars())
        .filter(|c| !c.is_ascii() && drawn(*c))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let missing = fonts.missing(&wanted);
    if missing.is_empty() {
        return;
    }
    let cache: HashMap<char, bool> = wanted
        .into_iter()
        .map(|c| (c, !missing.contains(&c)))
        .collect();
    for file in files {
        scan(file, sources.text(file), &cache, diags);
    }
}

/// Whether a character is drawn at all (spaces, joiners and marks of direction are not).
fn drawn(c: char) -> bool {
    let joiner = matches!(c, '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}');
    !(joiner || c.is_whitespace() || c.is_control() || crate::load::fields::blank(&c.to_string()))
}

/// Reports each run of undrawable characters in one file, outside HTML comments.
fn scan(file: FileId, text: &str, cache: &HashMap<char, bool>, diags: &mut Vec<Diagnostic>) {
    let mut run: Option<(usize, usize)> = None;
    let mut in_comment = false;
    let flush = |run: &mut Option<(usize, usize)>, diags: &mut Vec<Diagnostic>| {
        if let Some((start, end)) = run.take() {
            diags.push(missing(file, &text[start..end], start..end));
        }
    };
    for (i, c) in text.char_indices() {
        if text[i..].starts_with("<!--") {
            in_comment = true;
        }
        if in_comment {
            if text[..i + c.len_utf8()].ends_with("-->") {
                in_comment = false;
            }
            continue;
        }
        if !drawn(c) {
            continue;
        }
        let covered = c.is_ascii() || cache.get(&c).copied().unwrap_or(true);
        if covered {
            flush(&mut run, diags);
        } else {
            let end = i + c.len_utf8();
            match &mut run {
                Some((_, e)) if text[*e..i].chars().all(char::is_whitespace) => *e = end,
                _ => {
                    flush(&mut run, diags);
                    run = Some((i, end));
                }
            }
        }
    }
    flush(&mut run, diags);
}

/// The diagnostic for one run of undrawable characters.
fn missing(file: FileId, run: &str, span: std::ops::Range<usize>) -> Diagnostic {
    let shown: String = run.chars().take(12).collect();
    let mut codes: Vec<String> = Vec::new();
    for c in run.chars().filter(|c| drawn(*c)) {
        let code = format!("U+{:04X}", c as u32);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let more = if codes.len() > 4 {
        format!(", and {} more", codes.len() - 4)
    } else {
        String::new()
    };
    codes.truncate(4);
    let message = format!(
        "no font of this zine can draw `{shown}` ({}{more}): the PDF would show empty boxes",
        codes.join(", ")
    );
    Diagnostic::new(Code::GlyphMissing, file, span, message)
        .hint("put a font that covers these characters in the project's fonts/ folder (for example a Noto font for the script; see the README's Fonts section)")
}
