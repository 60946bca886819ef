//! `carrier-quota report`: each format, plan files, overlays, --strict,
//! --history, and the README's map and chart equal to the library's.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use carrier_quota::place::FootprintRule;
use carrier_quota::report::{self, Format, MapOptions, Options, Source};
use carrier_quota::{Atlas, PlanCheck, QuotaPlan, ReadOptions};

use crate::{cli, root, run, stderr, stdout, temp, SAMPLE};

#[test]
fn report_runs_anywhere_with_no_arguments_and_writes_no_file() {
    let dir = temp("no-args");
    std::fs::create_dir_all(&dir).unwrap();
    let out = cli("report").current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("floor_area_total"));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);

    let out = cli("report")
        .current_dir(&dir)
        .args(["--map", "map.svg"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "map written to map.svg\n");
    assert!(dir.join("map.svg").exists());
}

#[test]
fn the_readme_map_is_the_output_of_the_command() {
    let path = temp("readme-map.svg");
    let out = cli("report").arg("--map").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let fresh = std::fs::read_to_string(&path).unwrap();
    let committed = std::fs::read_to_string(root().join("docs/map.svg")).unwrap();
    assert!(
        fresh == committed,
        "docs/map.svg is stale: run `cargo run --release -- report --map docs/map.svg`"
    );
}

/// Runs `report` with `args`, its map written to a file of its own.
fn report(args: &[&dyn AsRef<OsStr>]) -> Output {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let map = temp(&format!("map-{}.svg", RUNS.fetch_add(1, Ordering::Relaxed)));
    let mut command = cli("report");
    for arg in args {
        command.arg(arg);
    }
    command.arg("--map").arg(map).output().unwrap()
}

