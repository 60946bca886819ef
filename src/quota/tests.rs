use geo::Point;

use super::*;
use crate::atlas::RegionCode;
use crate::carrier::DeclaredDistrict;
use crate::date::RecordDate;
use crate::names::DistrictNames;
use crate::overlay::read_overlays;
use crate::place::FootprintRule;
use crate::{Carrier, CarrierId, Carriers, Datum, Location};

const YUZHONG: (f64, f64) = (106.5775, 29.5575); // main_urban
const WANZHOU: (f64, f64) = (108.408, 30.808); // northeast
const YOUYANG: (f64, f64) = (108.767, 28.841); // southeast

fn carrier(id: &str, at: (f64, f64), kind: Kind, area: f64) -> Carrier {
    Carrier {
        id: CarrierId::new(id).unwrap(),
        name: None,
        kind,
        category: None,
        level: None,
        floor_area_m2: area,
        enterprises: 0,
        tech_enterprises: 0,
        opened: None,
        closed: None,
        overlay: None,
        district: None,
        location: Some(Location::Point(Point::new(at.0, at.1))),
    }
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn run(plan: &QuotaPlan, carriers: &[Carrier], overlays: Option<&Overlays>, as_of: &str) -> Report {
    let carriers = Carriers::from_records(Datum::Gcj02, carriers.to_vec());
    let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    let options = CheckOptions {
        as_of: Some(date(as_of)),
        overlays,
        names: None,
    };
    plan.check(&placed, &options).unwrap()
}

fn result<'a>(report: &'a Report, id: &str) -> &'a TargetResult {
    report.targets.iter().find(|t| t.id == id).unwrap()
}

/// A plan of one target, from 2022-01-01 to 2022-01-11 (ten days), so that
/// the progress line is exact at whole days.
fn one_target(
    measure: Measure,
    scope: Scope,
    filter: Filter,
    minimum: f64,
    baseline: Option<f64>,
) -> QuotaPlan {
    QuotaPlan {
        name: "test".into(),
        name_en: None,
        start: date("2022-01-01"),
        overlays: vec!["liangjiang_new_area".into(), "western_science_city".into()],
        starting_point: vec![],
        targets: vec![Target {
            id: "t".into(),
            name: "t".into(),
            name_en: None,
            scope,
            measure,
            filter,
            minimum,
            deadline: date("2022-01-11"),
            baseline,
            part_of: None,
            source: TargetSource::Plan,
        }],
    }
}

#[test]
fn each_measure_counts_what_it_says() {
    let mut a = carrier("a", YUZHONG, Kind::Incubator, 1000.0);
    a.enterprises = 10;
    a.tech_enterprises = 3;
    a.category = Some(Category::Large);
    a.level = Some(Level::National);
    let mut b = carrier("b", WANZHOU, Kind::MakerSpace, 200.0);
    b.enterprises = 5;
    b.tech_enterprises = 1;
    b.level = Some(Level::District);
    let beijing = carrier("bj", (116.4, 39.9), Kind::Incubator, 7777.0);
    let carriers = [a, b, beijing];
    let cases: Vec<(Measure, Scope, Filter, f64)> = vec![
        (
            Measure::FloorArea,
            Scope::default(),
            Filter::default(),
            1200.0,
        ),
        (Measure::Carriers, Scope::default(), Filter::default(), 2.0),
        (
            Measure::Enterprises,
            Scope::default(),
            Filter::default(),
            15.0,
        ),
        (
            Measure::TechEnterprises,
            Scope::default(),
            Filter::default(),
            4.0,
        ),
        (
            Measure::FloorArea,
            Scope {
                zones: vec!["northeast".into()],
                ..Scope::default()
            },
            Filter::default(),
            200.0,
        ),
        (
            Measure::FloorArea,
            Scope {
                districts: vec!["渝中区".into(), "500101".into()],
                ..Scope::default()
            },
            Filter::default(),
            1200.0,
        ),
        (
            Measure::Carriers,
            Scope::default(),
            Filter {
                kinds: vec![Kind::MakerSpace],
                ..Filter::default()
            },
            1.0,
        ),
        (
            Measure::Carriers,
            Scope::default(),
            Filter {
                categories: vec![Category::Large],
                ..Filter::default()
            },
            1.0,
        ),
        (
            Measure::Carriers,
            Scope::default(),
            Filter {
                levels: vec![Level::National, Level::Municipal],
                ..Filter::default()
            },
            1.0,
        ),
        (
            Measure::Enterprises,
            Scope::default(),
            Filter {
                levels: vec![Level::District],
                ..Filter::default()
            },
            5.0,
        ),
    ];
    for (measure, scope, filter, expected) in cases {
        let plan = one_target(measure, scope.clone(), filter.clone(), 1e9, Some(0.0));
        let report = run(&plan, &carriers, None, "2022-01-05");
        assert_eq!(
            report.targets[0].actual,
            Some(expected),
            "{measure:?} {scope:?} {filter:?}"
        );
    }
}

