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
            .args(["--datum", "gcj02", "--json"])
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
    assert_eq!(v["schema_version"], 3);
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
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    // Given, the encoding is not noted as found.
    assert!(stderr(&out).contains("note: read as GB18030\n"));
}

/// A workbook laid out as offices lay them out (the library's `layouts`
/// tests write it): the rows set aside are a line on stderr and entries in
/// the JSON; the register's own total, which disagrees, heads the table
/// and the HTML report; every sheet is named.
#[test]
fn a_workbook_as_offices_lay_it_out_says_how_its_rows_were_read() {
    let out = run(cli("report")
        .args(["--carriers", &path("layout_merged.xlsx")])
        .args(["--format", "json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "note: 18 rows read: 10 carriers, 5 subtotal and total rows, 3 remarks; 0 rejected"
        ),
        "{err}"
    );
    assert!(err.contains("note: row 17 (合计) gives 46,100 m²"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &v["input"];
    assert_eq!(
        (input["carriers"].as_u64(), input["sums"].as_u64()),
        (Some(10), Some(5))
    );
    assert_eq!(input["remarks"], 3);
    assert_eq!(input["skipped_rows"].as_array().unwrap().len(), 8);
    assert_eq!(input["tables"][0]["records"], 10);

    let table = run(cli("report").args(["--carriers", &path("layout_merged.xlsx")]));
    let first: Vec<String> = crate::stdout(&table)
        .lines()
        .take(4)
        .map(String::from)
        .collect();
    assert!(
        first[3].starts_with("登记表合计不一致 the register's own total disagrees: row 17 (合计)"),
        "{first:?}"
    );
    let page = temp("layout-merged.html");
    let html = run(cli("report")
        .args(["--carriers", &path("layout_merged.xlsx"), "--out"])
        .arg(&page));
    assert!(html.status.success(), "{}", stderr(&html));
    let page = std::fs::read_to_string(&page).unwrap();
    let header = &page[..page.find("</header>").unwrap()];
    assert!(
        header.contains(r#"id="total-disagrees""#),
        "the total is on the first screen"
    );
    assert!(header.contains("18 rows read: 10 carriers"), "{header}");

    let sheets = run(cli("report").args(["--carriers", &path("layout_sheets.xlsx")]));
    let err = stderr(&sheets);
    for line in [
        "note: 12 rows read from 4 of 5 sheets: 11 carriers, 1 delisted without a date; 0 rejected",
        "note: sheets read: sheet 孵化器 (5 records), sheet 2023年众创空间 (4 records), sheet 加速器名单 (1 record), sheet 已摘牌 (1 record)",
        "note: sheet 汇总 not read: its name says it is a summary",
    ] {
        assert!(err.lines().any(|l| l.starts_with(line)), "{line}\n{err}");
    }
    let only = run(cli("report")
        .args(["--carriers", &path("layout_sheets.xlsx")])
        .args([
            "--sheet",
            "孵化器",
            "--sheet",
            "加速器名单",
            "--format",
            "json",
        ]));
    let v: Value = serde_json::from_slice(&only.stdout).unwrap();
    assert_eq!(v["input"]["carriers"], 6, "{}", stderr(&only));
}

/// `--headers` leaves a column unread with "ignore".
#[test]
fn a_header_map_ignores_a_column() {
    let map = temp("ignore.toml");
    std::fs::write(&map, "\"载体类别\" = \"ignore\"\n").unwrap();
    let out = run(cli("report")
        .args([
            "--carriers",
            &path("layout_categories.csv"),
            "--format",
            "json",
            "--headers",
        ])
        .arg(&map));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ignored = &v["input"]["tables"][0]["ignored"];
    assert_eq!(ignored, &serde_json::json!(["载体类别", "备注"]));
    std::fs::write(&map, "\"载体类别\" = \"kinds\"\n").unwrap();
    let out = run(cli("report")
        .args(["--carriers", &path("layout_categories.csv"), "--headers"])
        .arg(&map));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"载体类别\" = \"kinds\": not a property"),
        "{}",
        stderr(&out)
    );
}

/// A register kept as one file per district: given file by file, as a
/// folder, or by a sources file that names one file's datum, it reads as
/// the plain register, each file named.
#[test]
fn several_files_read_as_one_register() {
    let plain =
        run(cli("report").args(["--carriers", &path("layout_plain.csv"), "--format", "json"]));
    let plain: Value = serde_json::from_slice(&plain.stdout).unwrap();
    let dir = path("districts");
    let runs = [
        vec!["--sources".to_string(), format!("{dir}/sources.toml")],
        vec![
            "--carriers".to_string(),
            dir.clone(),
            "--datum".into(),
            "bd09".into(),
        ],
    ];
    for args in runs {
        let out = run(cli("report").args(&args).args(["--format", "json"]));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["zones"], plain["zones"], "{args:?}");
        assert_eq!(v["input"]["carriers"], 10);
        let files: Vec<&str> = v["input"]["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["file"].as_str().unwrap())
            .collect();
        assert_eq!(files.len(), 4, "{files:?}");
        assert!(stderr(&out).contains("note: 15 rows read from 4 files: 10 carriers"));
    }
    let two = run(cli("assign")
        .arg(format!("{dir}/渝北区.xlsx"))
        .arg(format!("{dir}/江北区.csv")));
    assert!(two.status.success(), "{}", stderr(&two));
    assert!(crate::stdout(&two).contains("6 rows read in wgs84: 6 assigned"));
    // The BD-09 file without its datum: the error names the file.
    let out = run(cli("report").args(["--carriers", &dir]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("file tests/data/registers/districts/万州区.csv: "),
        "{}",
        stderr(&out)
    );
    let out = run(cli("report").args(["--carriers", &dir, "--carriers", "-"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("standard input (-) is read alone"));
}