/// A GeoJSON file of point carriers in GCJ-02: (id, [lon, lat], kind, floor area).
fn point_carriers(name: &str, carriers: &[(&str, [f64; 2], &str, f64)]) -> PathBuf {
    let features: Vec<String> = carriers
        .iter()
        .map(|(id, [x, y], kind, area)| {
            format!(
                r#"{{"type": "Feature", "id": "{id}", "geometry": {{"type": "Point", "coordinates": [{x}, {y}]}},
                   "properties": {{"kind": "{kind}", "floor_area_m2": {area}}}}}"#
            )
        })
        .collect();
    let path = temp(name);
    let text = format!(
        r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
        features.join(",\n")
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn report_formats_as_of_and_plan_files() {
    let json = report(&[&"--as-of", &"2022-06-30", &"--format", &"json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["as_of"], "2022-06-30");

    let csv = report(&[&"--format", &"csv"]);
    assert!(stdout(&csv)
        .starts_with("# synthetic sample, not real records: carriers.geojson\nid,name,name_en,"));

    let geojson = report(&[&"--format", &"geojson"]);
    let v: serde_json::Value = serde_json::from_slice(&geojson.stdout).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 41);

    let plan = crate::yuzhong_plan("plan.toml");
    let out = report(&[&"--plan", &plan, &"--format", &"json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["targets"][0]["status"], "met");

    std::fs::write(&plan, "name = \"x\"\nstart = \"2021-12-31\"\n[[targets]]\nid = \"t\"\nname = \"t\"\nmeasure = \"carriers\"\nminimum = 1\ndeadline = \"2025-12-31\"\nscope = { zones = [\"downtown\"] }\n").unwrap();
    let out = report(&[&"--plan", &plan]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("target \"t\" names unknown zone \"downtown\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn report_strict_fails_on_rejections() {
    let carriers = point_carriers(
        "strict.geojson",
        &[
            ("a", [106.5775, 29.5575], "incubator", 100.0),
            ("b", [106.5775, 29.5575], "incubater", 100.0),
        ],
    );
    let lenient = report(&[&"--carriers", &carriers]);
    assert!(lenient.status.success());
    assert!(
        stderr(&lenient).contains("rejected: feature 1 (id \"b\"): unknown kind \"incubater\""),
        "{}",
        stderr(&lenient)
    );
    let strict = report(&[&"--carriers", &carriers, &"--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(stderr(&strict).contains("1 of 2 features rejected"));
    assert!(stderr(&strict).contains("--strict"));
}

#[test]
fn report_reads_an_overlays_file() {
    let carriers = point_carriers(
        "untagged.geojson",
        &[
            ("a", [106.5775, 29.5575], "incubator", 100.0),
            ("b", [106.45, 29.60], "incubator", 40.0),
        ],
    );
    let without = report(&[&"--carriers", &carriers, &"--format", &"json"]);
    let v: serde_json::Value = serde_json::from_slice(&without.stdout).unwrap();
    assert_eq!(v["targets"][1]["status"], "not_evaluable");
    assert!(v["targets"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("no boundary for overlay"));
    assert_eq!(
        v["targets"][3]["actual"], 140.0,
        "the main urban total is still checked"
    );

    let overlays = temp("overlays.geojson");
    std::fs::write(
        &overlays,
        r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"id": "western_science_city"}, "geometry": {"type": "Polygon",
           "coordinates": [[[106.3, 29.5], [106.5, 29.5], [106.5, 29.7], [106.3, 29.7], [106.3, 29.5]]]}},
          {"type": "Feature", "properties": {"id": "liangjiang_new_area"}, "geometry": {"type": "Polygon",
           "coordinates": [[[106.6, 29.6], [106.8, 29.6], [106.8, 29.8], [106.6, 29.8], [106.6, 29.6]]]}}]}"#,
    )
    .unwrap();
    let missing = report(&[&"--carriers", &carriers, &"--overlays", &overlays]);
    assert!(
        stderr(&missing).contains("(pass --overlays-datum wgs84|gcj02|bd09)"),
        "{}",
        stderr(&missing)
    );
    let with = report(&[
        &"--carriers",
        &carriers,
        &"--overlays",
        &overlays,
        &"--overlays-datum",
        &"gcj02",
        &"--format",
        &"json",
    ]);
    assert!(with.status.success(), "{}", stderr(&with));
    let v: serde_json::Value = serde_json::from_slice(&with.stdout).unwrap();
    assert_eq!(
        v["targets"][1]["actual"], 40.0,
        "b is in the science city box"
    );
    assert_eq!(v["targets"][2]["actual"], 100.0, "a is in neither");
    assert_eq!(v["areas"][0]["carriers"], serde_json::json!(["b"]));
}

/// The README's main job as a service would do it: a few library calls give
/// the table the `report` subcommand prints and the map it draws.
#[test]
fn the_main_job_is_a_few_library_calls() -> Result<(), Box<dyn std::error::Error>> {
    let atlas = Atlas::chongqing();
    let options = ReadOptions::new().expected_area(atlas.outline().clone());
    let open = || std::fs::File::open(root().join(SAMPLE));
    let carriers = carrier_quota::read::read_carriers_parallel(open, &options)?;
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    let checked = PlanCheck::new(QuotaPlan::chongqing_2021_2025()).run(placed)?;
    let mut table = Vec::new();
    let sample = Options::new().source(Source::synthetic("carriers.geojson"));
    report::write(&mut table, &checked, Format::Table, &sample)?;
    let note = "carriers.geojson (synthetic sample, not real records)";
    let map_options = MapOptions::new().as_of(checked.as_of).note(note);
    let mut map = Vec::new();
    report::write(
        &mut map,
        &checked,
        Format::Svg,
        &Options::new().map(map_options),
    )?;

    let map_path = temp("main-job.svg");
    let command = run(cli("report").arg("--map").arg(&map_path));
    assert!(command.status.success(), "{}", stderr(&command));
    assert!(
        command.stdout == table,
        "the command prints the library's table"
    );
    assert!(
        std::fs::read(&map_path)? == map,
        "the command draws the library's map"
    );
    let svg = run(cli("report").args(["--format", "svg"]));
    assert!(svg.stdout == map, "--format svg prints the same map");
    let committed = std::fs::read(root().join("docs/map.svg"))?;
    assert!(map == committed, "the library draws the README's map");
    Ok(())
}

#[test]
fn the_readme_chart_is_the_output_of_the_command() {
    let path = temp("readme-progress.svg");
    let out = cli("report")
        .args(["--history", "--map"])
        .arg(temp("readme-progress-map.svg"))
        .arg("--chart")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let fresh = std::fs::read_to_string(&path).unwrap();
    let committed = std::fs::read_to_string(root().join("docs/progress.svg")).unwrap();
    assert!(
        fresh == committed,
        "docs/progress.svg is stale: run `cargo run --release -- report --history --chart docs/progress.svg`"
    );
}

#[test]
fn report_splits_zone_targets_by_district_and_maps_the_share_reached() {
    let map = temp("split.svg");
    let out = run(cli("report").args(["--split", "area", "--map"]).arg(&map));
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
    // Each district is shaded by the share of its target reached.
    let json = run(cli("report")
        .args(["--split", "area", "--format", "json", "--map"])
        .arg(&map));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for t in report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["part_of"].is_string())
    {
        let colour = match t["percent"].as_f64().unwrap() {
            p if p >= 100.0 => "#1a9850",
            p if p >= 80.0 => "#fee08b",
            p if p >= 50.0 => "#fc8d59",
            _ => "#d73027",
        };
        let code = t["district"].as_str().unwrap();
        assert!(
            svg.contains(&format!("id=\"d-{code}\" fill=\"{colour}\"")),
            "{code}"
        );
    }
}

#[test]
fn report_writes_the_history_and_its_chart() {
    let chart = temp("progress.svg");
    let out = run(cli("report")
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
    let report = run(cli("report")
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

    let out = run(cli("report")
        .args(["--history", "--format", "csv", "--map"])
        .arg(temp("csv-map.svg")));
    let csv = stdout(&out);
    assert!(csv.starts_with(
        "# synthetic sample, not real records: carriers.geojson\n\
         date,id,actual,expected,required,status\n"
    ));
    assert_eq!(csv.lines().count(), 2 + 5 * 10);
    let out = run(cli("report")
        .args(["--history", "--map"])
        .arg(temp("table-map.svg")));
    let table = stdout(&out);
    assert!(
        table.contains("2025-12-31") && table.contains("✓ met"),
        "{table}"
    );
}

#[test]
fn the_map_names_every_district_and_has_a_scale_and_a_north_arrow() {
    let path = temp("named.svg");
    let out = run(cli("report").arg("--map").arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let group = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no #{id}"))
    };
    let texts = |node: roxmltree::Node| -> Vec<String> {
        node.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(String::from))
            .collect()
    };
    // Named on the map, or in the enlarged box (whose first text is its
    // title): all 38, each once.
    let mut names = texts(group("labels"));
    names.extend(texts(group("inset")).into_iter().skip(1));
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!((count, names.len()), (38, 38), "{names:?}");
    for core in ["渝中", "江北", "南岸", "沙坪坝", "九龙坡", "大渡口"] {
        assert!(names.iter().any(|n| n == core), "{core} is not named");
    }
    assert_eq!(texts(group("zone-names")).len(), 3);
    assert!(texts(group("scale-bar")).iter().any(|t| t.ends_with(" km")));
    assert_eq!(texts(group("north")), ["北 N"]);
    // The names are drawn above the carriers' dots.
    let order: Vec<&str> = doc
        .root_element()
        .children()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let at = |id: &str| order.iter().position(|o| *o == id).unwrap();
    assert!(at("carriers") < at("labels"), "{order:?}");
}

#[test]
fn a_table_in_one_language_fits_100_columns() {
    let width = |lang: &str| {
        let out = run(cli("report").args(["--split", "area", "--lang", lang]));
        assert!(out.status.success(), "{}", stderr(&out));
        let table = stdout(&out);
        // A table is as wide as its rule.
        let rules: Vec<usize> = table
            .lines()
            .filter(|l| !l.is_empty() && l.chars().all(|c| c == '-'))
            .map(str::len)
            .collect();
        assert_eq!(rules.len(), 5, "{table}");
        (table, rules.into_iter().max().unwrap())
    };
    let (zh, zh_width) = width("zh");
    assert!(zh_width <= 100, "{zh}");
    assert!(zh.contains("孵化载体总面积") && !zh.contains("Total carrier floor area"));
    let (en, en_width) = width("en");
    assert!(en_width <= 100, "{en}");
    assert!(en.contains("floor_area_total") && en.contains("Main urban metropolitan area"));
    assert!(!en.contains("孵化载体总面积"));
    // Both side by side, as before, where no terminal limits the width.
    let (both, _) = width("both");
    assert_eq!(both, stdout(&run(cli("report").args(["--split", "area"]))));
    assert!(both.contains("孵化载体总面积") && both.contains("Total carrier floor area"));
}

#[test]
fn a_district_sees_its_own_targets_and_tally() {
    let out = run(cli("report").args(["--split", "area", "--district", "渝北区"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("区县 district: 渝北区 Yubei (500112)"),
        "{table}"
    );
    // Its part of the main urban area's floor area, as the full report has it.
    let json = run(cli("report").args(["--split", "area", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let own = (report["targets"].as_array().unwrap().iter())
        .find(|t| t["district"] == "500112")
        .unwrap();
    let required = own["required"].as_f64().unwrap();
    let line = (table.lines())
        .find(|l| l.starts_with("floor_area_main_urban "))
        .unwrap_or_else(|| panic!("{table}"));
    let shown = format!("{}", required as u64);
    let digits: String = line
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ' ')
        .collect();
    assert!(digits.contains(&shown[..shown.len() - 3]), "{line}");
    // By its code the same; an unknown name stops before anything is read.
    let by_code = run(cli("report").args(["--split", "area", "--district", "500112"]));
    assert_eq!(stdout(&by_code), table);
    let unknown = run(cli("report").args(["--district", "某区"]));
    crate::assert_fails_with(&unknown, &["某区", "no district"]);
}

#[test]
fn a_district_map_is_drawn_around_it_with_its_carriers_alone() {
    let out = run(cli("report").args(["--district", "渝北区", "--format", "svg"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = stdout(&out);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let node = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id));
    let title = (doc.descendants().find(|n| n.has_tag_name("text")))
        .and_then(|n| n.text())
        .unwrap();
    assert!(title.starts_with("渝北区孵化载体 Yubei"), "{title}");
    assert!(node("focus").is_some() && node("map-clip").is_some());
    assert!(node("inset").is_none() && node("zone-names").is_none());
    // Its carriers, as many as its tally holds, and no other.
    let geojson = run(cli("report").args(["--format", "geojson"]));
    let regions: serde_json::Value = serde_json::from_slice(&geojson.stdout).unwrap();
    let yubei = (regions["features"].as_array().unwrap().iter())
        .find(|f| f["properties"]["code"] == "500112")
        .unwrap();
    let dots = (node("carriers").unwrap().children())
        .filter(|n| n.has_tag_name("circle"))
        .count();
    assert_eq!(Some(dots as f64), yubei["properties"]["carriers"].as_f64());
    // Its name stands out; the neighbours in view are named too.
    let labels: Vec<(&str, Option<&str>)> = (node("labels").unwrap().children())
        .filter(|n| n.has_tag_name("text"))
        .map(|n| (n.text().unwrap(), n.attribute("font-weight")))
        .collect();
    assert!(labels.contains(&("渝北", Some("bold"))), "{labels:?}");
    for neighbour in ["江北", "北碚", "长寿"] {
        assert!(labels.iter().any(|(n, _)| *n == neighbour), "{labels:?}");
    }
    // The shapes out of view are not written: the map is smaller than the
    // city's.
    let city = run(cli("report").args(["--format", "svg"]));
    assert!(svg.len() < city.stdout.len() / 2, "{} bytes", svg.len());
}

#[test]
fn a_district_html_report_holds_its_targets_tally_and_mismatches() {
    let registry = ["--carriers", crate::REGISTRY, "--datum", "gcj02"];
    let html = run(cli("report")
        .args(registry)
        .args(["--split", "area", "--history", "--district", "奉节县"])
        .args(["--format", "html"]));
    assert!(html.status.success(), "{}", stderr(&html));
    let page = stdout(&html);
    assert!(page.contains(r#"id="district" data-code="500236""#));
    assert_eq!(page.matches(r#"<tr class="district""#).count(), 1);
    assert!(page.contains(r#"<path id="focus""#));
    // Its own targets, each as the full report has it.
    let json = run(cli("report")
        .args(registry)
        .args(["--split", "area", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let own: Vec<&serde_json::Value> = (report["targets"].as_array().unwrap().iter())
        .filter(|t| t["district"] == "500236")
        .collect();
    assert!(!own.is_empty());
    assert_eq!(page.matches("data-target-id=").count(), own.len());
    // One yearly panel for each of them.
    assert_eq!(page.matches(r##"fill="#fafafa""##).count(), own.len());
    for t in own {
        let row = format!(
            r#"data-target-id="{}" data-status="{}""#,
            t["id"].as_str().unwrap(),
            t["status"].as_str().unwrap()
        );
        assert!(page.contains(&row), "no {row}");
    }
    // The mismatches that name it or lie in it, of the register's three;
    // the rejected rows are the whole file's, since none is placed.
    let rows = |class: &str| page.matches(&format!(r#"<tr class="{class}""#)).count();
    assert_eq!(rows("mismatch"), 2);
    assert!(page.contains("CQ-034") && page.contains("CQ-035") && !page.contains("CQ-033"));
    assert_eq!(rows("rejection"), 3);
    // Without --split, no target of its own, and it says so.
    let plain = run(cli("report").args(["--district", "500236", "--format", "html"]));
    assert!(stdout(&plain).contains("no target of its own"));
    // JSON, CSV and GeoJSON keep every district; a history narrows only in
    // the HTML report. Both are refused before anything is read.
    for refused in [
        &["--district", "奉节", "--format", "json"][..],
        &["--district", "奉节", "--history"],
    ] {
        let out = run(cli("report").args(refused));
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("--district narrows") || err.contains("add --format html"),
            "{err}"
        );
    }
}
