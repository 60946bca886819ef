//! The register kept five ways (`tests/data/registers/`, written by the
//! library's `bureau` tests): every reading decision a total depends on is
//! a line on stderr and an entry in the JSON, and every form gives the same
//! zone totals.

use serde_json::Value;

use crate::{cli, run, stderr, temp};

const FORMS: [&str; 5] = [
    "register_gbk.csv",
    "register_utf8.csv",
    "register_utf16.txt",
    "register_wan.xlsx",
    "register_qgis.geojson",
];

fn path(name: &str) -> String {
    format!("tests/data/registers/{name}")
}

/// What every form's read decides that a total depends on, as the line on
/// stderr begins, and the JSON entry that must say the same.
fn decisions(form: &str) -> Vec<(&'static str, &'static str)> {
    let mut decisions = vec![
        // Names that are not today's: (line, the name as written).
        ("note: 开县 (开州区 500154", "开县"),
        ("note: 双桥区 (大足区 500111", "双桥区"),
        ("note: 璧山县 (璧山区 500120", "璧山县"),
        ("note: 江津市 (江津区 500116", "江津市"),
        ("note: 梁平县 (梁平区 500155", "梁平县"),
        ("note: 两江新区 (a managed area", "两江新区"),
        (
            "note: 西部（重庆）科学城 (a managed area",
            "西部（重庆）科学城",
        ),
        ("note: 重庆高新区 (a managed area", "重庆高新区"),
        ("note: 万盛经开区 (a managed area in 綦江区", "万盛经开区"),
        ("note: 渝中半岛 (no district known", "渝中半岛"),
        // The read's own notes: (line, the note's kind).
        (
            "note: overlay \"两江新区\" read as liangjiang_new_area",
            "overlay_name",
        ),
        ("note: 2 cells of column \"在孵企业（家）\"", "cell_units"),
    ];
    match form {
        "register_wan.xlsx" => decisions.push((
            "note: column \"建筑面积（万平方米）\" is in 万平方米",
            "column_unit",
        )),
        _ => decisions.push((
            "note: 2 cells of column \"建筑面积（平方米）\"",
            "cell_units",
        )),
    }
    match form {
        "register_gbk.csv" => decisions.push(("note: read as GB18030", "encoding")),
        "register_utf16.txt" => decisions.push(("note: read as UTF-16", "encoding")),
        _ => {}
    }
    decisions
}

#[test]
fn every_decision_is_a_line_on_stderr_and_an_entry_in_the_json() {
    let mut totals: Vec<Value> = Vec::new();
    for form in FORMS {
        let json = temp(&format!("{form}.json"));
        let out = run(cli("assign")
            .arg(path(form))
            .args(["--datum", "gcj02", "--quiet", "--json"])
            .arg(&json));
        assert!(out.status.success(), "{form}: {}", stderr(&out));
        let err = stderr(&out);
        let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let input = &v["input"];
        let names: Vec<&str> = input["declared_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["written"].as_str().unwrap())
            .collect();
        let notes: Vec<&str> = input["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["note"].as_str().unwrap())
            .collect();
        let decisions = decisions(form);
        for (line, entry) in &decisions {
            assert!(
                err.lines().any(|l| l.starts_with(line)),
                "{form}: no line {line:?} on stderr:\n{err}"
            );
            assert!(
                names.contains(entry) || notes.contains(entry),
                "{form}: no entry {entry:?} in the JSON: {input}"
            );
        }
        // Nothing else is noted: a line for each decision, no more.
        let lines = err.lines().filter(|l| l.starts_with("note: ")).count();
        assert_eq!(lines, decisions.len(), "{form}:\n{err}");
        assert_eq!(input["rejected"], 0, "{form}");
        assert_eq!(input["placed_by_managed_area"], 2, "{form}");
        totals.push(v["zones"].clone());
    }
    // The same zone totals from every form.
    assert!(totals.iter().all(|t| *t == totals[0]), "{totals:?}");
    let floor = |zone: usize| totals[0][zone]["floor_area_m2"].as_f64().unwrap();
    assert_eq!(
        (floor(0), floor(1), floor(2)),
        (106_300.0, 1_884.0, 17_100.0)
    );
}

#[test]
fn the_report_of_a_register_says_what_its_dual_core_rests_on() {
    let out = run(cli("report")
        .args(["--carriers", &path("register_gbk.csv")])
        .args(["--datum", "gcj02", "--format", "json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let target = |id: &str| {
        v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()
            .clone()
    };
    let dual_core = target("floor_area_dual_core");
    assert_eq!(dual_core["status"], "behind");
    assert_eq!(dual_core["actual"], 73_500.0);
    // The rows of 璧山县, 江津市 and 九龙坡区, in districts the dual core
    // reaches, say nothing of it.
    assert!(
        dual_core["note"]
            .as_str()
            .unwrap()
            .starts_with("3 carriers in the districts the overlays reach"),
        "{dual_core}"
    );
    assert_eq!(v["input"]["declared_names"].as_array().unwrap().len(), 10);
    assert_eq!(v["schema_version"], 2);
}

#[test]
fn an_encoding_can_be_given() {
    let out = run(cli("assign").arg(path("register_gbk.csv")).args([
        "--datum",
        "gcj02",
        "--encoding",
        "utf-8",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    // The title line is the first that is not UTF-8.
    assert!(err.contains("at row 1: column 1: the bytes"), "{err}");
    assert!(err.contains("are not UTF-8"), "{err}");
    let out = run(cli("assign").arg(path("register_gbk.csv")).args([
        "--datum",
        "gcj02",
        "--encoding",
        "gbk",
        "--quiet",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    // Given, the encoding is not noted as found.
    assert!(stderr(&out).contains("note: read as GB18030\n"));
}
