//! The `pir` binary: parse arguments, run a subcommand, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cmd::run(args) {
        Ok(code) => code,
        Err(err) => cmd::report(&err),
    }
}
