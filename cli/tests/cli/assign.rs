//! `carrier-quota assign`: tables and JSON, rejections, region sets,
//! timings, registers, and synthetic carriers read back.

use crate::{cli, run, stderr, stdout, temp, REGISTRY, SAMPLE};

#[test]
fn assign_prints_a_table_of_the_sample() {
    let out = run(cli("assign").arg(SAMPLE));
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
    let out = run(cli("assign").arg(SAMPLE).arg("--json").arg(&path));
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
    let missing = run(cli("assign").arg(&path));
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("(pass --datum wgs84|gcj02|bd09)"),
        "{}",
        stderr(&missing)
    );

    let json = temp("mixed.json");
    let out = run(cli("assign")
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
    // A feature without an id is named by its position.
    assert_eq!(v["rejected"][0]["id"], serde_json::Value::Null);
    assert_eq!(
        v["rejected"][0]["reason"],
        "floor_area_m2 must be a number, found \"1200\" (write it as a JSON number, without \
         quotes: 1200)"
    );

    let strict = run(cli("assign")
        .arg(&path)
        .args(["--datum", "wgs84", "--strict"]));
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
    assert!(stdout(&strict).contains("rejected: feature 2: floor_area_m2"));
    assert!(stderr(&strict).contains("1 of 3 records rejected (--strict)"));
    let clean = run(cli("assign").arg(SAMPLE).arg("--strict"));
    assert!(clean.status.success(), "{}", stderr(&clean));
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
    let out = run(cli("assign")
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
fn assign_timings_name_every_phase_and_the_peak_memory() {
    let out = run(cli("assign").arg(SAMPLE).arg("--timings"));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for phase in ["atlas", "read", "place", "tally", "write"] {
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
    let out = run(cli("assign").arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("rejected: feature 0 (id \"jfb\"): coordinate [29.5575, 106.5775] lies outside the expected area"),
        "{}",
        stdout(&out)
    );
    let fixed = run(cli("assign").arg(&path).arg("--fix-swapped"));
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    let text = stdout(&fixed);
    assert!(
        text.contains("1 features read in gcj02: 1 assigned, 0 outside, 0 rejected"),
        "{text}"
    );
    assert!(text.contains("swapped back: feature 0"), "{text}");
}

#[test]
fn assign_reads_the_sample_register_and_lists_its_mismatches() {
    let out = run(cli("assign").arg(REGISTRY).args(["--datum", "gcj02"]));
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
    let out = run(cli("assign").arg(REGISTRY));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("(pass --datum wgs84|gcj02|bd09)"),
        "{}",
        stderr(&out)
    );

    let path = temp("registry.json");
    let out = run(cli("assign")
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
        serde_json::json!({"index": 32, "row": 35, "id": "CQ-033", "declared": "长寿区",
                           "names": {"kind": "district", "code": "500115"},
                           "located": "500114"})
    );
    assert_eq!(json["rejected"][1]["row"], 38);
    assert_eq!(json["rejected"][1]["code"], "unknown_district");
}

#[test]
fn sample_carriers_are_deterministic_and_readable() {
    let a = temp("gen-a.geojson");
    let b = temp("gen-b.geojson");
    for path in [&a, &b] {
        let out = run(cli("sample carriers")
            .args(["--count", "500", "--seed", "4", "--out"])
            .arg(path));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let text = std::fs::read(&a).unwrap();
    assert_eq!(text, std::fs::read(&b).unwrap());
    assert!(String::from_utf8_lossy(&text[..80]).contains("\"datum\":\"gcj02\""));
    let out = run(cli("assign").arg(&a));
    assert!(
        stdout(&out).contains("500 features read in gcj02: 500 assigned, 0 outside, 0 rejected")
    );
}

#[test]
fn assign_writes_the_placed_carriers_in_each_format() {
    let json = run(cli("assign")
        .arg(REGISTRY)
        .args(["--datum", "gcj02", "--format", "json"]));
    assert!(json.status.success(), "{}", stderr(&json));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let regions: Vec<&serde_json::Value> = (json["assignments"].as_array().unwrap().iter())
        .map(|a| &a["region"])
        .collect();
    assert_eq!(regions.len(), 35);

    let written = |name: &str| {
        let path = temp(name);
        let out = run(cli("assign")
            .arg(REGISTRY)
            .args(["--datum", "gcj02", "--quiet", "--out"])
            .arg(&path));
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{name}: {}", stderr(&out));
        path
    };
    let geojson = written("placed.geojson");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&geojson).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), regions.len());
    for (feature, region) in features.iter().zip(&regions) {
        assert_eq!(&&feature["properties"]["placed_district"], region);
        let by = if feature["geometry"].is_null() {
            "declared"
        } else {
            "point"
        };
        assert_eq!(feature["properties"]["placed_by"], by);
    }

    let csv = std::fs::read_to_string(written("placed.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "placed_district").unwrap();
    let cells: Vec<&str> = (csv.lines().skip(1))
        .map(|line| line.split(',').nth(column).unwrap())
        .collect();
    let codes: Vec<&str> = regions.iter().map(|r| r.as_str().unwrap()).collect();
    assert_eq!(cells, codes);

    // Each file reads back as the same carriers.
    let reread = |path: &std::path::Path| {
        let datum = "--datum gcj02";
        let out = run(cli("assign").arg(path).args(datum.split(' ')));
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).split("\n\n").next().unwrap().to_string()
    };
    let parquet = written("placed.parquet");
    assert_eq!(reread(&geojson), reread(&parquet));
    assert_eq!(reread(&geojson), reread(&temp("placed.csv")));

    let out = run(cli("assign")
        .arg(REGISTRY)
        .args(["--datum", "gcj02", "--out", "placed.txt"]));
    crate::assert_fails_with(
        &out,
        &["placed.txt", "*.parquet, *.geojson, *.csv or *.xlsx"],
    );
}

#[test]
fn assign_streams_a_parquet_file_to_the_same_tally() {
    let path = temp("stream.parquet");
    let made = run(cli("sample carriers")
        .args(["--count", "3000", "--seed", "11", "--out"])
        .arg(&path));
    assert!(made.status.success(), "{}", stderr(&made));
    let whole = run(cli("assign").arg(&path));
    let streamed = run(cli("assign").arg(&path).arg("--stream"));
    assert!(streamed.status.success(), "{}", stderr(&streamed));
    // The tally's rows, down to the one of carriers outside every district.
    let tally = |out: &std::process::Output| {
        let text = stdout(out);
        let end = text.find("\noutside").unwrap();
        let line_end = end + 1 + text[end + 1..].find('\n').unwrap();
        text[..line_end].to_string()
    };
    assert_eq!(tally(&streamed), tally(&whole));

    let out = run(cli("assign").arg(crate::SAMPLE).arg("--stream"));
    crate::assert_fails_with(&out, &["--stream reads Parquet files"]);
}
