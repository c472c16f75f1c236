//! The template engine of the site: the templates loaded (a project's
//! overrides first, the built-in ones else), the one escaper, and a
//! template's error shown at its own line.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::{Environment, Value};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Sources};
use crate::templates;

/// The site's templates, ready to render.
pub(super) struct Engine {
    env: Environment<'static>,
    /// Each template's name as diagnostics show it (`templates/issue.html`, `<built-in>/…`).
    shown: BTreeMap<String, String>,
}

impl Engine {
    /// Loads every HTML and XML template, the body font named `font_preload`.
    pub(super) fn new(
        root: &Path,
        font_preload: &str,
        sources: &mut Sources,
    ) -> Result<Engine, Box<Diagnostic>> {
        let mut env = Environment::new();
        env.add_global("font_preload", font_preload.to_string());
        env.set_formatter(markup_formatter);
        let mut shown = BTreeMap::new();
        for (name, _) in templates::BUILT_IN
            .iter()
            .filter(|(n, _)| n.ends_with(".html") || n.ends_with(".xml"))
        {
            let (text, name_shown) = templates::load(root, name)?;
            shown.insert(name.to_string(), name_shown);
            if let Err(e) = env.add_template_owned(name.to_string(), text.clone()) {
                return Err(Box::new(template_error(&e, &text, &shown, sources)));
            }
        }
        Ok(Engine { env, shown })
    }

    /// Renders `template` with `ctx`; an error points at the template's line.
    pub(super) fn render(
        &self,
        root: &Path,
        template: &str,
        ctx: Value,
        sources: &mut Sources,
    ) -> Result<String, Box<Diagnostic>> {
        self.render_text(root, template, ctx)
            .map_err(|f| Box::new(f.diagnostic(self, sources)))
    }

    /// Renders `template` with `ctx`, on any thread; a failure becomes a
    /// diagnostic once the sources can be written to ([`Failure::diagnostic`]).
    pub(super) fn render_text(
        &self,
        root: &Path,
        template: &str,
        ctx: Value,
    ) -> Result<String, Failure> {
        let tpl = self.env.get_template(template).map_err(|error| Failure {
            error,
            text: String::new(),
        })?;
        tpl.render(ctx).map_err(|error| {
            let text = templates::read(root, error.name().unwrap_or(template))
                .ok()
                .flatten()
                .map(|t| t.0)
                .unwrap_or_default();
            Failure { error, text }
        })
    }
}

/// A template that failed to render, with the template's text to point into.
pub(super) struct Failure {
    error: minijinja::Error,
    text: String,
}

impl Failure {
    /// The failure as a diagnostic at its line in the template.
    pub(super) fn diagnostic(self, engine: &Engine, sources: &mut Sources) -> Diagnostic {
        template_error(&self.error, &self.text, &engine.shown, sources)
    }
}

/// Turns any serializable view into a template value, with typographic quotes in its words.
pub(super) fn value<T: Serialize>(view: &T) -> Value {
    Value::from(minijinja::value::Serde(crate::model::smart_quote_view(
        view,
    )))
}

/// Escapes values for HTML and XML alike with the one escaper of
/// [`crate::render::html::escape`] (`& < > " '`), not `/` as minijinja's HTML
/// escaper does, which wrote `&#x2f;` all over the feed, the sitemap and every URL.
fn markup_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if *state.auto_escape() != minijinja::AutoEscape::Html
        || value.is_safe()
        || value.is_none()
        || value.is_undefined()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    let mut escaped = String::new();
    crate::render::html::escape(&value.to_string(), &mut escaped);
    std::fmt::Write::write_str(out, &escaped)?;
    Ok(())
}

/// A template error as a diagnostic at its line in the template.
fn template_error(
    e: &minijinja::Error,
    text: &str,
    names: &BTreeMap<String, String>,
    sources: &mut Sources,
) -> Diagnostic {
    let name = e.name().unwrap_or("template");
    let shown = names
        .get(name)
        .cloned()
        .unwrap_or_else(|| format!("templates/{name}"));
    let message = format!("template error: {}", e.detail().unwrap_or(&e.to_string()));
    let file = sources.add(Path::new(&shown), text.to_string());
    let span = match (e.range(), e.line()) {
        (Some(r), _) => r,
        (None, Some(line)) => {
            let start: usize = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            start..start + text[start.min(text.len())..].find('\n').unwrap_or(0)
        }
        _ => 0..0,
    };
    Diagnostic::new(Code::TemplateError, file, span, message)
        .hint("fix the template, or delete your override to use the built-in one")
}
