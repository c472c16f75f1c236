//! Renderers: everything that turns the model into something to read.
//!
//! `typst` typesets the PDFs; `svg` draws the timeline once for the PDF and
//! the site.

pub mod svg;
pub mod typst;