#[test]
fn status_boundaries_follow_the_line() {
    // Baseline 0, minimum 100 over ten days: on day 5 the line is at 50.
    let plan = one_target(
        Measure::FloorArea,
        Scope::default(),
        Filter::default(),
        100.0,
        Some(0.0),
    );
    let status = |area: f64, as_of: &str| {
        let report = run(
            &plan,
            &[carrier("a", YUZHONG, Kind::Incubator, area)],
            None,
            as_of,
        );
        let r = report.targets[0].clone();
        (r.status, r.expected)
    };
    assert_eq!(
        status(50.0, "2022-01-06"),
        (Status::OnTrack, Some(50.0)),
        "exactly on the line"
    );
    assert_eq!(
        status(49.0, "2022-01-06").0,
        Status::Behind,
        "one unit below"
    );
    assert_eq!(status(100.0, "2022-01-06").0, Status::Met);
    assert_eq!(
        status(99.0, "2022-01-10").0,
        Status::OnTrack,
        "line at 90 on day 9"
    );
    assert_eq!(
        status(99.0, "2022-01-11").0,
        Status::Behind,
        "at the deadline: met or behind"
    );
    assert_eq!(status(100.0, "2022-01-11").0, Status::Met);
    assert_eq!(
        status(99.0, "2023-06-01").0,
        Status::Behind,
        "after the deadline"
    );
    assert_eq!(
        status(1.0, "2021-06-01"),
        (Status::OnTrack, Some(0.0)),
        "before the start the line is the baseline"
    );
}

#[test]
fn the_baseline_is_stated_or_tallied_at_the_start() {
    let mut early = carrier("early", YUZHONG, Kind::Incubator, 40.0);
    early.opened = Some(RecordDate::Day(date("2021-06-01")));
    let mut late = carrier("late", YUZHONG, Kind::Incubator, 15.0);
    late.opened = Some(RecordDate::Day(date("2022-01-03")));
    let carriers = [early, late];
    let tallied = one_target(
        Measure::FloorArea,
        Scope::default(),
        Filter::default(),
        100.0,
        None,
    );
    let r = run(&tallied, &carriers, None, "2022-01-06");
    let t = &r.targets[0];
    assert_eq!((t.baseline, t.actual), (Some(40.0), Some(55.0)));
    // The line from 40 to 100 stands at 70 on day 5: 55 is behind.
    assert_eq!((t.expected, t.status), (Some(70.0), Status::Behind));
    let stated = one_target(
        Measure::FloorArea,
        Scope::default(),
        Filter::default(),
        100.0,
        Some(0.0),
    );
    assert_eq!(
        run(&stated, &carriers, None, "2022-01-06").targets[0].status,
        Status::OnTrack
    );
}

#[test]
fn carriers_opening_after_the_as_of_date_do_not_count() {
    let mut by_day = carrier("d", YUZHONG, Kind::Incubator, 10.0);
    by_day.opened = Some(RecordDate::Day(date("2024-03-01")));
    let mut by_year = carrier("y", YUZHONG, Kind::Incubator, 100.0);
    by_year.opened = Some(RecordDate::Year(2024));
    let undated = carrier("u", YUZHONG, Kind::Incubator, 1000.0);
    let carriers = [by_day, by_year, undated];
    let plan = QuotaPlan::chongqing_2021_2025();
    let actual =
        |as_of: &str| result(&run(&plan, &carriers, None, as_of), "floor_area_total").actual;
    assert_eq!(actual("2024-02-29"), Some(1000.0));
    assert_eq!(actual("2024-03-01"), Some(1010.0));
    assert_eq!(
        actual("2024-12-30"),
        Some(1010.0),
        "a year-only opening counts from 31 December"
    );
    assert_eq!(actual("2024-12-31"), Some(1110.0));
}

