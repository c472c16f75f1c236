//! `pir serve`: live preview on loopback while you write.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use pir::serve::{ServeOptions, serve};

use crate::cli::ServeArgs;
use crate::cmd::find_root;

/// Serves the project until interrupted.
pub fn run(root: Option<&Path>, args: ServeArgs) -> Result<ExitCode> {
    let root = find_root(root)?;
    let options = ServeOptions {
        interface: args.interface,
        port: args.port,
        build: pir::build::Options {
            drafts: args.drafts || !args.no_drafts,
            ..Default::default()
        },
        request_timeout: std::time::Duration::from_secs(args.request_timeout.max(1)),
    };
    serve(&root, &options, |addr, out| {
        if addr.port() != args.port {
            println!("port {} is busy; using {} instead", args.port, addr.port());
        }
        // One line: a reader that stops after it must not break a later print.
        println!(
            "serving {} at http://{addr}/ (built into {}), email previews at /__pir/email/<issue>/; press Ctrl-C to stop",
            root.display(),
            out.display()
        );
        // Said at once, whatever buffers stdout: the address is what the caller waits for.
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })?;
    Ok(ExitCode::SUCCESS)
}
