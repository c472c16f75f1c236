//! The invariant behind `pir check`: when it reports no errors, `pir build`
//! succeeds and every word of every piece is in the reading PDF and on the
//! site. Proptest generates whole projects with the content that broke the
//! first release (mentions with overlapping ids and non-ASCII names next to
//! e-mail-like text, footnotes, reference links, headings and prose between
//! timeline entries, nested emphasis, long tokens, non-Latin text, pockets
//! of every kind) and the real binary checks and builds each one.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;
use proptest::prelude::*;

/// One inline token of generated prose, as Markdown, with the words a reader must see.
#[derive(Debug, Clone)]
struct Token {
    markdown: String,
    words: Vec<String>,
    /// Footnote definitions and link references this token needs at the end of the piece.
    defs: Vec<String>,
}

/// A plain word of lowercase letters.
fn word() -> impl Strategy<Value = String> {
    "[a-z]{4,9}"
}

/// Words in scripts the embedded fonts (with the fallback) can draw.
fn foreign() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Ελληνικά",
        "кириллица",
        "café",
        "naïve",
        "Zürich",
        "Łódź",
        "señal",
    ])
    .prop_map(str::to_string)
}

/// A token of prose: words with and without markup, and the hard cases.
fn token() -> impl Strategy<Value = Token> {
    let plain = |w: String| Token {
        markdown: w.clone(),
        words: vec![w],
        defs: vec![],
    };
    prop_oneof![
        6 => word().prop_map(plain),
        1 => foreign().prop_map(plain),
        1 => word().prop_map(|w| Token { markdown: format!("*{w}*"), words: vec![w], defs: vec![] }),
        1 => (word(), word()).prop_map(|(a, b)| Token { markdown: format!("***{a} `{b}`***"), words: vec![a, b], defs: vec![] }),
        1 => (word(), word(), word()).prop_map(|(a, b, c)| Token {
            markdown: format!("`com.{a}.{b}.{c}.internal.RetryingHttpClientFactoryImpl`"),
            words: vec![format!("com.{a}.{b}.{c}.internal.RetryingHttpClientFactoryImpl")],
            defs: vec![],
        }),
        1 => word().prop_map(|w| Token { markdown: format!("ops@{w}.example.com"), words: vec![format!("ops@{w}.example.com")], defs: vec![] }),
        // Labels are named after what they hold, so one label always means one definition.
        1 => (word(), word()).prop_map(move |(a, b)| Token {
            markdown: format!("{a}[^n{b}]"),
            words: vec![a, b.clone()],
            defs: vec![format!("[^n{b}]: The note says {b}.")],
        }),
        1 => (word(), word()).prop_map(move |(a, b)| Token {
            markdown: format!("[{a}][r{b}]"),
            words: vec![a, format!("https://{b}.example.com/page")],
            defs: vec![format!("[r{b}]: https://{b}.example.com/page")],
        }),
    ]
}

/// A paragraph of tokens.
fn paragraph() -> impl Strategy<Value = Token> {
    prop::collection::vec(token(), 1..8).prop_map(|tokens| {
        let mut out = Token {
            markdown: String::new(),
            words: vec![],
            defs: vec![],
        };
        for t in tokens {
            if !out.markdown.is_empty() {
                out.markdown.push(' ');
            }
            out.markdown.push_str(&t.markdown);
            out.words.extend(t.words);
            for d in t.defs {
                if !out
                    .defs
                    .iter()
                    .any(|x| x.split(':').next() == d.split(':').next())
                {
                    out.defs.push(d);
                }
            }
        }
        out.markdown.push('.');
        out
    })
}

/// A generated incident: its Markdown and the words it must show.
fn incident() -> impl Strategy<Value = (String, Vec<String>)> {
    (prop::collection::vec((paragraph(), prop::option::of(paragraph()), any::<bool>()), 3..6), paragraph(), any::<bool>())
        .prop_map(|(entries, summary, mention)| {
            let mut words = summary.words.clone();
            let mut defs = summary.defs.clone();
            let mut timeline = String::new();
            for (i, (text, between, heading)) in entries.iter().enumerate() {
                let who = if mention && i == 1 { "@dba pings @db about " } else { "" };
                timeline.push_str(&format!("- [10:{:02}] {who}{}\n", 10 + i * 5, text.markdown));
                words.extend(text.words.clone());
                defs.extend(text.defs.clone());
                if let Some(b) = between {
                    if *heading {
                        timeline.push_str(&format!("\n### Interlude {i}\n\n"));
                        words.push("Interlude".into());
                    } else {
                        timeline.push('\n');
                    }
                    timeline.push_str(&format!("{}\n\n", b.markdown));
                    words.extend(b.words.clone());
                    defs.extend(b.defs.clone());
                }
            }
            if mention {
                words.extend(["€uro".to_string(), "Database".to_string(), "Administrator".to_string()]);
            }
            let last = 10 + (entries.len() - 1) * 5;
            defs.sort();
            defs.dedup_by(|a, b| a.split(':').next() == b.split(':').next());
            let md = format!(
                "+++\nkind = \"incident\"\ntitle = \"Generated outage\"\norganization = \"Example Co\"\npublished = 2021-01-10\ndate = 2021-01-09\ntimezone = \"UTC\"\nimpact = \"Some users saw errors.\"\n\n[key_moments]\nimpact_start = \"10:10\"\ndetected = \"10:15\"\nresolved = \"10:{last:02}\"\n\n[[cast]]\nid = \"db\"\nname = \"€uro DB\"\n\n[[cast]]\nid = \"dba\"\nname = \"The Database Administrator\"\n+++\n\n## Summary\n\n{}\n\n## Timeline\n\n{timeline}\n## Analysis\n\nA lock.\n\n## Action items\n\n- Add a timeout.\n\n{}\n",
                summary.markdown,
                defs.join("\n\n")
            );
            (md, words)
        })
}

