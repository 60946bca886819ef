//! `carrier-quota regions`: a region set's summary equals what the library
//! reads; an invalid polygon and a missing code property are errors.

use carrier_quota::atlas::{read_regions, CoverageIssue, RegionOptions};
use carrier_quota::Datum;

use crate::{assert_fails_with, cli, root, run, stderr, stdout, temp};

const DISTRICTS: &str = "data/chongqing/districts.geojson";

#[test]
fn the_summary_is_the_librarys_reading() {
    let out = run(cli("regions").arg(DISTRICTS).args([
        "--code-property",
        "adcode",
        "--name-property",
        "name",
        "--parent-property",
        "zone",
        "--datum",
        "gcj02",
        "--format",
        "json",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let mut options = RegionOptions::new("adcode").parent_property("zone");
    options.name_property = Some("name".into());
    options.datum = Some(Datum::Gcj02);
    let file = std::fs::File::open(root().join(DISTRICTS)).unwrap();
    let (atlas, issues) = read_regions(file, &options).unwrap();
    assert_eq!(json["regions"], atlas.districts().len());
    assert_eq!(json["regions"], 38);
    assert_eq!(json["zones"], atlas.zones().len());
    assert_eq!(json["datum"], "gcj02");
    let gaps = issues
        .iter()
        .filter(|i| matches!(i, CoverageIssue::Gap { .. }))
        .count();
    assert_eq!(json["gaps"], gaps);
    assert_eq!(json["overlaps"], issues.len() - gaps);
    assert_eq!(json["issues"], serde_json::to_value(&issues).unwrap());
    let vertices: usize = (atlas.districts().iter())
        .flat_map(|d| &d.shape.0)
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    assert_eq!(json["vertices"], vertices);
    assert!(json["seconds"].as_f64().unwrap() > 0.0);

    let table =
        run(cli("regions")
            .arg(DISTRICTS)
            .args(["--code-property", "adcode", "--datum", "gcj02"]));
    let text = stdout(&table);
    assert!(text.contains("regions") && text.contains("38"), "{text}");
    for issue in &issues {
        assert!(text.contains(&issue.to_string()), "{issue} in {text}");
    }
}

#[test]
fn gaps_and_overlaps_fail_only_with_strict() {
    let path = region_file(
        "overlapping.geojson",
        &[
            ("A", "[100, 20], [102, 20], [102, 22], [100, 22], [100, 20]"),
            ("B", "[101, 20], [103, 20], [103, 22], [101, 22], [101, 20]"),
        ],
    );
    let out = run(cli("regions").arg(&path).args(["--code-property", "code"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("overlap"), "{}", stdout(&out));
    let strict = run(cli("regions")
        .arg(&path)
        .args(["--code-property", "code", "--strict"]));
    assert_eq!(strict.status.code(), Some(2));
}

#[test]
fn an_invalid_polygon_is_named_with_its_feature_and_code() {
    let path = region_file(
        "bowtie.geojson",
        &[
            ("A", "[100, 20], [102, 20], [102, 22], [100, 22], [100, 20]"),
            ("X", "[110, 20], [112, 22], [112, 20], [110, 22], [110, 20]"),
        ],
    );
    let out = run(cli("regions").arg(&path).args(["--code-property", "code"]));
    assert_fails_with(&out, &["bowtie.geojson", "region feature 1 (code \"X\")"]);

    let out = run(cli("regions").arg(&path));
    assert_fails_with(&out, &["--code-property"]);
    let out = run(cli("regions")
        .arg(&path)
        .args(["--code-property", "code", "--datum", "bd09"]));
    assert_fails_with(&out, &["declares datum wgs84 but bd09 was given"]);
}

/// A WGS-84 region file of one-ring polygons: (code, the ring's points).
fn region_file(name: &str, regions: &[(&str, &str)]) -> std::path::PathBuf {
    let features: Vec<String> = (regions.iter())
        .map(|(code, ring)| {
            format!(
                r#"{{"type": "Feature", "properties": {{"code": "{code}"}},
                    "geometry": {{"type": "Polygon", "coordinates": [[{ring}]]}}}}"#
            )
        })
        .collect();
    let path = temp(name);
    let text = format!(
        r#"{{"type": "FeatureCollection", "datum": "wgs84", "features": [{}]}}"#,
        features.join(",\n")
    );
    std::fs::write(&path, text).unwrap();
    path
}
