//! The source tree keeps its shape: modules import only the modules above
//! them in ARCHITECTURE.md's code map (so there is no import cycle and no
//! stage reaches back), the crate root stays narrow, and files and
//! functions stay a readable size. Test code is not held to the sizes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT_NAMES_AT_MOST: usize = 40;
const FILE_LINES_AT_MOST: usize = 1_000;
const FUNCTION_LINES_AT_MOST: usize = 120;

/// A source file of the library, outside test code.
struct Source {
    /// Its path under `src/`.
    path: String,
    /// The top-level module it belongs to.
    module: String,
    /// Its text with comments and the contents of literals blanked and any
    /// inline `#[cfg(test)] mod tests` cut off, lines kept where they were.
    code: String,
    /// Its lines, tests included.
    lines: usize,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `src/` but the test files.
fn sources() -> Vec<Source> {
    let mut paths = Vec::new();
    walk(&root().join("src"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(root().join("src")).unwrap();
            let relative = relative.to_str().unwrap().replace('\\', "/");
            if relative.ends_with("tests.rs") || relative.contains("/tests/") {
                return None;
            }
            let text = fs::read_to_string(&path).unwrap();
            let first = relative.split('/').next().unwrap();
            let module = first.trim_end_matches(".rs").to_string();
            let mut code = code_only(&text);
            if let Some(at) = code.find("#[cfg(test)]\nmod tests {") {
                code.truncate(at);
            }
            Some(Source {
                path: relative,
                module,
                code,
                lines: text.lines().count(),
            })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `text` with comments, and the contents of string and character
/// literals, replaced by spaces (newlines kept), so that what remains is
/// the code a path or a brace can be found in.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push('"');
            j += 1;
            while j < chars.len() {
                let closes =
                    chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#'));
                if closes {
                    j += 1 + hashes;
                    break;
                }
                out.push(blank(chars[j]));
                j += 1;
            }
            out.push('"');
            i = j;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime.
            let literal_end = match next {
                Some('\\') => (i + 2..chars.len()).find(|&j| chars[j] == '\''),
                Some(_) if chars.get(i + 2) == Some(&'\'') => Some(i + 2),
                _ => None,
            };
            match literal_end {
                Some(end) => {
                    out.push_str("' '");
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The top-level items `code` names through `crate::`: `crate::a::b` names
/// `a`, `crate::{a, b::c}` names `a` and `b`; and `chongqing` for a call
/// of a `::chongqing()` constructor, which that module defines.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    found.extend(first_ident(&item));
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
        } else {
            found.extend(first_ident(rest));
        }
    }
    let mut rest = code;
    while let Some(at) = rest.find("::chongqing(") {
        found.push("chongqing".to_string());
        rest = &rest[at + 1..];
    }
    found
}

fn first_ident(text: &str) -> Option<String> {
    let ident: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!ident.is_empty()).then_some(ident)
}

/// The top-level modules in the order ARCHITECTURE.md's code map lists
/// them (`src/lib.rs` and `src/guide.rs` aside).
fn code_map() -> Vec<String> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut order: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(path) = line.strip_prefix("src/") else {
            continue;
        };
        let path = path.split_whitespace().next().unwrap_or_default();
        let module = path.split('/').next().unwrap().trim_end_matches(".rs");
        if !["lib", "guide"].contains(&module) && !order.iter().any(|m| m == module) {
            order.push(module.to_string());
        }
    }
    order
}

