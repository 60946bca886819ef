//! `carrier-quota sites`: the choice, its JSON and its map.

use crate::{cli, run, stderr, stdout, temp};

#[test]
fn sites_prints_the_choice_and_writes_the_documented_json() {
    let json = temp("selection.json");
    let map = temp("sites.svg");
    let out = run(cli("sites")
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
    let out = run(cli("sites").arg(&bare));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--candidates-datum"),
        "{}",
        stderr(&out)
    );
}
