//! Any bytes as a quota plan (JSON when it starts with `{`, else TOML): a
//! plan or an error; a plan that reads is validated and checked against the
//! embedded atlas.
#![no_main]

use carrier_quota::place::FootprintRule;
use carrier_quota::quota::read_plan;
use carrier_quota::{Atlas, Carriers, CheckOptions, Datum};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(plan) = read_plan(data) else { return };
    let atlas = Atlas::chongqing();
    if plan.validate(atlas, None).is_err() {
        return;
    }
    let none = atlas.place(Carriers::new(Datum::Gcj02), FootprintRule::SurfacePoint);
    plan.check(&none, &CheckOptions::new())
        .expect("a valid plan checks");
});
