//! The main job as a service does it: carriers read, placed in their
//! districts, checked against the 2021–2025 plan on a date; the report as a
//! table and the map as SVG.
//!
//! ```text
//! cargo run --example check_plan -- [CARRIERS.geojson] [YYYY-MM-DD]
//! ```
//!
//! Without arguments: the bundled synthetic sample, on the plan's deadline.

use std::error::Error;
use std::fs::File;
use std::io::{self, Write};

use carrier_quota::place::FootprintRule;
use carrier_quota::read::read_carriers_parallel;
use carrier_quota::report::{self, Format, Options};
use carrier_quota::{Atlas, PlanCheck, QuotaPlan, ReadOptions};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/carriers.geojson").into()
    });

    // Read: points outside Chongqing are rejected with a reason, not lost.
    let atlas = Atlas::chongqing();
    let options = ReadOptions::new().expected_area(atlas.outline().clone());
    let carriers = read_carriers_parallel(|| File::open(&path), &options)?;
    report::write_rejections(io::stderr(), &carriers)?;

    // Place and check: each carrier counts in exactly one district.
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    let mut check = PlanCheck::new(QuotaPlan::chongqing_2021_2025());
    if let Some(date) = args.next() {
        check = check.as_of(date.parse()?);
    }
    let checked = check.run(placed)?;

    let mut out = io::stdout().lock();
    report::write(&mut out, &checked, Format::Table, &Options::new())?;
    for target in &checked.report.targets {
        writeln!(out, "{}: {}", target.id, target.status.as_str())?;
    }

    let map = File::create("check-plan-map.svg")?;
    report::write(map, &checked, Format::Svg, &Options::new())?;
    eprintln!("map written to check-plan-map.svg");
    Ok(())
}
