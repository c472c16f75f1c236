//! Reading typed fields out of a `Node` table, reporting every problem.
//!
//! serde would stop at the first bad field; a writer wants to see all of
//! them at once. `Fields` takes values one key at a time, records a
//! diagnostic for each missing or mistyped one, and at the end reports the
//! keys nobody asked for, with the closest known key as a hint.

use chrono::NaiveDate;

use crate::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use crate::load::value::{Key, Node, Value};
use crate::model::{Span, Spanned};

/// A table being read, with the diagnostics found so far.
pub struct Fields<'a> {
    file: FileId,
    /// Where to point when a required key is missing.
    anchor: Span,
    /// A name for the table in messages ("zine.toml", "[next_issue]").
    what: String,
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
    /// Where a missing key's line can be inserted (a top-level table), and whether in YAML form.
    insert_at: Option<(usize, bool)>,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Starts reading `node`, which must be a table; otherwise reports it and reads nothing.
    pub fn new(
        file: FileId,
        node: &'a Node,
        what: impl Into<String>,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Self {
        let what = what.into();
        let entries: &[(Key, Node)] = match &node.value {
            Value::Table(t) => t,
            Value::Null => &[],
            other => {
                diags.push(
                    Diagnostic::new(
                        Code::WrongType,
                        file,
                        node.span.clone(),
                        format!(
                            "{what} must be a table of keys and values, found {}",
                            other.type_name()
                        ),
                    )
                    .hint("write `key = value` lines (TOML) or `key: value` lines (YAML)"),
                );
                &[]
            }
        };
        let anchor = node.span.start..node.span.start;
        Fields {
            file,
            anchor,
            what,
            entries,
            used: vec![false; entries.len()],
            insert_at: None,
            diags,
        }
    }

    /// Sets where "missing key" diagnostics point.
    pub fn anchor(mut self, span: Span) -> Self {
        self.anchor = span;
        self
    }

    /// Lets "missing key" diagnostics suggest inserting the key's line at
    /// `offset` (the start of a top-level table), in YAML form if `yaml`.
    pub fn insert_missing_at(mut self, offset: usize, yaml: bool) -> Self {
        self.insert_at = Some((offset, yaml));
        self
    }

    /// The file being read.
    pub fn file(&self) -> FileId {
        self.file
    }

    /// Takes a key's node, marking it as known.
    pub fn take(&mut self, key: &str) -> Option<&'a Node> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        Some(&self.entries[i].1)
    }

    /// The span of a key's name, if present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span.clone())
    }

    /// Reports a missing required key; where the example is one whole line, suggests inserting it.
    pub fn missing(&mut self, key: &str, example: &str) {
        // The example is TOML; YAML front matter gets it in its own syntax.
        let yaml = self.insert_at.is_some_and(|(_, yaml)| yaml);
        let shown = if yaml && example.starts_with(&format!("{key} = ")) {
            example.replacen(" = ", ": ", 1)
        } else {
            example.to_string()
        };
        let mut d = Diagnostic::new(
            Code::MissingKey,
            self.file,
            self.anchor.clone(),
            format!("{} is missing the required key `{key}`", self.what),
        )
        .hint(format!("add `{shown}`"));
        let line = example.split(" (").next().unwrap_or(example);
        if let Some((at, yaml)) = self.insert_at
            && line.starts_with(&format!("{key} = "))
            && !line.contains("...")
        {
            let line = if yaml {
                line.replacen(" = ", ": ", 1)
            } else {
                line.to_string()
            };
            d = d.suggest(at..at, format!("{line}\n"));
        }
        self.diags.push(d);
    }

    /// Reports a value of the wrong type.
    pub fn wrong_type(&mut self, key: &str, node: &Node, expected: &str) {
        self.diags.push(
            Diagnostic::new(
                Code::WrongType,
                self.file,
                node.span.clone(),
                format!(
                    "`{key}` must be {expected}, found {}",
                    node.value.type_name()
                ),
            )
            .label(format!("expected {expected}")),
        );
    }

    /// Reports a value that is not allowed.
    pub fn invalid(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::new(code, self.file, span, message).hint(hint));
    }

    /// Warns (W801) when a value is still the example pir wrote, `example`; `what` says what to write instead.
    pub fn placeholder(
        &mut self,
        key: &str,
        value: Option<&Spanned<String>>,
        example: &str,
        what: &str,
    ) {
        if let Some(v) = value.filter(|v| v.value == example) {
            self.invalid(
                Code::SkeletonText,
                v.span.clone(),
                format!("`{key}` is still the example pir wrote: \"{example}\""),
                format!("replace it with {what}"),
            );
        }
    }

    /// An optional string; empty strings are reported.
    pub fn opt_str(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.take(key)?;
        match &node.value {
            Value::Str(s) if blank(s) => {
                self.invalid(
                    Code::InvalidValue,
                    node.span.clone(),
                    format!("`{key}` is empty (or only invisible characters)"),
                    format!("write a value for `{key}`, or remove the key"),
                );
                None
            }
            Value::Str(s) => Some(Spanned::new(s.trim().to_string(), node.span.clone())),
            _ => {
                self.wrong_type(key, node, "a string");
                None
            }
        }
    }

    /// A required string (empty or invisible-only strings are reported).
    pub fn str(&mut self, key: &str, example: &str) -> Option<Spanned<String>> {
        if self.key_span(key).is_none() {
            self.missing(key, example);
            return None;
        }
        self.opt_str(key)
    }

    /// An optional list of strings.
    pub fn opt_str_list(&mut self, key: &str) -> Option<Vec<Spanned<String>>> {
        let node = self.take(key)?;
        let Value::Array(items) = &node.value else {
            self.wrong_type(key, node, "a list of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                Value::Str(s) if !s.trim().is_empty() => {
                    out.push(Spanned::new(s.trim().to_string(), item.span.clone()))
                }
                Value::Str(_) => self.invalid(
                    Code::InvalidValue,
                    item.span.clone(),
                    format!("`{key}` has an empty entry"),
                    "remove the empty string",
                ),
                _ => self.wrong_type(key, item, "a string"),
            }
        }
        Some(out)
    }

    /// An optional boolean.
    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let node = self.take(key)?;
        match &node.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(key, node, "true or false");
                None
            }
        }
    }

    /// An optional positive integer.
    pub fn opt_u32(&mut self, key: &str) -> Option<Spanned<u32>> {
        let node = self.take(key)?;
        match &node.value {
            Value::Int(n) if *n >= 1 && *n <= u32::MAX as i64 => {
                Some(Spanned::new(*n as u32, node.span.clone()))
            }
            Value::Int(n) => {
                self.invalid(
                    Code::InvalidValue,
                    node.span.clone(),
                    format!("`{key}` must be 1 or more, found {n}"),
                    "numbers start at 1",
                );
                None
            }
            _ => {
                self.wrong_type(key, node, "a whole number");
                None
            }
        }
    }

    /// A required positive integer.
    pub fn u32(&mut self, key: &str, example: &str) -> Option<Spanned<u32>> {
        if self.key_span(key).is_none() {
            self.missing(key, example);
            return None;
        }
        self.opt_u32(key)
    }

    /// An optional date, as a TOML date or a `YYYY-MM-DD` string.
    pub fn opt_date(&mut self, key: &str) -> Option<Spanned<NaiveDate>> {
        let node = self.take(key)?;
        let text = match &node.value {
            Value::Str(s) | Value::Datetime(s) => s.trim(),
            _ => {
                self.wrong_type(key, node, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        match parse_date(text) {
            Ok(d) => Some(Spanned::new(d, node.span.clone())),
            Err(why) => {
                self.invalid(
                    Code::InvalidDate,
                    node.span.clone(),
                    format!("`{key}` is not a valid date: {why}"),
                    "write the date as YYYY-MM-DD, for example 2020-03-20",
                );
                None
            }
        }
    }

    /// A required date.
    pub fn date(&mut self, key: &str, example: &str) -> Option<Spanned<NaiveDate>> {
        if self.key_span(key).is_none() {
            self.missing(key, example);
            return None;
        }
        self.opt_date(key)
    }

    /// An optional URL (http, https or mailto).
    pub fn opt_url(&mut self, key: &str) -> Option<Spanned<String>> {
        let value = self.opt_str(key)?;
        match check_url(&value.value) {
            Ok(()) => Some(value),
            Err(why) => {
                self.invalid(
                    Code::InvalidUrl,
                    value.span.clone(),
                    format!("`{key}` is not a usable URL: {why}"),
                    "write a full URL such as https://example.com/page",
                );
                None
            }
        }
    }

    /// A sub-table, read with its own `Fields`.
    pub fn table(&mut self, key: &str) -> Option<&'a Node> {
        let node = self.take(key)?;
        match &node.value {
            Value::Table(_) => Some(node),
            _ => {
                self.wrong_type(key, node, "a table");
                None
            }
        }
    }

    /// Reports every key not taken. `elsewhere` names keys that are valid in
    /// another context, with the sentence that says where.
    pub fn finish(self, known: &[&str], elsewhere: &[(&str, &str)]) {
        for (i, (key, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::UnknownKey,
                self.file,
                key.span.clone(),
                format!("unknown key `{}` in {}", key.name, self.what),
            )
            .label("not a key pir knows here");
            if let Some((_, why)) = elsewhere.iter().find(|(k, _)| *k == key.name) {
                d = d.hint(why.to_string());
            } else if let Some(best) = did_you_mean(&key.name, known.iter().copied()) {
                // One misspelled key is one mistake: fold the "missing `best`" error into this one.
                let missing = format!("is missing the required key `{best}`");
                let before = self.diags.len();
                self.diags.retain(|m| {
                    !(m.code == Code::MissingKey
                        && m.file == Some(self.file)
                        && m.message.ends_with(&missing))
                });
                if self.diags.len() < before {
                    d.message = format!(
                        "unknown key `{}` in {}: did you mean `{best}`, which is required?",
                        key.name, self.what
                    );
                    d = d.label(format!("did you mean `{best}`?"));
                }
                d = d.hint(format!("did you mean `{best}`?")).suggest_value(
                    key.span.clone(),
                    &key.name,
                    best,
                );
            } else {
                d = d.hint(format!("known keys here: {}", known.join(", ")));
            }
            self.diags.push(d);
        }
    }
}

/// Parses a `YYYY-MM-DD` date, explaining what is wrong otherwise.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    if text.len() > 10
        && text
            .as_bytes()
            .get(10)
            .is_some_and(|b| *b == b'T' || *b == b' ')
    {
        return Err(format!("`{text}` has a time; only a date is expected here"));
    }
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(format!("`{text}` is not in YYYY-MM-DD form"));
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(format!("`{text}` is not in YYYY-MM-DD form"));
    };
    if !(1..=12).contains(&m) {
        return Err(format!("there is no month {m}"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("{y}-{m:02} has no day {d}"))
}

/// Accepts absolute http(s) URLs with a host, and mailto: addresses.
pub fn check_url(text: &str) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|e| format!("{e}"))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        "http" | "https" => Err("it has no host name".into()),
        "mailto" => check_email(url.path()).map_err(|e| format!("the address {e}")),
        other => Err(format!(
            "the `{other}:` scheme is not allowed; use http, https or mailto"
        )),
    }
}

