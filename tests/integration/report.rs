//! The quota report in each format, and the map.

use std::sync::OnceLock;

use carrier_quota::place::FootprintRule;
use carrier_quota::quota::read_plan;
use carrier_quota::read::read_carriers;
use carrier_quota::report::{self, Format, MapOptions, Options};
use carrier_quota::{Atlas, CheckedPlan, Measure, PlanCheck, QuotaPlan, ReadOptions, Status};

/// The sample checked with the built-in plan at the end of 2023.
fn checked() -> &'static CheckedPlan<'static> {
    static CHECKED: OnceLock<CheckedPlan<'static>> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let file = std::fs::File::open("data/sample/carriers.geojson").unwrap();
        let carriers = read_carriers(file, &ReadOptions::default()).unwrap();
        let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
        PlanCheck::new(QuotaPlan::chongqing_2021_2025())
            .as_of("2023-12-31".parse().unwrap())
            .run(placed)
            .unwrap()
    })
}

/// The sample's map under `options` (on the check's date), as text.
fn svg(c: &CheckedPlan, options: MapOptions) -> String {
    let mut out = Vec::new();
    report::write(&mut out, c, Format::Svg, &Options::new().map(options)).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_report_has_the_documented_schema() {
    let c = checked();
    let mut out = Vec::new();
    report::write(&mut out, c, Format::Json, &Options::new()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["as_of"], "2023-12-31");
    assert_eq!(v["schema_version"], 3);
    // What the read gave: every feature of the sample is a carrier.
    let input = &v["input"];
    assert_eq!(input["records_read"], input["carriers"]);
    assert_eq!(input["rejected"], 0);
    assert_eq!(input["notes"], serde_json::json!([]));
    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 10);
    for t in targets {
        for key in [
            "id", "name", "required", "actual", "gap", "percent", "status", "reason",
        ] {
            assert!(t.get(key).is_some(), "{key} missing in {t}");
        }
        let status = t["status"].as_str().unwrap();
        assert!(["met", "on_track", "behind", "not_evaluable"].contains(&status));
        assert_eq!(t["reason"].is_null(), status != "not_evaluable");
    }
    // The sample tags some carriers with their dual-core area, so every
    // target is evaluable.
    assert!(c
        .report
        .targets
        .iter()
        .all(|t| t.status != Status::NotEvaluable));
    let total = &c.report.targets[0];
    assert_eq!(total.actual, Some(c.tally.city().all.floor_area_m2()));
}

#[test]
fn csv_report_has_a_row_per_target() {
    let mut out = Vec::new();
    report::write(&mut out, checked(), Format::Csv, &Options::new()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,name_en,measure,required,actual,gap,percent,baseline,expected,deadline,status,reason,part_of,district,source"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 10);
    assert!(rows[0].starts_with(
        "floor_area_total,孵化载体总面积,Total carrier floor area,floor_area,10000000,"
    ));
    assert!(rows[9].starts_with(
        "specialty_carriers,专业化、国际化、平台型孵化载体,Specialty carriers,carriers,100,"
    ));
    assert!(
        rows[9].ends_with(",2025-12-31,met,,,,plan")
            || rows[9].ends_with(",2025-12-31,behind,,,,plan")
            || rows[9].ends_with(",2025-12-31,on_track,,,,plan"),
        "{}",
        rows[9]
    );
}

#[test]
fn table_report_names_targets_in_chinese_and_english() {
    let c = checked();
    let mut out = Vec::new();
    report::write(&mut out, c, Format::Table, &Options::new()).unwrap();
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "as of 2023-12-31",
        "孵化载体总面积",
        "Total carrier floor area",
        "10,000,000",
        "主城都市区",
        "Main urban metropolitan area",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in\n{text}");
    }
}

