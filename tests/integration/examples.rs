//! The examples are the command-line surface: run them as a user would.
//!
//! `cargo test` builds the examples before it runs this file; they sit in
//! `target/<profile>/examples/` beside the test binary's `deps/` folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn example(name: &str) -> Command {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let path: PathBuf = deps.parent().unwrap().join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo test`",
        path.display()
    );
    let mut command = Command::new(path);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the example runs")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

pub(crate) fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carrier-quota-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const SAMPLE: &str = "data/sample/carriers.geojson";

#[test]
fn assign_prints_a_table_of_the_sample() {
    let out = run(example("assign").arg(SAMPLE));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "渝中区",
        "Yuzhong",
        "main_urban",
        "主城都市区",
        "city",
        "1670 features read in gcj02",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(
        stderr(&out).is_empty(),
        "quiet when stderr is not a terminal"
    );
}

#[test]
fn assign_writes_the_documented_json() {
    let path = temp("assign.json");
    let out = run(example("assign").arg(SAMPLE).arg("--json").arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let assignments = json["assignments"].as_array().unwrap();
    assert_eq!(assignments.len(), 1670);
    assert_eq!(assignments[0]["index"], 0);
    assert!(assignments[0]["id"].is_string());
    assert!(assignments[0]["region"]
        .as_str()
        .unwrap()
        .starts_with("500"));
    let regions = json["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 38);
    let count: u64 = regions.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(count, 1670);
    for key in ["code", "name", "count", "floor_area_m2"] {
        assert!(regions[0].get(key).is_some(), "{key}");
    }
    assert_eq!(json["outside"], serde_json::json!([]));
    assert_eq!(json["swapped"], serde_json::json!([]));
    assert_eq!(json["rejected"], serde_json::json!([]));
    assert_eq!(json["city"]["count"], 1670);
}

#[test]
fn assign_reports_rejections_outside_and_datum() {
    let path = temp("mixed.geojson");
    std::fs::write(
        &path,
        r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "id": "jfb", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
           "properties": {"kind": "maker_space", "floor_area_m2": 800}},
          {"type": "Feature", "id": "bj", "geometry": {"type": "Point", "coordinates": [116.4, 39.9]},
           "properties": {"kind": "incubator", "floor_area_m2": 100}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.5, 29.5]},
           "properties": {"kind": "incubator", "floor_area_m2": "1200"}}
        ]}"#,
    )
    .unwrap();
    let missing = run(example("assign").arg(&path));
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("(pass --datum wgs84|gcj02|bd09)"),
        "{}",
        stderr(&missing)
    );

    let json = temp("mixed.json");
    let out = run(example("assign")
        .arg(&path)
        .args(["--datum", "wgs84", "--json"])
        .arg(&json));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["input_datum"], "wgs84");
    assert_eq!(v["atlas_datum"], "gcj02");
    assert_eq!(v["assignments"][0]["region"], "500103");
    assert_eq!(v["assignments"][1]["region"], serde_json::Value::Null);
    assert_eq!(v["outside"], serde_json::json!([{"index": 1, "id": "bj"}]));
    assert_eq!(v["rejected"][0]["index"], 2);
    assert_eq!(v["rejected"][0]["id"], serde_json::Value::Null);
    assert_eq!(
        v["rejected"][0]["reason"],
        "no id: give the feature an \"id\", or an \"id\" property"
    );

    let strict = run(example("assign")
        .arg(&path)
        .args(["--datum", "wgs84", "--strict"]));
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
    assert!(stdout(&strict).contains("rejected: feature 2: no id"));
    assert!(stderr(&strict).contains("1 of 3 features rejected (--strict)"));
    let clean = run(example("assign").arg(SAMPLE).arg("--strict"));
    assert!(clean.status.success(), "{}", stderr(&clean));
}

