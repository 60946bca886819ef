//! The examples a service starts from still run and say what they claim.
//!
//! `cargo test` builds the examples before it runs this file; they sit in
//! `target/<profile>/examples/` beside the test binary's `deps/` folder.

use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> Output {
    let deps = std::env::current_exe().unwrap();
    let folder = deps.parent().unwrap().parent().unwrap();
    let path: PathBuf = folder.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo test`",
        path.display()
    );
    let dir = std::env::temp_dir().join(format!("carrier-quota-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(path)
        .current_dir(&dir)
        .args(match name {
            "place_and_tally" => vec![
                concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/registry.csv"),
                "gcj02",
            ],
            _ => vec![],
        })
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn check_plan_prints_the_report_and_each_status() {
    let out = text(&example("check_plan"));
    assert!(out.contains("floor_area_total"), "{out}");
    assert!(out.contains("\nfloor_area_total: behind\n"), "{out}");
}

#[test]
fn place_and_tally_reads_a_register() {
    let out = text(&example("place_and_tally"));
    assert!(
        out.contains("rejected: row 38 (id \"CQ-036\"): unknown district"),
        "{out}"
    );
    assert!(
        out.contains("CQ-033 names 长寿区 but lies elsewhere"),
        "{out}"
    );
    assert!(out.contains("city: 35 carriers"), "{out}");
}

#[test]
fn split_targets_adds_up() {
    let out = text(&example("split_targets"));
    assert!(out.contains("500114 黔江区: "), "{out}");
}

#[test]
fn choose_sites_chooses_some() {
    let out = text(&example("choose_sites"));
    assert!(out.contains(" sites chosen, cost "), "{out}");
}