#[test]
fn dual_core_is_not_evaluable_without_boundaries_or_tags() {
    let carriers = [carrier("a", YUZHONG, Kind::Incubator, 1000.0)];
    let report = run(
        &QuotaPlan::chongqing_2021_2025(),
        &carriers,
        None,
        "2023-12-31",
    );
    for id in ["floor_area_dual_core", "floor_area_main_urban_other"] {
        let r = result(&report, id);
        assert_eq!(r.status, Status::NotEvaluable);
        assert_eq!((r.actual, r.gap, r.percent), (None, None, None));
        assert_eq!(
            r.reason,
            Some(NotEvaluableReason::UnboundedOverlay {
                overlay: "western_science_city".into()
            })
        );
        let message = r.reason.as_ref().unwrap().to_string();
        assert!(message.starts_with("no boundary for overlay \"western_science_city\""));
    }
    let main = result(&report, "floor_area_main_urban");
    assert_eq!((main.required, main.actual), (9_900_000.0, Some(1000.0)));
    assert_eq!(main.reason, None);
}

#[test]
fn carriers_placed_by_name_where_an_unbounded_overlay_reaches_are_noted() {
    // Named by their district alone, in 渝北区, which 两江新区 takes in part
    // of; the other names the overlay, so the target can be evaluated.
    let mut by_name = carrier("y", YUZHONG, Kind::Incubator, 400.0);
    by_name.location = None;
    by_name.district = Some(DeclaredDistrict::code(RegionCode::new("500112").unwrap()));
    let mut tagged = carrier("lj", YUZHONG, Kind::Incubator, 300.0);
    tagged.overlay = Some("liangjiang_new_area".into());
    let carriers = Carriers::from_records(Datum::Gcj02, vec![by_name, tagged]);
    let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    let plan = QuotaPlan::chongqing_2021_2025();
    let note = |names: Option<&DistrictNames>| {
        let options = CheckOptions {
            as_of: Some(date("2023-12-31")),
            overlays: None,
            names,
        };
        let report = plan.check(&placed, &options).unwrap();
        let result = result(&report, "floor_area_dual_core");
        assert_eq!(result.actual, Some(300.0));
        result.note.clone()
    };
    let said = note(None).expect("a note with Chongqing's managed areas");
    assert!(
        said.starts_with("1 carrier in the districts the overlays reach (")
            && said.contains("渝北区")
            && said.ends_with("name neither an overlay nor a managed area, and count outside them"),
        "{said}"
    );
    assert_eq!(note(Some(DistrictNames::chongqing())), Some(said));
    // Names without managed areas say of no district that an overlay
    // reaches it.
    assert_eq!(note(Some(&DistrictNames::of(Atlas::chongqing()))), None);
}