/// A generated piece of `kind` with a heading, paragraphs and their notes.
fn piece(
    kind: &'static str,
    size: std::ops::Range<usize>,
) -> impl Strategy<Value = (String, Vec<String>)> {
    (word(), prop::collection::vec(paragraph(), size)).prop_map(move |(heading, paras)| {
        let mut words = vec![heading.clone()];
        let mut body = format!("## {heading}\n\n");
        let mut defs: Vec<String> = Vec::new();
        for p in &paras {
            body.push_str(&p.markdown);
            body.push_str("\n\n");
            words.extend(p.words.clone());
            defs.extend(p.defs.clone());
        }
        defs.sort();
        defs.dedup_by(|a, b| a.split(':').next() == b.split(':').next());
        (
            format!(
                "+++\nkind = \"{kind}\"\ntitle = \"Generated {kind}\"\n+++\n\n{body}{}\n",
                defs.join("\n\n")
            ),
            words,
        )
    })
}

/// The text of a PDF with all whitespace removed and line-end hyphens joined.
fn pdf_compact(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    compact(&String::from_utf8(out.stdout).unwrap().replace("-\n", ""))
}

/// The text of an HTML page with tags and all whitespace removed.
fn html_compact(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    compact(
        &out.replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", "\""),
    )
}

/// The runs a long token may break between: after `.` and `/`, and between a
/// small letter and a capital (`RetryingHttp` / `Client`), as print does.
fn joints(token: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut prev: Option<char> = None;
    for c in token.chars() {
        if prev.is_some_and(|p| matches!(p, '.' | '/') || (p.is_lowercase() && c.is_uppercase())) {
            out.push(String::new());
        }
        out.last_mut().expect("one run at least").push(c);
        prev = Some(c);
    }
    out
}

/// Drops whitespace and soft line-break hints.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}' && *c != '\u{AD}')
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_clean_check_means_the_build_succeeds_and_every_word_is_in_every_output(
        (incident, incident_words) in incident(),
        (feature, feature_words) in piece("feature", 1..4),
        (cover, cover_words) in piece("cover", 1..2),
        (sheet, sheet_words) in piece("worksheet", 1..2),
        (back, back_words) in piece("back-cover", 1..2),
    ) {
        let dir = project("valid");
        let root = dir.path();
        write(root, "issues/january-2021/issue.toml", "number = 1\ntitle = \"First light\"\ndate = 2021-01-01\nstatus = \"published\"\neditors = [\"A. Editor\"]\npieces = [\"note.md\", \"outage.md\", \"feature.md\"]\n");
        write(root, "issues/january-2021/outage.md", &incident);
        write(root, "issues/january-2021/feature.md", &feature);
        write(root, "pocket/tiny/pocket.toml", "title = \"Tiny\"\ndate = 2021-01-05\npieces = [\"cover.md\", \"sheet.md\", \"back.md\"]\n");
        write(root, "pocket/tiny/cover.md", &cover);
        write(root, "pocket/tiny/sheet.md", &sheet);
        write(root, "pocket/tiny/back.md", &back);
        let check = run(root, &["check"]);
        let stderr = String::from_utf8_lossy(&check.stderr).to_string();
        // The generator writes valid projects, so check must be clean (a clean check is what promises the rest).
        prop_assert!(check.status.success(), "check found errors:\n{stderr}\n--- incident:\n{incident}\n--- feature:\n{feature}");
        let build = run(root, &["build"]);
        prop_assert!(build.status.success(), "check was clean, build failed:\n{}", String::from_utf8_lossy(&build.stderr));
        let public = root.join("public");
        let pdf = pdf_compact(&public.join("issues/january-2021/issue-1.pdf"));
        for (page, words) in [("outage", &incident_words), ("feature", &feature_words)] {
            let raw = std::fs::read_to_string(public.join(format!("issues/january-2021/{page}.html"))).unwrap();
            let html = html_compact(&raw);
            for w in words.iter().collect::<BTreeSet<_>>() {
                // A long token may break at a joint, even across a page (where the footer comes between).
                // A hyphenated word may also break across a page (where the footer comes between).
                let c = compact(w);
                let hyphenated = (2..c.len().saturating_sub(1))
                    .filter(|&k| c.is_char_boundary(k))
                    .any(|k| pdf.contains(&format!("{}-", &c[..k])) && pdf.contains(&c[k..]));
                let printed = pdf.contains(&c) || hyphenated || (w.len() > 24 && joints(w).iter().all(|part| pdf.contains(part.as_str())));
                prop_assert!(printed, "{w:?} of {page} is missing from the PDF\n--- incident:\n{incident}\n--- feature:\n{feature}");
                // On paper a link's address is printed; on the site it is the link itself.
                let shown = if w.starts_with("https://") { raw.contains(&format!("href=\"{w}\"")) } else { html.contains(&compact(w)) };
                prop_assert!(shown, "{w:?} of {page} is missing from its page\n--- incident:\n{incident}\n--- feature:\n{feature}");
            }
        }
        let pocket = pdf_compact(&public.join("pocket/tiny/tiny.pdf"));
        for w in cover_words.iter().chain(&sheet_words).chain(&back_words) {
            prop_assert!(pocket.contains(&compact(w)), "{w:?} is missing from the pocket zine\n--- cover:\n{cover}\n--- sheet:\n{sheet}\n--- back:\n{back}");
        }
    }
}
