//! The layer rules of docs/ARCHITECTURE.md, checked on the source tree: the domain is pure
//! (no database, no web, no views), services own no HTTP, HTML or views, and SQL lives under
//! `db/`. A rule broken here fails `cargo test`, naming the file, the line and the rule.

use std::path::{Path, PathBuf};

/// What a layer may not name, each with the reason given when it does.
struct Rule {
    layer: &'static str,
    forbidden: &'static [&'static str],
    why: &'static str,
}

const WEB_AND_VIEWS: &[&str] = &[
    "crate::components",
    "crate::routes",
    "crate::server_fns",
    "crate::web",
    "crate::app::",
    "axum",
    "http::",
    "tower_sessions",
    "leptos",
];

const RULES: &[Rule] = &[
    Rule {
        layer: "services",
        forbidden: WEB_AND_VIEWS,
        why: "services own no HTTP, cookies, sessions or views: return a typed outcome and let the adapter (web/, server_fns/, the server's http/) answer",
    },
    Rule { layer: "domain", forbidden: WEB_AND_VIEWS, why: "the domain is pure: no web, no views" },
    Rule {
        layer: "domain",
        forbidden: &["sea_orm", "crate::db", "crate::services", "crate::state", "tokio", "tracing"],
        why: "the domain is pure: no database, no I/O, no services",
    },
    Rule {
        layer: "services",
        forbidden: &[
            "crate::db::entities",
            "EntityTrait",
            "QueryFilter",
            "ColumnTrait",
            "ActiveModelTrait",
            "sea_query",
        ],
        why: "SQL lives under db/: services call its functions",
    },
    Rule {
        layer: "db",
        forbidden: &["crate::services", "crate::components", "crate::routes", "crate::server_fns", "crate::web"],
        why: "db/ is below the services: it may use the domain, nothing above it",
    },
];

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A line of code without its comment and string literals (a URL in a string is not an import).
fn code_of(line: &str) -> String {
    let mut code = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, '"') => in_string = true,
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_string = false,
            (false, c) => code.push(c),
            (true, _) => {}
        }
    }
    code
}

/// Where `text` names `needle` as a path (not as part of a longer name).
fn names(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        !before.is_some_and(ident) && (needle.ends_with(':') || !after.is_some_and(ident))
    })
}

/// Every broken rule in the files of `layer`: "file:line: `name` — why".
fn breaches(root: &Path, rule: &Rule) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root.join(rule.layer), &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            for needle in rule.forbidden {
                if names(&code, needle) {
                    let shown = file.strip_prefix(root).unwrap_or(&file).display();
                    found.push(format!("src/{shown}:{}: `{needle}` — {}", n + 1, rule.why));
                }
            }
        }
    }
    found
}

#[test]
fn the_layers_hold() {
    let root = source_root();
    let found: Vec<String> = RULES.iter().flat_map(|rule| breaches(&root, rule)).collect();
    assert!(found.is_empty(), "layer rules broken (docs/ARCHITECTURE.md):\n{}", found.join("\n"));
}

#[test]
fn every_csv_file_is_written_through_the_one_formula_guard() {
    let rule = Rule {
        layer: "",
        forbidden: &["csv::Writer", "csv::WriterBuilder"],
        why: "write CSV with services::csv_file::CsvFile, so every cell passes the spreadsheet-formula guard",
    };
    let found: Vec<String> = breaches(&source_root(), &rule)
        .into_iter()
        .filter(|breach| !breach.starts_with("src/services/csv_file.rs:"))
        .collect();
    assert!(found.is_empty(), "a CSV written around the guard:\n{}", found.join("\n"));
}

#[test]
fn a_service_that_imports_a_component_is_caught() {
    let dir = std::env::temp_dir().join(format!("canvass-layers-{}", std::process::id()));
    let services = dir.join("services");
    std::fs::create_dir_all(&services).expect("temporary folder");
    std::fs::write(
        services.join("leaky.rs"),
        "// crate::components in a comment is fine\nuse crate::components::charts::choropleth_svg;\nconst URL: &str = \"http://example.org\";\n",
    )
    .expect("temporary file");
    let found = breaches(&dir, &RULES[0]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("src/services/leaky.rs:2: `crate::components`"), "{found:?}");
}

#[test]
fn names_are_matched_whole() {
    assert!(names("use axum::Json;", "axum"));
    assert!(!names("use taxum::Json;", "axum"));
    assert!(names("let h: http::HeaderMap;", "http::"));
    assert!(!names("let h = xhttp::get();", "http::"));
    assert_eq!(code_of("let a = \"sea_orm\"; // tokio"), "let a = ; ");
}