#[test]
fn modules_import_only_the_modules_above_them_in_the_code_map() {
    let order = code_map();
    let sources = sources();
    let mut modules: Vec<&str> = sources.iter().map(|s| s.module.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    modules.retain(|m| !["lib", "guide"].contains(m));
    let mut unmapped: Vec<&str> = modules
        .iter()
        .copied()
        .filter(|m| !order.iter().any(|o| o == m))
        .collect();
    unmapped.sort_unstable();
    assert!(
        unmapped.is_empty(),
        "ARCHITECTURE.md's code map lists no line for {unmapped:?}"
    );

    let place = |module: &str| order.iter().position(|m| m == module);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for source in &sources {
        if ["lib", "guide"].contains(&source.module.as_str()) {
            continue;
        }
        let here = place(&source.module).unwrap();
        for target in crate_paths(&source.code) {
            if target == source.module {
                continue;
            }
            let problem = match place(&target) {
                None => format!("crate::{target} is not a module: name it by its module's path"),
                Some(there) if there > here => {
                    format!("imports {target}, which comes after it in the code map")
                }
                Some(_) => continue,
            };
            wrong.entry(source.path.clone()).or_default().push(problem);
        }
    }
    for problems in wrong.values_mut() {
        problems.sort();
        problems.dedup();
    }
    assert!(wrong.is_empty(), "imports that reach back: {wrong:#?}");
}

#[test]
fn the_crate_root_reexports_at_most_40_names() {
    let lib = code_only(&fs::read_to_string(root().join("src/lib.rs")).unwrap());
    let mut names = Vec::new();
    for statement in lib.split(';') {
        let Some(at) = statement.find("pub use ") else {
            continue;
        };
        let path = &statement[at + "pub use ".len()..];
        let items = match path.find('{') {
            Some(open) => &path[open + 1..path.rfind('}').unwrap()],
            None => path.rsplit("::").next().unwrap(),
        };
        names.extend(
            items
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| item.rsplit(" as ").next().unwrap().to_string()),
        );
    }
    assert!(
        names.len() <= ROOT_NAMES_AT_MOST,
        "the crate root re-exports {} names: {names:?}",
        names.len()
    );
}

#[test]
fn files_and_functions_are_a_readable_size() {
    let mut long = Vec::new();
    for source in sources() {
        if source.lines > FILE_LINES_AT_MOST {
            long.push(format!("{}: {} lines", source.path, source.lines));
        }
        for (name, line, lines) in functions(&source.code) {
            if lines > FUNCTION_LINES_AT_MOST {
                long.push(format!(
                    "{}:{line}: fn {name} is {lines} lines",
                    source.path
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "longer than {FILE_LINES_AT_MOST} lines a file or {FUNCTION_LINES_AT_MOST} a function: {long:#?}"
    );
}

/// Each function with a body in `code`: its name, its first line (from 1)
/// and its length in lines, from `fn` to the closing brace.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let bytes = code.as_bytes();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = code[from..].find("fn ") {
        let at = from + offset;
        from = at + 3;
        let word_start =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let Some(name) = first_ident(&code[at + 3..]) else {
            continue;
        };
        if !word_start {
            continue;
        }
        // The body opens at the first `{` outside parentheses, unless a
        // `;` comes first (a declaration without one).
        let mut depth = 0i32;
        let mut open = None;
        for (i, &b) in bytes.iter().enumerate().skip(at) {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth == 0 => break,
                b'{' if depth == 0 => {
                    open = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut depth = 0i32;
        let close = (open..bytes.len()).find(|&i| {
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        let Some(close) = close else { continue };
        let first = line_of(at);
        found.push((name, first, line_of(close) - first + 1));
    }
    found
}

#[test]
fn the_scanner_finds_paths_and_skips_comments_and_literals() {
    let code = code_only(
        "use crate::{atlas::Atlas, carrier::{Carriers, Kind}};\n\
         // crate::quota in a comment\n\
         let s = \"crate::report\"; let c = '{'; let r = r#\"crate::sites\"#;\n\
         fn f<'a>(x: &'a str) { crate::tally::Tally::new(); DistrictNames::chongqing(); }\n",
    );
    assert_eq!(
        crate_paths(&code),
        ["atlas", "carrier", "tally", "chongqing"]
    );
    let functions = functions(&code);
    assert_eq!(functions, [("f".to_string(), 4, 1)]);
}
