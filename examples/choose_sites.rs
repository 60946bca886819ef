//! The cheapest candidate sites that close the plan's floor-area gaps: the
//! sample carriers checked at the end of 2027, and the sites chosen among
//! the bundled candidates, with a lower bound on the cost.
//!
//! ```text
//! cargo run --example choose_sites
//! ```

use std::error::Error;
use std::fs::File;

use carrier_quota::place::FootprintRule;
use carrier_quota::read::read_carriers;
use carrier_quota::sites::{read_candidates, select_sites, SelectOptions};
use carrier_quota::{Atlas, Date, QuotaPlan, ReadOptions};

fn main() -> Result<(), Box<dyn Error>> {
    let sample =
        |name: &str| File::open(format!("{}/data/sample/{name}", env!("CARGO_MANIFEST_DIR")));
    let atlas = Atlas::chongqing();
    let carriers = read_carriers(sample("carriers.geojson")?, &ReadOptions::default())?;
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    // The file declares its datum, so none is given here.
    let candidates = read_candidates(sample("candidates.geojson")?, None)?;

    let as_of: Date = "2027-12-31".parse()?;
    let plan = QuotaPlan::chongqing_2021_2025();
    let selection = select_sites(
        &placed,
        &plan,
        &candidates,
        &SelectOptions::new().as_of(as_of),
    )?;
    println!(
        "{} sites chosen, cost {:.0} (at least {:.0}{})",
        selection.chosen.len(),
        selection.total_cost,
        selection.lower_bound,
        if selection.exact {
            ", proven least"
        } else {
            ""
        }
    );
    for id in &selection.chosen {
        println!("  {id}");
    }
    for gap in &selection.residual_gaps {
        println!("still short: {} by {:.0} m²", gap.target, gap.amount);
    }
    Ok(())
}
