//! One module per subcommand, all of the same shape: `run(root, args) -> Result<ExitCode>`.

mod build;
mod check;
mod email;
mod files;
mod import;
mod init;
mod interview;
mod lsp;
mod new;
mod new_piece;
mod prompts;
mod serve;
mod status;
mod templates;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Exit code: the project has problems (errors, or warnings with --deny-warnings).
pub const PROBLEMS: u8 = 1;
/// Exit code: pir was called wrongly (bad arguments, no project here).
pub const USAGE: u8 = 2;
/// Exit code: pir itself failed (a bug); the message asks for a report.
pub const BUG: i32 = 3;

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
        Command::Init(args) => init::run(cli.root.as_deref(), args),
        Command::Build(args) => build::run(cli.root.as_deref(), args),
        Command::Check(args) => check::run(cli.root.as_deref(), args),
        Command::New(args) => new::run(cli.root.as_deref(), args),
        Command::Prompts => prompts::run(cli.root.as_deref(), ()),
        Command::Serve(args) => serve::run(cli.root.as_deref(), args),
        Command::Import(args) => import::run(cli.root.as_deref(), args),
        Command::Email(args) => email::run(cli.root.as_deref(), args),
        Command::Templates(args) => templates::run(cli.root.as_deref(), args),
        Command::Lsp(args) => lsp::run(cli.root.as_deref(), args),
        Command::Status(args) => status::run(cli.root.as_deref(), args),
    }
}

/// Replaces Rust's backtrace dump with a short message asking for a bug
/// report, and exits with [`BUG`] (a crash on any thread ends pir).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unknown panic".into());
        // A reader that went away (`pir check | head`) is not a crash.
        if what.contains("Broken pipe") {
            std::process::exit(0);
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: pir crashed, which is a bug in pir, not in your zine: {what}{place}\n\
             please report it to pir's maintainers with this message, the command you ran and, if you can, the project (pir {})",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(BUG);
    }));
}

/// Whether an error is a closed output pipe (the reader has all it wanted).
fn broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints an error as a headline and its causes; usage errors exit 2, others 1;
/// a closed output pipe ends quietly with 0.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if err.downcast_ref::<UsageError>().is_some() {
        ExitCode::from(USAGE)
    } else {
        ExitCode::from(PROBLEMS)
    }
}

/// Finds the project: `--root` if given, else the nearest folder upwards with a zine.toml.
pub fn find_root(root: Option<&Path>) -> Result<PathBuf> {
    if let Some(root) = root {
        if root.join("zine.toml").is_file() {
            return Ok(root.to_path_buf());
        }
        return Err(UsageError(format!(
            "{} is not a zine project: it has no zine.toml; `pir init {}` starts one there",
            root.display(),
            root.display()
        ))
        .into());
    }
    let here = std::env::current_dir()?;
    here.ancestors().find(|dir| dir.join("zine.toml").is_file()).map(Path::to_path_buf).ok_or_else(|| {
        UsageError(format!(
            "no zine.toml in {} or any folder above it; run `pir init` to start a zine here (or `pir init DIR` in a new folder), \
             or run pir inside a zine project, or pass --root",
            here.display()
        ))
        .into()
    })
}