#[test]
fn dual_core_counts_by_overlay_property_or_boundary() {
    let mut tagged = carrier("lj", YUZHONG, Kind::Incubator, 300.0);
    tagged.overlay = Some("liangjiang_new_area".into());
    let mut science = carrier("wsc", YUZHONG, Kind::Incubator, 200.0);
    science.overlay = Some("western_science_city".into());
    let plain = carrier("p", YUZHONG, Kind::Incubator, 50.0);
    let carriers = [tagged, science, plain];
    let plan = QuotaPlan::chongqing_2021_2025();
    let report = run(&plan, &carriers, None, "2023-12-31");
    assert_eq!(result(&report, "floor_area_dual_core").actual, Some(500.0));
    assert_eq!(
        result(&report, "floor_area_main_urban_other").actual,
        Some(50.0)
    );

    // A boundary file: a box around Yuzhong as the science city; the tagged
    // carrier keeps its own tag, the untagged one is inside the box.
    let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
      {"type": "Feature", "properties": {"id": "western_science_city"}, "geometry": {"type": "Polygon",
       "coordinates": [[[106.5, 29.5], [106.6, 29.5], [106.6, 29.6], [106.5, 29.6], [106.5, 29.5]]]}},
      {"type": "Feature", "properties": {"id": "liangjiang_new_area"}, "geometry": {"type": "Polygon",
       "coordinates": [[[106.6, 29.6], [106.7, 29.6], [106.7, 29.7], [106.6, 29.7], [106.6, 29.6]]]}}
    ]}"#;
    let overlays = read_overlays(file.as_bytes(), None).unwrap();
    let untagged = [
        carrier("p", YUZHONG, Kind::Incubator, 50.0),
        carrier("w", WANZHOU, Kind::Incubator, 5.0),
        carrier("y", YOUYANG, Kind::Incubator, 7.0),
    ];
    let report = run(&plan, &untagged, Some(&overlays), "2023-12-31");
    assert_eq!(result(&report, "floor_area_dual_core").actual, Some(50.0));
    assert_eq!(
        result(&report, "floor_area_main_urban_other").actual,
        Some(0.0)
    );
    assert_eq!(
        result(&report, "floor_area_outer_clusters").actual,
        Some(12.0)
    );
}

#[test]
fn the_built_in_plan_has_every_target() {
    let plan = QuotaPlan::chongqing_2021_2025();
    let ids: Vec<&str> = plan.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "floor_area_total",
            "floor_area_dual_core",
            "floor_area_main_urban_other",
            "floor_area_main_urban",
            "floor_area_outer_clusters",
            "enterprises",
            "tech_enterprises",
            "university_ecosystems",
            "large_carriers",
            "specialty_carriers",
        ]
    );
    let minimums: Vec<f64> = plan.targets.iter().map(|t| t.minimum).collect();
    assert_eq!(
        minimums,
        [10e6, 5.6e6, 4.3e6, 9.9e6, 0.35e6, 80_000.0, 12_000.0, 15.0, 10.0, 100.0]
    );
    assert!(plan
        .targets
        .iter()
        .all(|t| t.deadline == date("2025-12-31")));
    assert_eq!(plan.start, date("2021-12-31"));
    let stated: f64 = plan
        .starting_point
        .iter()
        .filter(|f| {
            f.id == "enterprises_in_incubators" || f.id == "enterprises_and_teams_in_maker_spaces"
        })
        .map(|f| f.value)
        .sum();
    assert_eq!(
        Some(stated),
        plan.targets[5].baseline,
        "22,397 = 3,786 + 18,611"
    );
    plan.validate(Atlas::chongqing(), None).unwrap();
}

#[test]
fn plans_round_trip_through_json_and_toml() {
    let plan = QuotaPlan::chongqing_2021_2025();
    assert_eq!(read_plan(plan.to_json().as_bytes()).unwrap(), plan);
    assert_eq!(read_plan(plan.to_toml().as_bytes()).unwrap(), plan);
}

