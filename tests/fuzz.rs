//! Property tests in place of fuzzing (cargo-fuzz needs a nightly toolchain
//! this project cannot fetch): the parsers never panic on any input, and the
//! HTML renderer never produces a tag the writer's Markdown did not ask for.
//! Failing cases are saved by proptest in `tests/fuzz.proptest-regressions`
//! and replayed by every `cargo test`. Raise PROPTEST_CASES for a long run.

use pir::load::piece;
use pir::load::timeline::parse_stamp;
use pir::render::html::{HtmlCtx, PieceIds, render};
use proptest::prelude::*;

/// Text that looks like the inputs pir reads: front matter delimiters, keys,
/// quotes, brackets, times, Markdown and HTML characters, and anything else.
fn input() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("+++\n".to_string()),
        Just("---\n".to_string()),
        Just("kind = \"incident\"\n".to_string()),
        Just("title: x\n".to_string()),
        Just("[key_moments]\n".to_string()),
        Just("- [14:18] x\n".to_string()),
        Just("## Timeline\n".to_string()),
        Just("[[cast]]\nid = \"a\"\n".to_string()),
        "[ -~\n\t]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    // PROPTEST_CASES raises the count for a long run.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

    #[test]
    fn loading_a_piece_never_panics(text in input()) {
        let mut diags = Vec::new();
        let _ = piece::load(0, "x", &text, &mut diags);
    }

    #[test]
    fn the_timeline_notation_never_panics(text in "[0-9:\\- toT\u{2013}\u{2014}]{0,24}|\\PC{0,24}") {
        let _ = parse_stamp(&text);
    }

    #[test]
    fn rendering_never_invents_a_tag(text in "[a-z <>&\"'=/:;()\n]{0,80}") {
        let ids = PieceIds::default();
        let resolve = |_: Option<&str>, p: &str, _: Option<&str>| Some(format!("{p}.html"));
        let ctx = HtmlCtx { image_prefix: "", heading_shift: 0, raw_html: false, ids: &ids, resolve: &resolve, figure: None, base: None, image: None };
        let html = render(&pir::load::markdown::parse(&text).doc, &ctx);
        // Every element is Markdown's own; text never becomes a tag or an attribute.
        const MARKDOWN: &[&str] = &["p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "br", "hr", "ul", "ol", "li", "em", "strong", "a"];
        let mut rest = html.as_str();
        while let Some(at) = rest.find('<') {
            let tag: String = rest[at + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
            prop_assert!(MARKDOWN.contains(&tag.trim_start_matches('/')), "<{tag}> in {html}");
            let inside: String = rest[at..].chars().take_while(|c| *c != '>').collect();
            // The only attribute is pir's own heading id, made of letters, digits and hyphens.
            let attributes = inside.trim_start_matches('<').trim_start_matches(tag.as_str()).trim().trim_end_matches('/').trim();
            let own_id = attributes.strip_prefix("id=\"").and_then(|a| a.strip_suffix('"')).is_some_and(|id| id.chars().all(|c| c.is_alphanumeric() || c == '-'));
            // And links, whose address the writer gives: only web, mail or relative ones.
            let safe_link = tag == "a" && attributes.strip_prefix("href=\"").is_some_and(|h| !h.contains(':') || h.starts_with("http:") || h.starts_with("https:") || h.starts_with("mailto:"));
            prop_assert!(attributes.is_empty() || own_id || safe_link, "an attribute from text: {inside} in {html}");
            rest = &rest[at + 1..];
        }
    }
}
