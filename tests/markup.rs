//! The Markdown-to-Typst converter on arbitrary input: the markup always
//! compiles, and the writer's words always reach the page.

use pir::render::typst::compile_markup;
use pir::render::typst::markup::{Ctx, convert};
use proptest::prelude::*;

/// Words and every character that means something in Typst or Markdown.
/// (No `<tag>`s: raw HTML is dropped on purpose, and `pir check` warns about it.)
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{3,8}",
        2 => prop::sample::select(vec![
            "#", "$", "*", "_", "@", "<", ">", "`", "[", "]", "/", "~", "=", "-", "+", "'", "\"", ":", "\\", "1.", "#set", "#let",
            "**", "__", "~~", "```", "$x$", "//", "/*", "*/", "@ref", "<-", "->", "#{", "}", "(", ")", "|", "---", "\\u{41}", "&amp;",
        ]).prop_map(str::to_string),
        1 => Just("\n".to_string()),
        1 => Just("\n\n".to_string()),
    ]
}

/// A Markdown document of space-separated tokens.
fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..60).prop_map(|t| t.join(" "))
}

/// The lowercase words of the input: they must all appear in the output text.
/// Words after a code fence on its line are its info string (the language), not text.
fn words(s: &str) -> Vec<String> {
    s.lines()
        .map(|line| line.split("```").next().unwrap_or(""))
        .flat_map(|line| line.split(|c: char| !c.is_ascii_lowercase()))
        .filter(|w| w.len() >= 3)
        .map(str::to_string)
        .collect()
}

proptest! {
    // PROPTEST_CASES raises the count for a long run.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(500), ..ProptestConfig::default() })]

    #[test]
    fn markup_compiles_and_keeps_the_words(md in document()) {
        let markup = convert(&pir::load::markdown::parse(&md).doc, &Ctx::standalone("/issues/x"));
        let text = compile_markup(&markup).map_err(|e| TestCaseError::fail(format!("{e:?}\n--- markdown:\n{md}\n--- markup:\n{markup}")))?;
        // Long tokens are set as runs in boxes, which the frame walk separates with spaces.
        let text: String = text.split_whitespace().collect();
        for w in words(&md) {
            // Tokens like `#set` and `&amp;` are markup in disguise; their letters need not survive as words.
            if w == "amp" || w == "set" || w == "let" || w == "ref" {
                continue;
            }
            prop_assert!(text.contains(&w), "lost {w:?}\n--- markdown:\n{md}\n--- markup:\n{markup}\n--- text:\n{text}");
        }
    }
}

#[test]
fn every_issue_2_piece_compiles() {
    let report = pir::check::check(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    for piece in &report.project.issues[0].pieces {
        let markup = convert(
            &pir::load::markdown::parse(&piece.body).doc,
            &Ctx::standalone("/issues/march-2020"),
        );
        let text = compile_markup(&markup).unwrap_or_else(|e| panic!("{}: {e:?}", piece.slug));
        assert!(!text.trim().is_empty(), "{} typeset to nothing", piece.slug);
    }
}
