//! `pir lsp`: a language server on stdin and stdout, for the writer's editor.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::LspArgs;
use crate::cmd::PROBLEMS;

/// Serves the Language Server Protocol until the editor says `exit`.
pub fn run(_root: Option<&Path>, _args: LspArgs) -> Result<ExitCode> {
    let (conn, threads) = pir::lsp::transport::stdio();
    let clean = pir::lsp::serve(conn)?;
    threads.join()?;
    // The protocol: exit after shutdown is success, exit without it is an error.
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(PROBLEMS)
    })
}
