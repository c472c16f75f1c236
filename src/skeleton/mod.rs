//! The skeletons pir writes (real files, embedded) and the example values
//! in them that a writer is meant to replace.
//!
//! This is the one list of pir's own example text: [`crate::scaffold`]
//! writes it into new files, and loading and checking recognise what is
//! still word for word pir's (W801), so that an untouched example never
//! goes out unnoticed.

use crate::model::PieceKind;

/// The skeleton of `issue.toml`.
pub const ISSUE_TOML: &str = include_str!("issue.toml");
/// The skeleton of an editors' note.
pub const EDITORS_NOTE: &str = include_str!("editors-note.md");
/// The skeleton of an incident write-up, with the prompts as comments.
pub const INCIDENT: &str = include_str!("incident.md");
/// The skeleton of a feature article.
pub const FEATURE: &str = include_str!("feature.md");
/// The skeleton of an etcetera page.
pub const ETCETERA: &str = include_str!("etcetera.md");
/// The skeleton of an illustration page, and the example drawing written beside it.
pub const ILLUSTRATION: &str = include_str!("illustration.md");
/// The example drawing of an illustration skeleton, which the writer replaces.
pub const ILLUSTRATION_SVG: &str = include_str!("illustration.svg");
/// The skeleton of a back cover.
pub const BACK_COVER: &str = include_str!("back-cover.md");
/// The skeleton of a cover (the first page of a pocket zine).
pub const COVER: &str = include_str!("cover.md");
/// The skeleton of a worksheet page.
pub const WORKSHEET: &str = include_str!("worksheet.md");
/// The skeleton of `pocket.toml`.
pub const POCKET_TOML: &str = include_str!("pocket.toml");
/// The skeleton of `zine.toml`, every key explained in a comment.
pub const ZINE_TOML: &str = include_str!("zine.toml");
/// The `.gitignore` of a new project: what `pir build` writes.
pub const GITIGNORE: &str = include_str!("gitignore");
/// A GitHub Actions workflow that builds the zine and publishes `public/` on GitHub Pages.
pub const DEPLOY_GITHUB_PAGES: &str = include_str!("github-pages.yml");
/// A Netlify configuration that builds the zine and serves `public/`.
pub const DEPLOY_NETLIFY: &str = include_str!("netlify.toml");

/// The title `pir new incident` gives a write-up when none is passed.
pub const DEFAULT_TITLE: &str = "What happened";
/// The organization `pir new incident` (and publisher `pir init`) writes when none is passed.
pub const DEFAULT_ORGANIZATION: &str = "Our team";

/// The skeleton of a piece of each kind, and the title `pir new` gives it when none is passed.
pub fn piece_skeleton(kind: PieceKind) -> (&'static str, &'static str) {
    match kind {
        PieceKind::EditorsNote => (EDITORS_NOTE, "Editors' note"),
        PieceKind::Incident => (INCIDENT, DEFAULT_TITLE),
        PieceKind::Feature => (FEATURE, "A title for the essay"),
        PieceKind::Etcetera => (ETCETERA, "Etcetera"),
        PieceKind::Illustration => (ILLUSTRATION, "A title for the drawing"),
        PieceKind::BackCover => (BACK_COVER, "Until next time"),
        PieceKind::Cover => (COVER, "A title for the zine"),
        PieceKind::Worksheet => (WORKSHEET, "Your timeline"),
    }
}

/// The example values of a kind's skeleton front matter (`summary`, `alt`,
/// `subtitle`, and a title the writer must choose), which W801 reports while they stay.
pub fn placeholders(kind: PieceKind) -> Vec<(&'static str, &'static str)> {
    let (skeleton, title) = piece_skeleton(kind);
    let mut out: Vec<(&'static str, &'static str)> = ["summary", "subtitle", "alt"]
        .into_iter()
        .filter_map(|key| try_skeleton_value(skeleton, key).map(|v| (key, v)))
        .collect();
    // An example title, unlike "Etcetera" or "Your timeline", must be replaced.
    if title.starts_with("A title") {
        out.push(("title", title));
    }
    out
}

