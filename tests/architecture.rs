//! The library's layering, as ARCHITECTURE.md writes it, read off the code:
//! every `crate::…` reference between the top-level modules of `src/` (in
//! `use` lines and inline paths; comments, strings and test code aside)
//! must point to a module on a lower line of the layer table, and no two
//! modules may reach each other. The binary (`main.rs`, `cli.rs`, `cmd/`)
//! is above every layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The files of the binary, which may use any module.
const BINARY: &[&str] = &["main.rs", "cli.rs", "cmd", "lib.rs"];

/// The top-level module a file under `src/` belongs to, unless it is the binary's.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    if BINARY.contains(&first) {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source with comments, string and character literals blanked, and
/// `#[cfg(test)]` items (test modules, test-only helpers) removed.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|&c| c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            i += rest[body..]
                .find(&close)
                .map_or(rest.len(), |e| body + e + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && is_char_literal(rest) {
            // A character literal ('x', '\n', '—'), not a lifetime.
            i += rest[1..].find('\'').map_or(rest.len(), |e| e + 2);
            out.push_str("' '");
        } else if rest.starts_with("#[cfg(test)]") {
            // Skip the attribute and the item it marks, to its closing brace (or semicolon).
            let mut j = i + "#[cfg(test)]".len();
            let mut depth = 0usize;
            while j < b.len() {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    b';' if depth == 0 => {
                        j += 1;
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Whether `rest`, which starts with a quote, starts a character literal rather than a lifetime.
fn is_char_literal(rest: &str) -> bool {
    let mut chars = rest.chars().skip(1);
    match chars.next() {
        Some('\\') => true,
        Some(_) => chars.next() == Some('\''),
        None => false,
    }
}

/// The top-level modules that code names through `crate::`: `crate::a::b`,
/// and each path of a group `use crate::{a::b, c}`.
fn references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    if let Some(name) = first_ident(&item) {
                        found.insert(name);
                    }
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else if depth >= 1 {
                    item.push(c);
                }
            }
        } else if let Some(name) = first_ident(after) {
            found.insert(name);
        }
        rest = &rest[at + "crate::".len()..];
    }
    found
}

/// The first identifier of a path (`edition::ids` gives `edition`).
fn first_ident(path: &str) -> Option<String> {
    let name: String = path
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The layer table of ARCHITECTURE.md, top first: the modules of each line.
fn layers() -> Vec<Vec<String>> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let section = doc
        .split("## Layers")
        .nth(1)
        .expect("ARCHITECTURE.md has a Layers section");
    let block = section
        .split("```text\n")
        .nth(1)
        .expect("the Layers section has a text block");
    let block = &block[..block.find("```").expect("the block is closed")];
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let modules = line.split(" — ").next().unwrap();
            modules.split('·').map(|m| m.trim().to_string()).collect()
        })
        .collect()
}

/// Every reference between top-level modules: (from, to) with the files it appears in.
fn edges() -> BTreeMap<(String, String), Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| module_of(f.strip_prefix(&src).unwrap()))
        .collect();
    let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let Some(from) = module_of(rel) else { continue };
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for to in references(&code) {
            if to != from && modules.contains(&to) {
                edges
                    .entry((from.clone(), to))
                    .or_default()
                    .push(rel.display().to_string());
            }
        }
    }
    edges
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let layers = layers();
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, line)| line.iter().map(move |m| (m.as_str(), i)))
        .collect();
    let edges = edges();
    let mut wrong = Vec::new();
    let modules: BTreeSet<&str> = edges
        .keys()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    for m in &modules {
        if !rank.contains_key(m) {
            wrong.push(format!(
                "`{m}` is not in ARCHITECTURE.md's layer table: add it to its line"
            ));
        }
    }
    for ((from, to), files) in &edges {
        if let (Some(a), Some(b)) = (rank.get(from.as_str()), rank.get(to.as_str()))
            && a >= b
        {
            wrong.push(format!(
                "`{from}` (layer {a}) uses `{to}` (layer {b}), which is not below it, in {}",
                files.join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the layering is broken:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_modules_reach_each_other() {
    let edges = edges();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        graph.entry(a).or_default().insert(b);
    }
    // A cycle through `m` is a path from one of its neighbours back to `m`.
    let mut cycles = BTreeSet::new();
    for &start in graph.keys() {
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, vec![start])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for &next in graph.get(at).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    let low = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap();
                    cycle.rotate_left(low);
                    cycles.insert(cycle.join(" -> "));
                } else if seen.insert(next) {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push((next, longer));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that reach each other:\n{}",
        cycles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_reader_sees_through_comments_strings_and_tests() {
    let code = code_only(
        "use crate::{a::x, b};\n// crate::c\nlet s = \"crate::d\";\nlet r = r#\"crate::e\"#;\nfn f() { crate::g::h(); }\n#[cfg(test)]\nmod tests { use crate::i; }\nlet c = '{';\n",
    );
    let found: Vec<String> = references(&code).into_iter().collect();
    assert_eq!(found, ["a", "b", "g"]);
}
