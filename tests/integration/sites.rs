//! Site selection end to end: the chosen sites, added as carriers, close the
//! gaps the checker reports; candidate files are read or refused by feature.

use carrier_quota::place::FootprintRule;
use carrier_quota::quota::Weighting;
use carrier_quota::sites::{
    read_candidates, select_sites, write_candidates, Candidate, Candidates, SelectOptions,
    Selection,
};
use carrier_quota::{
    Atlas, Carrier, Carriers, CheckOptions, Date, Datum, ErrorKind, Kind, Measure, QuotaPlan,
    Status,
};

use crate::synthetic_file;

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// The carrier a chosen candidate becomes.
fn as_carrier(c: &Candidate) -> Carrier {
    c.to_carrier(Kind::Incubator)
}

/// Selects with `options`, then checks the plan with the chosen sites added:
/// every gap without a residual is met, and each residual is exactly what
/// is still missing. With `raise`, each evaluable floor-area target asks for
/// that much more than the carriers hold. Returns the selection.
fn selection_closes_the_gaps(
    plan: &QuotaPlan,
    count: usize,
    rule: FootprintRule,
    raise: Option<f64>,
) -> Selection {
    let atlas = Atlas::chongqing();
    let (carriers, _) = synthetic_file(1500, 3, 0.2);
    let placed = atlas.place(carriers, rule);
    let candidates = carrier_quota::synthetic::candidates(atlas, count, 7);
    let as_of = date("2027-06-30");
    let on = CheckOptions::new().as_of(as_of);
    let mut plan = plan.clone();
    if let Some(more) = raise {
        let report = plan.check(&placed, &on).unwrap();
        for (target, result) in plan.targets.iter_mut().zip(&report.targets) {
            if let (Measure::FloorArea, Some(actual)) = (target.measure, result.actual) {
                target.minimum = actual + more;
            }
        }
    }
    let plan = &plan;
    let options = SelectOptions::new().as_of(as_of);
    let selection = select_sites(&placed, plan, &candidates, &options).unwrap();
    assert!(selection.lower_bound <= selection.total_cost + 1e-6);
    eprintln!(
        "{count}: {} gaps, {} residual, {} chosen of {}, exact {}",
        selection.gaps.len(),
        selection.residual_gaps.len(),
        selection.chosen.len(),
        count,
        selection.exact
    );
    let chosen: Vec<&Candidate> = candidates
        .candidates
        .iter()
        .filter(|c| selection.chosen.contains(&c.id))
        .collect();
    let cost: f64 = chosen.iter().map(|c| c.cost).sum();
    assert!((cost - selection.total_cost).abs() < 1e-6);

    let opened = selection.open_sites(&placed, &candidates, Kind::Incubator);
    assert_eq!(
        opened.carriers().len(),
        placed.carriers().len() + chosen.len()
    );
    let report = plan.check(&opened, &on).unwrap();
    for gap in &selection.gaps {
        let result = report.targets.iter().find(|t| t.id == gap.target).unwrap();
        match selection
            .residual_gaps
            .iter()
            .find(|r| r.target == gap.target)
        {
            None => assert_eq!(result.status, Status::Met, "{gap:?} -> {result:?}"),
            Some(residual) => {
                // Every usable candidate in its scope was taken.
                assert!((gap.chosen_m2 - gap.offered_m2).abs() < 1e-3, "{gap:?}");
                let left = result.gap.unwrap();
                assert!(
                    (left - residual.amount).abs() < 0.01,
                    "{left} vs {residual:?}"
                );
            }
        }
    }
    selection
}

#[test]
fn chosen_sites_close_the_built_in_plans_gaps() {
    let plan = QuotaPlan::chongqing_2021_2025();
    // 30 candidates, solved exactly, for gaps of 200,000 m² that most can
    // close with some to spare (the outer clusters offer too little).
    let surface = FootprintRule::SurfacePoint;
    let small = selection_closes_the_gaps(&plan, 30, surface, Some(200_000.0));
    assert!(small.exact);
    assert!(
        small.gaps.len() == 5 && small.residual_gaps.len() == 1,
        "{small:?}"
    );
    assert!(small.chosen.len() < 20, "{small:?}");
    // 150 for the plan's own gaps: greedily, with a bound.
    let large = selection_closes_the_gaps(&plan, 150, surface, None);
    assert!(large.residual_gaps.len() < large.gaps.len(), "{large:?}");
    selection_closes_the_gaps(&plan, 150, FootprintRule::SplitByOverlap, None);
}

