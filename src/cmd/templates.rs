//! `pir templates [list]` and `pir templates eject NAME...|--all`: see the
//! built-in templates and copy them out to change them.
//!
//! An override replaces a built-in file whole, so the way to change one is
//! to start from a copy of it. Eject never replaces a file unless `--force`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use pir::diagnostic::did_you_mean;
use pir::templates::BUILT_IN;

use crate::cli::{EjectArgs, TemplatesAction, TemplatesArgs};
use crate::cmd::{UsageError, find_root};

/// Lists or ejects.
pub fn run(root: Option<&Path>, args: TemplatesArgs) -> Result<ExitCode> {
    let root = find_root(root)?;
    match args.action.unwrap_or(TemplatesAction::List) {
        TemplatesAction::List => list(&root),
        TemplatesAction::Eject(a) => eject(&root, a),
    }
}

/// Prints each built-in template and whether the project overrides it.
fn list(root: &Path) -> Result<ExitCode> {
    let width = BUILT_IN.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, _) in BUILT_IN {
        let state = if root.join("templates").join(name).is_file() {
            "overridden by templates/"
        } else {
            "built-in"
        };
        let shown = if state == "built-in" {
            state.to_string()
        } else {
            format!("{state}{name}")
        };
        println!("{name:width$}  {shown}");
    }
    println!(
        "\ncopy one out to edit it: pir templates eject style.css (for a few CSS rules, extra_css in zine.toml is simpler)"
    );
    Ok(ExitCode::SUCCESS)
}

/// Copies the named (or all) built-in templates into templates/.
fn eject(root: &Path, args: EjectArgs) -> Result<ExitCode> {
    let names: Vec<&str> = if args.all {
        BUILT_IN.iter().map(|(n, _)| *n).collect()
    } else {
        args.names.iter().map(String::as_str).collect()
    };
    let mut chosen = Vec::new();
    for name in names {
        let Some((name, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            let hint = match did_you_mean(name, BUILT_IN.iter().map(|(n, _)| *n)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`pir templates` lists them".into(),
            };
            return Err(UsageError(format!(
                "there is no built-in template called `{name}`; {hint}"
            ))
            .into());
        };
        chosen.push((*name, *text));
    }
    let dir = root.join("templates");
    let existing: Vec<&str> = chosen
        .iter()
        .filter(|(n, _)| dir.join(n).exists())
        .map(|(n, _)| *n)
        .collect();
    if !existing.is_empty() && !args.force {
        bail!(
            "templates/ already has {}; pass --force to replace it with the built-in one",
            existing.join(", ")
        );
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in &chosen {
        std::fs::write(dir.join(name), text)
            .with_context(|| format!("cannot write templates/{name}"))?;
        println!("copied templates/{name}: pir now uses it instead of the built-in one");
    }
    Ok(ExitCode::SUCCESS)
}
