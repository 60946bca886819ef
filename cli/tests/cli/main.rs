//! The `carrier-quota` command run as a user runs it: each subcommand on
//! the sample files, each exit status, and bad input. Built as one binary.

mod assign;
mod director;
mod docs;
mod errors;
mod html;
mod outputs;
mod regions;
mod registers;
mod report;
mod sample;
mod sites;
mod split;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built command, started in the repository's root with the words of
/// `subcommand` (e.g. `"sample carriers"`) as its first arguments.
pub(crate) fn cli(subcommand: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_carrier-quota"));
    command
        .current_dir(root())
        .args(subcommand.split_whitespace());
    command
}

/// The repository's root, where `data/` and `docs/` are.
pub(crate) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

pub(crate) fn run(command: &mut Command) -> Output {
    command.output().expect("the command runs")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A path in a folder of this test run's own.
pub(crate) fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carrier-quota-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Asserts that a run failed with status 2 and one line on stderr that
/// holds each of `expected`.
#[track_caller]
pub(crate) fn assert_fails_with(out: &Output, expected: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    for part in expected {
        assert!(err.contains(part), "no {part:?} in {err}");
    }
}

/// A plan file of one target the sample meets: a carrier in Yuzhong by
/// 2025.
pub(crate) fn yuzhong_plan(name: &str) -> PathBuf {
    let plan = temp(name);
    std::fs::write(
        &plan,
        "name = \"yuzhong\"\nstart = \"2021-12-31\"\n\n[[targets]]\nid = \"yz\"\nname = \"渝中\"\n\
         measure = \"carriers\"\nminimum = 1\ndeadline = \"2025-12-31\"\nscope = { districts = [\"渝中区\"] }\n",
    )
    .unwrap();
    plan
}

pub(crate) const SAMPLE: &str = "data/sample/carriers.geojson";
pub(crate) const REGISTRY: &str = "data/sample/registry.csv";
