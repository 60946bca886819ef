//! Any bytes as a candidates file: sites or an error. A small set that
//! loads goes through site selection for the built-in plan with no carriers:
//! the choice is among the sites, costs what it says, and the bound is
//! below it.
#![no_main]

use carrier_quota::sites::{select_sites, Candidates, SelectOptions};
use carrier_quota::{Atlas, Date, Datum, FootprintRule, QuotaPlan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(candidates) = Candidates::from_geojson(data, Some(Datum::Gcj02)) else {
        return;
    };
    if candidates.candidates.len() > 30 {
        return;
    }
    let atlas = Atlas::chongqing();
    let plan = QuotaPlan::chongqing_2021_2025();
    let none = atlas.assign(&[], FootprintRule::SurfacePoint);
    let as_of = Date::new(2030, 1, 1).unwrap();
    let selection = select_sites(
        &plan,
        &atlas,
        &[],
        &none,
        None,
        &candidates,
        as_of,
        SelectOptions {
            node_limit: 100_000,
            ..SelectOptions::default()
        },
    )
    .expect("the built-in plan is valid");
    let mut cost = 0.0;
    for id in &selection.chosen {
        let site = candidates
            .candidates
            .iter()
            .find(|c| &c.id == id)
            .expect("a candidate");
        cost += site.cost;
    }
    assert_eq!(cost, selection.total_cost);
    assert!(selection.lower_bound <= selection.total_cost);
});
