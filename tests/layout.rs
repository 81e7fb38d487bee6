//! The shape of the code, as a newcomer draws it from the imports: no file of `src/` depends
//! on itself through other files (no import circles), and no command file in `src/cli/`
//! uses another command file (they share only `cli/mod.rs`, `cli/console.rs` and
//! `cli/signals.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

/// A module path such as `["placement", "model"]`; `[]` is the crate root.
type Module = Vec<String>;

/// Every `.rs` file below `dir`.
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

/// The module a file defines: `src/a/mod.rs` and `src/a.rs` are `a`; `lib.rs`, `main.rs`
/// are the root.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts
}

/// The code of a file without its unit tests and comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path named after `crate::` or `super::` in `code`, with brace groups expanded:
/// `crate::a::{b, c::d}` gives `a::b` and `a::c::d`. `super` paths start from `parent`.
fn named_paths(code: &str, parent: &Module) -> Vec<Module> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start_ok = i == 0 || !is_ident(chars[i - 1]);
        let word: String = chars[i..].iter().take_while(|c| is_ident(**c)).collect();
        if start_ok && (word == "crate" || word == "super") {
            let base = if word == "crate" {
                Vec::new()
            } else {
                parent.clone()
            };
            let (paths, end) = path_tail(&chars, i + word.len(), base);
            out.extend(paths);
            i = end.max(i + 1);
        } else {
            i += word.len().max(1);
        }
    }
    out
}

/// Reads `::ident::ident…` or `::{…}` from `at`, returning the paths and where reading ended.
fn path_tail(chars: &[char], mut at: usize, mut base: Module) -> (Vec<Module>, usize) {
    let mut out = Vec::new();
    loop {
        if chars.get(at) != Some(&':') || chars.get(at + 1) != Some(&':') {
            break;
        }
        at += 2;
        if chars.get(at) == Some(&'{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut items = Vec::new();
            for (k, &c) in chars.iter().enumerate().skip(at) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    items.push(std::mem::take(&mut item));
                    at = k + 1;
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else if !(c == '{' && depth == 1) {
                    item.push(c);
                }
            }
            for item in items {
                let item = item.trim();
                let item = item.split(" as ").next().unwrap_or("").trim();
                if item.is_empty() || item == "self" || item == "*" {
                    out.push(base.clone());
                    continue;
                }
                let inner: Vec<char> = format!("::{item}").chars().collect();
                let (paths, _) = path_tail(&inner, 0, base.clone());
                out.extend(paths);
            }
            return (out, at);
        }
        let ident: String = chars[at..].iter().take_while(|c| is_ident(**c)).collect();
        if ident.is_empty() {
            break;
        }
        at += ident.len();
        base.push(ident);
    }
    out.push(base);
    (out, at)
}

/// The file module a path lands in: its longest prefix that is a file.
fn resolve(path: &Module, files: &BTreeSet<Module>) -> Option<Module> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| files.contains(p))
}

/// Which file modules each file module uses.
fn import_graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let files: BTreeSet<Module> = paths.iter().map(|p| module_of(&src, p)).collect();
    let mut graph = BTreeMap::new();
    for path in &paths {
        let module = module_of(&src, path);
        let parent = module[..module.len().saturating_sub(1)].to_vec();
        let text = std::fs::read_to_string(path).unwrap();
        let uses = named_paths(&code(&text), &parent)
            .iter()
            .filter_map(|p| resolve(p, &files))
            .filter(|m| m != &module && !m.is_empty())
            .collect();
        graph.insert(module, uses);
    }
    graph
}

#[test]
fn the_path_reader_expands_brace_groups_and_super() {
    let parent = vec!["groups".to_string()];
    let got = named_paths(
        "use crate::io::{plan::{read, Previous}, table::Row};\nlet x = super::lazy::solve(); crate::budget::clear_stop();",
        &parent,
    );
    let got: Vec<String> = got.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        got,
        [
            "io::plan::read",
            "io::plan::Previous",
            "io::table::Row",
            "groups::lazy::solve",
            "budget::clear_stop"
        ]
    );
}

#[test]
fn no_file_depends_on_itself_through_others() {
    let graph = import_graph();
    assert!(graph.len() > 50, "the source files are found");
    let mut g = DiGraph::<Module, ()>::new();
    let nodes: BTreeMap<&Module, _> = graph.keys().map(|m| (m, g.add_node(m.clone()))).collect();
    for (from, tos) in &graph {
        for to in tos {
            g.add_edge(nodes[from], nodes[to], ());
        }
    }
    let circles: Vec<Vec<String>> = tarjan_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut names: Vec<String> = c.iter().map(|n| g[*n].join("/")).collect();
            names.sort();
            names
        })
        .collect();
    assert_eq!(circles, Vec::<Vec<String>>::new(), "import circles");
}

#[test]
fn no_command_file_uses_another() {
    let shared = ["cli", "console", "signals"];
    let graph = import_graph();
    let command = |m: &Module| m.len() == 2 && m[0] == "cli" && !shared.contains(&m[1].as_str());
    let mut found = Vec::new();
    for (from, tos) in &graph {
        for to in tos.iter().filter(|to| command(from) && command(to)) {
            found.push(format!("{} uses {}", from.join("/"), to.join("/")));
        }
    }
    assert!(graph.keys().filter(|m| command(m)).count() >= 8);
    assert_eq!(found, Vec::<String>::new());
}