/// A plain check of an e-mail address: one `@`, a name, a domain with a dot.
pub fn check_email(text: &str) -> Result<(), String> {
    let Some((local, domain)) = text.split_once('@') else {
        return Err(format!("`{text}` has no @"));
    };
    if local.is_empty() || domain.contains('@') || text.chars().any(char::is_whitespace) {
        return Err(format!("`{text}` is not of the form name@example.com"));
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(format!("`{domain}` is not a full domain name"));
    }
    Ok(())
}

/// Whether a string shows nothing: only spaces and invisible characters
/// (zero-width spaces and joiners, direction marks, soft hyphens).
pub fn blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{180E}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2020-03-20"),
            Ok(NaiveDate::from_ymd_opt(2020, 3, 20).unwrap())
        );
        assert!(parse_date("2020-02-30").unwrap_err().contains("no day 30"));
        assert!(
            parse_date("2020-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(parse_date("20 March").is_err());
        assert!(
            parse_date("2020-03-20T10:00:00")
                .unwrap_err()
                .contains("has a time")
        );
    }

    #[test]
    fn urls() {
        assert!(check_url("https://zine.incidentlabs.io").is_ok());
        assert!(check_url("mailto:zine@incidentlabs.io").is_ok());
        assert!(
            check_url("javascript:alert(1)")
                .unwrap_err()
                .contains("javascript")
        );
        assert!(check_url("ftp://example.com").is_err());
        assert!(check_url("zine.incidentlabs.io").is_err());
        assert!(check_url("mailto:nobody").is_err());
    }

    #[test]
    fn emails() {
        assert!(check_email("zine@incidentlabs.io").is_ok());
        assert!(check_email("zine@localhost").is_err());
        assert!(check_email("zine incidentlabs.io").is_err());
        assert!(check_email("a@b@c.io").is_err());
    }
}