#[test]
fn chosen_sites_close_every_district_gap_of_a_district_plan() {
    let atlas = Atlas::chongqing();
    let plan = QuotaPlan::chongqing_2021_2025()
        .split_zone_targets(atlas, &Weighting::LandArea)
        .unwrap();
    let selection = selection_closes_the_gaps(&plan, 200, FootprintRule::SurfacePoint, None);
    let closed = selection.gaps.len() - selection.residual_gaps.len();
    assert!(closed >= 5, "{selection:?}");
}

#[test]
fn the_exact_answer_is_never_dearer_than_the_greedy_one() {
    let atlas = Atlas::chongqing();
    let (carriers, _) = synthetic_file(1500, 3, 0.0);
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    let plan = QuotaPlan::chongqing_2021_2025();
    let candidates = carrier_quota::synthetic::candidates(atlas, 60, 11);
    let select = |exact_limit| {
        let options = SelectOptions::new()
            .exact_limit(exact_limit)
            .as_of(date("2027-12-31"));
        select_sites(&placed, &plan, &candidates, &options).unwrap()
    };
    let exact = select(60);
    let greedy = select(0);
    assert!(exact.exact);
    assert!(exact.total_cost <= greedy.total_cost + 1e-6);
    assert!(greedy.lower_bound <= exact.total_cost + 1e-6);
    assert_eq!(exact.residual_gaps, greedy.residual_gaps);
}

#[test]
fn sites_that_cannot_help_and_targets_they_cannot_close_are_listed() {
    let atlas = Atlas::chongqing();
    let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
      {"type": "Feature", "id": "late", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
       "properties": {"floor_area_m2": 5000, "cost": 1, "opened": "2030"}},
      {"type": "Feature", "id": "far", "geometry": {"type": "Point", "coordinates": [120.0, 31.0]},
       "properties": {"floor_area_m2": 5000, "cost": 1}},
      {"type": "Feature", "properties": {"id": "ok", "floor_area_m2": 5000, "cost": 2},
       "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]}}
    ]}"#;
    let candidates = read_candidates(file.as_bytes(), None).unwrap();
    let plan = QuotaPlan::chongqing_2021_2025();
    let none = atlas.place(Carriers::new(Datum::Gcj02), FootprintRule::SurfacePoint);
    let options = SelectOptions::new().as_of(date("2025-12-31"));
    let selection = select_sites(&none, &plan, &candidates, &options).unwrap();
    assert_eq!(selection.chosen, ["ok"]);
    assert_eq!(selection.total_cost, 2.0);
    let unusable: Vec<&str> = selection.unusable.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(unusable, ["late", "far"]);
    let total = selection
        .residual_gaps
        .iter()
        .find(|r| r.target == "floor_area_total")
        .unwrap();
    assert_eq!(total.amount, 10_000_000.0 - 5000.0);
    // The dual core cannot be evaluated without carriers naming it or an
    // overlays file; counts of carriers and enterprises are not floor area.
    let skipped: Vec<&str> = selection
        .skipped
        .iter()
        .map(|s| s.target.as_str())
        .collect();
    for id in [
        "floor_area_dual_core",
        "enterprises",
        "university_ecosystems",
        "large_carriers",
    ] {
        assert!(skipped.contains(&id), "{id} in {skipped:?}");
    }
}