#[test]
fn geojson_report_has_districts_and_zones_in_wgs84() {
    let c = checked();
    let mut out = Vec::new();
    report::write(&mut out, c, Format::GeoJson, &Options::new()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["datum"], "wgs84");
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 38 + 3);
    let levels: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels.iter().filter(|l| **l == "district").count(), 38);
    let northeast = features
        .iter()
        .find(|f| f["properties"]["code"] == "northeast")
        .unwrap();
    let ids: Vec<&str> = northeast["properties"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["floor_area_outer_clusters"]);
    let sum: f64 = features
        .iter()
        .filter(|f| f["properties"]["level"] == "district")
        .map(|f| f["properties"]["floor_area_m2"].as_f64().unwrap())
        .sum();
    assert!((sum - c.tally.city().all.floor_area_m2()).abs() < 1e-3);
    // Converted to WGS-84: Yuzhong's first vertex moves by the GCJ-02 offset.
    let yuzhong = features
        .iter()
        .find(|f| f["properties"]["code"] == "500103")
        .unwrap();
    let x = yuzhong["geometry"]["coordinates"][0][0][0][0]
        .as_f64()
        .unwrap();
    let atlas = c.placed.atlas();
    let original = atlas
        .district(atlas.find_district("500103").unwrap())
        .shape
        .0[0]
        .exterior()
        .0[0]
        .x;
    assert!((x - original).abs() > 1e-3, "{x} vs {original}");
}

#[test]
fn svg_map_parses_and_has_one_shape_per_district() {
    let c = checked();
    let text = svg(c, MapOptions::new().measure(Measure::Enterprises));
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let with_class = |class: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .count()
    };
    assert_eq!(with_class("district"), 38);
    assert_eq!(with_class("zone"), 3);
    let dots = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count();
    let open = c
        .placed
        .carriers()
        .iter()
        .filter(|x| x.is_open_on(c.as_of))
        .count();
    assert_eq!(
        dots,
        open + 3,
        "one dot per open carrier, three in the legend"
    );
    assert!(text.contains("在孵企业和团队 enterprises and teams"));
    assert!(text.contains("2023-12-31"));
}

#[test]
fn svg_map_thins_dots_past_the_cap() {
    let c = checked();
    let text = svg(c, MapOptions::new().max_dots(100));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let dots = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count()
        - 3;
    assert!(dots <= 100, "{dots}");
    let open = c.placed.carriers().iter().filter(|x| x.is_open_on(c.as_of));
    let open = open.count();
    assert!((1000..1_000_000).contains(&open), "{open}");
    let grouped = format!("{},{:03}", open / 1000, open % 1000);
    assert!(text.contains(&format!(" of {grouped}")), "{text}");
}

#[test]
fn the_sample_is_sized_like_the_plans_starting_point() {
    use carrier_quota::{Kind, Level};
    let c = checked();
    let start = c.plan.start;
    let open: Vec<_> = c
        .placed
        .carriers()
        .iter()
        .filter(|x| x.is_open_on(start))
        .collect();
    let municipal_or_above = |kind: Kind| {
        open.iter()
            .filter(|x| {
                x.kind() == kind && matches!(x.level(), Some(Level::National | Level::Municipal))
            })
            .count() as f64
    };
    let stated = |id: &str| {
        c.plan
            .starting_point
            .iter()
            .find(|f| f.id == id)
            .unwrap()
            .value
    };
    let close = |got: f64, want: f64| (got - want).abs() <= 0.1 * want;
    assert!(close(
        municipal_or_above(Kind::Incubator),
        stated("incubators_municipal_or_above")
    ));
    assert!(close(
        municipal_or_above(Kind::MakerSpace),
        stated("maker_spaces_municipal_or_above")
    ));
    let enterprises: f64 = open.iter().map(|x| f64::from(x.enterprises())).sum();
    assert!(
        close(enterprises, c.plan.targets[5].baseline.unwrap()),
        "{enterprises}"
    );
}

#[test]
fn the_guides_plan_file_is_valid() {
    let guide = std::fs::read_to_string("docs/guide/report.md").unwrap();
    let block = guide
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the guide has a TOML plan");
    let plan = read_plan(block.as_bytes()).unwrap();
    plan.validate(Atlas::chongqing(), None).unwrap();
    assert_eq!(plan.targets.len(), 2);
    assert_eq!(plan.targets[1].baseline, Some(12.0));
}
