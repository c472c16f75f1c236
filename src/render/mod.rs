//! Renderers: everything that turns the model into something to read.
//!
//! `typst` typesets the PDFs, `html` renders Markdown for the site, `svg`
//! draws the timeline for the PDF (and the email), and `chart` lays it out
//! in HTML for the site. The words of every fact come from
//! [`crate::edition`].

pub mod chart;
pub mod html;
pub mod svg;
pub mod typst;
