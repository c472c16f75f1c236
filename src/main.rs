//! The `pir` binary: parse arguments, run a subcommand, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;

fn main() -> ExitCode {
    cmd::install_panic_hook();
    // Lets the tests prove what a crash looks like; no user sets this.
    if std::env::var_os("PIR_TEST_PANIC").is_some() {
        panic!("PIR_TEST_PANIC is set");
    }
    let args = cli::Cli::parse();
    match cmd::run(args) {
        Ok(code) => code,
        Err(err) => cmd::report(&err),
    }
}
