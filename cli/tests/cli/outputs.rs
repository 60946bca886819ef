//! Outputs that cannot lie: a file's name matches what is in it, an error
//! leaves no file behind, every output of the synthetic sample says so,
//! and footprints reach a table at their surface point.

use crate::{assert_fails_with, cli, run, stderr, stdout, temp};

#[test]
fn a_name_that_says_another_format_stops_the_command_before_it_writes() {
    let cases: [(&str, &[&str], &str); 7] = [
        ("report", &["--format", "csv", "--out"], "r.xlsx"),
        ("report", &["--format", "json", "--out"], "r.csv"),
        ("report", &["--map"], "m.pdf"),
        ("report", &["--history", "--chart"], "c.html"),
        ("sample carriers", &["--count", "5", "--out"], "t.xlsx"),
        ("sample candidates", &["--count", "5", "--out"], "s.csv"),
        ("assign data/sample/carriers.geojson", &["--json"], "a.csv"),
    ];
    for (subcommand, flags, name) in cases {
        let path = temp(name);
        let out = run(cli(subcommand).args(flags).arg(&path));
        assert_fails_with(&out, &[name, "this writes", "name the file"]);
        assert!(!path.exists(), "{subcommand} {flags:?} wrote {name}");
    }
}

#[test]
fn the_name_of_out_chooses_the_report_format() {
    let json = temp("by-name.json");
    let out = run(cli("report").arg("--out").arg(&json));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["as_of"], "2025-12-31");

    // A name that says no format takes the default, the table.
    let plain = temp("report-without-extension");
    let out = run(cli("report").arg("--out").arg(&plain));
    assert!(out.status.success(), "{}", stderr(&out));
    let table = std::fs::read_to_string(&plain).unwrap();
    assert!(table.contains("floor_area_total"), "{table}");
}

#[test]
fn every_output_of_the_sample_says_it_is_synthetic() {
    let table = stdout(&run(&mut cli("report")));
    assert!(
        table
            .lines()
            .nth(2)
            .unwrap()
            .contains("SYNTHETIC SAMPLE, not real records"),
        "{table}"
    );
    let json = run(cli("report").args(["--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["data"]["synthetic"], true);
    assert_eq!(v["data"]["name"], "carriers.geojson");
    let geojson = run(cli("report").args(["--format", "geojson"]));
    let v: serde_json::Value = serde_json::from_slice(&geojson.stdout).unwrap();
    assert_eq!(v["data"]["synthetic"], true);
    let csv = stdout(&run(cli("report").args(["--format", "csv"])));
    assert!(csv.starts_with("# synthetic sample, not real records"));
    let history = stdout(&run(cli("report").args(["--history", "--format", "json"])));
    let v: serde_json::Value = serde_json::from_str(&history).unwrap();
    assert_eq!(v["data"]["synthetic"], true);
    let chart = temp("synthetic-chart.svg");
    let out = run(cli("report").args(["--history", "--chart"]).arg(&chart));
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("synthetic sample, not real records"));

    // A file of the user's is named, and not called synthetic.
    let register = "tests/data/registers/register_utf8.csv";
    let args = [
        "--carriers",
        register,
        "--datum",
        "gcj02",
        "--format",
        "json",
    ];
    let v: serde_json::Value =
        serde_json::from_slice(&run(cli("report").args(args)).stdout).unwrap();
    assert_eq!(v["data"]["synthetic"], false);
    assert_eq!(v["data"]["name"], "register_utf8.csv");
    let csv = run(cli("report").args(&args[..4]).args(["--format", "csv"]));
    assert!(stdout(&csv).starts_with("id,name,name_en,"));
}

#[test]
fn csv_files_begin_with_a_byte_order_mark_unless_asked_not_to() {
    let with = temp("with-bom.csv");
    let out = run(cli("report").arg("--out").arg(&with));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&with)
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF# synthetic"));

    let without = temp("without-bom.csv");
    let out = run(cli("report").arg("--no-bom").arg("--out").arg(&without));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&without).unwrap().starts_with(b"# synthetic"));

    // Standard output stays plain.
    let piped = run(cli("report").args(["--format", "csv"]));
    assert!(piped.stdout.starts_with(b"# synthetic"));
}

