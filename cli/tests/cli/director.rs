//! Figures a director can trust: on a register with managed-area rows, a
//! carrier not yet open and one closed (`tests/data/registers/director_2025.csv`),
//! every output gives the same count and its district rows add up to the
//! city; a computed target is marked as such everywhere; official district
//! targets replace it; the districts rank and two registers compare with
//! the numbers worked out by hand below.

use std::path::Path;

use crate::outputs::{number, sheet, text};
use crate::{assert_fails_with, cli, run, stderr, stdout, temp};

const REGISTER: &str = "tests/data/registers/director_2025.csv";
const EARLIER: &str = "tests/data/registers/director_2024.csv";
const TARGETS: &str = "tests/data/registers/district_targets.csv";

/// The register's figures on 2025-12-31, by hand: 15 rows; row 16 opens
/// in 2026-01 and row 10 closed in 2024-06, so 13 count, 732,000 m² of
/// them, 75,000 m² in 两江新区 without a district.
const COUNTED: u64 = 13;
const CITY_M2: f64 = 732_000.0;
const LIANGJIANG_M2: f64 = 75_000.0;

fn report(flags: &[&str]) -> std::process::Output {
    let out = run(cli("report").args(["--carriers", REGISTER]).args(flags));
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

fn json(flags: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend(flags);
    serde_json::from_slice(&report(&all).stdout).unwrap()
}

/// A Word document's body, as XML.
fn document_xml(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml
}

/// The text of every cell of every table of a Word document, row by row.
fn docx_tables(path: &Path) -> Vec<Vec<Vec<String>>> {
    let xml = document_xml(path);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let named = |n: &roxmltree::Node, name: &str| n.tag_name().name() == name;
    let text_of = |n: roxmltree::Node| -> String {
        n.descendants()
            .filter(|d| named(d, "t"))
            .filter_map(|d| d.text())
            .collect()
    };
    doc.descendants()
        .filter(|n| named(n, "tbl"))
        .map(|table| {
            table
                .children()
                .filter(|r| named(r, "tr"))
                .map(|row| {
                    row.children()
                        .filter(|c| named(c, "tc"))
                        .map(text_of)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Every paragraph's text of a Word document.
fn docx_text(path: &Path) -> String {
    let xml = document_xml(path);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .map(|p| {
            p.descendants()
                .filter(|d| d.tag_name().name() == "t")
                .filter_map(|d| d.text())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn figure(text: &str) -> f64 {
    text.trim_end_matches(['*', '†'])
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{text:?} is not a figure"))
}

#[test]
fn every_output_counts_the_same_records_and_names_those_it_leaves_out() {
    let v = json(&[]);
    let counted = &v["counted"];
    assert_eq!(counted["read"], 15);
    assert_eq!(counted["counted"], COUNTED);
    assert_eq!(counted["not_yet_open"][0]["row"], 16);
    assert_eq!(counted["not_yet_open"][0]["date"], "2026-01");
    assert_eq!(counted["closed"][0]["row"], 10);
    let line = "15 records read: 13 counted on 2025-12-31; 1 not yet open, 1 closed";

    let table = stdout(&report(&[]));
    assert!(table.contains(line), "{table}");
    assert!(
        table.contains("not yet open: row 16 (15 解放碑青创众创空间), 2026-01"),
        "{table}"
    );
    assert!(
        table.contains("closed: row 10 (9 谢家湾创意众创空间), 2024-06"),
        "{table}"
    );

    let html = String::from_utf8(report(&["--format", "html"]).stdout).unwrap();
    assert!(
        html.contains("计入 counted <b>13</b>"),
        "the HTML header's count"
    );
    assert!(html.contains(r#"<li class="left-out">not yet open: row 16"#));
    let map = String::from_utf8(report(&["--format", "svg"]).stdout).unwrap();
    assert!(map.contains("13 carriers counted on 2025-12-31 · 1 not yet open · 1 closed"));

    let assign = run(cli("assign").args([REGISTER, "--as-of", "2025-12-31"]));
    assert!(stdout(&assign).contains(line), "{}", stdout(&assign));
    let all = run(cli("assign").arg(REGISTER));
    assert!(
        stdout(&all).contains("15 counted (every placed record, whatever its dates)"),
        "assign without --as-of says it counts every record: {}",
        stdout(&all)
    );

    let xlsx = temp("director.xlsx");
    report(&["--out", xlsx.to_str().unwrap()]);
    let notes = sheet(&xlsx, "说明 notes");
    assert!(notes.iter().any(|r| text(&r[0]).starts_with(line)));

    let docx = temp("director.docx");
    report(&["--out", docx.to_str().unwrap()]);
    assert!(docx_text(&docx).contains(line));
}

#[test]
fn the_district_rows_of_every_output_add_up_to_the_city() {
    // The terminal's district table, from assign.
    let assign = stdout(&run(cli("assign").args([
        REGISTER,
        "--as-of",
        "2025-12-31",
    ])));
    let floor = |line: &str| figure(line.split_whitespace().nth_back(2).unwrap());
    let rows: f64 = (assign.lines())
        .filter(|l| l.starts_with("500") || l.starts_with("area"))
        .map(floor)
        .sum();
    let city = floor(assign.lines().find(|l| l.starts_with("city")).unwrap());
    assert_eq!((rows, city), (CITY_M2, CITY_M2), "{assign}");
    assert!(assign.contains("两江新区（不分区县）"), "{assign}");

    // The CSV tally, from assign.
    let csv = stdout(&run(cli("assign").args([
        REGISTER,
        "--as-of",
        "2025-12-31",
        "--format",
        "csv",
    ])));
    let cell = |line: &str, i: usize| -> String {
        // The English names may hold a comma, quoted: count from the end.
        let cells: Vec<&str> = line.rsplitn(5, ',').collect();
        cells[4 - i].to_string()
    };
    let rows: f64 = (csv.lines())
        .filter(|l| l.starts_with("district,") || l.starts_with("area,"))
        .map(|l| figure(&cell(l, 2)))
        .sum();
    let city = figure(&cell(
        csv.lines().find(|l| l.starts_with("city,")).unwrap(),
        2,
    ));
    assert_eq!((rows, city), (CITY_M2, CITY_M2), "{csv}");

    // The HTML report's table of districts.
    let html = String::from_utf8(report(&["--format", "html"]).stdout).unwrap();
    let section = &html[html.find(r#"<section id="districts">"#).unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    let cells = |row: &str| -> Vec<f64> {
        row.split(r#"<td class="n">"#)
            .skip(1)
            .map(|c| figure(&c[..c.find('<').unwrap()]))
            .collect()
    };
    let rows: Vec<&str> = section.split("<tr ").skip(1).collect();
    let sum: f64 = (rows.iter())
        .filter(|r| r.starts_with(r#"class="district""#) || r.starts_with(r#"class="area""#))
        .map(|r| cells(r)[1])
        .sum();
    let city = cells(
        rows.iter()
            .find(|r| r.starts_with(r#"class="city""#))
            .unwrap(),
    )[1];
    assert_eq!((sum, city), (CITY_M2, CITY_M2));
    assert!(section.contains("两江新区（不分区县）"));

    // The workbook's sheet of districts: no blank cell, rows add up.
    let xlsx = temp("director-sums.xlsx");
    report(&["--out", xlsx.to_str().unwrap()]);
    let districts = sheet(&xlsx, "区县 districts");
    assert!(
        districts
            .iter()
            .all(|r| r.iter().all(|c| !text(c).is_empty())),
        "a blank cell in the districts sheet"
    );
    let (city, body): (Vec<_>, Vec<_>) = districts[1..].iter().partition(|r| text(&r[0]) == "city");
    let sum: f64 = body.iter().map(|r| number(&r[5]).unwrap()).sum();
    assert_eq!((sum, number(&city[0][5]).unwrap()), (CITY_M2, CITY_M2));
    let area = body
        .iter()
        .find(|r| text(&r[1]) == "两江新区（不分区县）")
        .unwrap();
    assert_eq!(
        (text(&area[3]), number(&area[5])),
        ("主城都市区".into(), Some(LIANGJIANG_M2))
    );

    // The Word report's table of districts.
    let docx = temp("director-sums.docx");
    report(&["--out", docx.to_str().unwrap()]);
    let tables = docx_tables(&docx);
    let districts = tables.iter().find(|t| t[0][0] == "代码 code").unwrap();
    let sum: f64 = (districts.iter())
        .filter(|r| r[0].starts_with("500") || r[0] == "area")
        .map(|r| figure(&r[4]))
        .sum();
    let city = districts.iter().find(|r| r[0] == "city").unwrap();
    assert_eq!((sum, figure(&city[4])), (CITY_M2, CITY_M2));

    // The JSON's city is the same.
    let v = json(&[]);
    let total = &v["targets"][0];
    assert_eq!(total["actual"].as_f64(), Some(CITY_M2));
}

#[test]
fn a_computed_share_is_marked_in_every_output_and_a_table_of_targets_replaces_it() {
    let split = ["--split", "area"];
    let v = json(&split);
    let parts: Vec<_> = (v["targets"].as_array().unwrap().iter())
        .filter(|t| t["part_of"].is_string())
        .collect();
    assert_eq!(parts.len(), 38);
    assert!(parts.iter().all(|t| t["source"]["split"] == "land_area"));
    assert_eq!(v["targets"][0]["source"], "plan");

    let table = stdout(&report(&split));
    assert!(
        table.contains("503,493*"),
        "渝北区's share, marked: {table}"
    );
    assert!(table.contains("* 测算值") && table.contains("not a target assigned to it"));
    let district = stdout(&report(&["--split", "area", "--district", "渝北区"]));
    assert!(district.contains("并非下达给渝北区的指标"), "{district}");

    let csv = stdout(&report(&["--split", "area", "--format", "csv"]));
    let computed = csv
        .lines()
        .filter(|l| l.ends_with("computed: split by land area"));
    assert_eq!(computed.count(), 38, "{csv}");

    let html = String::from_utf8(report(&["--split", "area", "--format", "html"]).stdout).unwrap();
    assert!(html.contains(r#"<td class="n">503,493*</td>"#) || html.contains("503,493*"));
    let page = String::from_utf8(
        report(&[
            "--split",
            "area",
            "--district",
            "渝北区",
            "--format",
            "html",
        ])
        .stdout,
    )
    .unwrap();
    assert!(page.contains(r#"id="computed-targets""#));
    assert!(page.contains(r#"data-source="split""#));

    let xlsx = temp("director-split.xlsx");
    report(&["--split", "area", "--out", xlsx.to_str().unwrap()]);
    let targets = sheet(&xlsx, "目标 targets");
    let source = targets[0]
        .iter()
        .position(|c| text(c).starts_with("来源"))
        .unwrap();
    let marked = targets[1..]
        .iter()
        .filter(|r| text(&r[source]).contains("测算"));
    assert_eq!(marked.count(), 38);

    let docx = temp("director-split.docx");
    report(&["--split", "area", "--out", docx.to_str().unwrap()]);
    let tables = docx_tables(&docx);
    let parts = tables
        .iter()
        .find(|t| t.iter().any(|r| r[0].contains("/500112")))
        .unwrap();
    let yubei = parts.iter().find(|r| r[0].contains("/500112")).unwrap();
    assert_eq!(yubei[1], "503,493*");

    // Official targets replace the shares, and the districts left out are named.
    let official = json(&["--split", "area", "--district-targets", TARGETS]);
    let yubei = (official["targets"].as_array().unwrap().iter())
        .find(|t| t["id"] == "floor_area_main_urban/500112")
        .unwrap();
    assert_eq!(yubei["required"], 450_000.0);
    assert_eq!(yubei["source"]["district_table"], "district_targets.csv");
    let notes = official["target_notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n
        .as_str()
        .unwrap()
        .contains("no target for 19 of its districts")));
    let long = json(&[
        "--district-targets",
        "tests/data/registers/district_targets_long.csv",
    ]);
    let same = |v: &serde_json::Value| -> Vec<(String, f64)> {
        (v["targets"].as_array().unwrap().iter())
            .filter(|t| t["source"]["district_table"].is_string())
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_string(),
                    t["required"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let wide = json(&["--district-targets", TARGETS]);
    assert_eq!(same(&long), same(&wide));
    assert_eq!(same(&wide).len(), 6);
}

#[test]
fn a_district_targets_table_that_cannot_be_used_says_where() {
    let bad = temp("bad-targets.csv");
    for (table, expected) in [
        ("区县,面积\n渝北区,12\n巴渝区,3\n", &["row 3", "巴渝区"][..]),
        (
            "区县,面积\n渝北区,12\n渝北,3\n",
            &["row 3", "a second value", "row 2"],
        ),
        ("区县,面积\n两江新区,12\n", &["row 2", "not one district"]),
        (
            "区县,面积\n渝北区,十二\n",
            &["row 2", "面积", "not a number"],
        ),
        (
            "区县,绿化率\n渝北区,3\n",
            &["row 2", "绿化率", "neither a target"],
        ),
        ("名单\n渝北区\n", &["no district column"]),
    ] {
        std::fs::write(&bad, table).unwrap();
        let out = run(cli("report")
            .args(["--carriers", REGISTER, "--district-targets"])
            .arg(&bad));
        assert_fails_with(&out, expected);
    }
}

#[test]
fn an_overlay_the_plan_does_not_declare_is_an_error_that_says_what_to_add() {
    let plan = temp("overlay-plan.toml");
    std::fs::write(
        &plan,
        "name = \"两江\"\nstart = \"2021-12-31\"\n\n[[targets]]\nid = \"t\"\nname = \"t\"\n\
         measure = \"floor_area\"\nminimum = 1\ndeadline = \"2025-12-31\"\n\
         scope = { districts = [\"渝北区\"], overlays = [\"liangjiang_new_area\"] }\n",
    )
    .unwrap();
    let out = run(cli("report")
        .args(["--carriers", REGISTER, "--plan"])
        .arg(&plan));
    assert_fails_with(&out, &["line 10", "overlays = [\"liangjiang_new_area\"]"]);
    // Declared, it works: the records of 两江新区 in 渝北区's scope count.
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("start =", "overlays = [\"liangjiang_new_area\"]\nstart ="),
    )
    .unwrap();
    let out = run(cli("report")
        .args(["--carriers", REGISTER, "--format", "json", "--plan"])
        .arg(&plan));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn two_registers_compare_with_the_numbers_worked_by_hand() {
    let v = json(&["--compare", EARLIER]);
    let c = &v["comparison"];
    assert_eq!(
        (c["old"]["counted"].as_u64(), c["new"]["counted"].as_u64()),
        (Some(11), Some(COUNTED))
    );
    let total = &c["targets"][0];
    assert_eq!(
        (total["old"].as_f64(), total["change"].as_f64()),
        (Some(577_000.0), Some(155_000.0))
    );
    let names = |side: &str| -> Vec<String> {
        (c[side].as_array().unwrap().iter())
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("entered"),
        [
            "空港新城加速器",
            "鱼嘴智造孵化器",
            "水土云计算众创空间",
            "武陵山众创空间"
        ]
    );
    assert_eq!(names("left"), ["谢家湾创意众创空间", "白涛化工孵化器"]);
    let region = |code: &str, name: &str| {
        (c["regions"].as_array().unwrap().iter())
            .find(|r| r["code"] == code && r["name"] == name)
            .unwrap()
            .clone()
    };
    let area = region("area", "两江新区（不分区县）");
    assert_eq!(area["new"]["floor_area_m2"].as_f64(), Some(LIANGJIANG_M2));
    assert_eq!(area["old"]["floor_area_m2"].as_f64(), Some(50_000.0));
    let fuling = region("500102", "涪陵区");
    assert_eq!(fuling["old"]["carriers"], 1);
    assert_eq!(fuling["new"]["carriers"], 0);

    let table = stdout(&report(&["--compare", EARLIER]));
    assert!(table.contains("entered + 3 空港新城加速器 (渝北区, 80,000 m², 300 enterprises)"));
    assert!(table.contains("floor_area_total             2025-12-31  577,000  732,000  +155,000"));
    let html =
        String::from_utf8(report(&["--compare", EARLIER, "--format", "html"]).stdout).unwrap();
    assert!(html.contains(r#"<section id="compare">"#));
    let xlsx = temp("director-compare.xlsx");
    report(&["--compare", EARLIER, "--out", xlsx.to_str().unwrap()]);
    let changes = sheet(&xlsx, "变化 changes");
    let city = changes.iter().find(|r| text(&r[0]) == "city").unwrap();
    assert_eq!(
        (number(&city[5]), number(&city[6])),
        (Some(155_000.0), Some(2.0))
    );

    // One register on an earlier date: at the end of 2022, 9 carriers counted.
    let v = json(&["--compare-as-of", "2022-12-31"]);
    assert_eq!(v["comparison"]["old"]["as_of"], "2022-12-31");
    let entered = v["comparison"]["entered"].as_array().unwrap().len();
    let left = v["comparison"]["left"].as_array().unwrap().len();
    assert_eq!(
        v["comparison"]["old"]["counted"].as_u64().unwrap() + entered as u64 - left as u64,
        COUNTED
    );
}

#[test]
fn the_districts_rank_by_their_own_targets_then_by_floor_area() {
    let html =
        String::from_utf8(report(&["--district-targets", TARGETS, "--format", "html"]).stdout)
            .unwrap();
    let ranking = &html[html.find(r#"<section id="ranking">"#).unwrap()..];
    let order: Vec<&str> = ranking
        .split(r#"<tr class="ranked" data-code=""#)
        .skip(1)
        .take(5)
        .map(|r| &r[..6])
        .collect();
    // 万州区 met its 35,000 m² (100%), 江北区 85,000 of 120,000 (70.8%),
    // 渝北区 230,000 of 450,000 (51.1%); then by floor area: 沙坪坝区
    // 190,000, 九龙坡区 90,000.
    assert_eq!(order, ["500101", "500105", "500112", "500106", "500107"]);
    let xlsx = temp("director-rank.xlsx");
    report(&[
        "--district-targets",
        TARGETS,
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    let ranking = sheet(&xlsx, "排名 ranking");
    assert_eq!(text(&ranking[1][2]), "万州区");
    assert_eq!(number(&ranking[1][3]), Some(1.0));
}

#[test]
fn the_history_says_past_years_use_todays_enterprise_counts() {
    let table = stdout(&report(&["--history"]));
    assert!(table.contains("past years use today's enterprise and tech-enterprise counts"));
    let v = json(&["--history"]);
    assert!(v["note"].as_str().unwrap().contains("today's enterprise"));
}

#[test]
fn quiet_prints_errors_only() {
    let out = report(&["--quiet"]);
    assert_eq!(stderr(&out), "", "--quiet printed more than errors");
    let out = run(cli("report").args([
        "--carriers",
        "tests/data/registers/layout_merged.xlsx",
        "--quiet",
    ]));
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
}

/// The Word report converted to PDF by LibreOffice headless, as an office
/// opens it: its pages hold the title, the targets and the districts.
/// Runs where `CARRIER_QUOTA_OFFICE_TESTS` is set (CI installs LibreOffice).
#[test]
fn the_word_report_opens_in_libreoffice_and_prints_its_pages() {
    if std::env::var_os("CARRIER_QUOTA_OFFICE_TESTS").is_none() {
        eprintln!(
            "skipped: set CARRIER_QUOTA_OFFICE_TESTS=1 with LibreOffice and poppler installed"
        );
        return;
    }
    let docx = temp("office.docx");
    report(&[
        "--split",
        "area",
        "--compare",
        EARLIER,
        "--out",
        docx.to_str().unwrap(),
    ]);
    let dir = docx.parent().unwrap().join("office-pdf");
    let _ = std::fs::remove_dir_all(&dir);
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let converted = std::process::Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .expect("soffice runs");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let pdf = dir.join("office.pdf");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages: usize = (info.lines())
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    assert!((2..=30).contains(&pages), "{pages} pages: {info}");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    // A table cell may wrap, and the text comes out with its line breaks.
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for expected in [
        "重庆市高质量孵化载体建设方案",
        "503,493*",
        "两江新区（不分区县）",
        "+155,000",
    ] {
        assert!(
            text.contains(expected),
            "the PDF has no {expected:?}: {text}"
        );
    }
}

#[test]
fn a_register_with_figures_per_year_gives_the_history_each_years_own() {
    let register = temp("yearly.csv");
    std::fs::write(
        &register,
        "序号,所在区县,载体名称,载体类型,建筑面积,认定时间,2022年在孵企业,2023年在孵企业,在孵企业（2024）\n\
         1,渝北区,A,孵化器,1000,2021,10,20,30\n\
         2,江北区,B,孵化器,1000,2021,5,6,\n",
    )
    .unwrap();
    let out = run(cli("report")
        .args([
            "--history",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
            "--carriers",
        ])
        .arg(&register));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let enterprises = |date: &str| {
        let snapshot = (v["history"].as_array().unwrap().iter())
            .find(|s| s["date"] == date)
            .unwrap();
        let t = (snapshot["targets"].as_array().unwrap().iter())
            .find(|t| t["id"] == "enterprises")
            .unwrap();
        t["actual"].as_f64().unwrap()
    };
    // Each year's own column; B gives none for 2024, so it counts 0 then.
    assert_eq!(
        [
            enterprises("2022-12-31"),
            enterprises("2023-12-31"),
            enterprises("2024-12-31")
        ],
        [15.0, 26.0, 30.0]
    );
    let note = v["note"].as_str().unwrap();
    assert!(
        note.contains("2022, 2023, 2024 are the register's own"),
        "{note}"
    );
    assert!(note.contains("2021 use today's"), "{note}");
    assert!(stderr(&out).contains("columns give enterprises for each of 2022, 2023, 2024"));
}

#[test]
fn lang_zh_gives_the_table_in_chinese() {
    let table = stdout(&report(&["--split", "area", "--lang", "zh"]));
    for word in [
        "behind",
        "required",
        "as of",
        "not yet open",
        "targets from",
        "by district",
    ] {
        assert!(
            !table.contains(word),
            "{word:?} in the Chinese table: {table}"
        );
    }
    for words in [
        "滞后",
        "要求",
        "截至 2025-12-31",
        "未开业：row 16",
        "目标来源：",
        "分区县",
        "测算值",
    ] {
        assert!(
            table.contains(words),
            "no {words:?} in the Chinese table: {table}"
        );
    }
    let en = stdout(&report(&["--split", "area", "--lang", "en"]));
    assert!(
        en.contains("computed: the district's share") && !en.contains("测算值"),
        "{en}"
    );
}

#[test]
fn lang_zh_keeps_the_html_report_and_the_workbook_in_chinese() {
    let html = String::from_utf8(report(&["--format", "html", "--lang", "zh"]).stdout).unwrap();
    assert!(html.contains(r#"<body class="lang-zh">"#));
    assert!(html.contains(".lang-zh .en { display: none; }"));
    assert!(html.contains(r#"滞后<span class="en"> behind</span>"#));
    let xlsx = temp("director-zh.xlsx");
    report(&["--lang", "zh", "--out", xlsx.to_str().unwrap()]);
    let targets = sheet(&xlsx, "目标 targets");
    assert_eq!(text(&targets[0][0]), "目标");
    let status = targets[0].iter().position(|c| text(c) == "状态").unwrap();
    assert_eq!(text(&targets[1][status]), "滞后");
}