#[test]
fn assign_names_the_position_of_a_broken_file() {
    let path = temp("broken.geojson");
    std::fs::write(
        &path,
        "{\"type\": \"FeatureCollection\",\n \"features\": [,]}",
    )
    .unwrap();
    let out = run(example("assign").arg(&path).args(["--datum", "gcj02"]));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("invalid JSON at line 2, column 15"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn assign_uses_another_region_set_and_warns_of_gaps() {
    let regions = temp("regions.geojson");
    std::fs::write(
        &regions,
        r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"code": "W", "label": "west"}, "geometry": {"type": "Polygon",
           "coordinates": [[[100, 20], [106.5, 20], [106.5, 35], [100, 35], [100, 20]]]}},
          {"type": "Feature", "properties": {"code": "E", "label": "east"}, "geometry": {"type": "Polygon",
           "coordinates": [[[106.5, 20], [115, 20], [115, 35], [106.5, 35], [106.5, 20]],
                           [[108, 30], [108, 31], [109, 31], [109, 30], [108, 30]]]}}
        ]}"#,
    )
    .unwrap();
    let json = temp("regions-out.json");
    let out = run(example("assign")
        .arg(SAMPLE)
        .arg("--regions")
        .arg(&regions)
        .args([
            "--code-property",
            "code",
            "--name-property",
            "label",
            "--regions-datum",
            "gcj02",
            "--json",
        ])
        .arg(&json));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning:") && stderr(&out).contains("belongs to no region"),
        "{}",
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let regions = v["regions"].as_array().unwrap();
    assert_eq!(regions[0]["code"], "E");
    assert_eq!(regions[1]["name"], "west");
    let total = v["assignments"].as_array().unwrap().len();
    let counted: u64 = regions.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    let outside = v["outside"].as_array().unwrap().len() as u64;
    assert_eq!(counted + outside, total as u64);
}

#[test]
fn gen_carriers_is_deterministic_and_readable() {
    let a = temp("gen-a.geojson");
    let b = temp("gen-b.geojson");
    for path in [&a, &b] {
        let out = run(example("gen_carriers")
            .args(["--count", "500", "--seed", "4", "--out"])
            .arg(path));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let text = std::fs::read(&a).unwrap();
    assert_eq!(text, std::fs::read(&b).unwrap());
    assert!(String::from_utf8_lossy(&text[..80]).contains("\"datum\":\"gcj02\""));
    let out = run(example("assign").arg(Path::new(&a)));
    assert!(
        stdout(&out).contains("500 features read in gcj02: 500 assigned, 0 outside, 0 rejected")
    );
}

#[test]
fn assign_timings_name_every_phase_and_the_peak_memory() {
    let out = run(example("assign").arg(SAMPLE).arg("--timings"));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for phase in ["atlas", "parse", "place", "tally"] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("timing {phase} ")))
            .unwrap_or_else(|| panic!("no {phase} timing in\n{err}"));
        let seconds: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(seconds >= 0.0);
    }
    let peak = err
        .lines()
        .find(|l| l.starts_with("peak_memory_mb "))
        .expect("peak memory line");
    assert!(
        peak.split(' ').nth(1).unwrap().parse::<u64>().is_ok(),
        "{peak}"
    );
}

#[test]
fn assign_names_swapped_coordinates_and_fixes_them_when_asked() {
    let path = temp("swapped.geojson");
    std::fs::write(
        &path,
        r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
          {"type": "Feature", "id": "jfb", "geometry": {"type": "Point", "coordinates": [29.5575, 106.5775]},
           "properties": {"kind": "maker_space", "floor_area_m2": 800}}
        ]}"#,
    )
    .unwrap();
    let out = run(example("assign").arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("rejected: feature 0 (id \"jfb\"): coordinate [29.5575, 106.5775] lies outside the expected area"),
        "{}",
        stdout(&out)
    );
    let fixed = run(example("assign").arg(&path).arg("--fix-swapped"));
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    let text = stdout(&fixed);
    assert!(
        text.contains("1 features read in gcj02: 1 assigned, 0 outside, 0 rejected"),
        "{text}"
    );
    assert!(text.contains("swapped back: feature 0"), "{text}");
}

