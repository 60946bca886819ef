//! `carrier-quota sample`: deterministic files in each format, read back
//! by the other subcommands.

use crate::{cli, run, stderr, stdout, temp};

#[test]
fn sample_carriers_read_back_the_same_in_every_format() {
    let mut tables = Vec::new();
    for name in ["s.geojson", "s.csv", "s.parquet"] {
        let path = temp(name);
        let out = run(cli("sample carriers")
            .args(["--count", "400", "--seed", "9", "--out"])
            .arg(&path));
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let assign = run(cli("assign").arg(&path).args(["--datum", "gcj02"]));
        assert!(assign.status.success(), "{name}: {}", stderr(&assign));
        // The tally, without the last lines that name the records read.
        let text = stdout(&assign);
        let tally = text.split("\n\n").next().unwrap().to_string();
        assert!(
            text.contains("400 assigned, 0 outside, 0 rejected"),
            "{name}: {text}"
        );
        tables.push(tally);
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[0], tables[2]);

    // On stdout, by --format; the same seed gives the same bytes.
    let a = run(cli("sample carriers").args(["--count", "50", "--format", "csv"]));
    let b = run(cli("sample carriers").args(["--count", "50", "--format", "csv"]));
    assert!(a.status.success() && a.stdout == b.stdout);
    assert!(stdout(&a).starts_with("id,name,kind,"));
}

#[test]
fn sample_candidates_and_regions_feed_sites_and_regions() {
    let candidates = temp("candidates.geojson");
    let out = run(cli("sample candidates")
        .args(["--count", "30", "--seed", "2026", "--out"])
        .arg(&candidates));
    assert!(out.status.success(), "{}", stderr(&out));
    let sites = run(cli("sites").arg(&candidates).args(["--format", "json"]));
    assert!(sites.status.success(), "{}", stderr(&sites));
    let json: serde_json::Value = serde_json::from_slice(&sites.stdout).unwrap();
    assert!(json["chosen"].is_array());

    let regions = run(cli("sample regions").args([
        "--columns",
        "4",
        "--rows",
        "3",
        "--border-vertices",
        "5",
    ]));
    assert!(regions.status.success(), "{}", stderr(&regions));
    let path = temp("regions.geojson");
    std::fs::write(&path, &regions.stdout).unwrap();
    let summary = run(cli("regions").arg(&path).args([
        "--code-property",
        "code",
        "--parent-prefix",
        "2",
        "--format",
        "json",
    ]));
    assert!(summary.status.success(), "{}", stderr(&summary));
    let json: serde_json::Value = serde_json::from_slice(&summary.stdout).unwrap();
    assert_eq!(json["regions"], 12 + 1, "one enclave");
    assert_eq!(json["issues"], serde_json::json!([]));
}

#[test]
fn a_share_outside_0_to_1_is_refused() {
    let out = run(cli("sample carriers").args(["--count", "5", "--footprints", "1.5"]));
    crate::assert_fails_with(&out, &["not a share from 0 to 1"]);
}

#[test]
fn the_bundled_samples_are_the_commands_output() {
    for (args, path) in [
        (
            "sample carriers --count 1670 --seed 2021 --footprints 0.1",
            "data/sample/carriers.geojson",
        ),
        (
            "sample candidates --count 120 --seed 2026",
            "data/sample/candidates.geojson",
        ),
    ] {
        let out = run(&mut cli(args));
        assert!(out.status.success(), "{}", stderr(&out));
        let stored = std::fs::read(crate::root().join(path)).unwrap();
        assert!(
            out.stdout == stored,
            "{path} is stale: run `cargo run --release -- {args} --out {path}`"
        );
    }
}
