//! Carriers from any file the library reads (GeoJSON, a CSV or Excel
//! register, Parquet), placed in their districts and tallied by district,
//! zone and city; what was rejected, and the records whose point lies
//! outside the district they name.
//!
//! ```text
//! cargo run --example place_and_tally -- data/sample/registry.csv gcj02
//! ```

use std::error::Error;
use std::path::Path;

use carrier_quota::place::FootprintRule;
use carrier_quota::read::read_carriers_file;
use carrier_quota::{Atlas, Datum, DistrictNames, ReadOptions, Tally};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: place_and_tally FILE [DATUM]")?;
    let atlas = Atlas::chongqing();

    // A table never says its datum, so the caller does. Chongqing's names
    // include those districts had before, and the managed areas.
    let mut options = ReadOptions::new()
        .expected_area(atlas.outline().clone())
        .districts(DistrictNames::chongqing().clone());
    options.datum = args.next().map(|d| d.parse::<Datum>()).transpose()?;
    let carriers = read_carriers_file(Path::new(&path), &options)?;
    for rejection in carriers.rejections() {
        println!("rejected: {rejection}");
    }

    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    for mismatch in placed.mismatches() {
        let carrier = placed.carriers().get(mismatch.position);
        println!(
            "{} names {} but lies elsewhere",
            carrier.id(),
            mismatch.written
        );
    }

    let tally = Tally::new(&placed);
    for (zone, breakdown) in atlas.zones().iter().zip(tally.zones()) {
        let all = &breakdown.all;
        println!(
            "{}: {} carriers, {} m²",
            zone.name,
            all.carriers,
            all.floor_area_m2()
        );
    }
    let city = &tally.city().all;
    println!(
        "city: {} carriers, {} m²",
        city.carriers,
        city.floor_area_m2()
    );
    Ok(())
}
