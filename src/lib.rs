//! pir: the Post-Incident Review toolkit.
//!
//! The engine behind the `pir` binary, in the order of the pipeline:
//! [`load`] reads a zine project into the [`model`], [`check`] adds the
//! rules across files, and [`diagnostic`] reports what they found;
//! [`render`] typesets the issues, [`site`] and [`email`] write the web
//! and newsletter editions, [`build`] collects the output and
//! [`publish`] swaps it into `public/` whole.

pub mod build;
pub mod check;
pub mod data;
pub mod diagnostic;
pub mod edition;
pub mod email;
pub mod files;
pub mod import;
pub mod impose;
pub mod load;
pub mod lsp;
pub mod model;
pub mod publish;
pub mod reference;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod skeleton;
pub mod status;
pub mod templates;
pub mod webfonts;

/// The documentary-style prompts that `pir prompts` prints.
pub const PROMPTS: &str = include_str!("prompts.md");
