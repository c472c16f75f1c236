//! One module per subcommand, all of the same shape: `run(root, args) -> Result<ExitCode>`.

mod build;
mod check;
mod import;
mod lsp;
pub mod new;
mod prompts;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Exit code: the project has problems (errors, or warnings with --deny-warnings).
pub const PROBLEMS: u8 = 1;
/// Exit code: pir was called wrongly (bad arguments, no project here).
pub const USAGE: u8 = 2;

/// An error that is the caller's usage, not the project's content.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(cli.root.as_deref(), args),
        Command::Check(args) => check::run(cli.root.as_deref(), args),
        Command::New(args) => new::run(cli.root.as_deref(), args),
        Command::Prompts => prompts::run(cli.root.as_deref(), ()),
        Command::Serve(args) => serve::run(cli.root.as_deref(), args),
        Command::Import(args) => import::run(cli.root.as_deref(), args),
        Command::Lsp(args) => lsp::run(cli.root.as_deref(), args),
    }
}

/// Prints an error as a headline and its causes; usage errors exit 2, others 1.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("error: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if err.downcast_ref::<UsageError>().is_some() { ExitCode::from(USAGE) } else { ExitCode::from(PROBLEMS) }
}

/// Finds the project: `--root` if given, else the nearest folder upwards with a zine.toml.
pub fn find_root(root: Option<&Path>) -> Result<PathBuf> {
    if let Some(root) = root {
        if root.join("zine.toml").is_file() {
            return Ok(root.to_path_buf());
        }
        return Err(UsageError(format!("{} is not a zine project: it has no zine.toml", root.display())).into());
    }
    let here = std::env::current_dir()?;
    here.ancestors().find(|dir| dir.join("zine.toml").is_file()).map(Path::to_path_buf).ok_or_else(|| {
        UsageError(format!("no zine.toml in {} or any folder above it; run pir inside a zine project, or pass --root", here.display()))
            .into()
    })
}