/// The value of a `key = "..."` line of a skeleton, if it has one.
fn try_skeleton_value(skeleton: &'static str, key: &str) -> Option<&'static str> {
    let prefix = format!("{key} = \"");
    let line = skeleton.lines().find(|l| l.starts_with(&prefix))?;
    Some(line[prefix.len()..].trim_end_matches('"'))
}

/// The value of a `key = "..."` line of a skeleton (a placeholder the writer is meant to replace).
fn skeleton_value(skeleton: &'static str, key: &str) -> &'static str {
    let prefix = format!("{key} = \"");
    let line = skeleton
        .lines()
        .find(|l| l.starts_with(&prefix))
        .expect("the skeleton has the key");
    line[prefix.len()..].trim_end_matches('"')
}

/// The skeleton's one-sentence impact, which a writer must replace.
pub fn impact_placeholder() -> &'static str {
    skeleton_value(INCIDENT, "impact")
}

/// The skeleton's issue summary, which a writer must replace.
pub fn summary_placeholder() -> &'static str {
    skeleton_value(ISSUE_TOML, "summary")
}

/// The skeleton's pocket zine summary, which a writer must replace.
pub fn pocket_summary_placeholder() -> &'static str {
    skeleton_value(POCKET_TOML, "summary")
}

/// The example passages of the Markdown skeletons that a writer is meant to
/// replace: prose paragraphs, timeline entries and list items (without their
/// markers), outside comments, and never a line that pir filled in.
pub fn skeleton_passages() -> Vec<&'static str> {
    let mut out = Vec::new();
    for skeleton in [
        INCIDENT,
        EDITORS_NOTE,
        FEATURE,
        ETCETERA,
        ILLUSTRATION,
        BACK_COVER,
        COVER,
        WORKSHEET,
    ] {
        let body = skeleton.splitn(3, "+++\n").nth(2).unwrap_or("");
        let mut rest = body;
        let mut blocks: Vec<&'static str> = Vec::new();
        while let Some(open) = rest.find("<!--") {
            blocks.extend(rest[..open].split("\n\n"));
            rest = rest[open..]
                .find("-->")
                .map_or("", |close| &rest[open + close + 3..]);
        }
        blocks.extend(rest.split("\n\n"));
        for block in blocks.into_iter().map(str::trim) {
            if block.is_empty() || block.starts_with('#') || block.contains("{{") {
                continue;
            }
            let items: Vec<&str> = block.lines().filter_map(list_item).collect();
            if items.is_empty() {
                out.push(block);
            } else {
                out.extend(items);
            }
        }
    }
    out
}

/// The text of a list item line, without its marker and timeline stamp.
fn list_item(line: &'static str) -> Option<&'static str> {
    let text = line.strip_prefix("- ").or_else(|| {
        line.split_once(". ")
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
            .map(|(_, t)| t)
    })?;
    Some(
        text.strip_prefix('[')
            .and_then(|t| t.split_once("] "))
            .map_or(text, |(_, t)| t),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_passages_are_the_examples_only() {
        let passages = skeleton_passages();
        assert!(
            passages.contains(&"An alert fires; the on-call engineer starts to look."),
            "{passages:?}"
        );
        assert!(passages.contains(&"What you will change, and why it would have helped."));
        assert!(
            passages
                .iter()
                .any(|p| p.starts_with("Say hello to your readers") && p.contains('\n'))
        );
        assert!(
            !passages
                .iter()
                .any(|p| p.contains("All times are") || p.contains("[cast]") || p.starts_with('#')),
            "{passages:?}"
        );
        assert_eq!(
            impact_placeholder(),
            "Say in one sentence who was affected, how, and for how long."
        );
        assert_eq!(
            summary_placeholder(),
            "One or two sentences on this issue, for the site and the feed."
        );
    }
}