#[test]
fn apportion_prints_shares_and_writes_the_documented_json() {
    let path = temp("shares.json");
    let out = run(example("apportion")
        .args([
            "--target",
            "100",
            "--districts",
            "500103,江北区,500106",
            "--weights",
            "equal",
            "--min",
            "500106=40",
            "--cap",
            "500103=25",
            "--json",
        ])
        .arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("渝中区") && text.contains("total"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let rows = json.as_array().unwrap();
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["code", "name", "share", "weight"],
        "(in serde_json's key order)"
    );
    let shares = code_and_share(rows);
    // Equal weights, 25 at most for 500103, 40 at least for 500106.
    assert_eq!(
        shares,
        [
            ("500103".into(), 25),
            ("500105".into(), 35),
            ("500106".into(), 40)
        ]
    );

    // The JSON serves as a weight table in turn.
    let again = run(example("apportion")
        .args([
            "--target",
            "10",
            "--districts",
            "500103,500105,500106",
            "--weights",
        ])
        .arg(&path));
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn apportion_names_what_cannot_be_met() {
    for (args, expected) in [
        (
            [
                "--zone",
                "southeast",
                "--weights",
                "area",
                "--min",
                "500114=20",
            ]
            .as_slice(),
            "the minimums add up to 20, more than the target 10",
        ),
        (
            &["--zone", "nowhere", "--weights", "area"],
            "\"nowhere\" is not a zone",
        ),
        (
            &["--zone", "southeast", "--weights", "heavy"],
            "not area, floor_area, equal or an existing",
        ),
    ] {
        let out = run(example("apportion").args(["--target", "10"]).args(args));
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn quota_report_splits_zone_targets_by_district_and_maps_their_status() {
    let map = temp("split.svg");
    let out = run(example("quota_report")
        .args(["--split", "area", "--map"])
        .arg(&map));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("floor_area_main_urban by district"), "{text}");
    assert!(
        text.contains("floor_area_outer_clusters by district"),
        "{text}"
    );
    let svg = std::fs::read_to_string(&map).unwrap();
    assert!(
        svg.contains("district targets"),
        "the map says what it shades by"
    );
    // Each district is shaded by its target's status.
    let json = run(example("quota_report")
        .args(["--split", "area", "--format", "json", "--map"])
        .arg(&map));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for t in report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["part_of"].is_string())
    {
        let colour = match t["status"].as_str().unwrap() {
            "met" => "#1a9850",
            "on_track" => "#fee08b",
            "behind" => "#d73027",
            other => panic!("{other}"),
        };
        let code = t["district"].as_str().unwrap();
        assert!(
            svg.contains(&format!("id=\"d-{code}\" fill=\"{colour}\"")),
            "{code}"
        );
    }
}

#[test]
fn plan_sites_prints_the_choice_and_writes_the_documented_json() {
    let json = temp("selection.json");
    let map = temp("sites.svg");
    let out = run(example("plan_sites")
        .args([
            "data/sample/candidates.geojson",
            "--as-of",
            "2027-12-31",
            "--json",
        ])
        .arg(&json)
        .arg("--map")
        .arg(&map));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "floor_area_total",
        "chosen sites",
        "total cost",
        "lower bound",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    for key in [
        "chosen",
        "total_cost",
        "lower_bound",
        "exact",
        "residual_gaps",
    ] {
        assert!(v.get(key).is_some(), "no {key:?} in {v}");
    }
    let chosen = v["chosen"].as_array().unwrap();
    assert!(!chosen.is_empty() && chosen.iter().all(|c| c.as_str().unwrap().starts_with("s-")));
    assert!(v["lower_bound"].as_f64().unwrap() <= v["total_cost"].as_f64().unwrap());
    for r in v["residual_gaps"].as_array().unwrap() {
        assert!(
            r["target"].is_string() && r["amount"].as_f64().unwrap() > 0.0,
            "{r}"
        );
    }
    let svg = std::fs::read_to_string(&map).unwrap();
    let group = &svg[svg.find("<g id=\"sites\"").expect("a group of sites")..];
    let group = &group[..group.find("</g>").unwrap()];
    assert_eq!(
        group.matches("<rect").count(),
        chosen.len(),
        "one square per chosen site"
    );

    // A candidates file without a datum names the flag that gives one.
    let bare = temp("bare-candidates.geojson");
    std::fs::write(&bare, r#"{"type": "FeatureCollection", "features": []}"#).unwrap();
    let out = run(example("plan_sites").arg(&bare));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--candidates-datum"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn apportion_over_two_zones_gives_the_district_plans_targets() {
    let path = temp("outer.json");
    let out = run(example("apportion")
        .args([
            "--target",
            "350000",
            "--zone",
            "northeast,southeast",
            "--weights",
            "area",
            "--json",
        ])
        .arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let rows = &rows;
    let atlas = carrier_quota::Atlas::chongqing();
    let plan = carrier_quota::QuotaPlan::chongqing_2021_2025()
        .split_zone_targets(atlas, &carrier_quota::apportion::Weighting::LandArea)
        .unwrap();
    let parts: Vec<(String, u64)> = plan
        .targets
        .iter()
        .filter(|t| t.part_of.as_deref() == Some("floor_area_outer_clusters"))
        .map(|t| (t.scope.districts[0].clone(), t.minimum as u64))
        .collect();
    let shares = code_and_share(rows);
    assert_eq!(shares, parts);
}

/// `(code, share)` of each row the apportion example writes.
fn code_and_share(rows: &[serde_json::Value]) -> Vec<(String, u64)> {
    rows.iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["share"].as_u64().unwrap(),
            )
        })
        .collect()
}

const REGISTRY: &str = "data/sample/registry.csv";

#[test]
fn assign_reads_the_sample_register_and_lists_its_mismatches() {
    let out = run(example("assign").arg(REGISTRY).args(["--datum", "gcj02"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "38 rows read in gcj02: 35 assigned (8 by their declared district), 0 outside, 3 rejected",
        "rejected: row 38 (id \"CQ-036\"): unknown district \"渝北新区\"",
        "3 mismatches: the location lies outside the district the record names",
        "mismatch: row 35 (id \"CQ-033\"): names 长寿区 (500115), lies in 黔江区 (500114)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Its coordinates need a datum.
    let out = run(example("assign").arg(REGISTRY));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("(pass --datum wgs84|gcj02|bd09)"),
        "{}",
        stderr(&out)
    );

    let path = temp("registry.json");
    let out = run(example("assign")
        .arg(REGISTRY)
        .args(["--datum", "gcj02", "--json"])
        .arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let assignments = json["assignments"].as_array().unwrap();
    let by = |placed_by: &str| {
        assignments
            .iter()
            .filter(|a| a["placed_by"] == placed_by)
            .count()
    };
    assert_eq!((by("point"), by("declared")), (27, 8));
    let declared = assignments.iter().find(|a| a["id"] == "CQ-027").unwrap();
    assert_eq!(declared["region"], "500229");
    assert_eq!(declared["row"], 29);
    let mismatches = json["mismatches"].as_array().unwrap();
    assert_eq!(mismatches.len(), 3);
    assert_eq!(
        mismatches[0],
        serde_json::json!({"index": 32, "row": 35, "id": "CQ-033",
                           "declared": "500115", "located": "500114"})
    );
    assert_eq!(json["rejected"][1]["row"], 38);
    assert_eq!(json["rejected"][1]["code"], "unknown_district");
}

#[test]
fn quota_report_writes_the_history_and_its_chart() {
    let chart = temp("progress.svg");
    let out = run(example("quota_report")
        .args([
            "--history",
            "--format",
            "json",
            "--as-of",
            "2024-06-30",
            "--chart",
        ])
        .arg(&chart)
        .arg("--map")
        .arg(temp("history-map.svg")));
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let dates: Vec<&str> = json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2021-12-31", "2022-12-31", "2023-12-31", "2024-06-30"]
    );
    let first = &json["history"][0]["targets"][0];
    assert_eq!(first["id"], "floor_area_total");
    for key in ["actual", "expected", "required", "status"] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    // The last date is the report of that date.
    let report = run(example("quota_report")
        .args(["--format", "json", "--as-of", "2024-06-30", "--map"])
        .arg(temp("report-map.svg")));
    let report: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    for (standing, result) in json["history"][3]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .zip(report["targets"].as_array().unwrap())
    {
        assert_eq!(standing["actual"], result["actual"]);
        assert_eq!(standing["status"], result["status"]);
    }
    // One panel per target, its name in it; well-formed SVG.
    let svg = std::fs::read_to_string(&chart).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let panels = doc
        .descendants()
        .filter(|n| n.attribute("fill") == Some("#fafafa"))
        .count();
    assert_eq!(panels, 10);
    assert!(svg.contains("孵化载体总面积") && svg.contains("Total carrier floor area"));

    let out = run(example("quota_report")
        .args(["--history", "--format", "csv", "--map"])
        .arg(temp("csv-map.svg")));
    let csv = stdout(&out);
    assert!(csv.starts_with("date,id,actual,expected,required,status\n"));
    assert_eq!(csv.lines().count(), 1 + 5 * 10);
    let out = run(example("quota_report")
        .args(["--history", "--map"])
        .arg(temp("table-map.svg")));
    let table = stdout(&out);
    assert!(
        table.contains("2025-12-31") && table.contains("✓ met"),
        "{table}"
    );
}
