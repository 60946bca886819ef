//! Any text as a quota plan, in JSON and in TOML: a plan or an error; a plan
//! that reads is validated and checked against the embedded atlas.
#![no_main]

use std::sync::OnceLock;

use carrier_quota::{check, Assignment, Atlas, Date, QuotaPlan};
use libfuzzer_sys::fuzz_target;

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(Atlas::chongqing)
}

fuzz_target!(|text: &str| {
    for plan in [QuotaPlan::from_json(text), QuotaPlan::from_toml(text)] {
        let Ok(plan) = plan else { continue };
        if plan.validate(atlas(), None).is_err() {
            continue;
        }
        let none = Assignment {
            districts: Vec::new(),
            splits: Vec::new(),
        };
        let as_of = Date::new(2025, 12, 31).unwrap();
        let _ = check(&plan, atlas(), &[], &none, None, as_of);
    }
});
