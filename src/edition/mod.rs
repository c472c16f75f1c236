//! The edition: one typed description of what pir publishes, between the
//! model and every program that writes an output.
//!
//! The renderers (Typst, HTML), the site, the email and the build take
//! their facts from here, never re-deriving them as strings: [`words`] says
//! each fact one way; [`ids`] names every document, page and output file;
//! [`output`] is what typesetting gave (pages, sheets, print files);
//! [`incident`] is what readers see of an incident; [`views`] is what the
//! site and the email both show.

pub mod ids;
pub mod incident;
pub mod output;
pub mod views;
pub mod words;

pub use ids::{DocId, IssueId, Page};
pub use output::DocOutput;
