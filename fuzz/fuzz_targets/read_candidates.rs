//! Any bytes as a candidates file: sites or an error. A small set that
//! loads goes through site selection for the built-in plan with no carriers:
//! the choice is among the sites, costs what it says, and the bound is
//! below it.
#![no_main]

use carrier_quota::place::FootprintRule;
use carrier_quota::sites::{read_candidates, select_sites, SelectOptions};
use carrier_quota::{Atlas, Carriers, Date, Datum, QuotaPlan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(candidates) = read_candidates(data, Some(Datum::Gcj02)) else {
        return;
    };
    if candidates.candidates.len() > 30 {
        return;
    }
    let atlas = Atlas::chongqing();
    let plan = QuotaPlan::chongqing_2021_2025();
    let none = atlas.place(Carriers::new(Datum::Gcj02), FootprintRule::SurfacePoint);
    let options = SelectOptions::new()
        .as_of(Date::new(2030, 1, 1).unwrap())
        .node_limit(100_000);
    let selection =
        select_sites(&none, &plan, &candidates, &options).expect("the built-in plan is valid");
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
