//! Targets split among districts: the plan's zone targets become district
//! targets by land area, and one target is split by hand with a minimum and
//! a cap. Shares are whole numbers that add up exactly.
//!
//! ```text
//! cargo run --example split_targets
//! ```

use std::error::Error;

use carrier_quota::quota::{DistrictSplit, Weighting};
use carrier_quota::{Atlas, QuotaPlan};

fn main() -> Result<(), Box<dyn Error>> {
    let atlas = Atlas::chongqing();

    // Every zone target of the plan, as one target per district.
    let plan = QuotaPlan::chongqing_2021_2025().split_zone_targets(atlas, &Weighting::LandArea)?;
    let parts = plan.targets.iter().filter(|t| t.part_of.is_some());
    for target in parts.take(5) {
        println!(
            "{}: {} m² by {}",
            target.id, target.minimum, target.deadline
        );
    }

    // The outer clusters' 350,000 m², with a floor for Qianjiang and a cap
    // for Wanzhou.
    let northeast = atlas.find_zone("northeast").ok_or("no northeast zone")?;
    let southeast = atlas.find_zone("southeast").ok_or("no southeast zone")?;
    let mut districts = atlas.zone(northeast).districts.clone();
    districts.extend(&atlas.zone(southeast).districts);
    districts.sort_unstable();
    let qianjiang = atlas.find_district("黔江区").ok_or("no Qianjiang")?;
    let wanzhou = atlas.find_district("Wanzhou").ok_or("no Wanzhou")?;
    let split = DistrictSplit::new(&districts, Weighting::LandArea)
        .min(qianjiang, 30_000)
        .cap(wanzhou, 20_000);
    let shares = split.apportion(atlas, 350_000)?;
    for share in &shares {
        println!("{} {}: {}", share.code, share.name, share.share);
    }
    let total: u64 = shares.iter().map(|s| s.share).sum();
    assert_eq!(total, 350_000);
    Ok(())
}
