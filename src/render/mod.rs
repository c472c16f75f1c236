//! Renderers: everything that turns the model into something to read.
//!
//! `typst` typesets the PDFs, `html` renders Markdown for the site, `svg`
//! draws the timeline for the PDF (and the email), `chart` lays it out in
//! HTML for the site, and `view` words the facts of an incident once for
//! every output.

pub mod chart;
pub mod html;
pub mod svg;
pub mod typst;
pub mod view;
