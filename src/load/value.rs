//! A format-neutral value tree with positions, built from TOML or YAML.
//!
//! Settings and front matter come in two syntaxes; schema checks should not
//! care which. Both parsers' output is turned into `Node`s whose spans are
//! byte ranges in the whole file, so that every later diagnostic (a wrong
//! type, an unknown key) can point at the exact text.

use std::borrow::Cow;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use toml::de::{DeTable, DeValue};

use crate::model::Span;

/// A key of a table and where it was written.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// A value of any type, with its span.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// The value types both syntaxes share.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A TOML date or date-time literal, as written.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

impl Value {
    /// The type's name as a writer knows it, for "expected X, found Y".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

/// A syntax error with its place in the file.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// Parses TOML text, reporting every syntax error it can recover from.
/// Spans are shifted by `offset` (where the text starts in its file).
pub fn parse_toml(text: &str, offset: usize) -> (Node, Vec<SyntaxError>) {
    let (table, errors) = DeTable::parse_recoverable(text);
    let errors = errors
        .into_iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            SyntaxError {
                message: e.message().trim().to_string(),
                span: span.start + offset..span.end + offset,
            }
        })
        .collect();
    let span = table.span();
    let node = Node {
        value: toml_table(table.into_inner(), offset),
        span: span.start + offset..span.end + offset,
    };
    (node, errors)
}

/// Converts a TOML table.
fn toml_table(table: DeTable<'_>, offset: usize) -> Value {
    let mut entries: Vec<(Key, Node)> = table
        .into_iter()
        .map(|(k, v)| {
            let ks = k.span();
            let key = Key {
                name: k.into_inner().into_owned(),
                span: ks.start + offset..ks.end + offset,
            };
            let vs = v.span();
            let node = Node {
                value: toml_value(v.into_inner(), offset),
                span: vs.start + offset..vs.end + offset,
            };
            (key, node)
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.span.start);
    Value::Table(entries)
}

/// Converts one TOML value.
fn toml_value(value: DeValue<'_>, offset: usize) -> Value {
    match value {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => Value::Int(n),
                Err(_) => Value::Str(i.as_str().to_string()),
            }
        }
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| {
                    let s = v.span();
                    Node {
                        value: toml_value(v.into_inner(), offset),
                        span: s.start + offset..s.end + offset,
                    }
                })
                .collect(),
        ),
        DeValue::Table(t) => toml_table(t, offset),
    }
}

/// Parses a YAML document (one; front matter never holds more).
pub fn parse_yaml(text: &str, offset: usize) -> Result<Node, SyntaxError> {
    let to_byte = CharToByte::new(text, offset);
    match MarkedYaml::load_from_str(text) {
        Ok(docs) => match docs.into_iter().next() {
            Some(doc) => Ok(yaml_node(doc, &to_byte)),
            None => Ok(Node {
                value: Value::Table(Vec::new()),
                span: offset..offset,
            }),
        },
        Err(e) => {
            let at = to_byte.at(e.marker().index());
            Err(SyntaxError {
                message: e.info().to_string(),
                span: at..at,
            })
        }
    }
}

/// Converts one YAML node.
fn yaml_node(node: MarkedYaml<'_>, to_byte: &CharToByte) -> Node {
    let span = to_byte.at(node.span.start.index())..to_byte.at(node.span.end.index());
    let value = match node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(b),
            Scalar::Integer(i) => Value::Int(i),
            Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
            Scalar::String(s) => Value::Str(s.into_owned()),
        },
        YamlData::Representation(s, _, _) => Value::Str(s.into_owned()),
        YamlData::Sequence(items) => {
            Value::Array(items.into_iter().map(|n| yaml_node(n, to_byte)).collect())
        }
        YamlData::Mapping(map) => Value::Table(
            map.into_iter()
                .map(|(k, v)| {
                    let k = yaml_node(k, to_byte);
                    let name = match k.value {
                        Value::Str(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => String::from("?"),
                    };
                    (Key { name, span: k.span }, yaml_node(v, to_byte))
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return yaml_node(*inner, to_byte),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Node { value, span }
}

/// Maps YAML's character indices to byte offsets in the file.
struct CharToByte {
    starts: Vec<usize>,
    offset: usize,
    len: usize,
}

impl CharToByte {
    /// Indexes the char boundaries of `text`.
    fn new(text: &str, offset: usize) -> Self {
        CharToByte {
            starts: text.char_indices().map(|(i, _)| i).collect(),
            offset,
            len: text.len(),
        }
    }

    /// The byte offset in the file of char index `i`.
    fn at(&self, i: usize) -> usize {
        self.offset + self.starts.get(i).copied().unwrap_or(self.len)
    }
}

/// Borrows a node's string, if it is one.
pub fn as_str(node: &Node) -> Option<Cow<'_, str>> {
    match &node.value {
        Value::Str(s) => Some(Cow::Borrowed(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(node: &Node) -> &[(Key, Node)] {
        match &node.value {
            Value::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn toml_spans_are_file_offsets() {
        let text = "title = \"Hi\"\nn = 0x10\n";
        let (node, errors) = parse_toml(text, 4);
        assert!(errors.is_empty());
        let t = table(&node);
        assert_eq!(t[0].0.name, "title");
        assert_eq!(t[0].0.span, 4..9);
        assert_eq!(&("    ".to_string() + text)[t[0].1.span.clone()], "\"Hi\"");
        assert!(matches!(t[1].1.value, Value::Int(16)));
    }

    #[test]
    fn toml_reports_several_errors() {
        let (_, errors) = parse_toml("a = \nb = [1,\n", 0);
        assert!(!errors.is_empty());
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }

    #[test]
    fn yaml_spans_count_bytes_not_chars() {
        let text = "title: \"Ça va\"\ndate: 2020-03-20\n";
        let node = parse_yaml(text, 0).unwrap();
        let t = table(&node);
        assert_eq!(t[1].0.name, "date");
        assert_eq!(&text[t[1].0.span.clone()], "date");
        assert!(matches!(&t[1].1.value, Value::Str(s) if s == "2020-03-20"));
    }

    #[test]
    fn yaml_errors_have_a_place() {
        let err = parse_yaml("title: [unclosed\n", 10).unwrap_err();
        assert!(err.span.start >= 10);
    }
}
