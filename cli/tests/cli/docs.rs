//! The documents run as a reader would run them: the command reference is
//! the command's own help, every example of `--help` runs on an installed
//! command (the built-in sample, or files `carrier-quota sample` writes
//! first) and fits one line, and every command of the guide runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::root;

const REFERENCE: &str = "docs/guide/cli.md";

#[test]
fn the_reference_is_the_commands_own_help() {
    let path = root().join(REFERENCE);
    let generated = carrier_quota_cli::reference();
    if std::env::var_os("CARRIER_QUOTA_WRITE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let kept = std::fs::read_to_string(&path).unwrap();
    assert!(
        kept == generated,
        "{REFERENCE} is out of date: CARRIER_QUOTA_WRITE_DOCS=1 cargo test -p carrier-quota-cli \
         --test cli docs writes it again"
    );
}

/// A folder of this run's own, holding `data` and `tests` as the
/// repository has them, where commands run as a reader runs them.
fn workspace(name: &str) -> PathBuf {
    let dir = crate::temp(name);
    std::fs::create_dir_all(&dir).unwrap();
    for linked in ["data", "tests"] {
        let link = dir.join(linked);
        if !link.exists() {
            std::os::unix::fs::symlink(root().join(linked), link).unwrap();
        }
    }
    dir
}

/// Runs a shell line in `dir`, with the built command first on the path.
fn shell(dir: &Path, line: &str) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_carrier-quota"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("sh runs")
}

/// Whether a line can run in this build: `query` needs the feature
/// `datafusion`.
fn runs_here(line: &str) -> bool {
    cfg!(feature = "datafusion") || !line.contains("carrier-quota query")
}

/// Runs `line`, which must succeed (or, with `--fail-on`, may end with
/// status 1, a target behind).
#[track_caller]
fn assert_runs(dir: &Path, line: &str, whence: &str) {
    let out = shell(dir, line);
    let code = out.status.code();
    let allowed = code == Some(0) || (code == Some(1) && line.contains("--fail-on"));
    assert!(
        allowed,
        "{whence}: `{line}` ended with {code:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every `--help` gives examples that fit a terminal and run on what an
/// installed command has, in order: the first writes the files the others
/// read.
#[test]
fn every_help_example_runs_on_an_installed_command() {
    let reference = carrier_quota_cli::reference();
    let dir = workspace("help-examples");
    for section in reference.split("\n## `").skip(1) {
        let (path, help) = section.split_once('`').unwrap();
        let Some((_, examples)) = help.split_once("Example") else {
            continue;
        };
        let (intro, body) = examples.split_once('\n').unwrap();
        assert!(
            intro.chars().count() <= 80,
            "{path}: {intro:?} is over 80 columns"
        );
        let mut lines: Vec<String> = Vec::new();
        for line in body.lines() {
            if line.trim().is_empty() || line.starts_with("```") {
                break;
            }
            assert!(
                line.chars().count() <= 80,
                "{path}: the example {line:?} is over 80 columns"
            );
            match line.strip_prefix("    ") {
                // A command continued on the next line.
                Some(rest) if line.starts_with("    ") && !lines.is_empty() => {
                    let last = lines.last_mut().unwrap();
                    last.push('\n');
                    last.push_str(rest);
                }
                _ => lines.push(line.trim().to_string()),
            }
        }
        for line in lines.iter().filter(|l| runs_here(l)) {
            assert!(line.contains("carrier-quota"), "{path}: {line:?}");
            assert_runs(&dir, line, path);
        }
    }
}

/// The `sh` blocks of a guide page: each command, with its continued lines
/// joined, comments and blank lines left out.
fn commands(page: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut open: Option<String> = None;
    for line in page.lines() {
        if line.starts_with("```") {
            in_block = line == "```sh";
            continue;
        }
        if !in_block || line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut command = open.take().unwrap_or_default();
        command.push_str(line.trim_end().trim_end_matches('\\'));
        // A line that ends in a backslash goes on, as does one inside an
        // open quote (with its line break).
        let quotes = command.matches('"').count();
        if line.trim_end().ends_with('\\') {
            command.push(' ');
            open = Some(command);
        } else if quotes % 2 == 1 {
            command.push('\n');
            open = Some(command);
        } else {
            commands.push(command.trim().to_string());
        }
    }
    commands
}

/// The commands that build or install (`cargo …`, a Python environment
/// and `pip install`): the set-up, which the README's and CI's runs check.
const SET_UP: [&str; 4] = ["cargo ", "pip ", "python3 -m venv ", ". .venv/"];

/// Every command of the guide runs, page by page, in the order the page
/// gives them (so that a file one writes is there for the next), but the
/// set-up.
#[test]
fn every_guide_command_runs() {
    let guide = root().join("docs/guide");
    let mut ran = 0;
    for entry in std::fs::read_dir(&guide).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let page = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let dir = workspace(&format!("guide-{name}"));
        for command in commands(&page) {
            if SET_UP.iter().any(|s| command.starts_with(s)) || !runs_here(&command) {
                continue;
            }
            assert_runs(&dir, &command, &name);
            ran += 1;
        }
    }
    assert!(ran >= 10, "only {ran} commands found in the guide");
}