#[test]
fn footprints_reach_a_table_at_their_surface_point_and_read_back_the_same() {
    let geojson = temp("footprints.geojson");
    let made = run(cli("sample carriers")
        .args(["--count", "400", "--footprints", "0.5", "--out"])
        .arg(&geojson));
    assert!(made.status.success(), "{}", stderr(&made));
    let csv = temp("footprints.csv");
    let out = run(cli("assign").arg(&geojson).arg("--out").arg(&csv));
    assert!(out.status.success(), "{}", stderr(&out));

    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().ends_with(",placed_by,location"));
    let kinds: Vec<&str> = lines.map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(kinds.len(), 400);
    assert!(kinds.contains(&"surface_point") && kinds.contains(&"point"));
    assert!(kinds.iter().all(|k| ["surface_point", "point"].contains(k)));

    // Placed by their surface points, the footprints count where they did.
    let tally = |file: &std::path::Path, datum: &[&str]| {
        let out = run(cli("assign")
            .arg(file)
            .args(datum)
            .args(["--format", "json"]));
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["city"].is_object() && v["regions"].is_array(), "{v}");
        (v["regions"].clone(), v["zones"].clone(), v["city"].clone())
    };
    assert_eq!(tally(&geojson, &[]), tally(&csv, &["--datum", "gcj02"]));
}

/// A workbook's sheet, by its name, as rows of cells.
pub(crate) fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range.rows().map(<[calamine::Data]>::to_vec).collect()
}

pub(crate) fn text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn number(cell: &calamine::Data) -> Option<f64> {
    match cell {
        calamine::Data::Float(x) => Some(*x),
        calamine::Data::Int(x) => Some(*x as f64),
        calamine::Data::Empty => None,
        other => panic!("{other:?} is not a number"),
    }
}

