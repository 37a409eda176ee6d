//! Layers only point down: which module of the crate may import which, and which external
//! crates each may use. Every `.rs` file under each module is read; a `crate::X` path, a
//! `super::` that climbs out of the module, or an external crate outside the module's row
//! fails the test, naming the file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Terminal, async and network crates: none of them below `client`.
const TERMINAL_AND_NETWORK: &[&str] = &[
    "ratatui",
    "ratatui_textarea",
    "crossterm",
    "tokio",
    "reqwest",
    "axum",
    "hyper",
    "rustls",
    "std::net",
];

/// One row of the table.
struct Layer {
    module: &'static str,
    /// The modules of the crate it may import.
    may_import: &'static [&'static str],
    /// External crates (and `std` modules) it must not use, anywhere in its files.
    banned: &'static [&'static str],
    /// When set, the only external crates its code (tests aside) may use.
    only_crates: Option<&'static [&'static str]>,
}

const PURE: &[&str] = &["serde", "serde_json", "url", "jiff", "thiserror"];

const LAYERS: &[Layer] = &[
    Layer {
        module: "message",
        may_import: &[],
        banned: TERMINAL_AND_NETWORK,
        only_crates: Some(PURE),
    },
    Layer {
        module: "text",
        may_import: &[],
        banned: TERMINAL_AND_NETWORK,
        only_crates: Some(&[]),
    },
    Layer {
        module: "profile",
        may_import: &["message", "text"],
        banned: TERMINAL_AND_NETWORK,
        only_crates: Some(PURE),
    },
    Layer {
        module: "store",
        may_import: &["message", "text", "profile"],
        banned: TERMINAL_AND_NETWORK,
        only_crates: None,
    },
    Layer {
        module: "client",
        may_import: &["message", "text", "profile", "store"],
        banned: &["ratatui", "ratatui_textarea", "crossterm", "axum"],
        only_crates: None,
    },
    Layer {
        module: "media",
        may_import: &["message", "text", "profile", "client"],
        banned: &["ratatui", "ratatui_textarea", "crossterm", "axum"],
        only_crates: None,
    },
    Layer {
        module: "sandbox",
        may_import: &["message", "text", "profile", "client"],
        banned: &["ratatui", "ratatui_textarea", "crossterm"],
        only_crates: None,
    },
    Layer {
        module: "tui",
        may_import: &[
            "message", "text", "profile", "store", "client", "media", "sandbox",
        ],
        banned: &[],
        only_crates: None,
    },
    Layer {
        module: "cli",
        may_import: &[
            "message", "text", "profile", "store", "client", "media", "sandbox", "tui",
        ],
        banned: &[],
        only_crates: None,
    },
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The module's files (`src/NAME.rs` and everything under `src/NAME/`), each with its
/// module path (`["store", "config", "resolve"]`) and text.
fn files_of(module: &str) -> Vec<(PathBuf, Vec<String>, String)> {
    fn walk(dir: &Path, path: Vec<String>, out: &mut Vec<(PathBuf, Vec<String>, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                let mut sub = path.clone();
                sub.push(stem);
                walk(&p, sub, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let mut file_path = path.clone();
                if stem != "mod" {
                    file_path.push(stem);
                }
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, file_path, text));
            }
        }
    }
    let src = root().join("src");
    let mut out = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        let text = std::fs::read_to_string(&single).unwrap();
        out.push((single, vec![module.to_string()], text));
    }
    let dir = src.join(module);
    if dir.is_dir() {
        walk(&dir, vec![module.to_string()], &mut out);
    }
    assert!(!out.is_empty(), "no sources for module {module}");
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where `word` occurs in `text` as a whole path segment: not inside a longer identifier,
/// and not the tail of another path (`a::tokio`).
fn occurrences<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    text.match_indices(word).filter_map(move |(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let starts = !before.is_some_and(|c| is_ident(c) || c == ':');
        let ends = !after.is_some_and(is_ident);
        (starts && ends).then_some(i)
    })
}

/// The line number of byte `i`.
fn line_of(text: &str, i: usize) -> usize {
    text[..i].matches('\n').count() + 1
}