#[test]
fn candidate_files_are_refused_at_the_first_bad_feature() {
    let feature = |properties: &str, geometry: &str| {
        format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "id": "a", "geometry": {geometry}, "properties": {properties}}}]}}"#
        )
    };
    let point = r#"{"type": "Point", "coordinates": [106.5, 29.5]}"#;
    let cases = [
        (
            feature(r#"{"cost": 1}"#, point),
            "missing property \"floor_area_m2\"",
        ),
        (
            feature(r#"{"floor_area_m2": -5, "cost": 1}"#, point),
            "floor_area_m2 must be > 0",
        ),
        (
            feature(r#"{"floor_area_m2": 5, "cost": "cheap"}"#, point),
            "cost must be a number, found \"cheap\"",
        ),
        (
            feature(r#"{"floor_area_m2": 5, "cost": -1}"#, point),
            "cost must be a number from 0 to 1e15",
        ),
        (
            feature(
                r#"{"floor_area_m2": 5, "cost": 1, "opened": "soon"}"#,
                point,
            ),
            "opened must be YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            feature(r#"{"floor_area_m2": 5, "cost": 1}"#, "null"),
            "no geometry",
        ),
        (
            feature(
                r#"{"floor_area_m2": 5, "cost": 1}"#,
                r#"{"type": "LineString", "coordinates": [[106, 29], [107, 30]]}"#,
            ),
            "found LineString",
        ),
    ];
    for (text, expected) in cases {
        let err = read_candidates(text.as_bytes(), Some(Datum::Wgs84)).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidCandidate { index: 0, id: Some(id), .. } if id == "a"),
            "{err}"
        );
        assert!(
            err.to_string().contains(expected),
            "{err} lacks {expected:?}"
        );
    }
    let twice = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
      {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [106, 29]}, "properties": {"floor_area_m2": 5, "cost": 1}},
      {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [106, 29]}, "properties": {"floor_area_m2": 5, "cost": 1}}
    ]}"#;
    let err = read_candidates(twice.as_bytes(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "candidate feature 1 (id \"a\"): feature 0 has the same id"
    );
    let undeclared = feature(r#"{"floor_area_m2": 5, "cost": 1}"#, point);
    let err = read_candidates(undeclared.as_bytes(), None).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::MissingDatum { .. }),
        "{err}"
    );
}

#[test]
fn candidates_round_trip_through_geojson_in_any_datum() {
    let atlas = Atlas::chongqing();
    let candidates = carrier_quota::synthetic::candidates(atlas, 50, 3);
    let mut file = Vec::new();
    write_candidates(&mut file, &candidates).unwrap();
    let read = read_candidates(file.as_slice(), None).unwrap();
    assert_eq!(read, candidates);
    // WGS-84 sites are converted before they are placed: selecting from
    // either gives the same answer.
    let wgs = candidates.clone().into_datum(Datum::Wgs84);
    let (carriers, _) = synthetic_file(800, 9, 0.0);
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    let plan = QuotaPlan::chongqing_2021_2025();
    let options = SelectOptions::new().as_of(date("2027-12-31"));
    let select = |c: &Candidates| select_sites(&placed, &plan, c, &options).unwrap().chosen;
    assert_eq!(select(&wgs), select(&candidates));
}

#[test]
fn the_sample_candidates_are_the_documented_synthetic_ones() {
    let atlas = Atlas::chongqing();
    let mut expected = Vec::new();
    let sites = carrier_quota::synthetic::candidates(atlas, 120, 2026);
    write_candidates(&mut expected, &sites).unwrap();
    let stored = std::fs::read("data/sample/candidates.geojson").unwrap();
    assert!(
        stored == expected,
        "data/sample/candidates.geojson is stale: run `cargo run --release -- sample candidates \
         --count 120 --seed 2026 --out data/sample/candidates.geojson`"
    );
}

mod brute_force {
    use carrier_quota::place::FootprintRule;
    use carrier_quota::quota::read_plan;
    use carrier_quota::sites::{select_sites, Candidate, Candidates, SelectOptions};
    use carrier_quota::{Atlas, Carriers, CheckOptions, Datum, Location, QuotaPlan};
    use geo::InteriorPoint;
    use proptest::prelude::*;

    use super::{as_carrier, date};

    /// Districts in two zones: 渝中, 江北, 沙坪坝 (central), 江津 (main
    /// urban), 万州 and 黔江 (outer).
    const DISTRICTS: [&str; 6] = ["500103", "500105", "500106", "500116", "500101", "500114"];

