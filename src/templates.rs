//! The built-in templates and assets, and the project's overrides of them.
//!
//! Every file here is a real file in the repository's `templates/`,
//! embedded in the binary. A project overrides any one of them by putting a
//! file with the same name in its own `templates/` (as mdBook themes and
//! Zola templates work). Each HTML and XML template is filled from one
//! documented context struct, declared with [`contract!`]: the contract
//! between pir and a project's override of that template.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};

/// A template's context: the template it fills and its variables.
pub trait Contract: serde::Serialize {
    /// The template's file name in `templates/`.
    const TEMPLATES: &'static [&'static str];
    /// Each variable's name and documentation, in the order declared.
    fn variables() -> &'static [(&'static str, &'static str)];
}

/// Declares a context struct whose fields' docs are also its [`Contract::variables`].
macro_rules! contract {
    ($(#[doc = $sdoc:literal])* $name:ident<$lt:lifetime> for [$($template:literal),+] {
        $($(#[doc = $doc:literal])+ $field:ident: $ty:ty,)+
    }) => {
        $(#[doc = $sdoc])*
        #[derive(serde::Serialize)]
        pub struct $name<$lt> {
            $($(#[doc = $doc])+ pub $field: $ty,)+
        }
        impl<$lt> $crate::templates::Contract for $name<$lt> {
            const TEMPLATES: &'static [&'static str] = &[$($template),+];
            fn variables() -> &'static [(&'static str, &'static str)] {
                const VARIABLES: &[(&str, &str)] =
                    &[$((stringify!($field), concat!($($doc),+).trim_ascii()),)+];
                VARIABLES
            }
        }
    };
}
pub(crate) use contract;

/// A context's templates and its variables (name, documentation).
pub type Listing = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// Every built-in template and asset, by file name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("theme.typ", include_str!("../templates/theme.typ")),
    ("zine.typ", include_str!("../templates/zine.typ")),
    ("pocket.typ", include_str!("../templates/pocket.typ")),
    ("printing.typ", include_str!("../templates/printing.typ")),
    ("printing.md", include_str!("../templates/printing.md")),
    (
        "printer-test.typ",
        include_str!("../templates/printer-test.typ"),
    ),
    (
        "fold-booklet.svg",
        include_str!("../templates/fold-booklet.svg"),
    ),
    ("fold-mini.svg", include_str!("../templates/fold-mini.svg")),
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("issue.html", include_str!("../templates/issue.html")),
    ("piece.html", include_str!("../templates/piece.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("printing.html", include_str!("../templates/printing.html")),
    ("pocket.html", include_str!("../templates/pocket.html")),
    ("list.html", include_str!("../templates/list.html")),
    (
        "subscribe.html",
        include_str!("../templates/subscribe.html"),
    ),
    ("404.html", include_str!("../templates/404.html")),
    ("email.html", include_str!("../templates/email.html")),
    ("feed.xml", include_str!("../templates/feed.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("style.css", include_str!("../templates/style.css")),
    ("favicon.svg", include_str!("../templates/favicon.svg")),
];

/// A template's text and the name to show in diagnostics: the project's
/// `templates/<name>` if it has one, else the built-in file.
pub fn read(root: &Path, name: &str) -> std::io::Result<Option<(String, String)>> {
    let path = root.join(crate::files::TEMPLATES).join(name);
    if path.is_file() {
        return Ok(Some((
            std::fs::read_to_string(&path)?,
            format!("templates/{name}"),
        )));
    }
    Ok(BUILT_IN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (t.to_string(), format!("<built-in>/templates/{name}"))))
}

/// A template's text and shown name, or an error naming the file that could
/// not be read (never an empty template in its place).
pub fn load(root: &Path, name: &str) -> Result<(String, String), Box<Diagnostic>> {
    let path = Path::new(crate::files::TEMPLATES).join(name);
    let found = match read(root, name) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(Diagnostic::at_path(
            Code::Io,
            path,
            format!("there is no template called {name}"),
        )
        .hint(format!(
            "add templates/{name} to the project, or remove what refers to it"
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(Diagnostic::at_path(
            Code::NotUtf8,
            path,
            format!("templates/{name} is not valid UTF-8 text"),
        )
        .hint("save the file as UTF-8, or delete it to use the built-in one")),
        Err(e) => {
            Err(
                Diagnostic::at_path(Code::Io, path, format!("cannot read templates/{name}: {e}"))
                    .hint("check the file's permissions, or delete it to use the built-in one"),
            )
        }
    };
    found.map_err(Box::new)
}

/// The bytes of a template or asset (a binary image too): the project's
/// `templates/<name>` if it has one, else the built-in file.
pub fn read_bytes(root: &Path, name: &str) -> std::io::Result<Option<Vec<u8>>> {
    let path = root.join(crate::files::TEMPLATES).join(name);
    if path.is_file() {
        return std::fs::read(&path).map(Some);
    }
    Ok(BUILT_IN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.as_bytes().to_vec()))
}