/// The code of a file without its test module (tests may use dev-dependencies).
fn without_tests(text: &str) -> &str {
    match text.find("\n#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// Every crate module a file names: `crate::X`, and `super::…::X` where the `super`s climb
/// to the crate root. Returns (line, module or `None` when it cannot be told).
fn internal_imports(text: &str, file_path: &[String]) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    for i in occurrences(text, "crate") {
        let rest = &text[i + "crate".len()..];
        if let Some(rest) = rest.strip_prefix("::") {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            out.push((line_of(text, i), (!name.is_empty()).then_some(name)));
        }
    }
    for i in occurrences(text, "super") {
        let mut rest = &text[i..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        if ups == 0 {
            continue;
        }
        // The first `super`s leave the inline modules (`mod tests { … }`) around it; the
        // rest climb from the module the file is.
        let inline = inline_modules(text)
            .iter()
            .filter(|r| r.contains(&i))
            .count();
        if ups >= file_path.len() + inline {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            out.push((line_of(text, i), (!name.is_empty()).then_some(name)));
        }
    }
    out
}

fn ascii_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The byte ranges of the bodies of inline modules (`mod tests { … }`), found by following
/// braces outside strings, characters and comments.
fn inline_modules(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let (mut i, mut depth) = (0, 0usize);
    let mut open: Vec<(usize, usize)> = Vec::new(); // (depth inside, start)
    let mut ranges = Vec::new();
    let mut pending_mod = false;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'r' if b.get(i + 1).is_some_and(|&c| c == b'"' || c == b'#')
                && !(i > 0 && ascii_ident(b[i - 1])) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let close = format!("\"{}", "#".repeat(hashes));
                let from = i + 2 + hashes;
                i = text[from..]
                    .find(&close)
                    .map_or(b.len(), |k| from + k + close.len())
                    - 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if b.get(i + 1) == Some(&b'\\') || b.get(i + 2) == Some(&b'\'') => {
                i += if b[i + 1] == b'\\' { 1 } else { 2 };
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
            }
            b'{' => {
                depth += 1;
                if pending_mod {
                    open.push((depth, i + 1));
                    pending_mod = false;
                }
            }
            b'}' => {
                if open.last().is_some_and(|&(d, _)| d == depth) {
                    let (_, start) = open.pop().unwrap();
                    ranges.push(start..i);
                }
                depth = depth.saturating_sub(1);
            }
            b';' => pending_mod = false,
            c if ascii_ident(c) => {
                let start = i;
                while i < b.len() && ascii_ident(b[i]) {
                    i += 1;
                }
                if &text[start..i] == "mod" && (start == 0 || !ascii_ident(b[start - 1])) {
                    pending_mod = true;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    ranges
}

/// The external crates the crate depends on, as they are named in code.
fn dependencies() -> BTreeSet<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let mut deps = BTreeSet::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]" || line.ends_with(".dependencies]");
            continue;
        }
        if in_deps
            && let Some((name, _)) = line.split_once('=')
            && !line.starts_with('#')
        {
            deps.insert(name.trim().replace('-', "_"));
        }
    }
    assert!(deps.contains("serde"), "{deps:?}");
    deps
}

/// Every violation of the table in the sources, one line each.
fn violations() -> Vec<String> {
    let modules: Vec<&str> = LAYERS.iter().map(|l| l.module).collect();
    let deps = dependencies();
    let mut found = Vec::new();
    for layer in LAYERS {
        for (path, file_path, text) in files_of(layer.module) {
            let shown = path.strip_prefix(root()).unwrap_or(&path).display();
            for (line, name) in internal_imports(&text, &file_path) {
                match name {
                    Some(n) if n == layer.module || layer.may_import.contains(&n.as_str()) => {}
                    Some(n) if !modules.contains(&n.as_str()) => found.push(format!(
                        "{shown}:{line}: crate::{n} is not a module of the layer table"
                    )),
                    Some(n) => found.push(format!(
                        "{shown}:{line}: {} imports {n}, which it may not",
                        layer.module
                    )),
                    None => found.push(format!(
                        "{shown}:{line}: a path that leaves {} for the crate root",
                        layer.module
                    )),
                }
            }
            for banned in layer.banned {
                if let Some(i) = occurrences(&text, banned).next() {
                    found.push(format!(
                        "{shown}:{}: {} uses {banned}",
                        line_of(&text, i),
                        layer.module
                    ));
                }
            }
            if let Some(allowed) = layer.only_crates {
                let code = without_tests(&text);
                for dep in deps.iter().filter(|d| !allowed.contains(&d.as_str())) {
                    let uses = [
                        format!("{dep}::"),
                        format!("use {dep}"),
                        format!("extern crate {dep}"),
                    ];
                    let first = uses
                        .iter()
                        .filter_map(|u| occurrences(code, u).next())
                        .min();
                    if let Some(i) = first {
                        found.push(format!(
                            "{shown}:{}: {} uses {dep}; it may use only {allowed:?}",
                            line_of(code, i),
                            layer.module
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_module_is_in_the_layer_table() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .filter_map(|l| l.strip_suffix(';'))
        .collect();
    let table: Vec<&str> = LAYERS.iter().map(|l| l.module).collect();
    for m in &declared {
        assert!(
            table.contains(m),
            "module {m} is missing from the layer table"
        );
    }
    assert_eq!(declared.len(), table.len(), "{declared:?} vs {table:?}");
}

#[test]
fn layers_only_point_down() {
    let found = violations();
    assert!(found.is_empty(), "layer violations:\n{}", found.join("\n"));
}

#[test]
fn the_checker_sees_each_kind_of_violation() {
    let store = ["store".to_string(), "config".to_string()];
    assert_eq!(
        internal_imports("use crate::client::Profile;", &store),
        [(1, Some("client".to_string()))]
    );
    assert_eq!(
        internal_imports("use super::super::tui::App;", &store),
        [(1, Some("tui".to_string()))]
    );
    assert_eq!(
        internal_imports("use super::history::HistoryEntry;", &store),
        []
    );
    assert_eq!(
        internal_imports("use super::super::{cli, tui};", &store),
        [(1, None)]
    );
    let tests = "fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    const X: &str = \"}\";\n    use super::super::cli;\n}\nuse super::x;";
    let text = ["text".to_string()];
    assert_eq!(
        internal_imports(tests, &text),
        [(6, Some("cli".to_string())), (8, Some("x".to_string()))]
    );
    assert_eq!(occurrences("crate::client::x", "crate::cli").count(), 0);
    assert_eq!(occurrences("let callback_url = 1;", "url::").count(), 0);
    assert_eq!(occurrences("x\nuse tokio::sync;", "tokio").count(), 1);
    assert_eq!(occurrences("use a::tokio::sync;", "tokio").count(), 0);
}