    fn plan(minimums: [f64; 3]) -> QuotaPlan {
        let text = format!(
            r#"{{"name": "test", "start": "2021-12-31", "targets": [
              {{"id": "total", "name": "t", "measure": "floor_area", "minimum": {},
                "deadline": "2025-12-31"}},
              {{"id": "main", "name": "m", "scope": {{"zones": ["main_urban"]}}, "measure": "floor_area",
                "minimum": {}, "deadline": "2025-12-31"}},
              {{"id": "jiangbei", "name": "j", "scope": {{"districts": ["500105"]}}, "measure": "floor_area",
                "minimum": {}, "deadline": "2025-12-31"}}]}}"#,
            minimums[0], minimums[1], minimums[2]
        );
        read_plan(text.as_bytes()).unwrap()
    }

    fn sites() -> impl Strategy<Value = (Vec<(usize, u32, u32)>, [f64; 3])> {
        (
            proptest::collection::vec((0..DISTRICTS.len(), 1u32..50, 1u32..100), 1..=9),
            // Above 1: more than every site together offers.
            [0.0..1.3f64, 0.0..1.3f64, 0.0..1.3f64],
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

        /// The exact selection costs what the cheapest subset the checker
        /// finds meeting every target costs.
        #[test]
        fn exact_selection_matches_the_cheapest_subset((raw, fractions) in sites()) {
            let atlas = Atlas::chongqing();
            let candidates = Candidates {
                datum: Datum::Gcj02,
                candidates: raw
                    .iter()
                    .enumerate()
                    .map(|(i, &(d, area, cost))| {
                        let district = atlas.find_district(DISTRICTS[d]).unwrap();
                        Candidate {
                            id: format!("s{i}"),
                            floor_area_m2: f64::from(area) * 100.0,
                            cost: f64::from(cost),
                            opened: None,
                            overlay: None,
                            location: Location::Point(atlas.district(district).shape.interior_point().unwrap()),
                        }
                    })
                    .collect(),
            };
            // Minimums: a multiple of what the candidates in scope offer, whole m².
            let offered = |codes: &[&str]| -> f64 {
                raw.iter()
                    .filter(|(d, _, _)| codes.contains(&DISTRICTS[*d]))
                    .map(|&(_, area, _)| f64::from(area) * 100.0)
                    .sum()
            };
            let plan = plan([
                (offered(&DISTRICTS) * fractions[0]).floor(),
                (offered(&DISTRICTS[..4]) * fractions[1]).floor(),
                (offered(&DISTRICTS[1..2]) * fractions[2]).floor(),
            ]);
            let as_of = date("2025-12-31");
            let none = atlas.place(Carriers::new(Datum::Gcj02), FootprintRule::SurfacePoint);
            let options = SelectOptions::new().as_of(as_of);
            let selection = select_sites(&none, &plan, &candidates, &options).unwrap();
            prop_assert!(selection.exact);

            // The cheapest subset that reaches, for every target, its minimum
            // or else everything the sites can add to it.
            let n = candidates.candidates.len();
            let actuals = |mask: u32| -> Vec<f64> {
                let chosen = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| as_carrier(&candidates.candidates[i]));
                let chosen = Carriers::from_records(Datum::Gcj02, chosen);
                let placed = atlas.place(chosen, FootprintRule::SurfacePoint);
                let report = plan.check(&placed, &CheckOptions::new().as_of(as_of)).unwrap();
                report.targets.iter().map(|t| t.actual.unwrap()).collect()
            };
            let most = actuals((1 << n) - 1);
            let wanted: Vec<f64> = plan.targets.iter().zip(&most).map(|(t, m)| t.minimum.min(*m)).collect();
            let mut best = f64::INFINITY;
            for mask in 0u32..(1 << n) {
                if actuals(mask).iter().zip(&wanted).all(|(a, w)| a >= w) {
                    let cost = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| f64::from(raw[i].2)).sum();
                    best = best.min(cost);
                }
            }
            // What cannot be reached is reported, to the square metre.
            for (target, (most, wanted)) in plan.targets.iter().zip(most.iter().zip(&wanted)) {
                let residual = selection.residual_gaps.iter().find(|r| r.target == target.id);
                if target.minimum > *most {
                    prop_assert_eq!(residual.map(|r| r.amount), Some(target.minimum - wanted));
                } else {
                    prop_assert!(residual.is_none());
                }
            }
            prop_assert_eq!(selection.total_cost, best);
        }
    }
}