#[test]
fn the_workbook_holds_what_the_json_reports_cell_for_cell() {
    let path = temp("report.xlsx");
    let out = run(cli("report").args(["--split", "area", "--out"]).arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let json = run(cli("report").args(["--split", "area", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();

    // Targets: one row each, in order, the figures as numbers, the share of
    // the requirement reached as a fraction, the deadline as a date.
    let rows = sheet(&path, "目标 targets");
    assert_eq!(text(&rows[0][0]), "目标\nid");
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(rows.len(), 1 + targets.len());
    for (row, target) in rows[1..].iter().zip(targets) {
        assert_eq!(text(&row[0]), target["id"].as_str().unwrap());
        assert_eq!(number(&row[3]), target["required"].as_f64());
        assert_eq!(number(&row[4]), target["actual"].as_f64());
        assert_eq!(number(&row[5]), target["gap"].as_f64());
        let done = target["percent"].as_f64().map(|p| p / 100.0);
        assert_eq!(number(&row[6]), done);
        assert!(
            matches!(row[9], calamine::Data::DateTime(_)),
            "{:?}",
            row[9]
        );
        assert_eq!(text(&row[10]), target["status"].as_str().unwrap());
    }

    // Districts: what the GeoJSON report tallies for each.
    let geojson = run(cli("report").args(["--format", "geojson"]));
    let regions: serde_json::Value = serde_json::from_slice(&geojson.stdout).unwrap();
    let districts: Vec<&serde_json::Value> = (regions["features"].as_array().unwrap().iter())
        .map(|f| &f["properties"])
        .filter(|p| p["level"] == "district")
        .collect();
    // Every district, zone by zone, then the city (the sample has no
    // managed area's row).
    let rows = sheet(&path, "区县 districts");
    assert_eq!(rows.len(), 1 + 38 + 1);
    assert_eq!(text(&rows[39][0]), "city");
    for district in &districts {
        let code = district["code"].as_str().unwrap();
        let row = rows.iter().find(|r| text(&r[0]) == code).unwrap();
        assert_eq!(text(&row[1]), district["name"].as_str().unwrap());
        assert_eq!(number(&row[4]), district["carriers"].as_f64());
        assert_eq!(number(&row[5]), district["floor_area_m2"].as_f64());
        assert_eq!(number(&row[6]), district["enterprises"].as_f64());
        assert_eq!(number(&row[7]), district["tech_enterprises"].as_f64());
    }

    // Placed carriers: each with the district the assignment gives it.
    let assign = run(&mut cli(
        "assign data/sample/carriers.geojson --format json",
    ));
    let assigned: serde_json::Value = serde_json::from_slice(&assign.stdout).unwrap();
    let assignments = assigned["assignments"].as_array().unwrap();
    let rows = sheet(&path, "载体 carriers");
    assert_eq!(rows.len(), 1 + assignments.len());
    for (row, assignment) in rows[1..].iter().zip(assignments) {
        assert_eq!(text(&row[0]), assignment["id"].as_str().unwrap());
        assert_eq!(text(&row[12]), assignment["region"].as_str().unwrap_or(""));
        assert_eq!(text(&row[15]), assignment["placed_by"].as_str().unwrap());
    }
}

#[test]
fn a_map_named_png_is_a_png_at_print_size() {
    let path = temp("map.png");
    let out = run(cli("report").arg("--map").arg(&path));
    let required = std::env::var("CARRIER_QUOTA_BROWSER_TESTS").is_ok_and(|v| v == "1");
    if !out.status.success() && stderr(&out).contains("no font with Chinese glyphs") && !required {
        eprintln!("skipped: no CJK font (install fonts-noto-cjk)");
        assert!(!path.exists());
        return;
    }
    assert!(out.status.success(), "{}", stderr(&out));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let info = decoder.read_info().unwrap();
    // The SVG map is 1000 pixels wide; its PNG twice that, for print.
    assert_eq!(info.info().width, 2000);
    assert!(info.info().height > 1000);
}

#[test]
fn a_district_workbook_keeps_what_counts_in_it() {
    let path = temp("yubei.xlsx");
    let out = run(cli("report")
        .args(["--split", "area", "--district", "渝北", "--out"])
        .arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let json = run(cli("report").args(["--split", "area", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let own: Vec<&serde_json::Value> = (report["targets"].as_array().unwrap().iter())
        .filter(|t| t["district"] == "500112")
        .collect();
    let rows = sheet(&path, "目标 targets");
    assert_eq!(rows.len(), 1 + own.len());
    for (row, target) in rows[1..].iter().zip(&own) {
        assert_eq!(text(&row[0]), target["id"].as_str().unwrap());
        assert_eq!(number(&row[4]), target["actual"].as_f64());
        assert_eq!(text(&row[10]), target["status"].as_str().unwrap());
    }
    // Its row, its zone and the city; its carriers, each placed in it.
    let districts = sheet(&path, "区县 districts");
    assert_eq!(districts.len(), 2);
    assert_eq!(text(&districts[1][0]), "500112");
    let zones: Vec<String> = (sheet(&path, "区域 zones").iter().skip(1))
        .map(|row| text(&row[1]))
        .collect();
    assert_eq!(zones, ["主城都市区", "重庆市"]);
    let carriers = sheet(&path, "载体 carriers");
    assert_eq!(Some((carriers.len() - 1) as f64), number(&districts[1][4]));
    assert!(carriers[1..].iter().all(|row| text(&row[12]) == "500112"));
}

#[test]
fn the_report_and_the_workbook_say_how_the_data_was_read() {
    let register = [
        "--carriers",
        "tests/data/registers/register_wan.xlsx",
        "--datum",
        "gcj02",
    ];
    let html = run(cli("report").args(register).args(["--format", "html"]));
    assert!(html.status.success(), "{}", stderr(&html));
    // What the terminal is told, the director reads too: the unit read,
    // the former names and the managed areas, where their records count.
    let told: Vec<String> = (stderr(&html).lines())
        .filter_map(|l| l.strip_prefix("note: "))
        .map(String::from)
        .collect();
    assert!(told.iter().any(|n| n.contains("万平方米")), "{told:?}");
    let page = stdout(&html);
    assert_eq!(page.matches(r#"<li class="note">"#).count(), told.len());
    assert!(page.contains("开县 (开州区 500154 since 2016-06): 1 record counted there"));
    let path = temp("register-notes.xlsx");
    let out = run(cli("report").args(register).arg("--out").arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    // The count first, then (none left out here) what the terminal was told.
    let rows = sheet(&path, "说明 notes");
    assert!(text(&rows[1][0]).starts_with("16 records read: 16 counted on 2025-12-31"));
    let written: Vec<String> = rows[2..].iter().map(|row| text(&row[0])).collect();
    assert_eq!(written, told);
}