#[test]
fn a_plan_file_in_toml_reads_as_documented() {
    let text = r#"
name = "district plan"
start = "2021-12-31"

[[targets]]
id = "yuzhong_area"
name = "渝中区孵化载体面积"
measure = "floor_area"
minimum = 500000
deadline = "2025-12-31"
scope = { districts = ["渝中区"] }

[[targets]]
id = "national_incubators"
name = "national incubators"
measure = "carriers"
minimum = 30
deadline = "2025-12-31"
filter = { kinds = ["incubator"], levels = ["national"] }
"#;
    let plan = read_plan(text.as_bytes()).unwrap();
    assert_eq!(plan.targets[0].scope.districts, ["渝中区"]);
    assert_eq!(plan.targets[1].filter.levels, [Level::National]);
    plan.validate(Atlas::chongqing(), None).unwrap();
    // A plan's filters take the Chinese names carrier files take.
    let chinese = text.replace(
        r#"{ kinds = ["incubator"], levels = ["national"] }"#,
        r#"{ kinds = ["孵化器"], levels = ["国家级"], categories = ["大型孵化载体"] }"#,
    );
    let plan = read_plan(chinese.as_bytes()).unwrap();
    assert_eq!(plan.targets[1].filter.kinds, [Kind::Incubator]);
    assert_eq!(plan.targets[1].filter.levels, [Level::National]);
    assert_eq!(plan.targets[1].filter.categories, [crate::Category::Large]);
    let bad = text.replace(r#"kinds = ["incubator"]"#, r#"kinds = ["孵化园"]"#);
    let err = read_plan(bad.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("unknown kind \"孵化园\""), "{err}");
}

#[test]
fn unknown_names_in_a_plan_are_errors_that_name_them() {
    let atlas = Atlas::chongqing();
    for (scope, message) in [
        (
            Scope {
                zones: vec!["mainurban".into()],
                ..Scope::default()
            },
            "target \"t\" names unknown zone \"mainurban\"",
        ),
        (
            Scope {
                districts: vec!["渝中县".into()],
                ..Scope::default()
            },
            "target \"t\" names unknown district \"渝中县\"",
        ),
        (
            Scope {
                overlays: vec!["gaoxin_zone".into()],
                ..Scope::default()
            },
            "target \"t\" names unknown overlay \"gaoxin_zone\": declare it in the plan (overlays = [\"gaoxin_zone\"], beside name and start) or give an overlays file that has it",
        ),
        (
            Scope {
                exclude_overlays: vec!["x".into()],
                ..Scope::default()
            },
            "target \"t\" names unknown overlay \"x\": declare it in the plan (overlays = [\"x\"], beside name and start) or give an overlays file that has it",
        ),
    ] {
        let plan = one_target(Measure::FloorArea, scope, Filter::default(), 1.0, None);
        let err = plan.validate(atlas, None).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert!(matches!(
            err.kind(),
            crate::ErrorKind::UnknownPlanName { .. }
        ));
    }
}

#[test]
fn plan_file_errors_have_positions() {
    let err = read_plan("{\"name\": \"x\",\n \"start\": \"2021-13-01\"}".as_bytes()).unwrap_err();
    assert_eq!(err.position().map(|p| p.line), Some(2));
    assert!(
        err.to_string()
            .contains("date must be YYYY-MM-DD, found \"2021-13-01\""),
        "{err}"
    );
    let err =
        read_plan("name = \"x\"\nstart = \"2021-12-31\"\ntargets = []\ncolour = 1\n".as_bytes())
            .unwrap_err();
    assert_eq!(err.position().map(|p| p.line), Some(4), "{err}");
    assert!(err.to_string().contains("colour"), "{err}");
    let mut plan = QuotaPlan::chongqing_2021_2025();
    plan.targets[1].id = "floor_area_total".into();
    let err = plan.validate(Atlas::chongqing(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid plan: two targets have the id \"floor_area_total\""
    );
}

#[test]
fn overlay_areas_list_the_carriers_that_grew_inside_them() {
    let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
      {"type": "Feature", "properties": {"id": "campus", "name": "重庆大学", "kind": "university_ecosystem",
       "radius_m": 2000}, "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]}}
    ]}"#;
    let overlays = read_overlays(file.as_bytes(), None).unwrap();
    let near = carrier("near", (106.58, 29.56), Kind::Incubator, 300.0);
    let mut later = carrier("later", (106.578, 29.558), Kind::MakerSpace, 50.0);
    later.opened = Some(RecordDate::Day(date("2024-01-01")));
    let far = carrier("far", WANZHOU, Kind::Incubator, 1000.0);
    let report = run(
        &QuotaPlan::chongqing_2021_2025(),
        &[near, later, far],
        Some(&overlays),
        "2023-12-31",
    );
    assert_eq!(report.areas.len(), 1);
    let area = &report.areas[0];
    assert_eq!(
        (area.id.as_str(), area.kind),
        ("campus", crate::overlay::OverlayKind::UniversityEcosystem)
    );
    assert_eq!(area.carriers, ["near"]);
    assert_eq!(area.totals.floor_area_m2(), 300.0);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["areas"][0]["totals"]["carriers"], 1);
}
