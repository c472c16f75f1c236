//! File helpers the subcommands that write into a project share (`new`,
//! `init`, `import`): never overwrite, never leave a half-written file.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use pir::load::{is_slug, slugify};

use crate::cmd::UsageError;

/// Refuses names that would not make clean URLs.
pub fn require_slug(slug: &str, what: &str) -> Result<()> {
    if is_slug(slug) {
        return Ok(());
    }
    Err(UsageError(format!(
        "`{slug}` is not a valid {what} name; try `{}` (lowercase letters, digits and hyphens)",
        slugify(slug)
    ))
    .into())
}

/// Writes `text` to a new file, failing if it exists.
pub fn create(path: &Path, text: &str) -> Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Replaces a file's content through a temporary file and a rename, so it is never half-written.
pub fn replace(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("toml.pir-tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
}
