//! The site's stylesheet (the built-in one or the project's, then its
//! `extra_css`; the web fonts' rules are put in front once they are made)
//! and its favicon.

use std::path::Path;

use super::Site;
use crate::diagnostic::{Code, Diagnostic};
use crate::edition::ids;
use crate::templates;

/// Prepares `style.css` (handed out with the web fonts) and writes `favicon.svg`.
pub(super) fn write(site: &mut Site<'_, '_>) -> Result<(), Vec<Diagnostic>> {
    let root = &site.input.project.root;
    let (mut css, _) = templates::load(root, "style.css").map_err(|d| vec![*d])?;
    if let Some(extra) = &site.settings().extra_css {
        let text = std::fs::read_to_string(root.join(extra)).map_err(|e| {
            vec![
                Diagnostic::at_path(
                    Code::Io,
                    extra,
                    format!("cannot read `extra_css` ({extra}): {e}"),
                )
                .hint(
                    "extra_css is a path from the project folder, such as \"templates/extra.css\"",
                ),
            ]
        })?;
        css.push_str(&format!("\n/* extra_css: {extra} */\n{text}"));
    }
    let (favicon, _) = templates::load(root, "favicon.svg").map_err(|d| vec![*d])?;
    site.out.file(Path::new(ids::FAVICON), favicon.as_bytes());
    site.out.style = Some(css);
    Ok(())
}
