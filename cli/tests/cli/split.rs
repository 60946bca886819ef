//! `carrier-quota split`: shares, bounds, zones, and what cannot be met.

use crate::{cli, run, stderr, stdout, temp};

#[test]
fn split_prints_shares_and_writes_the_documented_json() {
    let path = temp("shares.json");
    let out = run(cli("split")
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
    let again = run(cli("split")
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
fn split_names_what_cannot_be_met() {
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
        let out = run(cli("split").args(["--target", "10"]).args(args));
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn split_over_two_zones_gives_the_district_plans_targets() {
    let path = temp("outer.json");
    let out = run(cli("split")
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
        .split_zone_targets(atlas, &carrier_quota::quota::Weighting::LandArea)
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

/// `(code, share)` of each row `split` writes.
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
