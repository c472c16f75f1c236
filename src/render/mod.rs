//! Renderers: everything that turns the model into something to read.
//!
//! `typst` typesets the PDFs, `html` renders Markdown for the site, and
//! `svg` draws the timeline once for both, and `view` words the facts of
//! an incident once for every output.

pub mod html;
pub mod svg;
pub mod typst;
pub mod view;
