//! The built-in templates and assets, and the project's overrides of them.
//!
//! Every file here is a real file in the repository's `templates/`,
//! embedded in the binary. A project overrides any one of them by putting a
//! file with the same name in its own `templates/` (as mdBook themes and
//! Zola templates work).

use std::path::Path;

/// Every built-in template and asset, by file name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("zine.typ", include_str!("../templates/zine.typ")),
    ("pocket.typ", include_str!("../templates/pocket.typ")),
    ("printing.typ", include_str!("../templates/printing.typ")),
    ("printing.md", include_str!("../templates/printing.md")),
    ("fold-booklet.svg", include_str!("../templates/fold-booklet.svg")),
    ("fold-mini.svg", include_str!("../templates/fold-mini.svg")),
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("issue.html", include_str!("../templates/issue.html")),
    ("piece.html", include_str!("../templates/piece.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("printing.html", include_str!("../templates/printing.html")),
    ("subscribe.html", include_str!("../templates/subscribe.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("email.html", include_str!("../templates/email.html")),
    ("feed.xml", include_str!("../templates/feed.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("style.css", include_str!("../templates/style.css")),
];

/// A template's text and the name to show in diagnostics: the project's
/// `templates/<name>` if it has one, else the built-in file.
pub fn read(root: &Path, name: &str) -> std::io::Result<Option<(String, String)>> {
    let path = root.join("templates").join(name);
    if path.is_file() {
        return Ok(Some((std::fs::read_to_string(&path)?, format!("templates/{name}"))));
    }
    Ok(BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| (t.to_string(), format!("<built-in>/templates/{name}"))))
}
