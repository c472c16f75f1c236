//! `pir prompts`: print the documentary-style writing prompts.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

/// Prints the prompts; they need no project.
pub fn run(_root: Option<&Path>, _args: ()) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(pir::PROMPTS.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
