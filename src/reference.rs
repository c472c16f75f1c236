//! The reference tables pir's documentation is made from, read off the
//! code so that the documentation cannot drift from it: every HTML and XML
//! template's variables (from the [`crate::templates::Contract`] of each
//! context, the site's and the email's).

use crate::site::contexts;
use crate::templates::{Contract, Listing};

/// Every context, with its templates and variables (for the README, checked by `tests/templates.rs`).
pub fn all() -> Vec<Listing> {
    fn of<C: Contract>() -> Listing {
        (C::TEMPLATES, C::variables())
    }
    vec![
        of::<contexts::HomeContext<'static>>(),
        of::<contexts::IssueContext<'static>>(),
        of::<contexts::PieceContext<'static>>(),
        of::<contexts::PocketContext<'static>>(),
        of::<contexts::ListContext<'static>>(),
        of::<contexts::PrintingContext<'static>>(),
        of::<contexts::PlainContext<'static>>(),
        of::<contexts::FeedContext<'static>>(),
        of::<contexts::SitemapContext<'static>>(),
        of::<crate::email::html::EmailContext<'static>>(),
    ]
}

/// The README's list of every HTML and XML template's variables, as Markdown.
pub fn readme_section() -> String {
    let mut out = String::new();
    for (templates, variables) in all() {
        let names: Vec<String> = templates.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!(
            "{}:\n\n| variable | what it holds |\n| --- | --- |\n",
            names.join(", ")
        ));
        for (name, doc) in variables {
            out.push_str(&format!("| `{name}` | {} |\n", doc.replace('|', "\\|")));
        }
        out.push('\n');
    }
    out
}
